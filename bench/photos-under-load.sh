#!/usr/bin/env bash
# Issue 16, "photos under load": micro-batching measured side by side in one run (org.mlpages.bench.PhotosUnderLoad).
#   1. in-process: each shipped model alone on one predictor (one TensorFlow intra-op thread), batch 1 vs batch 8, with
#      one and two callers; the pipeline (decode + preprocess + predict) with two callers, one photo vs batches of 8;
#   2. over HTTP: the jar started twice, micro-batching on (as shipped) and off (max-size=1), each warmed up at the
#      highest client count, then 64 wrk clients uploading the photo (photos/s, p50, p99, mean batch size); then the
#      lone request (1 client) alternately on each server: median latencies and their difference.
# Writes the Markdown table to $BENCH_OUT/photos-under-load.md. About 11 minutes on 2 cores; BENCH_QUICK=1: under 4.
# Needs wrk (apt-get install -y wrk). Only 127.0.0.1 is contacted.
#
# Environment:
#   BENCH_QUICK=1          short warm-ups and measurements, the first model only in-process (a smoke run, figures rough)
#   BENCH_SKIP_BUILD=1     reuse target/*.jar and target/test-classes (and target/test-classpath.txt)
#   BENCH_CLIENTS=64       HTTP clients under load
#   BENCH_HTTP_WARMUP=180  seconds of load before measuring the batching server (2/3 of it for the other): the
#                          request path is C2-compiled only after minutes of load (docs/benchmarks.md, third session)
#   BENCH_MEASURE_SECONDS  in-process measurements (10; HTTP under load: twice that); BENCH_WARMUP_SECONDS (5)
#   BENCH_MODELS           in-process models, the first also over HTTP (cat_dog_model,cats_vs_dogs)
#   BENCH_PORT             first of the two ports the servers listen on (default: free ports)
#   BENCH_RETRIES=1, BENCH_QUIET_WAIT=20 (quick: 0 and 0)  a measurement starts when other processes use < 25 % of a core (waiting at
#                          most BENCH_QUIET_WAIT s) and is repeated this many times while they took more
#   BENCH_JAVA_OPTS        extra options for the benchmark JVM
#   BENCH_SERVER_JVM_ARGS  the app's Java options over HTTP (default: the systemd unit's; empty: Java's defaults)
#   BENCH_OUT=target/bench
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
source bench/common.sh

OUT=${BENCH_OUT:-target/bench}
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-1}
mkdir -p "$OUT"
command -v wrk > /dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 2; }

if [ "${BENCH_QUICK:-0}" = 1 ]; then
  defaults=(-Dbench.models="${BENCH_MODELS:-cat_dog_model}" -Dbench.warmupSeconds="${BENCH_WARMUP_SECONDS:-2}"
    -Dbench.measureSeconds="${BENCH_MEASURE_SECONDS:-4}" -Dbench.httpWarmupSeconds="${BENCH_HTTP_WARMUP:-30}"
    -Dbench.loneRounds=2 -Dbench.loneSeconds=4 -Dbench.retries="${BENCH_RETRIES:-0}" -Dbench.quietWaitSeconds="${BENCH_QUIET_WAIT:-0}")
else
  defaults=(-Dbench.models="${BENCH_MODELS:-cat_dog_model,cats_vs_dogs}" -Dbench.warmupSeconds="${BENCH_WARMUP_SECONDS:-5}"
    -Dbench.measureSeconds="${BENCH_MEASURE_SECONDS:-10}" -Dbench.httpWarmupSeconds="${BENCH_HTTP_WARMUP:-180}"
    -Dbench.loneRounds=3 -Dbench.loneSeconds=10 -Dbench.retries="${BENCH_RETRIES:-1}" -Dbench.quietWaitSeconds="${BENCH_QUIET_WAIT:-20}")
fi

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "== build (load $(cut -d' ' -f1 /proc/loadavg))"
  { mvn -B -q -DskipTests package \
    && mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt; } \
    > "$OUT/photos-under-load-build.log" 2>&1 || { tail -50 "$OUT/photos-under-load-build.log"; exit 1; }
fi
# a fresh checkout built by another command (mvn verify) has the classes but not this list
[ -s target/test-classpath.txt ] \
  || mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
JAR=$(find target -maxdepth 1 -name 'mlpages-*.jar' | head -1)

# The app over HTTP runs as the systemd unit runs it, with its Java options and its malloc setting (until 2026-12-07
# it ran on Java's defaults: a heap of a quarter of the machine, G1, none of the shipped heap's collections).
server_jvm_args=${BENCH_SERVER_JVM_ARGS-$(unit_java_opts)}
export_unit_environment

echo "== photos under load (uptime: $(uptime))"
# shellcheck disable=SC2086
java -Xms1g -Xmx2g "${defaults[@]}" -Dbench.clients="${BENCH_CLIENTS:-64}" -Dbench.port="${BENCH_PORT:-0}" \
  -Dbench.jar="$JAR" -Dbench.serverJvmArgs="$server_jvm_args" ${BENCH_JAVA_OPTS:-} \
  -Dbench.out="$OUT/photos-under-load.md" -cp "$CP" org.mlpages.bench.PhotosUnderLoad 2>&1 \
  | tee "$OUT/photos-under-load.log" | grep -E '^(==|\.\.|HTTP|lone|[a-z_]+ (model|pipeline|lone))' || true
[ -s "$OUT/photos-under-load.md" ] || { tail -50 "$OUT/photos-under-load.log"; exit 1; }
# shellcheck disable=SC2016
printf '\nThe app over HTTP: `java %s -jar`, %s.\n' "${server_jvm_args:-(no options: the JVM defaults)}" \
  "$(env | grep '^MALLOC_' | tr '\n' ' ' | sed 's/ $//')" >> "$OUT/photos-under-load.md"
echo
cat "$OUT/photos-under-load.md"
echo "uptime at end: $(uptime)"
