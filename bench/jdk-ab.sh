#!/usr/bin/env bash
# Two JDKs once warm, each running the app as bin/prepare-start.sh prepares it with that JDK (the Dockerfile's start):
# photos over HTTP (ThroughputComparison: 4 wrk connections after BENCH_HTTP_WARMUP s, 20 s measured, then uploads
# to an unknown model) and, with CREDIT=1, the credit API (bench/credit/run.sh), the two alternating ROUNDS times so
# that a drift of the machine shows in both. Needs wrk and a build (bench/run.sh, or mvn -DskipTests package +
# dependency:build-classpath). Results in target/bench/jdk-ab/.
#
#   bench/jdk-ab.sh                               # the java on the PATH (Java 17) against Temurin 25
#   BENCH_JDK_A=/usr/lib/jvm/x BENCH_JDK_B=/usr/lib/jvm/y ROUNDS=1 CREDIT=0 bench/jdk-ab.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/bench/jdk-ab
mkdir -p "$OUT"
[ -f target/test-classpath.txt ] || { echo "build first: bench/run.sh"; exit 1; }
CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
JAR=$(ls target/mlpages-*.jar | grep -v original | head -1)
A=${BENCH_JDK_A:-$(dirname "$(dirname "$(realpath "$(command -v java)")")")}
B=${BENCH_JDK_B:-/usr/lib/jvm/temurin-25-jdk-amd64}
export TF_CPP_MIN_LOG_LEVEL=1

for side in A B; do
  home=${!side}
  echo ".. bin/prepare-start.sh with $home"
  JAVA_HOME=$home MLPAGES_CACHE_DIR=$PWD/target/bench/cache bin/prepare-start.sh "$JAR" "$OUT/start-$side" > "$OUT/prepare-$side.log" 2>&1 \
    || { cat "$OUT/prepare-$side.log"; exit 1; }
done

for round in $(seq 1 "${ROUNDS:-2}"); do
  for side in A B; do
    echo "== round $round, $side (${!side}; uptime: $(uptime))"
    java -cp "$CP" -Dbench.inProcess=false -Dbench.clients=4 -Dbench.measureSeconds=20 \
      -Dbench.httpWarmupSeconds="${BENCH_HTTP_WARMUP:-150}" -Dbench.jar="$OUT/start-$side/start.sh" \
      -Dbench.out="$OUT/photos-$side-$round.md" org.mlpages.bench.ThroughputComparison > "$OUT/photos-$side-$round.log" 2>&1 \
      || { tail -30 "$OUT/photos-$side-$round.log"; exit 1; }
    grep -E '^HTTP' "$OUT/photos-$side-$round.log" || true
    if [ "${CREDIT:-1}" = 1 ]; then
      JMH=0 BASELINE=0 START="$PWD/$OUT/start-$side/start.sh" OUT="$PWD/$OUT/credit-$side-$round" bench/credit/run.sh \
        > "$OUT/credit-$side-$round.log" 2>&1 || { tail -30 "$OUT/credit-$side-$round.log"; exit 1; }
      grep -E '^(run |credit |CPU per request \(credit)' "$OUT/credit-$side-$round.log" || true
    fi
  done
done
