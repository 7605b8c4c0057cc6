#!/usr/bin/env bash
# Runs one JMH benchmark class of the test sources and writes its report (target/bench/NAME.md, or BENCH_OUT/NAME.md):
#   bench/jmh.sh org.mlpages.bench.CreditPathBenchmark credit-path
#   BENCH_SKIP_BUILD=1  reuse target/classes and target/test-classes
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -DskipTests test-compile
fi
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  -Dbench.out="${BENCH_OUT:-target/bench}/$2.md" "$1"
