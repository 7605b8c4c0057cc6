#!/usr/bin/env bash
# The mlpages benchmarks in one command (see docs/benchmarks.md):
#   1. in-process inference with JMH: the shipped model alone at batch 1, 8, 16; decode+preprocess(+predict)
#   2. photo classifications per second in-process vs over HTTP against the running jar (1, 2, 4 clients; the
#      load generator is wrk with bench/photo-post.lua when installed: apt-get install -y wrk)
#   3. java -jar to the first served prediction: cold cache, natives only, warm cache
# then a summary with the goals. About 15 minutes on 2 idle cores (more on a busy machine: every measurement waits
# up to BENCH_QUIET_WAIT s for a quiet moment and is repeated when disturbed). Only 127.0.0.1 is contacted.
# Other scripts: bench/threads.sh (TensorFlow thread settings), bench/startup-variants.sh (AppCDS etc.).
#
# Environment:
#   BENCH_SKIP_BUILD=1     reuse target/*.jar and target/test-classes
#   BENCH_ONLY="inference throughput startup"   run a subset
#   BENCH_JAVA_OPTS        extra -D options for the benchmark JVM (and JMH forks for ai.djl.*), e.g.
#                          "-Dai.djl.tensorflow.num_intraop_threads=1 -Dbench.serverJvmArgs=-Dai.djl.tensorflow.num_intraop_threads=1"
#   BENCH_QUIET_CPU=15     before each part, wait (at most BENCH_MAX_WAIT s, default 300) until the machine was
#                          less than this % busy (all cores, over 5 s; nothing of ours runs then). The load average
#                          and the CPU taken by other processes are printed with every figure either way.
#   BENCH_RETRIES=2        each measurement starts when others use < 25 % of a core (waiting at most
#                          BENCH_QUIET_WAIT=120 s) and is repeated up to this many times while they took more;
#                          the least disturbed attempt is kept and marked CONTENDED if still above
#   BENCH_RERUN=1          also rerun a whole part once when one of its figures stayed CONTENDED
#   BENCH_WARM_RUNS=3      warm-cache start-ups (after 2 cold and 1 natives-only), of the fat jar and then of the
#                          Dockerfile's start (bin/prepare-start.sh with BENCH_START_JAVA_HOME, default the newest
#                          JDK under /usr/lib/jvm)
#   BENCH_OUT=target/bench where the Markdown results go
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${BENCH_OUT:-target/bench}
ONLY=${BENCH_ONLY:-"inference throughput startup"}
QUIET=${BENCH_QUIET_CPU:-}
MAX_WAIT=${BENCH_MAX_WAIT:-300}
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-1}
mkdir -p "$OUT"

load1() { cut -d' ' -f1 /proc/loadavg; }

