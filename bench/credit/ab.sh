#!/usr/bin/env bash
# A/B comparison of two server variants that holds up on a shared machine: both jars run side by side
# (idle when not measured), get the same warm-up, then are measured in alternation, ROUNDS times each, with
# the same wrk settings as run.sh. Reports req/s, p99 and server CPU per request (the robust figure).
#
#   ARGS_B="--management.observations.enable.http.server.requests=false" bench/credit/ab.sh
#   JAR_B=/tmp/proto.jar bench/credit/ab.sh        # a locally built prototype of a main-code change
#   PATH_URL=/css/mlpages.css BASELINE=1 bench/credit/ab.sh   # a GET instead of the credit POST
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/bench/credit"
cd "$ROOT"
JAR_A=${JAR_A:-$ROOT/target/mlpages-0.1.0-SNAPSHOT.jar}
JAR_B=${JAR_B:-$JAR_A}
ARGS_A=${ARGS_A:-}
ARGS_B=${ARGS_B:-}
JAVA_A=${JAVA_A:-}
JAVA_B=${JAVA_B:-}
DB_A=${DB_A:-journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000}
DB_B=${DB_B:-$DB_A}
THREADS=${THREADS:-2}
CONNS=${CONNS:-64}
ROUNDS=${ROUNDS:-3}
SECS=${SECS:-15}
WARM_ROUNDS=${WARM_ROUNDS:-4}   # warm-up: this many SECS-long runs on each, alternating
PATH_URL=${PATH_URL:-/api/v1/models/credit/predictions}
PORT_A=${PORT_A:-18101}
PORT_B=${PORT_B:-18102}
OUT=${OUT:-$(mktemp -d /tmp/mlpages-bench-ab.XXXXXX)}
export TF_CPP_MIN_LOG_LEVEL=1
mkdir -p "$OUT"
echo "output: $OUT"

declare -A PID
start() { # name port jar java-opts app-args db-params
	local name=$1 port=$2 jar=$3 jopts=$4 args=$5 db=$6
	rm -f "$OUT/$name.db"*
	# shellcheck disable=SC2086
	java $jopts -jar "$jar" --server.port="$port" "--spring.datasource.url=jdbc:sqlite:$OUT/$name.db?$db" \
		--mlpages.uploads-dir="$OUT/uploads-$name" --mlpages.cache-dir=/tmp/mlpages-bench-cache $args \
		>"$OUT/$name.log" 2>&1 &
	PID[$name]=$!
}
stop_all() { for p in "${PID[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${PID[@]}"; do wait "$p" 2>/dev/null || true; done; }
trap stop_all EXIT
start A "$PORT_A" "$JAR_A" "$JAVA_A" "$ARGS_A" "$DB_A"
start B "$PORT_B" "$JAR_B" "$JAVA_B" "$ARGS_B" "$DB_B"
for port in "$PORT_A" "$PORT_B"; do
	for _ in $(seq 1 300); do curl -fs -m 2 "http://127.0.0.1:$port/actuator/health" >/dev/null 2>&1 && break; sleep 1; done
	curl -fs -m 2 "http://127.0.0.1:$port/actuator/health" >/dev/null || { echo "server on $port not up" >&2; exit 1; }
done

cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
measure() { # name port -> one line
	local name=$1 port=$2 b a r n
	b=$(cpu "${PID[$name]}")
	wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" --latency -s "$HERE/post-credit.lua" "http://127.0.0.1:$port$PATH_URL" >"$OUT/w.txt" 2>&1
	a=$(cpu "${PID[$name]}")
	r=$(grep '^RESULT' "$OUT/w.txt")
	n=${r#*requests=}; n=${n%% *}
	awk -v name="$name" -v r="$r" -v a="$a" -v b="$b" -v n="$n" -v loadavg="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
		split(r, f, " "); for (i in f) { split(f[i], kv, "="); v[kv[1]] = kv[2] }
		printf "%s rps=%s p50=%s p99=%s non2xx=%s cpu_us=%.0f load1=%s\n", name, v["rps"], v["p50"], v["p99"], v["non2xx"], 1e6 * (a - b) / n, loadavg }'
}
echo "warm-up: $WARM_ROUNDS x ${SECS}s each, alternating"
for _ in $(seq 1 "$WARM_ROUNDS"); do measure A "$PORT_A" >/dev/null; measure B "$PORT_B" >/dev/null; done
for _ in $(seq 1 "$ROUNDS"); do
	measure A "$PORT_A" | tee -a "$OUT/results.txt"
	measure B "$PORT_B" | tee -a "$OUT/results.txt"
done
echo "A: $JAR_A $JAVA_A $ARGS_A ($DB_A)"
echo "B: $JAR_B $JAVA_B $ARGS_B ($DB_B)"
python3 - "$OUT/results.txt" <<'EOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    parts = line.split()
    d = dict(p.split("=") for p in parts[1:])
    rows.setdefault(parts[0], []).append(d)
for name in sorted(rows):
    med = lambda k: statistics.median(float(d[k]) for d in rows[name])
    print(f"{name}: median rps {med('rps'):.0f}, p99 {med('p99'):.1f} ms, server CPU {med('cpu_us'):.0f} us/request")
a = statistics.median(float(d["cpu_us"]) for d in rows["A"])
b = statistics.median(float(d["cpu_us"]) for d in rows["B"])
print(f"B/A server CPU per request: {b / a:.2f}")
EOF
