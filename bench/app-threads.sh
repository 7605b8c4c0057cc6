#!/usr/bin/env bash
# Where the app's CPU goes per thread while it classifies photos over HTTP (docs/benchmarks.md, "HTTP against
# in-process"): starts the jar on 127.0.0.1 with a fresh database and uploads folder, posts the benchmark photo
# with wrk for WARM seconds (default 90, not counted), then for MEASURE seconds (default 20), and prints the
# CPU seconds of each thread group over the measured window (threads named alike, e.g. http-nio-*, summed).
# TensorFlow's own threads carry the name of the thread that started its engine (image-model-loader).
#
#   bench/app-threads.sh [jar] [extra JVM options...]     needs wrk (apt-get install -y wrk) and a built jar
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${1:-target/mlpages-0.1.0-SNAPSHOT.jar}
shift || true
CLIENTS=${CLIENTS:-2}
PORT=${PORT:-18087}
WORK=$(mktemp -d)
PID=
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
. bench/common.sh
photo_body "$WORK/body"
TF_CPP_MIN_LOG_LEVEL=1 java "$@" -jar "$JAR" --server.port="$PORT" --server.address=127.0.0.1 \
  --mlpages.uploads-dir="$WORK/uploads" --mlpages.cache-dir="$PWD/target/bench/cache" \
  --spring.datasource.url="jdbc:sqlite:$WORK/db.sqlite?journal_mode=WAL&synchronous=NORMAL" > "$WORK/app.log" 2>&1 &
PID=$!
wait_healthy "$PID" "$PORT" "$WORK/app.log"
export EXPECT=200
URL=http://127.0.0.1:$PORT/api/v1/models/cat_dog_model/predictions
wrk -t1 -c"$CLIENTS" -d"${WARM:-90}"s -s bench/photo-post.lua "$URL" > /dev/null
threads() { for t in /proc/$PID/task/*; do echo "$(basename "$t") $(tr ' ' _ < "$t/comm") $(awk '{ print $14 + $15 }' "$t/stat")"; done | sort -k1,1; }
threads > "$WORK/before"; total0=$(awk '{ print $14 + $15 }' "/proc/$PID/stat")
result=$(wrk -t1 -c"$CLIENTS" -d"${MEASURE:-20}"s -s bench/photo-post.lua "$URL" | grep '^RESULT')
total1=$(awk '{ print $14 + $15 }' "/proc/$PID/stat"); threads > "$WORK/after"
photos=$(sed 's/.* ok=\([0-9]*\).*/\1/' <<<"$result")
echo "$result"
echo "app CPU: $(awk -v a="$total0" -v b="$total1" -v n="$photos" 'BEGIN { printf "%.1f s, %.2f ms per photo", (b - a) / 100, (b - a) * 10 / n }')"
# clock ticks are 1/100 s (USER_HZ)
join "$WORK/before" "$WORK/after" | awk -v n="$photos" '{ d = $5 - $3; g = $2; sub(/-?[0-9]+$/, "", g); sum[g] += d }
  END { for (g in sum) if (sum[g] > 0) printf "%8.2f s  %6.2f ms/photo  %s\n", sum[g] / 100, sum[g] * 10 / n, g }' | sort -rn
