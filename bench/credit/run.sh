#!/usr/bin/env bash
# Credit API throughput benchmark (issue 3): the running jar, a fresh SQLite log, wrk on loopback.
#
#   bench/credit/run.sh                  # build if needed, JMH decide, warm-up, credit POST, baseline GET
#   THREADS=1 bench/credit/run.sh        # wrk -t1 instead of -t2
#   JMH=0 BASELINE=0 bench/credit/run.sh # HTTP credit run only
#   APP_ARGS="--server.tomcat.threads.max=16" bench/credit/run.sh   # try a setting
#   JFR=1 bench/credit/run.sh            # record the measured 30 s with Flight Recorder ($OUT/credit.jfr)
#   START=target/app/start.sh bench/credit/run.sh   # the app as bin/prepare-start.sh prepared it
#
# wrk runs on the same machine as the server and takes CPU from it (on 2 cores, noticeably): the figures
# are for client + server sharing the cores. Every run records `uptime` next to its figures; rerun when
# the load average before the run is well above 0 (someone else is building).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/bench/credit"
cd "$ROOT"

PORT=${PORT:-18093}
THREADS=${THREADS:-2}
CONNS=${CONNS:-64}
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-60s}
JMH=${JMH:-1}
BASELINE=${BASELINE:-1}
BASELINE_PATHS=${BASELINE_PATHS:-/actuator/health /css/mlpages.css}
JFR=${JFR:-0}
JAVA_OPTS=${JAVA_OPTS:-}
APP_ARGS=${APP_ARGS:-}
DB_PARAMS=${DB_PARAMS:-journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000}
CACHE_DIR=${CACHE_DIR:-/tmp/mlpages-bench-cache}
QUIET_WAIT=${QUIET_WAIT:-120}   # before each measurement, wait up to this many seconds for an idle machine
QUIET_IDLE=${QUIET_IDLE:-85}    # ... meaning at least this % idle CPU over 3 s (our own server idle)
OUT=${OUT:-$(mktemp -d /tmp/mlpages-bench-credit.XXXXXX)}
JAR=${JAR:-$ROOT/target/mlpages-0.1.0-SNAPSHOT.jar}   # another jar (e.g. an older build) is run as it is
BASE="http://127.0.0.1:$PORT"
export TF_CPP_MIN_LOG_LEVEL=1

