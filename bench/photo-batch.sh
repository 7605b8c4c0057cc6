#!/usr/bin/env bash
# Photos many at once (issue 20): the same 200 photos classified as one batch (a zip to the API, scored through the
# model's batch inference) and as 200 single predictions (one client after the other, and 8 clients at once, which
# the micro-batching groups), side by side in each round; then single photos' latency alone and while batches of
# photos run. The packaged jar with the systemd unit's Java options; the cat/dog model the app ships first.
#
#   bench/photo-batch.sh                       # 3 rounds; 10 s a side for the latency
#   ROUNDS=1 SECS=5 bench/photo-batch.sh
#   BENCH_SKIP_BUILD=1                         # reuse target/*.jar
# Needs wrk, curl, sqlite3 and python3. Writes target/bench/photo-batch.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=bench/common.sh
. bench/common.sh

ROUNDS=${ROUNDS:-3}
SECS=${SECS:-10}
CONNS=${CONNS:-2}
MODEL=${MODEL:-cats_vs_dogs}
PORT=${PORT:-18404}
JAR=$ROOT/target/mlpages-0.1.0-SNAPSHOT.jar
OUT=${OUT:-$(mktemp -d /tmp/mlpages-photo-batch.XXXXXX)}
REPORT_DIR=${REPORT_DIR:-$ROOT/target/bench}
export TF_CPP_MIN_LOG_LEVEL=1

for tool in wrk curl sqlite3 python3; do
  command -v $tool >/dev/null || { echo "photo-batch: $tool is needed" >&2; exit 1; }
done
[ "${BENCH_SKIP_BUILD:-0}" = 1 ] || mvn -B -q -DskipTests package
mkdir -p "$REPORT_DIR" "$OUT/photos"

# the same 200 photos for both: the test photos over and over, each under its own name
python3 - "$OUT" <<'PY'
import os, sys, zipfile
out = sys.argv[1]
src = "src/test/resources/photos"
names = sorted(n for n in os.listdir(src) if n.endswith(".jpg"))
with zipfile.ZipFile(os.path.join(out, "photos.zip"), "w") as z:
    for i in range(200):
        name = f"{i:03d}-{names[i % len(names)]}"
        data = open(os.path.join(src, names[i % len(names)]), "rb").read()
        open(os.path.join(out, "photos", name), "wb").write(data)
        z.writestr(name, data)
PY

# as a server runs it: the systemd unit's Java options
start_as_the_unit "$JAR" "$OUT" "$PORT"

