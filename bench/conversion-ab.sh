#!/usr/bin/env bash
# A change of the Keras converter, measured: the same model converted by two builds of the jar (each by its own
# `convert` command), then both SavedModels run side by side in one JVM (org.mlpages.bench.ConversionComparison):
# per batch size, the CPU time per photo of each, alternating rounds, and the largest difference between their
# answers.
#
#   bench/conversion-ab.sh JAR_A JAR_B                 # e.g. the jar before the change against target/mlpages-*.jar
#   MODEL=models/cats_vs_dogs.h5 BATCHES=8,1 ROUNDS=10 PHOTOS=480 bench/conversion-ab.sh JAR_A JAR_B
#
# A jar of an earlier commit: git worktree add /tmp/before REV && (cd /tmp/before && mvn -q -DskipTests package).
# Needs Java 17+ and Maven (the comparison runs from the test classes). Writes target/bench/conversion-ab.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: $0 JAR_A JAR_B" >&2; exit 64; }
command="bench/conversion-ab.sh $*"
model=${MODEL:-models/cat_dog_model.h5}
out=target/bench/conversion-ab
rm -rf "$out"; mkdir -p "$out"
export TF_CPP_MIN_LOG_LEVEL=1
for side in a b; do
  jar=$1; shift
  # TensorFlow's natives are extracted once, in a folder named for their version, and kept between runs; the
  # conversions are not, or the second jar would be handed the first one's (same file, same format version)
  rm -rf target/bench/cache/savedmodels
  java -jar "$jar" convert "$model" "$out/$side" --cache target/bench/cache > "$out/convert-$side.log" 2>&1 \
    || { tail -20 "$out/convert-$side.log" >&2; exit 1; }
done
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -DskipTests test-compile
fi
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt > /dev/null
{
  echo "Model $model; commit $(git rev-parse --short HEAD); $(nproc) cores; command: \`$command\`"
  java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    -Dab.batches="${BATCHES:-8,1}" -Dab.rounds="${ROUNDS:-10}" -Dab.photos="${PHOTOS:-480}" \
    org.mlpages.bench.ConversionComparison "$out/a" "$out/b"
} | tee "$out.md"
