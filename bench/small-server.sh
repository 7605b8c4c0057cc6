#!/usr/bin/env bash
# Issue 16's four goals for the cheapest VPS, measured side by side in one run, and written into docs/benchmarks.md
# (between the "small-server" markers) with the machine, the commit and the command: the summary table, then each
# part's own table.
#   start    bench/start.sh              the fat jar, the systemd unit's start (Java 17 and 25) and the container
#   memory   bench/memory.sh             RSS with every model loaded under the mixed load, the shipped settings
#   photos   bench/photos-under-load.sh  64 clients uploading photos against in-process batches of 8
#   credit   bench/credit-vs-peer.sh     the credit API against the Python peer (../shared/peers), same sitting
#
#   bench/small-server.sh                # build, then all four (about 40 minutes on 2 idle cores)
#   QUICK=1 bench/small-server.sh        # shortened runs of each (about 15 minutes); not written to the docs
#   BENCH_SKIP_BUILD=1 PARTS="start credit" bench/small-server.sh   # some parts again (not written to the docs)
#   COLLECT=1 bench/small-server.sh      # no run: the table from the parts' last outputs in target/bench, into the docs
# Each part's own comments say what it runs and what it needs (curl, wrk, podman for the container, Python's
# Flask, scikit-learn and gunicorn for the peer). Only 127.0.0.1 is contacted.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
source bench/common.sh
parts=${PARTS:-start memory photos credit}
out=target/bench
mkdir -p "$out"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] && [ "${COLLECT:-0}" != 1 ]; then
  mvn -B -q -DskipTests package
fi
# the shortened runs of each part (bench/start.sh and bench/credit-vs-peer.sh read ROUNDS and QUICK)
if [ "${QUICK:-0}" = 1 ]; then
  export ROUNDS=1 QUICK=1
fi

started=$(date -u '+%Y-%m-%d %H:%M')
declare -A script=([start]=bench/start.sh [memory]=bench/memory.sh [photos]=bench/photos-under-load.sh
  [credit]=bench/credit-vs-peer.sh)
declare -A title=([start]="Start" [memory]="Memory" [photos]="Photos under load" [credit]="Credit API")
unit_opts=$(unit_java_opts)
jdk25=
for home in /usr/lib/jvm/*/; do
  grep -qE '^JAVA_VERSION="(2[5-9]|[3-9][0-9])' "$home/release" 2>/dev/null && jdk25=${home%/}
done
jars=(target/mlpages-*.jar)

# each part writes target/bench/PART.md (its table) and PART.verdict (its row of the summary)
run_part() {
  case $1 in
    start) bench/start.sh ;;
    memory)
      MEMORY_QUICK=${QUICK:-0} bench/memory.sh shipped
      cp target/bench/memory/shipped.md "$out/memory.md"
      cp target/bench/memory/shipped.verdict "$out/memory.verdict" ;;
    photos)
      BENCH_QUICK=${QUICK:-0} bench/photos-under-load.sh
      cp "$out/photos-under-load.md" "$out/photos.md"
      photos_verdict "$out/photos.md" > "$out/photos.verdict" ;;
    credit)
      # the app as the unit starts it: bin/run-prepared.sh's start with Java 25 (as the image) and the unit's options
      local start_dir=$out/credit-start
      rm -rf "$start_dir"
      JAVA_HOME=$jdk25 JAVA_OPTS=$unit_opts MLPAGES_START_DIR=$start_dir MLPAGES_CACHE_DIR=target/test-cache \
        bin/run-prepared.sh --prepare-only "${jars[0]}"
      (export_unit_environment && START=$(ls "$start_dir"/*/start.sh) JAVA_OPTS=$unit_opts bench/credit-vs-peer.sh)
      cp "$out/credit-vs-peer.md" "$out/credit.md" ;;
  esac
}

