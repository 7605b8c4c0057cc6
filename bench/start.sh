#!/usr/bin/env bash
# Time to the first served prediction, for each way the app starts, side by side in one run (issue 16's start goal:
# under 3 s by default, in the container and from the systemd unit). Each round, alternating:
#   fat jar     java $JAVA_OPTS -jar target/mlpages-*.jar, with the unit's JAVA_OPTS and Java 17 (the build's JDK)
#   unit, 17    the unit's ExecStart (bin/run-prepared.sh) and Environment, with the machine's /usr/bin/java (17)
#   unit, 25    the same with the JDK 25+ under /usr/lib/jvm (what the image runs; a server with Java 25)
#   container   `podman start` of the image (IMAGE, default localhost/mlpages:it as ContainerImageIT builds it),
#               published port; skipped, and said so, when podman or the image is missing
# Each start gets a fresh database and uploads folder; the natives and converted models are in the cache already
# (as on a server's second start), and the prepared starts were prepared before the first round (the time of that
# preparation, a release's first start, is printed once). The clock runs from the command's start to the first
# photo answered 200 (curl every 50 ms); the process's CPU seconds at that moment are printed beside it.
#
#   bench/start.sh                  # 3 rounds
#   ROUNDS=1 bench/start.sh         # quick
# Needs curl and a packaged jar (mvn -DskipTests package). Writes target/bench/start.md. Only 127.0.0.1 is contacted.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
source bench/common.sh
repo=$PWD
rounds=${ROUNDS:-3}
port=${PORT:-18095}
image=${IMAGE:-localhost/mlpages:it}
photo=src/test/resources/photos/nasser0111_cat.jpg
out=target/bench
mkdir -p "$out"
jars=(target/mlpages-*.jar)
jar=$(realpath "${jars[0]}")
[ -f "$jar" ] || { echo "no packaged jar: mvn -DskipTests package" >&2; exit 2; }
java_opts=$(unit_java_opts)
export_unit_environment
jdk17=/usr/lib/jvm/java-17-openjdk-amd64
jdk25=
for home in /usr/lib/jvm/*/; do
  grep -qE '^JAVA_VERSION="(2[5-9]|[3-9][0-9])' "$home/release" 2>/dev/null && jdk25=${home%/}
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# the app's working directory, as a server's /var/lib/mlpages: the shipped models, the cache already filled
mkdir -p "$work/app/data"
ln -s "$PWD/models" "$work/app/models"
ln -s "$PWD/target/test-cache" "$work/app/data/cache"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
cpu_of() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$1/stat" 2>/dev/null || echo "?"; }
# the JVM under a launcher (run-prepared.sh and start.sh exec into it, so it keeps the pid)
first_photo() {
  local pid=$1
  for _ in $(seq 1 2400); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -F image=@$photo \
      "127.0.0.1:$port/api/v1/models/cats_vs_dogs/predictions" || true)" = 200 ] && return 0
    [ -z "$pid" ] || kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# one start of the app from its working directory; prints "seconds cpu"
start_app() {
  local label=$1 start pid result
  shift
  rm -rf "$work/app/db.sqlite" "$work/app/uploads"
  start=$(now)
  (cd "$work/app" && exec env JAVA_OPTS="$java_opts" "$@" \
    --server.port="$port" --server.address=127.0.0.1 --spring.datasource.url="jdbc:sqlite:$work/app/db.sqlite" \
    --mlpages.uploads-dir="$work/app/uploads") > "$out/start-$label.log" 2>&1 &
  pid=$!
  if first_photo "$pid"; then
    result="$(since "$start") $(cpu_of "$pid")"
  else
    tail -20 "$out/start-$label.log" >&2
    result="failed ?"
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "$result"
}

declare -A how=([fat-jar]="java -jar, Java 17, the unit's JAVA_OPTS")
variants=(fat-jar)
how[unit-17]="the unit's ExecStart (bin/run-prepared.sh), /usr/bin/java (Java 17: AppCDS)"
variants+=(unit-17)
if [ -n "$jdk25" ]; then
  how[unit-25]="the unit's ExecStart with $(basename "$jdk25") (Java 25: AOT cache)"
  variants+=(unit-25)
fi
container=0
# podman as this sandbox allows it and where ContainerImageIT built the image, as .ci/run sets it
export CONTAINERS_CONF="${CONTAINERS_CONF:-$PWD/deploy/container/podman.conf}"
export CONTAINERS_STORAGE_CONF="${CONTAINERS_STORAGE_CONF:-$PWD/deploy/container/storage.conf}"
if command -v podman > /dev/null && podman image exists "$image" 2>/dev/null; then
  container=1
  how[container]="podman start $image (prepared at build, Java 25)"
  variants+=(container)
fi

# the preparation a release's first start does, once per JVM (not part of the rounds)
declare -A prepared=()
for variant in unit-17 unit-25; do
  [ -n "${how[$variant]:-}" ] || continue
  home=$jdk17
  [ "$variant" = unit-17 ] || home=$jdk25
  rm -rf "$work/app/data/start-$variant"
  start=$(now)
  (cd "$work/app" && JAVA_HOME=$home JAVA_OPTS="$java_opts" MLPAGES_START_DIR="data/start-$variant" \
    "$repo/bin/run-prepared.sh" --prepare-only "$jar") > "$out/start-prepare-$variant.log" 2>&1 \
    || { tail -20 "$out/start-prepare-$variant.log" >&2; exit 1; }
  prepared[$variant]=$(since "$start")
  echo "$variant: prepared in ${prepared[$variant]} s (a release's first start)"
done

declare -A seconds=() cpus=()
name=mlpages-bench-start-$$
for round in $(seq 1 "$rounds"); do
  for variant in "${variants[@]}"; do
    case $variant in
      fat-jar)
        # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
        result=$(start_app "$variant" "$jdk17/bin/java" $java_opts -jar "$jar") ;;
      unit-17)
        result=$(start_app "$variant" env JAVA_HOME="$jdk17" MLPAGES_START_DIR="data/start-$variant" \
          "$repo/bin/run-prepared.sh" "$jar") ;;
      unit-25)
        result=$(start_app "$variant" env JAVA_HOME="$jdk25" MLPAGES_START_DIR="data/start-$variant" \
          "$repo/bin/run-prepared.sh" "$jar") ;;
      container)
        podman create --name "$name" --publish "127.0.0.1:$port:8080" "$image" > /dev/null
        start=$(now)
        podman start "$name" > /dev/null
        if first_photo ""; then
          result="$(since "$start") ?"
        else
          podman logs "$name" | tail -20 >&2
          result="failed ?"
        fi
        podman rm -f -v "$name" > /dev/null ;;
    esac
    seconds[$variant]+="${result% *} "
    cpus[$variant]+="${result#* } "
    echo "round $round: $variant ${result% *} s (CPU ${result#* } s), load $(cut -d' ' -f1 /proc/loadavg)"
  done
done

{
  echo "| start | how | rounds, s to the first served prediction | median s | process CPU s at that moment | first start of a release (preparing) s |"
  echo "|---|---|---|---:|---|---:|"
  for variant in "${variants[@]}"; do
    # shellcheck disable=SC2086 # the lists are words
    m=$(printf '%s\n' ${seconds[$variant]} | grep -v failed | median)
    echo "| $variant | ${how[$variant]} | ${seconds[$variant]% } | ${m:-failed} | ${cpus[$variant]% } | ${prepared[$variant]:-} |"
  done
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores ($(sed -n 's/^model name\t: //p' /proc/cpuinfo | head -1)), load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD), JAVA_OPTS=$java_opts"
  [ "$container" = 1 ] || echo "The container was not measured: podman or the image $image is missing (ContainerImageIT builds it)."
} > "$out/start.md"
cat "$out/start.md"

# the summary row bench/small-server.sh puts in docs/benchmarks.md: the unit (with the newest Java here) and the
# container by default, the fat jar beside them
med() {
  # shellcheck disable=SC2086 # the lists are words
  printf '%s\n' ${seconds[$1]:-} | grep -v failed | median
}
unit_variant="unit-17"
[ -z "${how[unit-25]:-}" ] || unit_variant="unit-25"
verdict=met
for variant in "$unit_variant" container; do
  [ -n "${how[$variant]:-}" ] || { verdict="not measured: $variant"; continue; }
  awk -v m="$(med "$variant")" 'BEGIN { exit !(m != "" && m < 3) }' || verdict=missed
done
measured="unit ($unit_variant) $(med "$unit_variant") s, container $(med container || true) s, unit on Java 17 $(med unit-17) s,"
measured+=" fat jar $(med fat-jar) s (medians of $rounds)"
echo "| Start | < 3 s to the first served prediction, from the unit and in the container | $measured | $verdict |" \
  > "$out/start.verdict"