# % idle CPU of the whole machine over 3 s (/proc/stat), and waiting for it to reach QUIET_IDLE
idle_pct() {
	local a b
	a=$(awk '/^cpu / { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat); sleep 3
	b=$(awk '/^cpu / { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
	awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.0f", 100 * (y[1] - x[1]) / (y[2] - x[2]) }'
}
wait_quiet() { # prints "idle N% (waited S s); uptime"
	local start=$SECONDS idle
	idle=$(idle_pct)
	while ((idle < QUIET_IDLE && SECONDS - start < QUIET_WAIT)); do sleep 2; idle=$(idle_pct); done
	echo "idle ${idle}% (waited $((SECONDS - start)) s); $(uptime | sed 's/^ *//')"
}

mkdir -p "$OUT" "$CACHE_DIR"
echo "output: $OUT"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

# --- build if the jar is missing or older than the sources -------------------------------------------
if [[ -z "${START:-}" && "$JAR" == "$ROOT/target/mlpages-0.1.0-SNAPSHOT.jar" ]] && { [[ ! -f "$JAR" ]] || [[ -n "$(find src pom.xml -newer "$JAR" -type f -print -quit)" ]]; }; then
	echo "building (mvn -B -q -DskipTests package)"
	mvn -B -q -DskipTests package
fi

# --- in-process figure: JMH CreditModelBenchmark.decide, short ---------------------------------------
jmh_ops=""
if [[ "$JMH" == 1 ]]; then
	if [[ ! -f target/cp.txt ]] || [[ pom.xml -nt target/cp.txt ]]; then
		mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
	fi
	jmh_load=$(wait_quiet)
	echo "load before JMH: $jmh_load"
	java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" org.openjdk.jmh.Main \
		'CreditModelBenchmark\.decide$' -wi 3 -w 1 -i 5 -r 2 -f 1 -rf json -rff "$OUT/jmh.json" >"$OUT/jmh.txt" 2>&1
	jmh_ops=$(python3 -c 'import json,sys; print("%.0f" % json.load(open(sys.argv[1]))[0]["primaryMetric"]["score"])' "$OUT/jmh.json")
	echo "JMH decide (1 thread): $jmh_ops ops/s ($(grep -A1 'Score' "$OUT/jmh.txt" | tail -1 | sed 's/  */ /g'))"
fi

# --- the server, with a fresh database ----------------------------------------------------------------
DB="$OUT/bench.db"
rm -f "$DB" "$DB-wal" "$DB-shm"
jvm=()
[[ "$JFR" == 1 ]] && jvm+=(-XX:+FlightRecorder)
# shellcheck disable=SC2206
jvm+=($JAVA_OPTS)
# START=.../start.sh (from bin/prepare-start.sh) runs that instead of java -jar, the JVM options in JAVA_TOOL_OPTIONS
launch=(java "${jvm[@]}" -jar "$JAR")
[[ -n "${START:-}" ]] && { launch=("$START"); [[ ${#jvm[@]} -gt 0 ]] && export JAVA_TOOL_OPTIONS="${jvm[*]}"; }
# shellcheck disable=SC2206
"${launch[@]}" --server.port="$PORT" \
	"--spring.datasource.url=jdbc:sqlite:$DB?$DB_PARAMS" \
	--mlpages.uploads-dir="$OUT/uploads" --mlpages.cache-dir="$CACHE_DIR" $APP_ARGS \
	>"$OUT/server.log" 2>&1 &
SERVER=$!
stop_server() {
	if kill -0 "$SERVER" 2>/dev/null; then
		kill "$SERVER"
		for _ in $(seq 1 40); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.5; done
		kill -0 "$SERVER" 2>/dev/null && kill -9 "$SERVER"
	fi
	wait "$SERVER" 2>/dev/null || true
}
trap stop_server EXIT

for i in $(seq 1 240); do
	if curl -fs "$BASE/actuator/health" >/dev/null 2>&1; then break; fi
	kill -0 "$SERVER" 2>/dev/null || { echo "server died, see $OUT/server.log" >&2; tail -20 "$OUT/server.log" >&2; exit 1; }
	sleep 0.5
done
curl -fs "$BASE/actuator/health" >/dev/null || { echo "server not healthy after 120 s" >&2; exit 1; }

URL="$BASE/api/v1/models/credit/predictions"
code=$(curl -s -o "$OUT/sample.json" -w '%{http_code}' -H 'Content-Type: application/json' \
	--data "@$HERE/sample.json" "$URL")
[[ "$code" == 200 ]] || { echo "sample request answered $code: $(cat "$OUT/sample.json")" >&2; exit 1; }

# CPU seconds (user+system) the server has used so far: per request, a figure that holds even when other
# jobs share the cores (throughput and latency do not)
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$SERVER/stat"; }
wrk_run() { # name url duration script-env... ; prints the RESULT line plus the CPU used by server and wrk
	local name=$1 url=$2 dur=$3; shift 3
	local before after TIMEFORMAT='%U %S'
	before=$(server_cpu)
	{ time env "$@" wrk -t"$THREADS" -c"$CONNS" -d"$dur" --latency -s "$HERE/post-credit.lua" "$url" \
		>"$OUT/$name.txt" 2>&1; } 2>"$OUT/$name.time"
	after=$(server_cpu)
	echo "$(grep '^RESULT' "$OUT/$name.txt") server_cpu=$(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.2f", a - b }') wrk_cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$OUT/$name.time")"
}
rows() { sqlite3 "file:$DB?mode=ro" "select count(*), coalesce(max(id),0) from prediction" ; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

echo "warm-up $WARMUP"
wrk_run warmup "$URL" "$WARMUP" >/dev/null
sleep 1
IFS='|' read -r rows_before max_before <<<"$(rows)"

load_credit=$(wait_quiet)
echo "load before credit run: $load_credit"
[[ "$JFR" == 1 ]] && jcmd "$SERVER" JFR.start name=bench settings=profile >/dev/null
credit=$(wrk_run credit "$URL" "$DURATION" IDS_FILE="$OUT/ids.txt")
[[ "$JFR" == 1 ]] && jcmd "$SERVER" JFR.stop name=bench filename="$OUT/credit.jfr" >/dev/null
sleep 2   # requests wrk abandoned at its deadline are still committed by the server
IFS='|' read -r rows_after _ <<<"$(rows)"
rows_logged=$((rows_after - rows_before))
# every 2xx the client saw carries the id of its row: check each against the log
matched=$(python3 - "$DB" "$OUT/ids.txt" "$max_before" <<'EOF'
import sqlite3, sys
db, ids_file, max_before = sys.argv[1], sys.argv[2], int(sys.argv[3])
ids = {int(line) for line in open(ids_file) if line.strip()}
con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
logged = {row[0] for row in con.execute("select id from prediction where id > ?", (max_before,))}
print(len(ids & logged), len(ids))
EOF
)
read -r ids_in_log ids_distinct <<<"$matched"

bases=() bases_load=() bases_path=()
if [[ "$BASELINE" == 1 ]]; then
	n=0
	for path in $BASELINE_PATHS; do
		n=$((n + 1))
		wrk_run "baseline$n-warmup" "$BASE$path" 5s BASELINE=1 >/dev/null
		bases_load+=("$(wait_quiet)")
		bases_path+=("$path")
		bases+=("$(wrk_run "baseline$n" "$BASE$path" "$DURATION" BASELINE=1)")
	done
fi

stop_server
trap - EXIT

# --- summary ---------------------------------------------------------------------------------------------
c_rps=$(field rps "$credit"); c_ok=$(field ok2xx "$credit")
{
echo
echo "== credit API: POST $URL, wrk -t$THREADS -c$CONNS -d$DURATION --latency (same 2 cores as the server) =="
echo "load: $load_credit"
[[ -n "$jmh_ops" ]] && echo "JMH CreditModelBenchmark.decide, 1 thread: $jmh_ops ops/s; load: $jmh_load"
echo "APP_ARGS: ${APP_ARGS:-(none)}  JAVA_OPTS: ${JAVA_OPTS:-(none)}  DB: $DB_PARAMS"
printf '%-10s %10s %8s %8s %8s %8s %8s %8s\n' run req/s p50ms p90ms p99ms p999ms 2xx non2xx
printf '%-10s %10s %8s %8s %8s %8s %8s %8s\n' credit "$c_rps" "$(field p50 "$credit")" "$(field p90 "$credit")" \
	"$(field p99 "$credit")" "$(field p999 "$credit")" "$c_ok" "$(field non2xx "$credit")"
for i in "${!bases[@]}"; do
	base=${bases[$i]}
	printf '%-10s %10s %8s %8s %8s %8s %8s %8s\n' "baseline$((i + 1))" "$(field rps "$base")" "$(field p50 "$base")" \
		"$(field p90 "$base")" "$(field p99 "$base")" "$(field p999 "$base")" "$(field ok2xx "$base")" "$(field non2xx "$base")"
done
for i in "${!bases[@]}"; do
	echo "baseline$((i + 1)): GET ${bases_path[$i]}; load: ${bases_load[$i]}"
done
lines=("credit|$credit")
for i in "${!bases[@]}"; do lines+=("baseline$((i + 1))|${bases[$i]}"); done
for entry in "${lines[@]}"; do
	r=${entry%%|*} line=${entry#*|}
	awk -v r="$r" -v s="$(field server_cpu "$line")" -v w="$(field wrk_cpu "$line")" -v n="$(field requests "$line")" -v cores="$(nproc)" \
		'BEGIN { printf "CPU per request (%s): server %.0f us, wrk %.0f us -> at most %.0f req/s on %d cores if nothing else ran\n", r, 1e6*s/n, 1e6*w/n, cores*n/(s+w), cores }'
done
echo "socket errors (credit): connect=$(field connect_err "$credit") read=$(field read_err "$credit") write=$(field write_err "$credit") timeout=$(field timeouts "$credit")"
echo "rows logged during the run: $rows_logged; 2xx answers: $c_ok; 2xx ids found in the log: $ids_in_log of $ids_distinct distinct"
echo "  (rows - 2xx = $((rows_logged - c_ok)): requests the server answered after wrk stopped reading at its deadline, <= $CONNS)"
for i in "${!bases[@]}"; do
	python3 -c "import sys; print('ratio credit / baseline%s (GET %s) req/s: %.3f' % (sys.argv[3], sys.argv[4], float(sys.argv[1]) / float(sys.argv[2])))" \
		"$c_rps" "$(field rps "${bases[$i]}")" "$((i + 1))" "${bases_path[$i]}"
done
[[ -n "$jmh_ops" ]] && python3 -c "import sys; print('ratio credit HTTP req/s / JMH decide ops/s (1 thread, in-process %s): %.4f' % (sys.argv[2], float(sys.argv[1]) / float(sys.argv[2])))" "$c_rps" "$jmh_ops"
python3 - "$c_rps" "$(field p99 "$credit")" "$(field non2xx "$credit")" "$c_ok" "$ids_in_log" <<'EOF'
import sys
rps, p99, non2xx, ok, in_log = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print("goal >= 5000 req/s: %s; p99 < 20 ms: %s; every 2xx logged: %s" % (
    "met" if rps >= 5000 else "MISSED", "met" if p99 < 20 else "MISSED", "yes" if in_log == ok else "NO"))
EOF
echo "outputs: $OUT (server.log, credit.txt, baselineN.txt, jmh.txt, credit.jfr when JFR=1)"
} | tee "$OUT/summary.txt"