# % of the whole machine (all cores) busy over the next 5 seconds
busy_pct() {
  local a b
  a=$(head -1 /proc/stat); sleep 5; b=$(head -1 /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN { split(a, x); split(b, y); t = 0; i = 0
    for (k = 2; k <= 9; k++) { t += y[k] - x[k] } ; i = (y[5] - x[5]) + (y[6] - x[6])
    printf "%d", (t > 0 ? 100 * (t - i) / t : 0) }'
}

wait_for_quiet() {
  [ -n "$QUIET" ] || return 0
  local waited=0 busy
  while busy=$(busy_pct); [ "$busy" -ge "$QUIET" ]; do
    waited=$((waited + 5))
    if [ "$waited" -ge "$MAX_WAIT" ]; then
      echo "!! machine still ${busy}% busy (others) after ${waited}s; measuring anyway: rerun later"; return 0
    fi
  done
  echo ".. machine ${busy}% busy before this part (waited ${waited}s)"
}

{
  echo "### Machine"
  echo
  echo "- date: $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "- nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "- memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "- java: $(java -version 2>&1 | head -2 | tr '\n' ' ')"
  echo "- uptime at start: $(uptime)"
  echo "- BENCH_JAVA_OPTS: ${BENCH_JAVA_OPTS:-none}; TF_NUM_INTRAOP_THREADS=${TF_NUM_INTRAOP_THREADS:-unset} TF_NUM_INTEROP_THREADS=${TF_NUM_INTEROP_THREADS:-unset} OMP_NUM_THREADS=${OMP_NUM_THREADS:-unset}"
} > "$OUT/machine.md"
cat "$OUT/machine.md"

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "== build (load $(load1))"
  mvn -B -q -DskipTests package
  mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
fi
CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
# shellcheck disable=SC2086
JAVA=(java -Xms1g -Xmx2g -Dbench.retries="${BENCH_RETRIES:-2}" -Dbench.quietWaitSeconds="${BENCH_QUIET_WAIT:-120}"
  ${BENCH_JAVA_OPTS:-} -cp "$CP")

# the JDK under /usr/lib/jvm with the highest JAVA_VERSION (the machines have Temurin 25 beside Java 17), else
# the one the java on the PATH belongs to
newest_jdk() {
  local best="" best_version=0 home version
  for home in /usr/lib/jvm/*/; do
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null || true)
    if [ -n "$version" ] && [ "$version" -gt "$best_version" ] && [ -x "$home/bin/java" ]; then
      best=${home%/}; best_version=$version
    fi
  done
  echo "${best:-$(dirname "$(dirname "$(realpath "$(command -v java)")")")}"
}

run_part() {
  local part=$1
  rm -f "$OUT/$part.md"
  echo "== $part (uptime: $(uptime))"
  case $part in
    inference)
      "${JAVA[@]}" -Dbench.out="$OUT/inference.md" org.mlpages.bench.InferenceBenchmarks > "$OUT/inference.log" 2>&1 \
        || { tail -50 "$OUT/inference.log"; exit 1; }
      ;;
    throughput)
      "${JAVA[@]}" -Dbench.warmupSeconds="${BENCH_WARMUP_SECONDS:-5}" -Dbench.measureSeconds="${BENCH_MEASURE_SECONDS:-10}" \
        -Dbench.out="$OUT/throughput.md" org.mlpages.bench.ThroughputComparison 2>&1 | tee "$OUT/throughput.log" \
        | grep -E '^(==|in-process|HTTP)' || true
      [ -s "$OUT/throughput.md" ] || { tail -50 "$OUT/throughput.log"; exit 1; }
      ;;
    startup)
      "${JAVA[@]}" -Dbench.warmRuns="${BENCH_WARM_RUNS:-3}" -Dbench.out="$OUT/startup.md" org.mlpages.bench.StartupBenchmark 2>&1 | tee "$OUT/startup.log" \
        | grep -E 'run [0-9]+:' || true
      [ -s "$OUT/startup.md" ] || { tail -50 "$OUT/startup.log"; exit 1; }
      # then the Dockerfile's start: bin/prepare-start.sh with the newest JDK here (Java 25's AOT cache)
      local home=${BENCH_START_JAVA_HOME:-$(newest_jdk)}
      echo ".. bin/prepare-start.sh with $home"
      JAVA_HOME=$home MLPAGES_CACHE_DIR=$PWD/target/bench/cache bin/prepare-start.sh "$(ls target/mlpages-*.jar | head -1)" "$OUT/prepared-start" > "$OUT/prepare-start.log" 2>&1 \
        || { cat "$OUT/prepare-start.log"; exit 1; }
      "${JAVA[@]}" -Dbench.warmRuns="${BENCH_WARM_RUNS:-3}" -Dbench.jar="$OUT/prepared-start/start.sh" \
        -Dbench.label="bin/prepare-start.sh with $home (the Dockerfile's start when that is Java 25)" -Dbench.out="$OUT/startup-prepared.md" \
        org.mlpages.bench.StartupBenchmark 2>&1 | tee "$OUT/startup-prepared.log" | grep -E 'run [0-9]+:' || true
      [ -s "$OUT/startup-prepared.md" ] || { tail -50 "$OUT/startup-prepared.log"; exit 1; }
      { echo; cat "$OUT/startup-prepared.md"; } >> "$OUT/startup.md"
      ;;
    *) echo "unknown part $part"; exit 2 ;;
  esac
}

for part in $ONLY; do
  wait_for_quiet
  run_part "$part"
  # each measurement already waits for a quiet moment and repeats itself (bench.retries) when other processes took
  # more than a quarter of a core; BENCH_RERUN=1 also reruns a whole part once if a figure stayed CONTENDED
  if grep -q CONTENDED "$OUT/$part.md" && [ "${BENCH_RERUN:-0}" = 1 ]; then
    mv "$OUT/$part.md" "$OUT/$part.contended.md"
    echo "!! $part was contended by other processes; rerunning once (first attempt kept in $part.contended.md)"
    wait_for_quiet
    run_part "$part"
  fi
done

echo
echo "================ summary ================"
cat "$OUT/machine.md"; echo
for part in $ONLY; do cat "$OUT/$part.md"; echo; done
echo "uptime at end: $(uptime)"
