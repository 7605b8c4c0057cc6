#!/usr/bin/env bash
# The credit API's tail latency at 64 connections (issue 16), setting against setting: what makes the p99 and what
# would lower it. Each setting gets its own start of the app as the unit starts it (bin/run-prepared.sh's start,
# Java 25, the unit's options, a GC log), a warm-up, then measured rounds of wrk with the same body and
# connection count; settings alternate (A B ... then ... B A). Prints, per start, the last round's req/s, p50 and
# p99 (the JIT is still at work in the first ones) and the young collections' pauses, then each setting's median
# p99 and req/s against the first setting's, measured in the same run.
#
#   bench/credit-tail.sh "" "-XX:-UseSerialGC -XX:+UseParallelGC" "--server.tomcat.threads.max=12"
#
# A setting that starts with "--" is app arguments; any other is Java options added after the unit's (a changed
# collector makes the JVM refuse the start cache with a warning: fine once warm). "" is the app as shipped.
# Environment: ROUNDS (2 starts per setting); WARMUP (60 s); SECS (15 s per measured round); MEASURED (3 rounds);
# CONNS (64); PORT (18402); JAVA_HOME_25 (/usr/lib/jvm/temurin-25-jdk-amd64). Needs the jar
# (mvn -DskipTests package), wrk, curl. Writes target/bench/credit-tail/; only 127.0.0.1 is contacted.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
source bench/common.sh
[ $# -ge 1 ] || { echo "usage: $0 \"SETTING A\" [\"SETTING B\" ...]" >&2; exit 2; }
rounds=${ROUNDS:-2}
warmup=${WARMUP:-60}
secs=${SECS:-15}
measured=${MEASURED:-3}
conns=${CONNS:-64}
port=${PORT:-18402}
java_home=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
jars=(target/mlpages-*.jar)
jar=${jars[0]}
out=target/bench/credit-tail
url=http://127.0.0.1:$port/api/v1/models/credit/predictions
lua=bench/credit/post-credit.lua
rm -rf "$out"; mkdir -p "$out"
unit_opts=$(unit_java_opts)
export_unit_environment
JAVA_HOME=$java_home JAVA_OPTS=$unit_opts MLPAGES_START_DIR=$out/start MLPAGES_CACHE_DIR=target/test-cache \
  bin/run-prepared.sh --prepare-only "$jar" > "$out/prepare.log" 2>&1
starts=("$out"/start/*/start.sh)
start=${starts[0]}

pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true' EXIT

# one start of SETTING, labelled LABEL: appends "label|setting|req/s|p50|p99|mean pause|longest pause" to results
measure() {
  local setting=$1 label=$2 dir=$out/$2 java_opts=$unit_opts app_args=() r
  mkdir -p "$dir"
  if [[ "$setting" == --* ]]; then read -r -a app_args <<< "$setting"; else java_opts="$unit_opts $setting"; fi
  JAVA_OPTS="" JAVA_TOOL_OPTIONS="$java_opts -Xlog:gc:file=$dir/gc.log:uptime" "$start" \
    --server.port="$port" --server.address=127.0.0.1 \
    "--spring.datasource.url=jdbc:sqlite:$dir/app.db?journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000&foreign_keys=true" \
    --mlpages.data-dir="$dir/data" --mlpages.uploads-dir="$dir/uploads" --mlpages.cache-dir=target/test-cache \
    ${app_args[@]+"${app_args[@]}"} > "$dir/app.log" 2>&1 &
  pid=$!
  wait_credit_answers "$pid" "$url" "$dir/app.log" || exit 1
  wrk -t2 -c"$conns" -d"${warmup}s" -s "$lua" "$url" > "$dir/warmup.txt" 2>&1
  for r in $(seq 1 "$measured"); do
    wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$lua" "$url" > "$dir/round-$r.txt" 2>&1
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  python3 - "$dir/round-$measured.txt" "$dir/gc.log" "$label" "${setting:-as shipped}" >> "$out/results" <<'PY'
import re, sys
wrk, gc, label, setting = sys.argv[1:]
text = open(wrk).read()
def ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p50 = ms(*re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups())
p99 = ms(*re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups())
pauses = [float(m) for m in re.findall(r"Pause Young.* ([\d.]+)ms$", open(gc).read(), re.M)]
mean = sum(pauses) / len(pauses) if pauses else 0.0
print(f"{label}|{setting}|{rps:.0f}|{p50:.2f}|{p99:.2f}|{mean:.2f}|{max(pauses, default=0.0):.2f}")
PY
}

alternate "$rounds" measure "$@"

python3 - "$out/results" "$conns" "$secs" "$measured" "${1:-as shipped}" <<'PY' | tee "$out/credit-tail.md"
import statistics, sys
path, conns, secs, measured, baseline = sys.argv[1:]
rows = [line.rstrip("\n").split("|") for line in open(path)]
print(f"| start | setting | req/s | p50 ms | p99 ms | young pauses: mean / longest ms |")
print("|---|---|---:|---:|---:|---|")
for label, setting, rps, p50, p99, mean, longest in rows:
    print(f"| {label} | {setting} | {int(rps):,} | {p50} | {p99} | {mean} / {longest} |")
print()
print(f"wrk -t2 -c{conns}, round {measured} of {measured} ({secs} s each) after the warm-up; medians over the starts:")
by = {}
for label, setting, rps, p50, p99, mean, longest in rows:
    by.setdefault(setting, []).append((float(rps), float(p99)))
base_rps = statistics.median(r for r, _ in by[baseline])
base_p99 = statistics.median(p for _, p in by[baseline])
for setting, values in by.items():
    rps = statistics.median(r for r, _ in values)
    p99 = statistics.median(p for _, p in values)
    print(f"- {setting}: {rps:,.0f} req/s ({rps / base_rps:.2f}x), p99 {p99:.1f} ms ({p99 / base_p99:.2f}x)")
PY
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
