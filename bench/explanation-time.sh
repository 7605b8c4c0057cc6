#!/usr/bin/env bash
# Where the model looked (issue 20): how long an occlusion map takes to compute, one after the other for fresh
# answers, and what computing maps back to back does to single photos' latency (alone, then with maps being made),
# in one run. The packaged jar with the systemd unit's Java options; the cat/dog model the app ships first.
#
#   bench/explanation-time.sh                 # 20 maps; 3 rounds of 10 s a side for the latency
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

# $1 maps for fresh answers of the test photos, one after the other; prints each map's own millis
maps() {
  python3 - "$PORT" "$MODEL" "$1" <<'PY'
import http.client, json, os, sys, uuid
port, model, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
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
    conn.request("GET", answer["explanation"], headers={"Accept": "application/json"})
    r = conn.getresponse(); explanation = json.loads(r.read())
    assert r.status == 200, r.status
    print(explanation["millis"])
PY
}
singles() { wrk -t1 -c"$CONNS" -d"$1s" --timeout 30s -s bench/photo-post.lua \
  "http://127.0.0.1:$PORT/api/v1/models/$MODEL/predictions" | grep '^RESULT'; }
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
photo_body "$OUT/body.multipart"

echo "warm-up: 5 maps and 10 s of single photos"
maps 5 >/dev/null; singles 10 >/dev/null
times=$(maps "$MAPS" | tr '\n' ' ')
echo "$MAPS maps, ms each: $times"

declare -A p50 p99 rps
for side in alone maps; do p50[$side]=""; p99[$side]=""; rps[$side]=""; done
made=0
for round in $(seq 1 "$ROUNDS"); do
  line=$(singles "$SECS")
  echo "round $round, singles alone: $line"
  p50[alone]+=" $(field "$line" p50)"; p99[alone]+=" $(field "$line" p99)"
  rps[alone]+=" $(awk -v n="$(field "$line" ok)" -v s="$(field "$line" seconds)" 'BEGIN { printf "%.1f", n / s }')"
  rm -f "$OUT/stop"
  ( n=0; while [ ! -e "$OUT/stop" ]; do maps 1 >/dev/null; n=$((n + 1)); done; echo "$n" > "$OUT/made" ) &
  MAKER=$!
  line=$(singles "$SECS")
  touch "$OUT/stop"; wait "$MAKER"
  made=$(( made + $(cat "$OUT/made") ))
  echo "round $round, singles while maps are made back to back: $line"
  [ "$(field "$line" bad)" = 0 ] || { echo "refused answers: $line" >&2; exit 1; }
  p50[maps]+=" $(field "$line" p50)"; p99[maps]+=" $(field "$line" p99)"
  rps[maps]+=" $(awk -v n="$(field "$line" ok)" -v s="$(field "$line" seconds)" 'BEGIN { printf "%.1f", n / s }')"
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
{
  echo "### Where the model looked: a map's time, and single photos while maps are made"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD)," \
    "the unit's JAVA_OPTS, model $MODEL; command: \`MAPS=$MAPS ROUNDS=$ROUNDS SECS=$SECS bench/explanation-time.sh\`"
  echo
  echo "An occlusion map (8 x 8 cells, 50 forward passes in batches of 16, on one predictor), for $MAPS fresh answers one" \
    "after the other: median $(echo "$times" | median) ms, max $(echo "$times" | tr ' ' '\n' | sort -g | tail -1) ms."
  echo
  echo "| single photos at $CONNS connections | photos/s (median) | p50 ms (median) | p99 ms (median) |"
  echo "|---|---:|---:|---:|"
  echo "| alone | $(echo "${rps[alone]}" | median) | $(echo "${p50[alone]}" | median) | $(echo "${p99[alone]}" | median) |"
  echo "| while maps are made back to back ($made maps in all) | $(echo "${rps[maps]}" | median) | $(echo "${p50[maps]}" | median) | $(echo "${p99[maps]}" | median) |"
  echo
  echo "With maps / alone: p50 $(ratio "$(echo "${p50[maps]}" | median)" "$(echo "${p50[alone]}" | median)")x," \
    "p99 $(ratio "$(echo "${p99[maps]}" | median)" "$(echo "${p99[alone]}" | median)")x," \
    "photos/s $(ratio "$(echo "${rps[maps]}" | median)" "$(echo "${rps[alone]}" | median)")x."
} | tee "$REPORT_DIR/explanation-time.md"
