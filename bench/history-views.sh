#!/usr/bin/env bash
# Views of the admin's history page at once, on a copy of a prediction log, with the systemd unit's JVM options
# (-Xmx256m, -XX:+ExitOnOutOfMemoryError): each view's status and time, the heap they left, whether the service lived.
# Usage: bench/history-views.sh LOG.db [VIEWS [ROUNDS]] (the jar of mvn -DskipTests package; the log is copied).
# Results in target/bench/history-views/.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
source bench/common.sh
db=${1:?usage: bench/history-views.sh LOG.db [VIEWS [ROUNDS]]}
views=${2:-3}
rounds=${3:-3}
port=${PORT:-18650}
base=http://127.0.0.1:$port
jars=(target/mlpages-*.jar)
[ -f "${jars[0]}" ] || { echo "no packaged jar: mvn -DskipTests package" >&2; exit 2; }
read -r -a opts <<< "$(unit_java_opts)"
export_unit_environment
out=$PWD/target/bench/history-views
rm -rf "$out"
mkdir -p "$out/data"
cp "$db" "$out/mlpages.db"
password=history-bench-admin
java=$(command -v "${JAVA_HOME:+$JAVA_HOME/bin/}java")
jcmd=$(dirname "$(realpath "$java")")/jcmd
"$java" "${opts[@]}" -jar "${jars[0]}" --server.port="$port" --server.address=127.0.0.1 \
  --mlpages.data-dir="$out/data" --mlpages.uploads-dir="$out/uploads" --mlpages.cache-dir=target/test-cache \
  --spring.datasource.url="jdbc:sqlite:$out/mlpages.db?journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000" \
  --mlpages.admin.password="$password" > "$out/app.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
started=$(date +%s)
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/login" || true)" = 200 ]; do
  kill -0 "$pid" 2>/dev/null || { tail -20 "$out/app.log" >&2; exit 1; }
  sleep 1
done
echo "listening after $(($(date +%s) - started)) s (includes the schema's migration); $(grep -c . <<< "$(
  sqlite3 "$out/mlpages.db" 'select id from prediction' 2>/dev/null || true)") rows"

cookies=$out/admin.cookies
login=$(curl -s -c "$cookies" "$base/login")
token=$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' <<< "$login" | head -1)
curl -s -b "$cookies" -c "$cookies" -o /dev/null --data-urlencode username=admin \
  --data-urlencode "password=$password" --data-urlencode "_csrf=$token" "$base/login"
heap_used() {
  "$jcmd" "$pid" GC.heap_info 2>/dev/null | awk '
    /Metaspace/ { exit }
    { for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); total += v } }
    END { printf "%d", total / 1024 }'
}
for round in $(seq "$rounds"); do
  clients=()
  for view in $(seq "$views"); do
    curl -s -b "$cookies" -o "$out/view.html" -w '%{http_code} %{time_total}\n' "$base/history" \
      > "$out/round-$round-$view.txt" &
    clients+=($!)
  done
  wait "${clients[@]}" || true
  cat "$out"/round-"$round"-*.txt > "$out/round-$round.txt"
  kill -0 "$pid" 2>/dev/null || { echo "round $round: the service ended"; tail -5 "$out/app.log"; exit 1; }
  echo "round $round: $views views, status and seconds: $(sort "$out/round-$round.txt" | tr '\n' ' ')heap used $(heap_used) MB"
done
grep -o 'Charts drawn from all [0-9,]* rows[^<]*' "$out/view.html" || true
