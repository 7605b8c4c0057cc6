#!/usr/bin/env bash
# Resident memory of the packaged jar with every shipped model loaded, before and after a mixed load: 400 requests,
# 4 at a time (photos to each image model's API, credit decisions, the French demo page). Prints RSS after the
# start, after the load, the peak (VmHWM), and the heap as the JVM sees it. The figures in deploy/README.md and
# the systemd unit's memory options come from it (docs/benchmarks.md, "Memory of the service").
#
#   bench/rss.sh LABEL [java options...]
#   MALLOC_ARENA_MAX=2 bench/rss.sh tuned -Xms64m -Xmx256m -XX:MaxMetaspaceSize=192m -XX:ReservedCodeCacheSize=64m \
#     -Xss512k -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError
#   bench/rss.sh defaults-as-2GB -XX:MaxRAM=2g
# Needs curl, jcmd and a packaged jar (mvn -DskipTests package). Only 127.0.0.1 is contacted.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 LABEL [java options...]" >&2; exit 2; }
label=$1; shift
dir=target/bench/rss/$label
rm -rf "$dir"; mkdir -p "$dir"
port=${PORT:-18181}
jars=(target/mlpages-*.jar)
env TF_CPP_MIN_LOG_LEVEL=1 java "$@" -jar "${jars[0]}" --server.port="$port" --server.address=127.0.0.1 \
  --mlpages.data-dir="$dir/data" --mlpages.uploads-dir="$dir/uploads" --mlpages.cache-dir=target/test-cache \
  --spring.datasource.url="jdbc:sqlite:$dir/mlpages.db" > "$dir/app.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 300); do
  curl -sf "http://127.0.0.1:$port/actuator/health/model-states" > /dev/null && break
  sleep 1
done
curl -sf "http://127.0.0.1:$port/actuator/health/model-states" | grep -q cats_vs_dogs
rss() { awk -v k="$1" '$1 == k":" { print int($2 / 1024) }' "/proc/$pid/status"; }
idle=$(rss VmRSS)
cat > "$dir/credit.json" <<'JSON'
{"checking_status":"no checking","duration":12,"credit_history":"existing paid","purpose":"radio/tv","credit_amount":1800,"savings_status":"100<=X<500","employment":"4<=X<7","installment_commitment":2,"personal_status":"male single","other_parties":"none","residence_since":3,"property_magnitude":"life insurance","age":38,"other_payment_plans":"none","housing":"own","existing_credits":1,"job":"skilled","num_dependents":1,"own_telephone":"yes","foreign_worker":"yes"}
JSON
photos=(src/test/resources/photos/*.jpg)
base=http://127.0.0.1:$port
for i in $(seq 0 399); do
  photo=${photos[$((i % ${#photos[@]}))]}
  case $((i % 4)) in
    0) echo "-F image=@$photo $base/api/v1/models/cats_vs_dogs/predictions" ;;
    1) echo "-F image=@$photo $base/api/v1/models/cat_dog_model/predictions" ;;
    2) echo "-H Content-Type:application/json -d @$dir/credit.json $base/api/v1/models/credit/predictions" ;;
    3) echo "$base/demo?lang=fr" ;;
  esac
done | xargs -P 4 -L 1 curl -s -o /dev/null -w '%{http_code} ' > "$dir/codes.txt"
ok=$(grep -o '200' "$dir/codes.txt" | wc -l)
echo "$label: after the start ${idle} MB, after 400 requests ($ok answered 200) $(rss VmRSS) MB, peak $(rss VmHWM) MB"
echo "  heap: $(jcmd "$pid" GC.heap_info 2>/dev/null | sed -n '2,3p' | tr -s ' \n' ' ' | cut -c1-200)"
echo "  java options: ${*:-none}; MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-unset}"
