#!/usr/bin/env bash
# Resident memory of the service under the reliability issue's mixed load (issue 19), and where it goes (issue 16).
# Starts the packaged jar the way the container image does (bin/prepare-start.sh on Java 25, the Java options in
# JAVA_TOOL_OPTIONS while the start cache is recorded and at every start) with every shipped model loaded, then
# runs the load three times, each at 64 and then 200 concurrent clients: photos of varied sizes and formats to both
# image models' API and pages, credit decisions by API and form, page views in French and English by new visitors,
# the admin reading the history. Samples RSS during each load (its peak) and after it, so that a growth run over
# run shows; then breaks the memory down: the mappings from /proc/PID/smaps (TensorFlow's libraries, the AOT cache,
# the malloc heap, ...), Native Memory Tracking's summary, glibc's malloc statistics (Java 25's
# System.native_heap_info) and the threads. Writes the tables to target/bench/memory/LABEL.md.
#
#   bench/memory.sh LABEL                     the shipped settings: the systemd unit's JAVA_OPTS and MALLOC_*
#   bench/memory.sh LABEL [java options...]   those options instead, MALLOC_* as in the caller's environment
#   MEMORY_QUICK=1 bench/memory.sh shipped    10 s per load instead of 60 s (the top-level bench command's mode)
#
# Environment: MEMORY_QUICK=1; MEMORY_DURATION (seconds per load, default 60, quick 10); MEMORY_RUNS (3);
# MEMORY_CLIENTS ("64 200"); MEMORY_TRIM=1 to call malloc_trim once after the runs (jcmd System.trim_native_heap) and
# say how much RSS it gave back; MEMORY_START=prepared (default) or jar (java -jar, the fat jar; the java of
# JAVA_HOME or the PATH, Java 17 here); MEMORY_JAVA_HOME (prepared: default /usr/lib/jvm/temurin-25-jdk-amd64 if
# present, else JAVA_HOME); MEMORY_NMT=0 to run without Native Memory Tracking (it costs about 3 MB, reported as
# its own line); MEMORY_JAR (another jar than target/mlpages-*.jar); MEMORY_APP_ARGS (more arguments for the app, e.g. --server.tomcat.threads.max=50); MEMORY_PRELOAD (a library
# the app's process preloads, e.g. another malloc: /usr/lib/x86_64-linux-gnu/libjemalloc.so.2, with MALLOC_CONF); PORT (18281).
# Needs a packaged jar (mvn -DskipTests package), wrk, curl, python3. Only 127.0.0.1 is contacted.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
source bench/common.sh
[ $# -ge 1 ] || { echo "usage: $0 LABEL [java options...]" >&2; exit 2; }
label=$1; shift
if [ $# -eq 0 ]; then
  # the unit's settings, as systemd would give them
  read -r -a opts <<< "$(unit_java_opts)"
  export_unit_environment
else
  opts=("$@")
fi
quick=${MEMORY_QUICK:-0}
if [ "$quick" = 1 ]; then duration=${MEMORY_DURATION:-10}; else duration=${MEMORY_DURATION:-60}; fi
runs=${MEMORY_RUNS:-3}
read -r -a clients <<< "${MEMORY_CLIENTS:-64 200}"
mode=${MEMORY_START:-prepared}
port=${PORT:-18281}
base=http://127.0.0.1:$port
out=target/bench/memory
dir=$out/$label
report=$out/$label.md
rm -rf "$dir"; mkdir -p "$dir/requests"
read -r -a app_args <<< "${MEMORY_APP_ARGS:-}"
admin_password=memory-bench-admin
jars=(target/mlpages-*.jar)
[ -z "${MEMORY_JAR:-}" ] || jars=("$MEMORY_JAR")
[ -f "${jars[0]}" ] || { echo "no jar in target/: mvn -DskipTests package" >&2; exit 2; }

# --- the photos and bodies of the load (built once per run, in $dir) ---
media=$out/photos
if [ ! -f "$media/web-640x480.png" ]; then
  java bench/memory/Photos.java src/test/resources/photos/nasser0111_cat.jpg "$media"
fi
photos=(src/test/resources/photos/*.jpg "$media"/*)
python3 - "$dir/bodies" "${photos[@]}" <<'PY'
import json, os, sys
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
types = {".jpg": "image/jpeg", ".png": "image/png", ".gif": "image/gif", ".bmp": "image/bmp"}
boundary = b"----mlpagesmemory5c2e"
for i, path in enumerate(sys.argv[2:]):
    name = os.path.basename(path)
    data = open(path, "rb").read()
    kind = types[os.path.splitext(name)[1]].encode()
    body = (b"--" + boundary + b'\r\nContent-Disposition: form-data; name="image"; filename="' + name.encode()
            + b'"\r\nContent-Type: ' + kind + b"\r\n\r\n" + data + b"\r\n--" + boundary + b"--\r\n")
    open(os.path.join(out, f"photo-{i}.body"), "wb").write(body)
# applicants: the credit model's example varied over amount, duration and age
base = {"checking_status": "no checking", "duration": 12, "credit_history": "existing paid", "purpose": "radio/tv",
        "credit_amount": 1800, "savings_status": "100<=X<500", "employment": "4<=X<7", "installment_commitment": 2,
        "personal_status": "male single", "other_parties": "none", "residence_since": 3,
        "property_magnitude": "life insurance", "age": 38, "other_payment_plans": "none", "housing": "own",
        "existing_credits": 1, "job": "skilled", "num_dependents": 1, "own_telephone": "yes", "foreign_worker": "yes"}
for i in range(12):
    applicant = dict(base, credit_amount=500 + 1400 * i, duration=6 + 4 * i, age=20 + 4 * i,
                     checking_status=["no checking", "<0", "0<=X<200", ">=200"][i % 4])
    open(os.path.join(out, f"credit-{i}.json"), "w").write(json.dumps(applicant))
    form = "&".join(f"{k}={v}" for k, v in applicant.items()).replace(" ", "+").replace("<", "%3C").replace(">", "%3E")
    open(os.path.join(out, f"credit-{i}.form"), "w").write(form)
PY

# --- the service ---
nmt=()
[ "${MEMORY_NMT:-1}" = 0 ] || nmt=(-XX:NativeMemoryTracking=summary)
common_args=(--server.port="$port" --server.address=127.0.0.1 --mlpages.data-dir="$dir/data"
  --mlpages.uploads-dir="$dir/uploads" --mlpages.cache-dir=target/test-cache
  --spring.datasource.url="jdbc:sqlite:$dir/mlpages.db?journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000&foreign_keys=true"
  --mlpages.admin.password="$admin_password")
if [ "$mode" = prepared ]; then
  java_home=${MEMORY_JAVA_HOME:-}
  if [ -z "$java_home" ]; then
    if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then java_home=/usr/lib/jvm/temurin-25-jdk-amd64
    else java_home=${JAVA_HOME:?set MEMORY_JAVA_HOME or JAVA_HOME to a JDK}; fi
  fi
  # recorded with the options it runs with, as the image does (its JAVA_TOOL_OPTIONS are set before the recording)
  JAVA_HOME=$java_home JAVA_TOOL_OPTIONS="${opts[*]}" MLPAGES_CACHE_DIR=target/test-cache \
    bin/prepare-start.sh "${jars[0]}" "$dir/start" > "$dir/prepare.log" 2>&1 \
    || { cat "$dir/prepare.log" >&2; exit 1; }
  jcmd=$java_home/bin/jcmd
  env TF_CPP_MIN_LOG_LEVEL=1 JAVA_TOOL_OPTIONS="${opts[*]} ${nmt[*]}" ${MEMORY_PRELOAD:+LD_PRELOAD=$MEMORY_PRELOAD} \
    "$dir/start/start.sh" "${common_args[@]}" "${app_args[@]}" > "$dir/app.log" 2>&1 &
else
  java=$(command -v "${JAVA_HOME:+$JAVA_HOME/bin/}java")
  jcmd=$(dirname "$(realpath "$java")")/jcmd
  env TF_CPP_MIN_LOG_LEVEL=1 ${MEMORY_PRELOAD:+LD_PRELOAD=$MEMORY_PRELOAD} "$java" "${opts[@]}" "${nmt[@]}" -jar "${jars[0]}" "${common_args[@]}" "${app_args[@]}" \
    > "$dir/app.log" 2>&1 &
fi
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 300); do
  states=$(curl -sf "$base/actuator/health/model-states" || true)
  [ "$(grep -o '"status":"READY"' <<< "$states" | wc -l)" -ge 3 ] && break
  kill -0 "$pid" 2>/dev/null || { tail -20 "$dir/app.log" >&2; exit 1; }
  sleep 1
done
grep -q '"credit":{"status":"READY"' <<< "$states" || { echo "the models did not load; see $dir/app.log" >&2; exit 1; }
java_version=$("$jcmd" "$pid" VM.version 2>/dev/null | sed -n 's/^JDK \([0-9.]*\)$/\1/p')
mb() { awk -v k="$1" '$1 == k":" { print int($2 / 1024) }' "/proc/$pid/status"; }
heap_used() {
  # used heap after a full collection would hide garbage the load leaves; this is the heap as the load left it
  "$jcmd" "$pid" GC.heap_info 2>/dev/null | awk '
    /Metaspace/ { exit }
    { for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); total += v } }
    END { printf "%d", total / 1024 }'
}
sessions() {
  curl -s -u "admin:$admin_password" "$base/actuator/prometheus" \
    | awk '/^tomcat_sessions_active_current_sessions/ { printf "%d", $2 }'
}
sleep 2
after_start=$(mb VmRSS)

# --- the sessions: a visitor's (its token sends the upload and credit forms) and the admin's ---
jar_file=$dir/visitor.cookies
page=$(curl -s -c "$jar_file" "$base/credit?lang=fr")
token=$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' <<< "$page" | head -1)
visitor="JSESSIONID=$(awk '$6 == "JSESSIONID" { print $7 }' "$jar_file")"
admin_file=$dir/admin.cookies
login=$(curl -s -c "$admin_file" "$base/login")
login_token=$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' <<< "$login" | head -1)
curl -s -b "$admin_file" -c "$admin_file" -o /dev/null --data-urlencode username=admin \
  --data-urlencode "password=$admin_password" --data-urlencode "_csrf=$login_token" "$base/login"
admin="JSESSIONID=$(awk '$6 == "JSESSIONID" { print $7 }' "$admin_file")"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $admin" "$base/history")" = 200 ] \
  || { echo "the admin could not sign in; see $dir/app.log" >&2; exit 1; }

# --- the requests of each kind, one per line (bench/memory/mixed.lua) ---
req=$dir/requests
multipart="multipart/form-data;boundary=----mlpagesmemory5c2e"
for body in "$dir"/bodies/photo-*.body; do
  for model in cats_vs_dogs cat_dog_model; do
    echo "POST /api/v1/models/$model/predictions $body $multipart" >> "$req/photo-api"
    echo "POST /image/$model?_csrf=$token $body $multipart" >> "$req/photo-page"
  done
done
for body in "$dir"/bodies/credit-*.json; do
  echo "POST /api/v1/models/credit/predictions $body application/json" >> "$req/credit-api"
done
for body in "$dir"/bodies/credit-*.form; do
  printf '%s\n' "POST /credit?_csrf=$token $body application/x-www-form-urlencoded" >> "$req/credit-page"
done
for lang in fr en; do
  for path in / /about /demo /image/cats_vs_dogs /image/cat_dog_model /credit; do
    echo "GET $path?lang=$lang - -" >> "$req/pages"
  done
done
echo "GET /api/v1/models - -" >> "$req/pages"
for path in /history "/history?page=2" "/history?lang=en" "/history?model=credit"; do
  echo "GET $path - -" >> "$req/history"
done

# Runs every kind at once for $duration s, $1 clients shared out as people use the app (the photo API most, one admin), then
# waits 3 s for the requests still queued in the server; RSS is sampled every 0.2 s meanwhile. Prints the peak RSS;
# the RESULT lines go to $2.
load() {
  local total=$1 results=$2 kind n assigned=0 wrk_pids=() sampler
  : > "$results"
  echo 0 > "$dir/peak"
  (
    peak=0
    while [ ! -f "$dir/stop" ] && kill -0 "$pid" 2>/dev/null; do
      rss=$(mb VmRSS 2>/dev/null || echo 0); [ "${rss:-0}" -gt "$peak" ] && { peak=$rss; echo "$peak" > "$dir/peak"; }
      sleep 0.2
    done
  ) &
  sampler=$!
  for kind in photo-api:40 photo-page:10 credit-api:25 credit-page:5 history:1 pages:19; do
    n=$((total * ${kind#*:} / 100)); kind=${kind%:*}
    # one admin (two at 200 clients), however many visitors
    [ "$kind" = history ] && n=$((total / 100 > 0 ? total / 100 : 1))
    [ "$kind" = pages ] && n=$((total - assigned))
    assigned=$((assigned + n))
    local cookie=""
    case $kind in photo-page | credit-page) cookie=$visitor ;; history) cookie=$admin ;; esac
    KIND=$kind REQUESTS=$req/$kind COOKIE=$cookie wrk -t1 -c"$n" -d"${duration}s" --timeout 30s \
      -s bench/memory/mixed.lua "$base" 2>&1 | grep '^RESULT' >> "$results" &
    wrk_pids+=($!)
  done
  wait "${wrk_pids[@]}"
  sleep 3
  touch "$dir/stop"; wait "$sampler"; rm "$dir/stop"
  cat "$dir/peak"
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.1f", n / s }'; }

rows=()
throughput=()
for run in $(seq "$runs"); do
  for c in "${clients[@]}"; do
    results=$dir/run$run-c$c.txt
    peak=$(load "$c" "$results")
    if ! kill -0 "$pid" 2>/dev/null; then
      {
        echo "## $label: the service died in run $run at $c clients (RSS peak $peak MB before)"
        echo; grep -m1 -E 'OutOfMemoryError|Terminating|SIGKILL|fatal' "$dir/app.log" || tail -3 "$dir/app.log"
      } | tee "$report" >&2
      exit 1
    fi
    after=$(mb VmRSS)
    bad=0; all=0; photo_count=0; credit_count=0; secs=$duration
    while read -r line; do
      kind=$(field kind <<< "$line")
      s2=$(field s2xx <<< "$line"); s3=$(field s3xx <<< "$line")
      s4=$(field s4xx <<< "$line"); s503=$(field s503 <<< "$line"); s5=$(field s5xx <<< "$line")
      errs=$(field socket_errors <<< "$line"); secs=$(field seconds <<< "$line")
      all=$((all + s2 + s3 + s4 + s503 + s5)); bad=$((bad + s503 + s5 + errs))
      case $kind in
        photo-api) photo_count=$((photo_count + s2)) ;;
        photo-page) photo_count=$((photo_count + s3)) ;;
        credit-api) credit_count=$s2 ;;
      esac
      throughput+=("| $run | $c | $kind | $(field requests <<< "$line") | $s2 / $s3 / $s4 / $s503 / $s5 | $errs | $(field p50 <<< "$line") | $(field p99 <<< "$line") |")
    done < "$results"
    rows+=("| $run | $c | $peak | $after | $(heap_used) | $(sessions) | $(awk '$1 == "Threads:" { print $2 }' "/proc/$pid/status") | $all ($bad 5xx/errors) | $(rate "$photo_count" "$secs") | $(rate "$credit_count" "$secs") |")
    echo "run $run, $c clients: peak $peak MB, after $after MB, photos/s $(rate "$photo_count" "$secs"), credit/s $(rate "$credit_count" "$secs"), 5xx+errors $bad" >&2
  done
done
after_all=$(mb VmRSS)
hwm=$(mb VmHWM)

# --- where it goes ---
# the Java heap's reserved range, from the collector's own report, tells its mappings from the others
heap_range=$("$jcmd" "$pid" GC.heap_info 2>/dev/null | grep -o '\[0x[0-9a-f]*, 0x[0-9a-f]*\(, 0x[0-9a-f]*\)\?)' \
  | tr -d '[),' | awk '{ for (i = 1; i <= NF; i++) print $i }' | sort | sed -n '1p;$p' | tr '\n' ' ')
python3 - "$pid" "$heap_range" > "$dir/smaps.md" <<'PY'
import collections, os, sys
rss, anon = collections.Counter(), collections.Counter()
bounds = [int(x, 16) for x in sys.argv[2].split()]
group = None
def classify(path, start, end):
    if len(bounds) == 2 and start >= bounds[0] and end <= bounds[1]: return "the Java heap"
    name = os.path.basename(path)
    if "libtensorflow_cc" in name: return "libtensorflow_cc.so (TensorFlow's kernels)"
    if "libtensorflow_framework" in name or "libjnitensorflow" in name: return "libtensorflow_framework.so, JNI"
    if name.endswith((".aot", ".jsa")) or name == "classes.jsa": return "AOT cache / CDS archive"
    if name == "modules": return "the JDK's modules file"
    if name == "libjvm.so": return "libjvm.so"
    if name.endswith(".jar"): return "jars"
    if path == "[heap]": return "[heap]: malloc's main arena (brk)"
    if path.startswith("[stack"): return "[stack]"
    if path.startswith("/"): return "other files and libraries"
    return "other anonymous mappings (code cache, metaspace, stacks, malloc arenas, mmap'd allocations)"
for line in open(f"/proc/{sys.argv[1]}/smaps"):
    parts = line.split()
    if not parts[0].endswith(":"):
        start, end = (int(x, 16) for x in parts[0].split("-"))
        group = classify(parts[5] if len(parts) > 5 else "", start, end)
    elif parts[0] == "Rss:": rss[group] += int(parts[1])
    elif parts[0] == "Anonymous:": anon[group] += int(parts[1])
print("| mapping (smaps) | RSS MB | of which anonymous (private, written) MB |")
print("|---|---:|---:|")
for name, kb in rss.most_common():
    if kb >= 1024: print(f"| {name} | {kb // 1024} | {anon[name] // 1024} |")
roll = {l.split()[0].rstrip(":"): int(l.split()[1]) for l in open(f"/proc/{sys.argv[1]}/smaps_rollup") if l.split()[0].endswith(":")}
print(f"| **total** (smaps_rollup: Rss {roll['Rss'] // 1024}, Anonymous {roll['Anonymous'] // 1024}, "
      f"file-backed {(roll['Rss'] - roll['Anonymous']) // 1024}) | {roll['Rss'] // 1024} | {roll['Anonymous'] // 1024} |")
PY
{
  if [ "${MEMORY_NMT:-1}" != 0 ]; then
    echo "| Native Memory Tracking | committed MB |"
    echo "|---|---:|"
    "$jcmd" "$pid" VM.native_memory summary | awk '
      /^Total:/ { match($0, /committed=[0-9]+KB/); t = substr($0, RSTART + 10, RLENGTH - 12) }
      /^-/ { match($0, /committed=[0-9]+KB/); v = substr($0, RSTART + 10, RLENGTH - 12); sub(/^- */, ""); sub(/ *\(.*/, "")
             if (v >= 1024) printf "| %s | %d |\n", $0, v / 1024 }
      /^ *malloc: / && !m { m = $2; sub(/KB/, "", m) }
      END { printf "| **total the JVM knows of** | %d |\n| of which the JVM\x27s own malloc | %d |\n", t / 1024, m / 1024 }'
    echo
  fi
  # glibc's own view (Java 25 and later): every arena's memory, what is free in it, the large blocks mmap'd apart
  if "$jcmd" "$pid" System.native_heap_info > "$dir/malloc_info.xml" 2>/dev/null && grep -q '<malloc' "$dir/malloc_info.xml"; then
    python3 - "$dir/malloc_info.xml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
arenas = len(re.findall(r'<heap nr=', text))
tail = text[text.rfind("</heap>"):]
def get(kind, name):
    return int(re.search(r'<%s type="%s"[^>]* size="(\d+)"' % (kind, name), tail).group(1)) // (1 << 20)
print("| glibc malloc (malloc_info) | MB |")
print("|---|---:|")
print(f"| arenas | {arenas} |")
print(f"| in the arenas (system current) | {get('system', 'current')} |")
print(f"| of which free in the arenas (fast + rest) | {get('total', 'fast') + get('total', 'rest')} |")
print(f"| large blocks mmap'd apart | {get('total', 'mmap')} |")
PY
    echo
  fi
  echo "| threads by name | count |"
  echo "|---|---:|"
  for task in /proc/"$pid"/task/*; do cat "$task/comm"; done | sed 's/[-_ ]*[0-9]*$//' | sort | uniq -c | sort -rn \
    | awk '{ n = $1; $1 = ""; sub(/^ /, ""); printf "| %s | %d |\n", $0, n }'
} > "$dir/native.md"
# what glibc's malloc_trim(0) would give back now (MEMORY_TRIM=1; Java 25's jcmd): the free pages of the arenas
trimmed=""
if [ "${MEMORY_TRIM:-0}" = 1 ]; then
  "$jcmd" "$pid" System.trim_native_heap > "$dir/trim.txt" 2>&1 || true
  sleep 1
  trimmed="After the breakdown below was taken, \`System.trim_native_heap\` (malloc_trim): $(mb VmRSS) MB ($(tr '\n' ' ' < "$dir/trim.txt" | sed 's/^[0-9]*: *//'))."
fi

{
  echo "## $label ($(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "Start: $mode, Java ${java_version:-?}; options: \`${opts[*]}\`; MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-unset}," \
    "MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD_:-unset}; app arguments: ${app_args[*]:-none};" \
    "NMT ${nmt[*]:-off}; ${runs} runs of ${duration} s at ${clients[*]} clients."
  echo
  echo "RSS after the start (models loaded): **$after_start MB**; after the last run: **$after_all MB**;" \
    "highest ever (VmHWM): **$hwm MB**. $trimmed"
  echo
  echo "| run | clients | RSS peak MB | RSS after MB | heap used MB | sessions | threads | requests | photos/s | credit/s |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "| run | clients | kind | requests | 2xx / 3xx / 4xx / 503 / other 5xx | socket errors | p50 ms | p99 ms |"
  echo "|---|---:|---|---:|---|---:|---:|---:|"
  printf '%s\n' "${throughput[@]}"
  echo
  cat "$dir/smaps.md"
  echo
  cat "$dir/native.md"
} > "$report"
cat "$report"
echo "written to $report" >&2
# the summary row bench/small-server.sh puts in docs/benchmarks.md
goal=512
verdict=missed
[ "$hwm" -gt "$goal" ] || verdict=met
echo "| Memory | RSS <= $goal MB with every shipped model loaded, under the mixed load, the shipped settings |" \
  "highest RSS $hwm MB over $runs runs of ${duration} s at ${clients[*]} clients ($after_start MB after the start," \
  "$after_all MB after the last run) | $verdict |" > "$out/$label.verdict"
