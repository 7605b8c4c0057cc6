#!/usr/bin/env bash
# Where the model looked (issue 20): how long a map takes to compute by each method (class activation, occlusion),
# one after the other for fresh answers, and what computing maps back to back does to single photos' latency (alone,
# then with maps of each method being made), in one run. The packaged jar with the systemd unit's Java options; the
# cat/dog model the app ships first (it has both maps).
#
#   bench/explanation-time.sh                 # 20 maps a method; 3 rounds of 10 s a side for the latency
#   MAPS=10 ROUNDS=1 bench/explanation-time.sh
#   BENCH_SKIP_BUILD=1                        # reuse target/*.jar
# Needs wrk, curl and python3. Writes target/bench/explanation-time.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=bench/common.sh
. bench/common.sh

MAPS=${MAPS:-20}
ROUNDS=${ROUNDS:-3}
SECS=${SECS:-10}
CONNS=${CONNS:-2}
MODEL=${MODEL:-cats_vs_dogs}
PORT=${PORT:-18405}
JAR=$ROOT/target/mlpages-0.1.0-SNAPSHOT.jar
OUT=${OUT:-$(mktemp -d /tmp/mlpages-explanation.XXXXXX)}
REPORT_DIR=${REPORT_DIR:-$ROOT/target/bench}
export TF_CPP_MIN_LOG_LEVEL=1

for tool in wrk curl python3; do
  command -v $tool >/dev/null || { echo "explanation-time: $tool is needed" >&2; exit 1; }
done
[ "${BENCH_SKIP_BUILD:-0}" = 1 ] || mvn -B -q -DskipTests package
mkdir -p "$REPORT_DIR" "$OUT"
# as a server runs it: the systemd unit's Java options
start_as_the_unit "$JAR" "$OUT" "$PORT"

# $1 maps by method $2 for fresh answers of the test photos, one after the other; prints each map's own millis
maps() {
  python3 - "$PORT" "$MODEL" "$1" "$2" <<'PY'
import http.client, json, os, sys, uuid
port, model, count, method = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
src = "src/test/resources/photos"
names = sorted(n for n in os.listdir(src) if n.endswith(".jpg"))
conn = http.client.HTTPConnection("127.0.0.1", port)
for i in range(count):
    name = names[i % len(names)]
    b = uuid.uuid4().hex
    body = (f"--{b}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"{name}\"\r\n"
            f"Content-Type: image/jpeg\r\n\r\n").encode() + open(os.path.join(src, name), "rb").read() \
           + f"\r\n--{b}--\r\n".encode()
    conn.request("POST", f"/api/v1/models/{model}/predictions", body, {"Content-Type": f"multipart/form-data; boundary={b}"})
    r = conn.getresponse(); answer = json.loads(r.read())
    conn.request("GET", answer["explanation"] + "&method=" + method, headers={"Accept": "application/json"})
    r = conn.getresponse(); explanation = json.loads(r.read())
    assert r.status == 200 and explanation["method"] == method, (r.status, explanation)
    print(explanation["millis"])
PY
}
singles() { wrk -t1 -c"$CONNS" -d"$1s" --timeout 30s -s bench/photo-post.lua \
  "http://127.0.0.1:$PORT/api/v1/models/$MODEL/predictions" | grep '^RESULT'; }
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
photo_body "$OUT/body.multipart"

METHODS="class-activation occlusion"
rss() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$APP/status"; }
# what the class activation maps' second graph of the model costs: the process's RSS before and after the first
maps 3 occlusion >/dev/null
rss_before=$(rss)
first_map=$(maps 1 class-activation)
rss_after=$(rss)
echo "RSS $rss_before MB, then $rss_after MB after the first class activation map ($first_map ms, graph built)"
echo "warm-up: 5 maps a method and 10 s of single photos"
for method in $METHODS; do maps 5 "$method" >/dev/null; done
singles 10 >/dev/null
declare -A times p50 p99 rps made
for method in $METHODS; do
  times[$method]=$(maps "$MAPS" "$method" | tr '\n' ' ')
  echo "$MAPS maps by $method, ms each: ${times[$method]}"
done

for side in alone $METHODS; do p50[$side]=""; p99[$side]=""; rps[$side]=""; made[$side]=0; done
record() {
  [ "$(field "$2" bad)" = 0 ] || { echo "refused answers: $2" >&2; exit 1; }
  p50[$1]+=" $(field "$2" p50)"; p99[$1]+=" $(field "$2" p99)"
  rps[$1]+=" $(awk -v n="$(field "$2" ok)" -v s="$(field "$2" seconds)" 'BEGIN { printf "%.1f", n / s }')"
}
for round in $(seq 1 "$ROUNDS"); do
  line=$(singles "$SECS")
  echo "round $round, singles alone: $line"
  record alone "$line"
  for method in $METHODS; do
    rm -f "$OUT/stop"
    ( n=0; while [ ! -e "$OUT/stop" ]; do maps 1 "$method" >/dev/null; n=$((n + 1)); done; echo "$n" > "$OUT/made" ) &
    MAKER=$!
    line=$(singles "$SECS")
    touch "$OUT/stop"; wait "$MAKER"
    made[$method]=$(( made[$method] + $(cat "$OUT/made") ))
    echo "round $round, singles while $method maps are made back to back: $line"
    record "$method" "$line"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
{
  echo "### Where the model looked: a map's time by each method, and single photos while maps are made"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD)," \
    "the unit's JAVA_OPTS, model $MODEL; command: \`MAPS=$MAPS ROUNDS=$ROUNDS SECS=$SECS bench/explanation-time.sh\`"
  echo
  echo "The first class activation map built the second graph of the model: $first_map ms; the process's RSS went from" \
    "$rss_before MB to $rss_after MB."
  echo
  echo "| method, $MAPS fresh answers one after the other | median ms | max ms |"
  echo "|---|---:|---:|"
  for method in $METHODS; do
    echo "| $method | $(echo "${times[$method]}" | median) | $(echo "${times[$method]}" | tr ' ' '\n' | sort -g | tail -1) |"
  done
  echo
  echo "| single photos at $CONNS connections | photos/s (median) | p50 ms (median) | p99 ms (median) | against alone: p50, p99, photos/s |"
  echo "|---|---:|---:|---:|---|"
  echo "| alone | $(echo "${rps[alone]}" | median) | $(echo "${p50[alone]}" | median) | $(echo "${p99[alone]}" | median) | |"
  for method in $METHODS; do
    echo "| while $method maps are made back to back (${made[$method]} maps in all) | $(echo "${rps[$method]}" | median)" \
      "| $(echo "${p50[$method]}" | median) | $(echo "${p99[$method]}" | median)" \
      "| $(ratio "$(echo "${p50[$method]}" | median)" "$(echo "${p50[alone]}" | median)")x," \
      "$(ratio "$(echo "${p99[$method]}" | median)" "$(echo "${p99[alone]}" | median)")x," \
      "$(ratio "$(echo "${rps[$method]}" | median)" "$(echo "${rps[alone]}" | median)")x |"
  done
} | tee "$REPORT_DIR/explanation-time.md"
