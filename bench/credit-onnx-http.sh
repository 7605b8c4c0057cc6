#!/usr/bin/env bash
# The credit decision over HTTP (issue 18): the credit API (Tribuo's weights) against the same model exported to
# ONNX and served as a tabular model (CreditAsTabular: credit_onnx.onnx and its descriptor), in one app, every row
# logged to SQLite before the answer is sent, with the same body, threads and connections, in alternating wrk rounds
# after a warm-up of both. Prints req/s, p50 and p99 per side and the ratio, and checks that every 2xx answer is a
# logged row. The app runs from its working folder under OUT, so its database and cache are its own.
#
#   bench/credit-onnx-http.sh                     # 3 rounds of 15 s at 16 connections, 30 s warm-up
#   ROUNDS=1 SECS=10 WARMUP=20 bench/credit-onnx-http.sh
#   BENCH_SKIP_BUILD=1                            # reuse target/*.jar and target/test-classes
# Needs wrk and sqlite3 (apt-get install -y wrk sqlite3). Writes target/bench/credit-onnx-http.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

ROUNDS=${ROUNDS:-3}
SECS=${SECS:-15}
WARMUP=${WARMUP:-30}
CONNS=${CONNS:-16}
THREADS=${THREADS:-2}
PORT=${PORT:-18402}
JAR=$ROOT/target/mlpages-0.1.0-SNAPSHOT.jar
OUT=${OUT:-$(mktemp -d /tmp/mlpages-credit-onnx.XXXXXX)}
REPORT_DIR=${REPORT_DIR:-$ROOT/target/bench}
LUA=$ROOT/bench/credit/post-credit.lua
export TF_CPP_MIN_LOG_LEVEL=1

command -v wrk >/dev/null || { echo "credit-onnx-http: wrk is needed (apt-get install -y wrk)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "credit-onnx-http: sqlite3 is needed" >&2; exit 1; }
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -DskipTests package
  mvn -B -q -DskipTests test-compile
fi
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null

mkdir -p "$OUT/models" "$REPORT_DIR"
cp models/* "$OUT/models/"
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" org.mlpages.bench.CreditAsTabular \
  "$OUT/models" >/dev/null

(cd "$OUT" && exec java -jar "$JAR" --server.port="$PORT" >"$OUT/app.log" 2>&1) &
APP=$!
trap 'kill $APP 2>/dev/null || true; wait $APP 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/actuator/health" >/dev/null 2>&1 && break
  sleep 1
done
grep -q "Tabular model credit_onnx ready" "$OUT/app.log" || { tail -20 "$OUT/app.log" >&2; exit 1; }

url() { echo "http://127.0.0.1:$PORT/api/v1/models/$1/predictions"; }
run() { # model seconds -> the RESULT line of post-credit.lua
  wrk -t"$THREADS" -c"$CONNS" -d"$2s" -s "$LUA" "$(url "$1")" | grep '^RESULT'
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

echo "warm-up: ${WARMUP} s on each"
run credit "$WARMUP" >/dev/null
run credit_onnx "$WARMUP" >/dev/null

declare -A rps p50 p99 ok
for side in credit credit_onnx; do rps[$side]=0; p50[$side]=""; p99[$side]=""; ok[$side]=0; done
before_credit=$(sqlite3 "$OUT/data/mlpages.db" "select count(*) from prediction where model_name = 'credit'")
before_onnx=$(sqlite3 "$OUT/data/mlpages.db" "select count(*) from prediction where model_name = 'credit_onnx'")
for round in $(seq 1 "$ROUNDS"); do
  for side in credit credit_onnx; do
    line=$(run "$side" "$SECS")
    echo "round $round $side: $line"
    rps[$side]=$(awk -v a="${rps[$side]}" -v b="$(field "$line" rps)" 'BEGIN { print a + b }')
    p50[$side]="${p50[$side]} $(field "$line" p50)"
    p99[$side]="${p99[$side]} $(field "$line" p99)"
    ok[$side]=$(( ${ok[$side]} + $(field "$line" ok2xx) ))
    [ "$(field "$line" non2xx)" = 0 ] || { echo "non-2xx answers: $line" >&2; exit 1; }
  done
done
sleep 2
logged_credit=$(( $(sqlite3 "$OUT/data/mlpages.db" "select count(*) from prediction where model_name = 'credit'") - before_credit ))
logged_onnx=$(( $(sqlite3 "$OUT/data/mlpages.db" "select count(*) from prediction where model_name = 'credit_onnx'") - before_onnx ))
# at least a row per answer: a request wrk sent as its time ran out is answered and logged, and not counted by wrk
[ "$logged_credit" -ge "${ok[credit]}" ] || { echo "credit: ${ok[credit]} answers, $logged_credit rows" >&2; exit 1; }
[ "$logged_onnx" -ge "${ok[credit_onnx]}" ] \
  || { echo "credit_onnx: ${ok[credit_onnx]} answers, $logged_onnx rows" >&2; exit 1; }

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
mean_credit=$(awk -v s="${rps[credit]}" -v n="$ROUNDS" 'BEGIN { printf "%.0f", s / n }')
mean_onnx=$(awk -v s="${rps[credit_onnx]}" -v n="$ROUNDS" 'BEGIN { printf "%.0f", s / n }')
{
  echo "### The credit decision over HTTP: Tribuo's weights against ONNX Runtime, every row logged"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $ROUNDS rounds of $SECS s" \
    "per side at $CONNS connections ($THREADS wrk threads on the same machine), after $WARMUP s of warm-up each;" \
    "$(( ok[credit] + ok[credit_onnx] )) answers, $(( logged_credit + logged_onnx )) logged rows"
  echo
  echo "| API | req/s (mean of rounds) | p50 ms (median) | p99 ms (median) |"
  echo "|---|---|---|---|"
  echo "| /api/v1/models/credit (Tribuo) | $mean_credit | $(echo "${p50[credit]}" | median) | $(echo "${p99[credit]}" | median) |"
  echo "| /api/v1/models/credit_onnx (ONNX Runtime) | $mean_onnx | $(echo "${p50[credit_onnx]}" | median) | $(echo "${p99[credit_onnx]}" | median) |"
  echo
  echo "ONNX / Tribuo req/s: $(awk -v a="$mean_onnx" -v b="$mean_credit" 'BEGIN { printf "%.2f", a / b }')"
} | tee "$REPORT_DIR/credit-onnx-http.md"
