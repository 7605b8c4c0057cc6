#!/usr/bin/env bash
# One credit application in-process as the API handles it (CreditPathBenchmark, JMH): the credit service's steps
# before the credit model was a tabular model against the tabular path; microseconds and the ratio, in one run.
#   BENCH_SKIP_BUILD=1  reuse target/classes and target/test-classes
exec "$(dirname "$0")/jmh.sh" org.mlpages.bench.CreditPathBenchmark credit-path
