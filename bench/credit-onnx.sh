#!/usr/bin/env bash
# The credit decision in-process through the Tribuo model and through the same model exported to ONNX
# (CreditOnnxBenchmark, JMH): microseconds per decision and the ratio, measured in the same run. About a minute.
#   BENCH_SKIP_BUILD=1  reuse target/classes and target/test-classes
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -DskipTests test-compile
fi
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  -Dbench.out="${BENCH_OUT:-target/bench}/credit-onnx.md" org.mlpages.bench.CreditOnnxBenchmark
