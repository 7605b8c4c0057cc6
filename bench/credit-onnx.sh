#!/usr/bin/env bash
# The credit decision in-process through the Tribuo model and through the same model exported to ONNX
# (CreditOnnxBenchmark, JMH): microseconds per decision and the ratio, measured in the same run. About a minute.
#   BENCH_SKIP_BUILD=1  reuse target/classes and target/test-classes
exec "$(dirname "$0")/jmh.sh" org.mlpages.bench.CreditOnnxBenchmark credit-onnx
