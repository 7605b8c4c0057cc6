#!/usr/bin/env bash
# Photos of the size people send (a 1200x1800 JPEG, 2.2 megapixels, 286 KB: src/test/resources/photos/
# nasser0111_cat.jpg) under 64 clients, for Java option sets side by side in one run: photos/s, CPU per photo, full
# collections and the highest RSS. bench/photos-under-load.sh measures batching with a small validation photo
# (cdf_validation_dog.2005.jpg, 500x375); with a phone-sized photo decoding and the heap decide, not the model.
#
#   bench/real-photos.sh                           # the shipped options (the unit's) against the earlier 160 MB heap
#   bench/real-photos.sh "g1=-XX:+UseG1GC"         # LABEL=options: the unit's options with these added (a GC named
#                                                  # here replaces the unit's -XX:+UseSerialGC), one variant per word
#   bench/real-photos.sh "before=jar:/tmp/old.jar"  # LABEL=jar:PATH: another build with the unit's options
#   ROUNDS=2 SECS=30 WARMUP=60 bench/real-photos.sh
#   PHOTO=src/test/resources/photos/cdf_validation_dog.2005.jpg bench/real-photos.sh ...   # another photo
#
# Each variant: the jar prepared as the unit prepares it (bin/prepare-start.sh with the options, Java 25's AOT cache
# when there is a Java 25), started with a fresh database, WARMUP s of load, then SECS s measured; the variants
# alternate ROUNDS times. Needs wrk and a packaged jar (mvn -DskipTests package). Writes target/bench/real-photos.md.
# Only 127.0.0.1 is contacted.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
source bench/common.sh
repo=$PWD
rounds=${ROUNDS:-1}
secs=${SECS:-30}
warmup=${WARMUP:-60}
clients=${CLIENTS:-64}
port=${PORT:-18640}
photo=${PHOTO:-src/test/resources/photos/nasser0111_cat.jpg}
model=${MODEL:-cat_dog_model}
out=target/bench
mkdir -p "$out"
command -v wrk > /dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 2; }
jars=(target/mlpages-*.jar)
jar=$(realpath "${jars[0]}")
[ -f "$jar" ] || { echo "no packaged jar: mvn -DskipTests package" >&2; exit 2; }
unit_opts=$(unit_java_opts)
export_unit_environment
java_home=
for home in /usr/lib/jvm/*/; do
  grep -qE '^JAVA_VERSION="(2[5-9]|[3-9][0-9])' "$home/release" 2>/dev/null && java_home=${home%/}
done
[ -n "$java_home" ] || java_home=$(dirname "$(dirname "$(realpath "$(command -v java)")")")

declare -A opts=([shipped]="$unit_opts") jar_of=()
labels=(shipped)
if [ $# -eq 0 ]; then
  opts[heap-160]=$(printf '%s' "$unit_opts" | sed 's/-Xmx192m/-Xmx160m/')
  [ "${opts[heap-160]}" != "$unit_opts" ] || { echo "the unit's heap options changed: name the variants" >&2; exit 2; }
  labels+=(heap-160)
fi
for variant in "$@"; do
  label=${variant%%=*}
  extra=${variant#*=}
  if [[ "$extra" == jar:* ]]; then
    jar_of[$label]=$(realpath "${extra#jar:}")
    opts[$label]=$unit_opts
  elif [[ "$extra" =~ -XX:\+Use[A-Za-z0-9]+GC ]]; then
    opts[$label]="${unit_opts/-XX:+UseSerialGC/} $extra"
  else
    opts[$label]="$unit_opts $extra"
  fi
  labels+=("$label")
done

work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/app/data"
ln -s "$repo/models" "$work/app/models"
# TensorFlow's natives, extracted once for the tests and for every variant (made here on a clone without a test run)
mkdir -p "$repo/target/test-cache"
ln -s "$repo/target/test-cache" "$work/app/data/cache"
boundary=----mlpagesbenchreal
{
  printf -- '--%s\r\nContent-Disposition: form-data; name="image"; filename="cat.jpg"\r\nContent-Type: image/jpeg\r\n\r\n' "$boundary"
  cat "$photo"
  printf -- '\r\n--%s--\r\n' "$boundary"
} > "$work/body.multipart"
url="http://127.0.0.1:$port/api/v1/models/$model/predictions"
load() { # seconds
  BODY_FILE="$work/body.multipart" BOUNDARY=$boundary wrk -t2 -c"$clients" -d"${1}s" --timeout 30s \
    -s bench/photo-post.lua "$url"
}

for label in "${labels[@]}"; do
  echo "preparing $label: ${opts[$label]}"
  (cd "$work/app" && JAVA_HOME=$java_home JAVA_OPTS="${opts[$label]}" MLPAGES_CACHE_DIR="$work/app/data/cache" \
    "$repo/bin/prepare-start.sh" "${jar_of[$label]:-$jar}" "$work/start-$label") > "$work/prepare-$label.log" 2>&1 \
    || { tail -20 "$work/prepare-$label.log" >&2; exit 1; }
done

declare -A rows=() rate=() cost=()
for round in $(seq 1 "$rounds"); do
  for label in "${labels[@]}"; do
    rm -rf "$work/app/db.sqlite"* "$work/app/uploads" "$work/gc-$label.log"
    (cd "$work/app" && exec env JAVA_OPTS="${opts[$label]} -Xlog:gc:file=$work/gc-$label.log" "$work/start-$label/start.sh" \
      --server.port="$port" --server.address=127.0.0.1 --spring.datasource.url="jdbc:sqlite:$work/app/db.sqlite" \
      --mlpages.uploads-dir="$work/app/uploads") > "$out/real-photos-$label.log" 2>&1 &
    pid=$!
    # healthy once every model has loaded or failed to
    wait_healthy "$pid" "$port" "$out/real-photos-$label.log" || exit 1
    # a model that did not load answers 404 at once: thousands of "photos" a second that were never classified
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Content-Type: multipart/form-data; boundary=$boundary" \
      --data-binary @"$work/body.multipart" "$url" || true)
    [ "$code" = 200 ] || { grep -E 'ERROR|WARN' "$out/real-photos-$label.log" | tail -5 >&2
      echo "$label: a photo got $code, not 200 (see $out/real-photos-$label.log)" >&2; exit 1; }
    load "$warmup" > /dev/null
    full0=$(grep -c "Pause Full" "$work/gc-$label.log" || true)
    cpu0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    result=$(load "$secs" | grep '^RESULT')
    cpu1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    full1=$(grep -c "Pause Full" "$work/gc-$label.log" || true)
    hwm=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
    kill "$pid"
    wait "$pid" 2> /dev/null || true
    pid=
    field() { grep -o "$1=[0-9.]*" <<< "$result" | cut -d= -f2; }
    n=$(field requests)
    bad=$(field bad)
    p50=$(field p50)
    # clock ticks are 1/100 s
    row=$(awk -v n="$n" -v s="$secs" -v c=$((cpu1 - cpu0)) -v f=$((full1 - full0)) -v h="$hwm" -v p="$p50" -v b="$bad" \
      'BEGIN { printf "%.1f | %.1f | %d | %.0f | %d | %s", n / s, (n ? c * 10 / n : 0), f, p, b, h }')
    rows[$label]+="| $round | $label | $row |"$'\n'
    rate[$label]+="$(cut -d'|' -f1 <<< "$row") "
    cost[$label]+="$(cut -d'|' -f2 <<< "$row") "
    echo "round $round: $label: photos/s | CPU ms/photo | full GCs | p50 ms | non-200 | VmHWM MB = $row"
  done
done

{
  echo "| round | options | photos/s | CPU ms per photo | full collections in ${secs} s | p50 ms | non-200 | highest RSS MB |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|"
  for label in "${labels[@]}"; do printf '%s' "${rows[$label]}"; done
  echo
  for label in "${labels[@]}"; do echo "- $label: \`${opts[$label]}\`${jar_of[$label]:+ (the jar ${jar_of[$label]})}"; done
  echo
  # the means over the rounds, each variant against the shipped options measured in the same run
  mean() { awk '{ s = 0; for (i = 1; i <= NF; i++) s += $i; print (NF ? s / NF : 0) }' <<< "$1"; }
  for label in "${labels[@]:1}"; do
    awk -v l="$label" -v r="$(mean "${rate[$label]}")" -v r0="$(mean "${rate[shipped]}")" \
      -v c="$(mean "${cost[$label]}")" -v c0="$(mean "${cost[shipped]}")" \
      'BEGIN { printf "- %s against shipped: photos/s x%.2f, CPU per photo x%.2f\n", l, (r0 ? r / r0 : 0), (c0 ? c / c0 : 0) }'
  done
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores ($(sed -n 's/^model name\t: //p' /proc/cpuinfo | head -1)), load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD), $clients clients, $(basename "$photo") to $model, $(basename "$java_home"), warm-up ${warmup} s"
} > "$out/real-photos.md"
cat "$out/real-photos.md"
