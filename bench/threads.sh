#!/usr/bin/env bash
# TensorFlow thread settings on this machine: the in-process JMH figures (batch 1 and 8, pipeline) and the
# in-process throughput at 1, 2 and 4 callers under each setting. Each variant runs in fresh JVMs because
# TensorFlow sizes its thread pools once per process. About 2.5 minutes per variant on 2 idle cores.
# Needs a build (bench/run.sh, or BENCH_SKIP_BUILD=1 after one). Results: target/bench/threads/<variant>.md
#
# Variants (name: how it is set):
#   default        the app's defaults (mlpages.image.intra-op-threads=1, inter-op left to TensorFlow)
#   tf-default     -Dbench.intraOpThreads=0: nothing set (TensorFlow picks intra-op = inter-op = number of cores),
#                  the app's behaviour before intra-op-threads existed
#   caller         the app's intra-op 1 and inter-op -1 (-Dbench.interOpThreads=-1)
#   djl-intra1     -Dai.djl.tensorflow.num_intraop_threads=1 (read by DJL 0.36 JavacppUtils.getSessionConfig)
#   djl-inter1     -Dai.djl.tensorflow.num_interop_threads=1
#   djl-1-1        both of the above
#   djl-1-caller   intra-op 1 and inter-op -1 (TensorFlow: a negative inter-op count runs every op in the caller's
#                  thread, no hand-over to its inter-op pool)
#   env-intra1     TF_NUM_INTRAOP_THREADS=1 (read by TensorFlow itself when the session config leaves it at 0)
#   omp1           OMP_NUM_THREADS=1 (only matters for an OpenMP build of TensorFlow)
# BENCH_VARIANTS="default djl-1-1" picks some; BENCH_RETRIES (0) and BENCH_QUIET_WAIT (20 s) as in run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${BENCH_OUT:-target/bench}/threads
mkdir -p "$OUT"
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-1}
[ -f target/test-classpath.txt ] || { echo "build first: bench/run.sh (or mvn package + dependency:build-classpath)"; exit 1; }
CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"

for variant in ${BENCH_VARIANTS:-tf-default default caller djl-intra1 djl-inter1 djl-1-1 env-intra1 omp1}; do
  props=(); envs=()
  case $variant in
    default) ;;
    tf-default) props=(-Dbench.intraOpThreads=0) ;;
    caller) props=(-Dbench.interOpThreads=-1) ;;
    djl-intra1) props=(-Dbench.intraOpThreads=0 -Dai.djl.tensorflow.num_intraop_threads=1) ;;
    djl-inter1) props=(-Dbench.intraOpThreads=0 -Dai.djl.tensorflow.num_interop_threads=1) ;;
    djl-1-1) props=(-Dbench.intraOpThreads=0 -Dai.djl.tensorflow.num_intraop_threads=1 -Dai.djl.tensorflow.num_interop_threads=1) ;;
    djl-1-caller) props=(-Dbench.intraOpThreads=0 -Dai.djl.tensorflow.num_intraop_threads=1 -Dai.djl.tensorflow.num_interop_threads=-1) ;;
    env-intra1) props=(-Dbench.intraOpThreads=0); envs=(TF_NUM_INTRAOP_THREADS=1) ;;
    omp1) props=(-Dbench.intraOpThreads=0); envs=(OMP_NUM_THREADS=1) ;;
    *) echo "unknown variant $variant"; exit 2 ;;
  esac
  echo "== $variant (${props[*]:-} ${envs[*]:-}) uptime: $(uptime)"
  env "${envs[@]}" java -Xms1g -Xmx2g -Dbench.retries="${BENCH_RETRIES:-0}" -Dbench.quietWaitSeconds="${BENCH_QUIET_WAIT:-20}" "${props[@]}" -Dbench.batches=1,8 -Dbench.warmup=2 -Dbench.iterations=4 \
    -Dbench.out="$OUT/$variant-jmh.md" -cp "$CP" org.mlpages.bench.InferenceBenchmarks > "$OUT/$variant-jmh.log" 2>&1
  env "${envs[@]}" java -Xms1g -Xmx2g -Dbench.retries="${BENCH_RETRIES:-0}" -Dbench.quietWaitSeconds="${BENCH_QUIET_WAIT:-20}" "${props[@]}" -Dbench.http=false -Dbench.warmupSeconds=4 -Dbench.measureSeconds=8 \
    -Dbench.out="$OUT/$variant-throughput.md" -cp "$CP" org.mlpages.bench.ThroughputComparison > "$OUT/$variant-throughput.log" 2>&1
  { echo "## $variant: ${props[*]:-} ${envs[*]:-}"; echo; cat "$OUT/$variant-jmh.md"; echo; cat "$OUT/$variant-throughput.md"; } > "$OUT/$variant.md"
  grep -E '^\| (predict|decode|in-process)' "$OUT/$variant.md"
done
