#!/usr/bin/env bash
# One start timed by hand: runs the given command (a start.sh from bin/prepare-start.sh, or java ... -jar ...) with
# a fresh database and uploads folder, posts the shipped cat photo with curl every 50 ms until one answers 200,
# and prints the wall time since the command started and the CPU the process had used by then (TOP=N: also its
# N busiest threads). The app's log is in target/bench/first-prediction.log. StartupBenchmark is the recorded
# benchmark; this is the quick check it grew from, kept because some figures in docs/benchmarks.md were taken with it.
#
#   bench/first-prediction.sh target/bench/prepared-25/start.sh
#   READY_FIRST=1 bench/first-prediction.sh ...   the first visitor's photo: posted only once the app says it is
#                                                  healthy (every model loaded), two seconds later
#   JAVA_TOOL_OPTIONS=-XX:+UseSerialGC bench/first-prediction.sh target/bench/prepared-25/start.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
source bench/common.sh
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
PORT=${PORT:-18080}
LOG=target/bench/first-prediction.log
mkdir -p target/bench
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
start=$(date +%s.%N)
"$@" --server.port="$PORT" --server.address=127.0.0.1 --mlpages.uploads-dir="$work/uploads" \
  --spring.datasource.url="jdbc:sqlite:$work/db.sqlite" > "$LOG" 2>&1 &
pid=$!
if [ "${READY_FIRST:-0}" = 1 ]; then
  # /actuator/health is 503 until every model has loaded
  wait_healthy "$pid" "$PORT" "$LOG" || exit 1
  sleep 2
fi
for _ in $(seq 1 2400); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -F image=@src/test/resources/photos/nasser0111_cat.jpg \
    "127.0.0.1:$PORT/api/v1/models/cat_dog_model/predictions" || true)
  [ "$code" = 200 ] && break
  kill -0 "$pid" 2>/dev/null || { tail -20 "$LOG" >&2; echo "the app stopped" >&2; exit 1; }
  sleep 0.05
done
[ "$code" = 200 ] || { echo "no prediction within 2 minutes; see $LOG" >&2; exit 1; }
wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
# clock ticks are 1/100 s (USER_HZ)
echo "first prediction after $wall s, process CPU $(awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$pid/stat") s;" \
  "the photo's own time in the app: $(grep -o -m1 'latency_ms=[0-9.]*' "$LOG" | cut -d= -f2) ms"
for t in /proc/"$pid"/task/*; do
  awk -v n="$(cat "$t/comm" 2>/dev/null)" '{ printf "%6.2f s  %s\n", ($14 + $15) / 100, n }' "$t/stat" 2>/dev/null || true
done | sort -rn | head -"${TOP:-0}"
