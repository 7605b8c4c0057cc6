#!/usr/bin/env bash
# The credit API against its Python peer (issue 16): Flask + scikit-learn under gunicorn -w 2, the same JSON, every
# answer logged to SQLite before it is sent (../shared/peers/credit_flask.py, not part of this repository). Both
# servers run side by side on fresh databases, get a warm-up, then are measured in alternating wrk rounds with the
# same body, client threads and connection count. Prints req/s, p50 and p99 per side, the ratio (req/s and server
# CPU per request), and checks that every 2xx answer is a logged row on both sides.
#
#   bench/credit-vs-peer.sh                        # 3 rounds of 20 s at 16 and at 64 connections, 60 s app warm-up
#   QUICK=1 bench/credit-vs-peer.sh                # 1 round of 10 s per count, 45 s warm-up: under 4 minutes
#   START=target/app/start.sh bench/credit-vs-peer.sh   # the app as bin/prepare-start.sh prepared it (Java 25, AOT)
#   CONNS="16 64 128" ROUNDS=5 SECS=30 bench/credit-vs-peer.sh
#   PEER_DIR=/elsewhere/peers bench/credit-vs-peer.sh
#   APP_SYNC=FULL bench/credit-vs-peer.sh          # the app's log synced to disk on every commit, as the peer's is
#
# Connection counts: 16 is where the peer was measured (its README), 64 is the credit API's own benchmark
# (bench/credit/run.sh). The peer's two synchronous workers answer one request each at a time, so beyond a few
# connections it only queues (same req/s, longer latency); the app groups concurrent rows into one commit, so it
# gains from more connections. Both sides are measured at each count and the goal is read at each.
# wrk shares the 2 cores with the server under test (and the idle other server): the figures are "client + server
# on this machine", the CPU per request is the figure that holds when someone else uses the cores.
#
# Writes target/bench/credit-vs-peer.md (the table) and target/bench/credit-vs-peer.log; the databases, server logs
# and wrk outputs go to OUT (a fresh folder under /tmp unless set). Only 127.0.0.1 is contacted.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=bench/common.sh
source bench/common.sh

QUICK=${QUICK:-0}
if [[ "$QUICK" == 1 ]]; then
	ROUNDS=${ROUNDS:-1} SECS=${SECS:-10} WARMUP=${WARMUP:-45}
fi
ROUNDS=${ROUNDS:-3}
SECS=${SECS:-20}
WARMUP=${WARMUP:-60}            # seconds of app warm-up (the JIT is still compiling after 30 s on 2 cores)
PEER_WARMUP=${PEER_WARMUP:-5}   # the peer has no JIT; a few seconds load its modules and open its databases
CONNS=${CONNS:-16 64}
THREADS=${THREADS:-2}
APP_PORT=${APP_PORT:-18401}
PEER_PORT=${PEER_PORT:-18481}
PEER_WORKERS=${PEER_WORKERS:-2}
PEER_DIR=${PEER_DIR:-$ROOT/../shared/peers}
JAR=${JAR:-$ROOT/target/mlpages-0.1.0-SNAPSHOT.jar}
JAVA_OPTS=${JAVA_OPTS:-}
APP_ARGS=${APP_ARGS:-}
APP_SYNC=${APP_SYNC:-NORMAL}    # the shipped setting (application.yml); the peer's SQLite default is FULL
CACHE_DIR=${CACHE_DIR:-/tmp/mlpages-bench-cache}
OUT=${OUT:-$(mktemp -d /tmp/mlpages-credit-vs-peer.XXXXXX)}
REPORT_DIR=${REPORT_DIR:-$ROOT/target/bench}
GOAL_RATIO=${GOAL_RATIO:-20}
GOAL_P99=${GOAL_P99:-15}
LUA=$ROOT/bench/credit/post-credit.lua
APP_URL="http://127.0.0.1:$APP_PORT/api/v1/models/credit/predictions"
PEER_URL="http://127.0.0.1:$PEER_PORT/predict"
export TF_CPP_MIN_LOG_LEVEL=1

fail() {
	echo "credit-vs-peer: $*" >&2
	exit 1
}

if [[ ! -f "$PEER_DIR/credit_flask.py" ]]; then
	fail "no peer at $PEER_DIR/credit_flask.py. The Python peer is not part of this repository: point PEER_DIR at the folder that holds credit_flask.py (the shared peers folder, ../shared/peers beside the clone)."