# the summary row of the photos part, from the verdict lines PhotosUnderLoad writes under its tables
photos_verdict() {
  local goal cpu lone p99 verdict=missed
  goal=$(sed -n 's/^Goal photos\/s over HTTP[^:]*: //p' "$1")
  cpu=$(sed -n 's/^CPU-bound ratio.*: in-process pipeline batched by 8 \([^;]*\);.*/\1/p' "$1")
  lone=$(sed -n 's/^Goal lone request slowed by[^:]*: //p' "$1")
  p99=$(sed -n 's/^Batching on vs off over HTTP: //p' "$1")
  if [[ $goal == *"-> MET"* && $lone == *"-> MET"* ]]; then verdict=met; fi
  echo "| Photos under load | 64 clients over HTTP >= 95 % of the in-process batch-8 throughput; p99 against a single" \
    "photo; a lone request slowed <= 1 ms | ${goal:-?}; CPU per photo: ${cpu:-?}; ${p99:-?}; lone request: ${lone:-?}" \
    "| $verdict |"
}

ran=()
for part in $parts; do
  [ -n "${script[$part]:-}" ] || { echo "no part named $part (start, memory, photos, credit)" >&2; exit 2; }
  if [ "${COLLECT:-0}" = 1 ]; then
    ran+=("$part")
    continue
  fi
  rm -f "$out/$part.md" "$out/$part.verdict"
  echo "== $part: ${script[$part]} ($(date -u '+%H:%M') UTC, load $(cut -d' ' -f1 /proc/loadavg))"
  if ! run_part "$part" > "$out/$part.log" 2>&1; then
    tail -20 "$out/$part.log" >&2
    echo "$part failed; see $out/$part.log" >&2
    echo "| ${title[$part]} | | failed: see $out/$part.log | failed |" > "$out/$part.verdict"
  fi
  cat "$out/$part.verdict" 2>/dev/null || true
  ran+=("$part")
done

{
  echo "<!-- small-server:begin (written by bench/small-server.sh; edits between the markers are lost) -->"
  if [ "${COLLECT:-0}" = 1 ]; then
    echo "Collected $started UTC from the parts' last runs (each table gives its own time; some parts were run again" \
      "alone with PARTS=...) on"
  else
    echo "Measured $started UTC to $(date -u '+%H:%M') UTC on"
  fi
  echo " $(nproc) cores ($(sed -n 's/^model name\t: //p' /proc/cpuinfo | head -1)," \
    "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)), commit $(git rev-parse --short HEAD)," \
    "load average at the end $(cut -d' ' -f1-3 /proc/loadavg); command: \`bench/small-server.sh\`."
  echo
  echo "| goal | target | measured | verdict |"
  echo "|---|---|---|---|"
  for part in "${ran[@]}"; do
    cat "$out/$part.verdict" 2>/dev/null || echo "| ${title[$part]} | | no summary written | ? |"
  done
  for part in "${ran[@]}"; do
    echo
    echo "#### ${title[$part]} (\`${script[$part]}\`)"
    echo
    # the parts' own headings go below this one's
    sed 's/^#\{1,4\} /##### /' "$out/$part.md" 2>/dev/null || echo "(no table: see target/bench/$part.log)"
  done
  echo "<!-- small-server:end -->"
} > "$out/small-server.md"
cat "$out/small-server.md"

# into the docs, in place of the previous run's figures (a shortened run or a partial one is not written)
if [ "${QUICK:-0}" != 1 ] && [ -z "${PARTS:-}" ]; then
  python3 - "$out/small-server.md" docs/benchmarks.md <<'PY'
import re, sys
table = open(sys.argv[1]).read().strip()
docs = open(sys.argv[2]).read()
pattern = re.compile(r"<!-- small-server:begin.*?<!-- small-server:end -->", re.S)
if not pattern.search(docs):
    sys.exit("docs/benchmarks.md has no small-server markers")
open(sys.argv[2], "w").write(pattern.sub(lambda _: table, docs))
PY
  echo "written into docs/benchmarks.md"
fi
