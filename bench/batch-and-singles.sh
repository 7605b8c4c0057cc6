#!/usr/bin/env bash
# Single credit decisions while a batch runs (issue 20): the credit API's latency and throughput alone and with
# batches of 10,000 applications being scored at the same time, in alternating rounds of one run, with the systemd
# unit's Java options (the batch thread's lowest priority is a nice level only under its -XX:ThreadPriorityPolicy=1);
# and the batch's rows per second alone and under the single decisions. Every 2xx answer is checked against the log.
#
#   bench/batch-and-singles.sh                      # 3 rounds of 15 s a side at 4 connections, 20 s of warm-up
#   ROUNDS=1 SECS=10 CONNS=8 bench/batch-and-singles.sh
#   BENCH_SKIP_BUILD=1                              # reuse target/*.jar
# Needs wrk, curl, sqlite3 and python3. Writes target/bench/batch-and-singles.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=bench/common.sh
. bench/common.sh

ROUNDS=${ROUNDS:-3}
SECS=${SECS:-15}
WARMUP=${WARMUP:-20}
CONNS=${CONNS:-4}
PORT=${PORT:-18403}
JAR=$ROOT/target/mlpages-0.1.0-SNAPSHOT.jar
OUT=${OUT:-$(mktemp -d /tmp/mlpages-batch-singles.XXXXXX)}
REPORT_DIR=${REPORT_DIR:-$ROOT/target/bench}
LUA=$ROOT/bench/credit/post-credit.lua
export TF_CPP_MIN_LOG_LEVEL=1

for tool in wrk curl sqlite3 python3; do
  command -v $tool >/dev/null || { echo "batch-and-singles: $tool is needed" >&2; exit 1; }
done
[ "${BENCH_SKIP_BUILD:-0}" = 1 ] || mvn -B -q -DskipTests package
mkdir -p "$REPORT_DIR" "$OUT"

# as a server runs it: the systemd unit's Java options
start_as_the_unit "$JAR" "$OUT" "$PORT"

python3 - "$OUT/cases.csv" <<'PY'
import sys
header = ("checking_status,duration,credit_history,purpose,credit_amount,savings_status,employment,"
          "installment_commitment,personal_status,other_parties,residence_since,property_magnitude,age,"
          "other_payment_plans,housing,existing_credits,job,num_dependents,own_telephone,foreign_worker")
with open(sys.argv[1], "w") as f:
    f.write(header + "\n")
    for i in range(1, 10001):
        f.write(f"<0,{6 + i % 40},critical/other existing credit,radio/tv,{1000 + 3 * i % 9000},no known savings,"
                f">=7,4,male single,none,4,real estate,{20 + i % 50},none,own,2,skilled,1,yes,yes\n")
PY

DB=$OUT/data/mlpages.db
api() { echo "http://127.0.0.1:$PORT$1"; }
singles() { wrk -t2 -c"$CONNS" -d"$1s" -s "$LUA" "$(api /api/v1/models/credit/predictions)" | grep '^RESULT'; }
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
submit() { curl -fsS -X POST -H 'Content-Type: text/csv' --data-binary @"$OUT/cases.csv" \
  "$(api /api/v1/models/credit/batches)" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
batch_rows() { sqlite3 "$DB" "select count(*) from prediction where batch_id is not null"; }
unfinished() { sqlite3 "$DB" "select count(*) from batch where state in ('QUEUED','RUNNING')"; }
wait_batches() { while [ "$(unfinished)" != 0 ]; do sleep 0.2; done; }
feed() { # sends a batch whenever fewer than two are unfinished, until $OUT/stop exists
  while [ ! -e "$OUT/stop" ]; do
    if [ "$(unfinished)" -lt 2 ]; then submit >/dev/null; else sleep 0.1; fi
  done
}

echo "warm-up: $WARMUP s of single decisions, then a batch of 10,000 alone"
singles "$WARMUP" >/dev/null
start=$(date +%s.%N); before=$(batch_rows)
submit >/dev/null; wait_batches
alone_rate=$(awk -v n="$(( $(batch_rows) - before ))" -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", n / (e - s) }')
echo "a batch alone: $alone_rate rows/s"

declare -A p50 p99 rps
for side in alone batch; do p50[$side]=""; p99[$side]=""; rps[$side]=""; done
ok=0; during=""
before_single=$(sqlite3 "$DB" "select count(*) from prediction where batch_id is null and model_name = 'credit'")
for round in $(seq 1 "$ROUNDS"); do
  line=$(singles "$SECS")
  echo "round $round, alone: $line"
  p50[alone]+=" $(field "$line" p50)"; p99[alone]+=" $(field "$line" p99)"; rps[alone]+=" $(field "$line" rps)"
  ok=$(( ok + $(field "$line" ok2xx) ))
  # batches kept coming for the whole round: a new one whenever fewer than two wait
  rm -f "$OUT/stop"
  feed &
  FEEDER=$!
  until [ "$(unfinished)" -ge 2 ]; do sleep 0.1; done
  before=$(batch_rows); start=$(date +%s.%N)
  line=$(singles "$SECS")
  rate=$(awk -v n="$(( $(batch_rows) - before ))" -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", n / (e - s) }')
  [ "$(unfinished)" != 0 ] || { echo "the batches ended before the round" >&2; exit 1; }
  touch "$OUT/stop"
  wait "$FEEDER"
  echo "round $round, with batches running ($rate rows/s meanwhile): $line"
  p50[batch]+=" $(field "$line" p50)"; p99[batch]+=" $(field "$line" p99)"; rps[batch]+=" $(field "$line" rps)"
  during+=" $rate"
  ok=$(( ok + $(field "$line" ok2xx) ))
  [ "$(field "$line" non2xx)" = 0 ] || { echo "non-2xx answers: $line" >&2; exit 1; }
  wait_batches
done
sleep 1
logged=$(( $(sqlite3 "$DB" "select count(*) from prediction where batch_id is null and model_name = 'credit'") - before_single ))
[ "$logged" -ge "$ok" ] || { echo "$ok single answers, $logged rows" >&2; exit 1; }

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
{
  echo "### Single credit decisions while a batch runs"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD)," \
    "the unit's JAVA_OPTS; $ROUNDS rounds of $SECS s a side at $CONNS connections (wrk on the same machine);" \
    "$ok single answers, $logged logged rows; command: \`ROUNDS=$ROUNDS SECS=$SECS CONNS=$CONNS bench/batch-and-singles.sh\`"
  echo
  echo "| single decisions | req/s (median) | p50 ms (median) | p99 ms (median) | batch rows/s meanwhile |"
  echo "|---|---:|---:|---:|---:|"
  echo "| alone | $(echo "${rps[alone]}" | median) | $(echo "${p50[alone]}" | median) | $(echo "${p99[alone]}" | median) | |"
  echo "| with batches of 10,000 running | $(echo "${rps[batch]}" | median) | $(echo "${p50[batch]}" | median) | $(echo "${p99[batch]}" | median) | $(echo "$during" | median) |"
  echo
  echo "With a batch / alone: p50 $(ratio "$(echo "${p50[batch]}" | median)" "$(echo "${p50[alone]}" | median)")x," \
    "p99 $(ratio "$(echo "${p99[batch]}" | median)" "$(echo "${p99[alone]}" | median)")x," \
    "req/s $(ratio "$(echo "${rps[batch]}" | median)" "$(echo "${rps[alone]}" | median)")x." \
    "A batch alone: $alone_rate rows/s; under the single decisions: $(echo "$during" | median) rows/s."
} | tee "$REPORT_DIR/batch-and-singles.md"
