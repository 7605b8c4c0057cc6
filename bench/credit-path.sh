#!/usr/bin/env bash
# One credit application in-process as the API handles it (CreditPathBenchmark, JMH): the credit service's steps
# before the credit model was a tabular model against the tabular path; microseconds and the ratio, in one run.
#   BENCH_SKIP_BUILD=1  reuse target/classes and target/test-classes
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -DskipTests test-compile
fi
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  -Dbench.out="${BENCH_OUT:-target/bench}/credit-path.md" org.mlpages.bench.CreditPathBenchmark
