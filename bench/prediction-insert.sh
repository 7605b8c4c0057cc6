#!/usr/bin/env bash
# One prediction row bound from PredictionRecord's mapping against bound column by column as the writer did before
# (PredictionInsertBenchmark, JMH), alone and inserted into SQLite; microseconds and the ratios, in one run.
#   BENCH_SKIP_BUILD=1  reuse target/classes and target/test-classes
exec "$(dirname "$0")/jmh.sh" org.mlpages.history.PredictionInsertBenchmark prediction-insert