DB=$OUT/data/mlpages.db
api() { echo "http://127.0.0.1:$PORT$1"; }
unfinished() { sqlite3 "$DB" "select count(*) from batch where state in ('QUEUED','RUNNING')"; }
batch_rows() { sqlite3 "$DB" "select count(*) from prediction where batch_id is not null"; }
submit() { curl -fsS -X POST -H 'Content-Type: application/zip' --data-binary @"$OUT/photos.zip" \
  "$(api "/api/v1/models/$MODEL/batches")" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
# photos/s of one batch of the 200, from the upload to the end
batch_rate() {
  local start id
  start=$(date +%s.%N)
  id=$(submit)
  while [ "$(sqlite3 "$DB" "select state from batch where id = '$id'")" != DONE ]; do sleep 0.05; done
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", 200 / (e - s) }'
}
# photos/s of the 200 as single predictions, from $1 clients (keep-alive, as a script looping over a folder would)
singles_rate() {
  python3 - "$OUT/photos" "$PORT" "$MODEL" "$1" <<'PY'
import http.client, os, sys, time, uuid
from concurrent.futures import ThreadPoolExecutor
folder, port, model, clients = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
names = sorted(os.listdir(folder))
def send(chunk):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    for name in chunk:
        b = uuid.uuid4().hex
        body = (f"--{b}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"{name}\"\r\n"
                f"Content-Type: image/jpeg\r\n\r\n").encode() + open(os.path.join(folder, name), "rb").read() \
               + f"\r\n--{b}--\r\n".encode()
        conn.request("POST", f"/api/v1/models/{model}/predictions", body,
                     {"Content-Type": f"multipart/form-data; boundary={b}"})
        r = conn.getresponse(); r.read()
        assert r.status == 200, r.status
start = time.time()
with ThreadPoolExecutor(clients) as pool:
    list(pool.map(send, [names[i::clients] for i in range(clients)]))
print(f"{len(names) / (time.time() - start):.1f}")
PY
}
singles_wrk() { wrk -t1 -c"$CONNS" -d"$1s" --timeout 30s -s bench/photo-post.lua \
  "$(api "/api/v1/models/$MODEL/predictions")" | grep '^RESULT'; }
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
feed() { # a new batch whenever none waits, until $OUT/stop exists
  while [ ! -e "$OUT/stop" ]; do
    if [ "$(unfinished)" -lt 1 ]; then submit >/dev/null; else sleep 0.05; fi
  done
}
photo_body "$OUT/body.multipart"

echo "warm-up: a batch, the singles from one client and from 8"
batch_rate >/dev/null; singles_rate 1 >/dev/null; singles_rate 8 >/dev/null

declare -A rate
for side in batch one eight; do rate[$side]=""; done
for round in $(seq 1 "$ROUNDS"); do
  b=$(batch_rate); o=$(singles_rate 1); e=$(singles_rate 8)
  echo "round $round: a batch of 200 $b photos/s; singles from one client $o photos/s, from 8 clients $e photos/s"
  rate[batch]+=" $b"; rate[one]+=" $o"; rate[eight]+=" $e"
done

declare -A p50 p99 rps
for side in alone batch; do p50[$side]=""; p99[$side]=""; rps[$side]=""; done
during=""
for round in $(seq 1 "$ROUNDS"); do
  line=$(singles_wrk "$SECS")
  echo "round $round, singles alone: $line"
  p50[alone]+=" $(field "$line" p50)"; p99[alone]+=" $(field "$line" p99)"
  rps[alone]+=" $(awk -v n="$(field "$line" ok)" -v s="$(field "$line" seconds)" 'BEGIN { printf "%.1f", n / s }')"
  rm -f "$OUT/stop"
  feed &
  FEEDER=$!
  until [ "$(unfinished)" -ge 1 ]; do sleep 0.05; done
  before=$(batch_rows); start=$(date +%s.%N)
  line=$(singles_wrk "$SECS")
  meanwhile=$(awk -v n="$(( $(batch_rows) - before ))" -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", n / (e - s) }')
  touch "$OUT/stop"; wait "$FEEDER"
  echo "round $round, singles with batches running ($meanwhile batch photos/s meanwhile): $line"
  [ "$(field "$line" bad)" = 0 ] || { echo "refused answers: $line" >&2; exit 1; }
  p50[batch]+=" $(field "$line" p50)"; p99[batch]+=" $(field "$line" p99)"
  rps[batch]+=" $(awk -v n="$(field "$line" ok)" -v s="$(field "$line" seconds)" 'BEGIN { printf "%.1f", n / s }')"
  during+=" $meanwhile"
  while [ "$(unfinished)" != 0 ]; do sleep 0.1; done
done
# every photo of every batch has its row, once
rows=$(sqlite3 "$DB" "select count(*) from prediction where batch_id is not null")
distinct=$(sqlite3 "$DB" "select count(distinct batch_id || '/' || batch_row) from prediction where batch_id is not null")
expected=$(( $(sqlite3 "$DB" "select count(*) from batch") * 200 ))
if [ "$rows" != "$expected" ] || [ "$distinct" != "$expected" ]; then
  echo "$rows batch rows ($distinct distinct), $expected expected" >&2; exit 1
fi

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
{
  echo "### Photos many at once: a batch against single predictions"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD)," \
    "the unit's JAVA_OPTS, model $MODEL; the same 200 photos (the test photos, 8-38 KB JPEG); $ROUNDS rounds;" \
    "$rows batch rows, each once; command: \`ROUNDS=$ROUNDS SECS=$SECS bench/photo-batch.sh\`"
  echo
  echo "| the 200 photos | photos/s (median) | against the batch |"
  echo "|---|---:|---:|"
  b=$(echo "${rate[batch]}" | median); o=$(echo "${rate[one]}" | median); e=$(echo "${rate[eight]}" | median)
  echo "| one batch (a zip to the API, until done) | $b | 1.00x |"
  echo "| single predictions, one client after the other | $o | $(ratio "$o" "$b")x |"
  echo "| single predictions, 8 clients at once (micro-batched) | $e | $(ratio "$e" "$b")x |"
  echo
  echo "| single photos at $CONNS connections | photos/s (median) | p50 ms (median) | p99 ms (median) | batch photos/s meanwhile |"
  echo "|---|---:|---:|---:|---:|"
  echo "| alone | $(echo "${rps[alone]}" | median) | $(echo "${p50[alone]}" | median) | $(echo "${p99[alone]}" | median) | |"
  echo "| with batches of 200 photos running | $(echo "${rps[batch]}" | median) | $(echo "${p50[batch]}" | median) | $(echo "${p99[batch]}" | median) | $(echo "$during" | median) |"
  echo
  echo "With batches / alone: p50 $(ratio "$(echo "${p50[batch]}" | median)" "$(echo "${p50[alone]}" | median)")x," \
    "p99 $(ratio "$(echo "${p99[batch]}" | median)" "$(echo "${p99[alone]}" | median)")x," \
    "photos/s $(ratio "$(echo "${rps[batch]}" | median)" "$(echo "${rps[alone]}" | median)")x."
} | tee "$REPORT_DIR/photo-batch.md"
