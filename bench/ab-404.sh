#!/usr/bin/env bash
# What HTTP itself costs per request, for two builds of the jar (docs/benchmarks.md, "Third session"): each jar in
# turn is started on 127.0.0.1 with a fresh database, warmed (60 s of uploads to an unknown model, 30 s of photo
# predictions, 30 s of unknown-model uploads again, wrk at 2 connections), then measured 3 x 15 s with one
# connection posting the benchmark photo to a model that does not exist (Tomcat + multipart + Security + MVC + a
# problem-detail answer, nothing else). Prints the server's CPU per request and the requests per second.
#
#   bench/ab-404.sh A.jar B.jar [more.jar ...]     needs wrk (apt-get install -y wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-18081}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
. bench/common.sh
photo_body "$WORK/body"
UNKNOWN=http://127.0.0.1:$PORT/api/v1/models/none/predictions
KNOWN=http://127.0.0.1:$PORT/api/v1/models/cat_dog_model/predictions
for jar in "$@"; do
  run=$WORK/$(basename "$jar" .jar)
  mkdir -p "$run"
  TF_CPP_MIN_LOG_LEVEL=1 java -jar "$jar" --server.port="$PORT" --server.address=127.0.0.1 \
    --mlpages.uploads-dir="$run/uploads" --mlpages.cache-dir="$PWD/target/bench/cache" \
    --spring.datasource.url="jdbc:sqlite:$run/db.sqlite?journal_mode=WAL" > "$run/app.log" 2>&1 &
  pid=$!
  wait_healthy "$pid" "$PORT" "$run/app.log"
  EXPECT=404 wrk -t1 -c2 -d60s -s bench/photo-post.lua "$UNKNOWN" > /dev/null
  EXPECT=200 wrk -t1 -c2 -d30s -s bench/photo-post.lua "$KNOWN" > /dev/null
  EXPECT=404 wrk -t1 -c2 -d30s -s bench/photo-post.lua "$UNKNOWN" > /dev/null
  for r in 1 2 3; do
    c0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    line=$(EXPECT=404 wrk -t1 -c1 -d15s -s bench/photo-post.lua "$UNKNOWN" | grep '^RESULT')
    c1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    n=$(sed 's/.* requests=\([0-9]*\).*/\1/' <<<"$line"); bad=$(sed 's/.* bad=\([0-9]*\).*/\1/' <<<"$line")
    # clock ticks are 1/100 s (USER_HZ)
    echo "$(basename "$jar") run $r: $n requests (other than 404: $bad), $(awk -v a="$c0" -v b="$c1" -v n="$n" \
      'BEGIN { printf "%.3f", (b - a) * 10 / n }') ms server CPU/request, $((n / 15)) req/s; load $(cut -d' ' -f1 /proc/loadavg)"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