fi
for tool in wrk gunicorn sqlite3 curl python3; do
	command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install -y wrk gunicorn sqlite3 curl python3-flask python3-sklearn python3-pandas weka)"
done
CREDIT_ARFF=${CREDIT_ARFF:-/usr/share/doc/weka/examples/credit-g.arff}
[[ -f "$CREDIT_ARFF" ]] || fail "the peer trains on $CREDIT_ARFF (package weka; CREDIT_ARFF to point elsewhere)"
export CREDIT_ARFF
if [[ -n "${START:-}" ]]; then
	[[ -x "$START" ]] || fail "START=$START is not an executable start.sh (bin/prepare-start.sh JAR DEST writes one)"
elif [[ ! -f "$JAR" ]]; then
	fail "no jar at $JAR: mvn -B -q -DskipTests package first (or JAR=, or START=)"
fi

mkdir -p "$OUT" "$REPORT_DIR" "$CACHE_DIR"
LOG=$REPORT_DIR/credit-vs-peer.log
MD=$REPORT_DIR/credit-vs-peer.md
exec > >(tee "$LOG") 2>&1
echo "output: $OUT; report: $MD"

# --- both servers, fresh databases ------------------------------------------------------------------------------
APP_DB=$OUT/app.db
PEER_DB=$OUT/peer.db
rm -f "$APP_DB"* "$PEER_DB"*
APP_PID="" PEER_PID=""
stop() { # pid: TERM, then KILL after 20 s
	local pid=$1
	[[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
	kill "$pid" 2>/dev/null || true
	for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
	kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || true
}
cleanup() {
	stop "$APP_PID"
	stop "$PEER_PID"
}
trap cleanup EXIT
trap 'exit 130' INT TERM # through the EXIT trap: neither server is left running

PEER_DB=$PEER_DB gunicorn -w "$PEER_WORKERS" -b "127.0.0.1:$PEER_PORT" --chdir "$PEER_DIR" \
	--access-logfile /dev/null credit_flask:app >"$OUT/peer.log" 2>&1 &
PEER_PID=$!

jvm=()
# shellcheck disable=SC2206 # JAVA_OPTS is a list of options
jvm+=($JAVA_OPTS)
launch=(java "${jvm[@]}" -jar "$JAR")
if [[ -n "${START:-}" ]]; then
	launch=("$START")
	[[ ${#jvm[@]} -gt 0 ]] && export JAVA_TOOL_OPTIONS="${jvm[*]}"
fi
app_args=(--server.port="$APP_PORT" --server.address=127.0.0.1
	"--spring.datasource.url=jdbc:sqlite:$APP_DB?journal_mode=WAL&synchronous=$APP_SYNC&busy_timeout=5000&foreign_keys=true"
	--mlpages.data-dir="$OUT/data" --mlpages.uploads-dir="$OUT/uploads" --mlpages.cache-dir="$CACHE_DIR")
# shellcheck disable=SC2206 # APP_ARGS is a list of arguments
app_args+=($APP_ARGS)
"${launch[@]}" "${app_args[@]}" >"$OUT/app.log" 2>&1 &
APP_PID=$!

# Both answer the sample decision before anything is measured (at most 3 minutes each).
wait_credit_answers "$PEER_PID" "$PEER_URL" "$OUT/peer.log" || fail "the peer does not answer"
wait_credit_answers "$APP_PID" "$APP_URL" "$OUT/app.log" || fail "the app does not answer"
APP_JAVA=$("$(readlink -f "/proc/$APP_PID/exe")" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -1)
echo "app: ${launch[*]} (pid $APP_PID); Java $APP_JAVA${JAVA_OPTS:+; options: $JAVA_OPTS}"
echo "peer: gunicorn -w $PEER_WORKERS credit_flask:app from $PEER_DIR (pid $PEER_PID)"
curl -s -H 'Content-Type: application/json' --data @bench/credit/sample.json "$APP_URL" | head -c 200
echo
curl -s -H 'Content-Type: application/json' --data @bench/credit/sample.json "$PEER_URL" | head -c 200
echo

# --- measurement ------------------------------------------------------------------------------------------------
# cpu_of (bench/common.sh) of the app, one process, or of the peer: the gunicorn master and its workers
pids_of() { # side
	if [[ "$1" == app ]]; then echo "$APP_PID"; else echo "$PEER_PID $(pgrep -P "$PEER_PID" | tr '\n' ' ')"; fi
}
url_of() { if [[ "$1" == app ]]; then echo "$APP_URL"; else echo "$PEER_URL"; fi; }
db_of() { if [[ "$1" == app ]]; then echo "$APP_DB"; else echo "$PEER_DB"; fi; }
rows_of() { sqlite3 "file:$(db_of "$1")?mode=ro" "select count(*) from prediction"; }
max_id_of() { sqlite3 "file:$(db_of "$1")?mode=ro" "select coalesce(max(id), 0) from prediction"; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

RESULTS=$OUT/results.txt
: >"$RESULTS"
# One wrk run against a side; with a label, appends one line to RESULTS and checks the log against the 2xx answers.
measure() { # side conns seconds [label]
	local side=$1 conns=$2 secs=$3 label=${4:-} pids before after rows0 rows1 max0 result n load ids_in_log=-
	read -r -a pids <<<"$(pids_of "$side")"
	rows0=$(rows_of "$side")
	max0=$(max_id_of "$side")
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	before=$(cpu_of "${pids[@]}")
	IDS_FILE="$OUT/ids.txt" wrk -t"$THREADS" -c"$conns" -d"${secs}s" --timeout 10s --latency -s "$LUA" "$(url_of "$side")" \
		>"$OUT/wrk-$side-$conns.txt" 2>&1
	after=$(cpu_of "${pids[@]}")
	[[ -z "$label" ]] && return 0
	sleep 2 # requests wrk abandoned at its deadline are still answered and logged by the server
	rows1=$(rows_of "$side")
	result=$(grep '^RESULT' "$OUT/wrk-$side-$conns.txt") || fail "wrk printed no result: $(cat "$OUT/wrk-$side-$conns.txt")"
	n=$(field requests "$result")
	if [[ "$side" == app ]]; then
		# every 2xx answer of the app carries the id of its row: each must be a committed row of this round
		ids_in_log=$(python3 - "$APP_DB" "$OUT/ids.txt" "$max0" <<-'EOF'
			import sqlite3, sys
			ids = {int(line) for line in open(sys.argv[2]) if line.strip()}
			con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
			logged = {r[0] for r in con.execute("select id from prediction where id > ?", (int(sys.argv[3]),))}
			print(len(ids & logged))
		EOF
		)
	fi
	echo "$label side=$side conns=$conns rps=$(field rps "$result") p50=$(field p50 "$result") p99=$(field p99 "$result") ok2xx=$(field ok2xx "$result") non2xx=$(field non2xx "$result") errors=$(($(field connect_err "$result") + $(field read_err "$result") + $(field write_err "$result") + $(field timeouts "$result"))) rows=$((rows1 - rows0)) ids_in_log=$ids_in_log cpu_us=$(awk -v a="$after" -v b="$before" -v n="$n" 'BEGIN { printf "%.0f", 1e6 * (a - b) / n }') load=${load// /,}" |
		tee -a "$RESULTS"
}

echo "warm-up: app ${WARMUP} s, peer ${PEER_WARMUP} s (64 connections)"
measure app 64 "$WARMUP"
measure peer 64 "$PEER_WARMUP"
for conns in $CONNS; do # a short warm-up at each count (connections, worker threads)
	measure app "$conns" 3
	measure peer "$conns" 3
done
for round in $(seq 1 "$ROUNDS"); do
	for conns in $CONNS; do
		measure app "$conns" "$SECS" "round$round"
		measure peer "$conns" "$SECS" "round$round"
	done
done
cleanup
trap - EXIT

# --- report -----------------------------------------------------------------------------------------------------
python3 - "$RESULTS" "$MD" "$GOAL_RATIO" "$GOAL_P99" "$THREADS" "$SECS" "$ROUNDS" "$WARMUP" \
	"${START:-java -jar ${JAR#"$ROOT"/}}${APP_ARGS:+ $APP_ARGS}, Java $APP_JAVA${JAVA_OPTS:+ $JAVA_OPTS}, SQLite synchronous=$APP_SYNC" "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
	"$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc)" <<'EOF'
import statistics, sys
(results, md, goal_ratio, goal_p99, threads, secs, rounds, warmup, app, commit, when, cores) = sys.argv[1:]
goal_ratio, goal_p99 = float(goal_ratio), float(goal_p99)
runs = []
for line in open(results):
    parts = line.split()
    d = dict(p.split("=", 1) for p in parts[1:])
    d["round"] = parts[0]
    runs.append(d)
med = lambda rows, k: statistics.median(float(r[k]) for r in rows)
out = []
out.append(f"Credit API against the Python peer, {when}, commit {commit}, {cores} cores; app: `{app}`; "
           f"peer: Flask + scikit-learn, gunicorn -w 2. wrk -t{threads}, {rounds} round(s) of {secs} s per side and "
           f"count, alternating, after {warmup} s of app warm-up. Medians over the rounds; load average (1, 5, 15 min) "
           "before each run.\n")
out.append("| connections | side | req/s | p50 ms | p99 ms | server CPU µs/request | 2xx | non-2xx + socket errors | rows logged | 2xx ids found in the log | load before |")
out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
verdicts = []
summary = []
logged_ok = True
for conns in sorted({int(r["conns"]) for r in runs}):
    by_side = {}
    for side in ("app", "peer"):
        rows = [r for r in runs if r["side"] == side and int(r["conns"]) == conns]
        by_side[side] = rows
        ok = sum(int(r["ok2xx"]) for r in rows)
        bad = sum(int(r["non2xx"]) + int(r["errors"]) for r in rows)
        logged = sum(int(r["rows"]) for r in rows)
        found = "–" if side == "peer" else f'{sum(int(r["ids_in_log"]) for r in rows):,} of {ok:,}'
        # every 2xx is a row; the rows beyond (at most one per connection and round) were answered after wrk's deadline
        if side == "app":
            logged_ok &= sum(int(r["ids_in_log"]) for r in rows) == ok
        logged_ok &= ok <= logged <= ok + conns * len(rows)
        loads = "; ".join(r["load"].replace(",", " ") for r in rows)
        out.append(f'| {conns} | {side} | {med(rows, "rps"):,.0f} | {med(rows, "p50"):.2f} | {med(rows, "p99"):.2f} | '
                   f'{med(rows, "cpu_us"):,.0f} | {ok:,} | {bad} | {logged:,} | {found} | {loads} |')
    app, peer = by_side["app"], by_side["peer"]
    ratio = med(app, "rps") / med(peer, "rps")
    cpu_ratio = med(peer, "cpu_us") / med(app, "cpu_us")
    per_round = ", ".join(f'{float(a["rps"]) / float(p["rps"]):.1f}' for a, p in zip(app, peer))
    summary.append((conns, ratio, cpu_ratio, med(app, "p99"), med(app, "rps"), med(peer, "rps")))
    verdicts.append(f"- {conns} connections: app / peer req/s **{ratio:.1f}x** (per round {per_round}), "
                    f"server CPU per request peer / app {cpu_ratio:.1f}x; app p99 {med(app, 'p99'):.2f} ms. "
                    f"Goal >= {goal_ratio:g}x: {'met' if ratio >= goal_ratio else 'MISSED'}; "
                    f"p99 < {goal_p99:g} ms: {'met' if med(app, 'p99') < goal_p99 else 'MISSED'}.")
out.append("")
out.extend(verdicts)
out.append(f"- Every 2xx answer logged (app: each answered id is a committed row; peer: rows >= 2xx, the excess at "
           f"most one per connection and round, answered after wrk's deadline): {'yes' if logged_ok else 'NO'}.")
text = "\n".join(out) + "\n"
open(md, "w").write(text)
# the summary row bench/small-server.sh puts in docs/benchmarks.md: the goal is read at each count
measured = "; ".join(f"{c} connections: {a:,.0f} against {p:,.0f} req/s = {r:.1f}x (CPU per request {cr:.1f}x), "
                     f"app p99 {p99:.1f} ms" for c, r, cr, p99, a, p in summary)
met = logged_ok and all(r >= goal_ratio and p99 < goal_p99 for _, r, _, p99, _, _ in summary)
open(md.rsplit("/", 1)[0] + "/credit.verdict", "w").write(
    f"| Credit API | >= {goal_ratio:g}x the Python peer's req/s in the same sitting, p99 < {goal_p99:g} ms, every "
    f"answer logged | {measured}; every 2xx logged: {'yes' if logged_ok else 'NO'} | {'met' if met else 'missed'} |\n")
print()
print(text)
EOF
