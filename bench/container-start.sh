#!/usr/bin/env bash
# The image's start against the same prepared start outside a container, in one run (docs/benchmarks.md,
# "The container's start"). Each round, alternating: `podman create` (not counted: with the vfs storage CI uses,
# it copies the whole image), then `podman start` to the first classified photo through the published port; and
# bin/prepare-start.sh's start.sh on this machine, with the image's Java (JDK 25+ under /usr/lib/jvm) and the
# image's memory options, to the first classified photo. Prints each figure and the ratio of the medians.
#
#   bench/container-start.sh [IMAGE]        # default localhost/mlpages:it, as ContainerImageIT builds it
#   ROUNDS=5 bench/container-start.sh
# Needs podman, curl and a packaged jar (mvn -DskipTests package). Only 127.0.0.1 is contacted.
set -euo pipefail
cd "$(dirname "$0")/.."
image=${1:-localhost/mlpages:it}
rounds=${ROUNDS:-3}
port=${PORT:-18090}
photo=src/test/resources/photos/nasser0111_cat.jpg
out=target/bench
mkdir -p "$out"

options=$(podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$image" \
  | sed -n 's/^JAVA_TOOL_OPTIONS=//p')
jdk=
for home in /usr/lib/jvm/*/; do
  grep -qE '^JAVA_VERSION="(2[5-9]|[3-9][0-9])' "$home/release" 2>/dev/null && jdk=${home%/}
done
[ -n "$jdk" ] || { echo "no JDK 25 or later under /usr/lib/jvm" >&2; exit 1; }
jars=(target/mlpages-*.jar)
jar=${jars[0]}
echo "preparing the start outside the container with $jdk and JAVA_TOOL_OPTIONS=$options"
JAVA_TOOL_OPTIONS=$options JAVA_HOME=$jdk MLPAGES_CACHE_DIR=target/test-cache \
  bin/prepare-start.sh "$jar" "$out/prepared-container-baseline" > /dev/null

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
first_photo() {
  for _ in $(seq 1 2400); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -F image=@$photo "127.0.0.1:$port/api/v1/models/cats_vs_dogs/predictions" \
      || true)" = 200 ] && return 0
    sleep 0.05
  done
  return 1
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

container=() host=()
for round in $(seq 1 "$rounds"); do
  name=mlpages-bench-$$-$round
  podman create --name "$name" --publish "127.0.0.1:$port:8080" "$image" > /dev/null
  start=$(now)
  podman start "$name" > /dev/null
  first_photo || { podman logs "$name" | tail -20; podman rm -f -v "$name"; exit 1; }
  container+=("$(since "$start")")
  podman rm -f -v "$name" > /dev/null

  work=$(mktemp -d)
  start=$(now)
  JAVA_TOOL_OPTIONS=$options MALLOC_ARENA_MAX=2 "$out/prepared-container-baseline/start.sh" --server.port="$port" \
    --server.address=127.0.0.1 --mlpages.cache-dir=target/test-cache --mlpages.uploads-dir="$work/uploads" \
    --spring.datasource.url="jdbc:sqlite:$work/db.sqlite" > "$out/container-baseline.log" 2>&1 &
  pid=$!
  first_photo || { tail -20 "$out/container-baseline.log"; kill "$pid"; exit 1; }
  host+=("$(since "$start")")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$work"
  echo "round $round: container ${container[-1]} s, same start outside ${host[-1]} s (load $(cut -d' ' -f1 /proc/loadavg))"
done
c=$(printf '%s\n' "${container[@]}" | median)
h=$(printf '%s\n' "${host[@]}" | median)
echo "median: podman start to the first classified photo $c s; outside a container $h s; ratio $(awk -v c="$c" -v h="$h" 'BEGIN { printf "%.2f", c / h }')"
