#!/usr/bin/env bash
# Issue 16, native memory against photo cost: the jar started once per setting (alternating, A B B A ...), both
# image models under 32 wrk clients each posting one photo to the API; after a warm-up, the server's own CPU time
# per photo served (utime + stime from /proc, which other processes on a shared machine hardly change) and, after
# the load, TensorFlow's pool (glibc's blocks mmap'd apart: TensorFlow's CPU allocator takes its memory in regions
# that double and never go back) and the arenas, from jcmd System.native_heap_info (Java 25).
#
#   bench/batch-size-memory.sh "ARGS A" "ARGS B" ...   app arguments per setting, e.g. "" "--mlpages.image.batching.max-size=4"
#   bench/batch-size-memory.sh "" "ONEDNN_PRIMITIVE_CACHE_CAPACITY=16"   a setting not starting with "--" is the
#                                                      environment of that setting's process (NAME=VALUE ...)
#   bench/batch-size-memory.sh "JAR=/tmp/a.jar CACHE=/tmp/cache-a" "JAR=/tmp/b.jar CACHE=/tmp/cache-b"   two builds,
#                                                      each with its own jar and conversion cache
#
# Environment: ROUNDS (2: each setting twice, the order reversed every other round); WARMUP (20 s); SECONDS_MEASURED
# (20 s); CLIENTS (32 per model); PORT (18310); JAVA_HOME_25 (/usr/lib/jvm/temurin-25-jdk-amd64). Needs the jar
# (mvn -DskipTests package), wrk, curl. Only 127.0.0.1 is contacted.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
source bench/common.sh
[ $# -ge 1 ] || { echo "usage: $0 \"ARGS A\" [\"ARGS B\" ...]" >&2; exit 2; }
rounds=${ROUNDS:-2}
warmup=${WARMUP:-20}
measured=${SECONDS_MEASURED:-20}
clients=${CLIENTS:-32}
port=${PORT:-18310}
java_home=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
jars=(target/mlpages-*.jar)
jar=${jars[0]}
out=target/bench/batch-size-memory
mkdir -p "$out"
read -r -a opts <<< "$(unit_java_opts)"
export_unit_environment
photo=src/test/resources/photos/cdf_validation_dog.2005.jpg
boundary=----mlpagesbatchsize
body=$out/photo.body
{
  printf -- '--%s\r\nContent-Disposition: form-data; name="image"; filename="dog.jpg"\r\nContent-Type: image/jpeg\r\n\r\n' "$boundary"
  cat "$photo"
  printf -- '\r\n--%s--\r\n' "$boundary"
} > "$body"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

run() {
  local args=$1 label=$2 dir=$out/$2 pid
  rm -rf "$dir"; mkdir -p "$dir"
  local environment=() app_args=$args
  if [[ -n "$args" && "$args" != --* ]]; then read -r -a environment <<< "$args"; app_args=; fi
  # JAR=... and CACHE=... in a setting's environment: that setting's own jar and conversion cache (two builds)
  local jar=$jar cache=target/test-cache e
  for e in ${environment[@]+"${environment[@]}"}; do
    case $e in JAR=*) jar=${e#JAR=} ;; CACHE=*) cache=${e#CACHE=} ;; esac
  done
  # shellcheck disable=SC2086 # app_args is a list of arguments
  env ${environment[@]+"${environment[@]}"} "$java_home/bin/java" "${opts[@]}" -jar "$jar" --server.port="$port" \
    --server.address=127.0.0.1 --mlpages.data-dir="$dir/data" --mlpages.uploads-dir="$dir/uploads" \
    --mlpages.cache-dir="$cache" --spring.datasource.url="jdbc:sqlite:$dir/mlpages.db" $app_args \
    > "$dir/app.log" 2>&1 &
  pid=$!
  for _ in $(seq 300); do
    [ "$(curl -sf "http://127.0.0.1:$port/actuator/health/model-states" | grep -o '"status":"READY"' | wc -l)" -ge 3 ] && break
    kill -0 "$pid" 2> /dev/null || { tail -20 "$dir/app.log" >&2; exit 1; }
    sleep 1
  done
  load() {
    local seconds=$1 model wrks=()
    for model in cat_dog_model cats_vs_dogs; do
      BODY_FILE=$body BOUNDARY=$boundary wrk -t1 -c"$clients" -d"${seconds}s" --timeout 30s -s bench/photo-post.lua \
        "http://127.0.0.1:$port/api/v1/models/$model/predictions" > "$dir/wrk-$model-$seconds.txt" 2>&1 &
      wrks+=($!)
    done
    wait "${wrks[@]}"
  }
  load "$warmup"
  local before photos=0 n
  before=$(cpu_ticks "$pid")
  load "$measured"
  local after
  after=$(cpu_ticks "$pid")
  for f in "$dir"/wrk-*-"$measured".txt; do
    n=$(sed -n 's/^RESULT.* ok=\([0-9]*\).*/\1/p' "$f"); photos=$((photos + ${n:-0}))
  done
  "$java_home/bin/jcmd" "$pid" System.native_heap_info > "$dir/malloc_info.xml" 2>/dev/null || true
  local rss
  rss=$(awk '$1 == "VmRSS:" { print int($2 / 1024) }' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2> /dev/null || true
  python3 - "$dir/malloc_info.xml" "$label" "${args:-as shipped}" "$photos" "$measured" "$((after - before))" "$rss" <<'PY'
import re, sys
path, label, args, photos, seconds, ticks, rss = sys.argv[1:]
text = open(path).read()
tail = text[text.rfind("</heap>"):]
def get(kind, name):
    m = re.search(r'<%s type="%s"[^>]* size="(\d+)"' % (kind, name), tail)
    return int(m.group(1)) >> 20 if m else -1
photos, ticks = int(photos), int(ticks)
print(f"| {label} | {args} | {photos / int(seconds):.1f} | {ticks * 10 / max(photos, 1):.2f} | {get('total', 'mmap')} | "
      f"{get('system', 'current')} ({get('total', 'fast') + get('total', 'rest')} free) | {rss} |")
PY
}

echo "| run | app arguments | photos/s | server CPU ms per photo | mmap'd apart MB (TensorFlow's pool) | arenas MB | RSS MB |"
echo "|---|---|---:|---:|---:|---:|---:|"
alternate "$rounds" run "$@"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
