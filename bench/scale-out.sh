#!/usr/bin/env bash
# One, two and three instances of the packaged jar behind Nginx, on one MariaDB database, as docs/scaling-out.md
# sets them up (issue 21): the same load through Nginx for each count, measured in one sitting. Prints requests/s,
# p50 and p99 per count, the ratio to one instance, and the CPU each request cost the instances and Nginx.
#
# On this machine (2 cores) the instances, Nginx, MariaDB and wrk share the same two cores: more instances cannot
# give more throughput here, only show what scaling out costs (more JVMs, more connections to the database). The
# CPU per request is the figure that carries over: on N machines of C cores each, the instances' throughput is
# about N x C / (instance CPU per request), until the database or Nginx saturate (their CPU per request is printed
# too).
#
#   bench/scale-out.sh                         # credit API and photo API, 40 s warm-up, 20 s measured per count
#   QUICK=1 bench/scale-out.sh                 # 20 s warm-up, 10 s measured: about 6 minutes
#   COUNTS="1 3" CONNS=64 bench/scale-out.sh
#
# Needs wrk, nginx, curl and MariaDB at 127.0.0.1:3306 (root, empty password), as .ci/run provides; uses a database
# of its own (dropped at the end). Writes target/bench/scale-out.md; logs and configurations go to OUT.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=bench/common.sh
source bench/common.sh

QUICK=${QUICK:-0}
if [[ "$QUICK" == 1 ]]; then
	WARMUP=${WARMUP:-20} SECS=${SECS:-10}
fi
WARMUP=${WARMUP:-40}
SECS=${SECS:-20}
COUNTS=${COUNTS:-1 2 3}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
JAR=${JAR:-$ROOT/target/mlpages-0.1.0-SNAPSHOT.jar}
DATABASE=${DATABASE:-mlpages_scale_out_bench}
FIRST_PORT=${FIRST_PORT:-18501}
NGINX_PORT=${NGINX_PORT:-18580}
OUT=${OUT:-$(mktemp -d /tmp/mlpages-scale-out.XXXXXX)}
REPORT_DIR=${REPORT_DIR:-$ROOT/target/bench}
export TF_CPP_MIN_LOG_LEVEL=1

fail() {
	echo "scale-out: $*" >&2
	exit 1
}
for tool in wrk nginx curl mariadb java; do
	command -v "$tool" >/dev/null || fail "$tool is missing"
done
[[ -f "$JAR" ]] || fail "no $JAR: mvn -DskipTests package first"
mkdir -p "$REPORT_DIR"

PIDS=()
NGINX_PREFIX=
stop_all() {
	if [[ -n "$NGINX_PREFIX" && -f "$NGINX_PREFIX/nginx.pid" ]]; then
		kill "$(cat "$NGINX_PREFIX/nginx.pid")" 2>/dev/null || true
	fi
	for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
	PIDS=()
}
trap 'stop_all; mariadb -uroot -e "DROP DATABASE IF EXISTS $DATABASE" || true' EXIT

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

photo_body "$OUT/photo-body"
OPTS=$(unit_java_opts)
export_unit_environment

# Starts $1 instances on a fresh database and shared folder, and Nginx in front of them.
start_cluster() {
	local count=$1 dir=$OUT/n$1 i port servers=""
	mariadb -uroot -e "DROP DATABASE IF EXISTS $DATABASE; CREATE DATABASE $DATABASE CHARACTER SET utf8mb4"
	mkdir -p "$dir/shared/models" "$dir/shared/uploads" "$dir/shared/batches"
	cp models/* "$dir/shared/models/"
	for ((i = 0; i < count; i++)); do
		port=$((FIRST_PORT + i))
		mkdir -p "$dir/i$i"
		# shellcheck disable=SC2086
		java $OPTS -jar "$JAR" --server.port="$port" --server.address=127.0.0.1 \
			--spring.datasource.url="jdbc:mysql://127.0.0.1:3306/$DATABASE" --spring.datasource.username=root \
			--spring.datasource.password= --mlpages.data-dir="$dir/i$i/data" \
			--mlpages.cache-dir=/tmp/mlpages-bench-cache --mlpages.models-dir="$dir/shared/models" \
			--mlpages.uploads-dir="$dir/shared/uploads" --mlpages.batch.work-dir="$dir/shared/batches" \
			--mlpages.sessions.in-database=true \
			>"$dir/i$i/app.log" 2>&1 &
		PIDS+=("$!")
		servers+="		server 127.0.0.1:$port max_fails=2 fail_timeout=10s;"$'\n'
	done
	for ((i = 0; i < count; i++)); do
		wait_healthy "${PIDS[$i]}" $((FIRST_PORT + i)) "$dir/i$i/app.log" || fail "instance $i did not start"
	done
	# the shipped site's upstream and proxy settings, without TLS and without the per-address rate limits (every
	# request of wrk comes from one address)
	NGINX_PREFIX=$dir/nginx
	mkdir -p "$NGINX_PREFIX/logs" "$NGINX_PREFIX/temp"
	# Nginx's workers run as another user than root: they write uploads being received to temp/
	chmod 755 "$OUT" "$dir" "$NGINX_PREFIX"
	chmod 1777 "$NGINX_PREFIX/temp"
	cat >"$NGINX_PREFIX/nginx.conf" <<-EOF
		pid $NGINX_PREFIX/nginx.pid;
		error_log $NGINX_PREFIX/logs/error.log warn;
		worker_processes 1;
		events { worker_connections 1024; }
		http {
			access_log off;
			client_body_temp_path $NGINX_PREFIX/temp/body;
			proxy_temp_path $NGINX_PREFIX/temp/proxy;
			client_max_body_size 16m;
			upstream mlpages_app {
				least_conn;
		$servers
				keepalive 32;
			}
			server {
				listen 127.0.0.1:$NGINX_PORT;
				location / {
					proxy_pass http://mlpages_app;
					proxy_http_version 1.1;
					proxy_set_header Connection "";
					proxy_set_header Host \$host;
					proxy_set_header X-Forwarded-For \$remote_addr;
					proxy_next_upstream error timeout http_502 http_503 http_504;
				}
			}
		}
	EOF
	nginx -p "$NGINX_PREFIX" -c "$NGINX_PREFIX/nginx.conf"
	sleep 1
}

RESULTS=$OUT/results.txt
: >"$RESULTS"
# One wrk run through Nginx: $1 count, $2 kind (credit|photo), $3 seconds, $4 label (empty: warm-up, not kept)
measure() {
	local count=$1 kind=$2 secs=$3 label=$4 lua url before after nginx_before nginx_after result n nginx_pid
	nginx_pid=$(pgrep -P "$(cat "$NGINX_PREFIX/nginx.pid")" | head -1)
	if [[ "$kind" == credit ]]; then
		lua=bench/credit/post-credit.lua url="http://127.0.0.1:$NGINX_PORT/api/v1/models/credit/predictions"
	else
		lua=bench/photo-post.lua url="http://127.0.0.1:$NGINX_PORT/api/v1/models/cat_dog_model/predictions"
	fi
	before=$(cpu_of "${PIDS[@]}")
	nginx_before=$(cpu_of "$nginx_pid")
	wrk -t"$THREADS" -c"$CONNS" -d"${secs}s" --timeout 20s --latency -s "$lua" "$url" >"$OUT/wrk-$count-$kind.txt" 2>&1
	after=$(cpu_of "${PIDS[@]}")
	nginx_after=$(cpu_of "$nginx_pid")
	[[ -z "$label" ]] && return 0
	result=$(grep '^RESULT' "$OUT/wrk-$count-$kind.txt") || fail "wrk printed no result: $(cat "$OUT/wrk-$count-$kind.txt")"
	n=$(field requests "$result")
	echo "count=$count kind=$kind requests=$n seconds=$(field seconds "$result") p50=$(field p50 "$result") p99=$(field p99 "$result") non2xx=$(field non2xx "$result")$(field bad "$result") app_cpu_ms=$(awk -v a="$after" -v b="$before" -v n="$n" 'BEGIN { printf "%.2f", 1000 * (a - b) / n }') nginx_cpu_ms=$(awk -v a="$nginx_after" -v b="$nginx_before" -v n="$n" 'BEGIN { printf "%.3f", 1000 * (a - b) / n }')" |
		tee -a "$RESULTS"
}

for count in $COUNTS; do
	echo "== $count instance(s)"
	start_cluster "$count"
	measure "$count" credit "$WARMUP" ""
	measure "$count" credit "$SECS" kept
	measure "$count" photo $((WARMUP / 2)) ""
	measure "$count" photo "$SECS" kept
	stop_all
done

{
	echo "| instances | load | req/s | x one instance | p50 ms | p99 ms | non-2xx | instances' CPU ms per request | Nginx CPU ms per request |"
	echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
	for kind in credit photo; do
		base=""
		while read -r line; do
			[[ "$(field kind " $line")" == "$kind" ]] || continue
			rps=$(awk -v n="$(field requests " $line")" -v s="$(field seconds " $line")" 'BEGIN { printf "%.1f", n / s }')
			[[ -z "$base" ]] && base=$rps
			printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(field count " $line")" \
				"$([[ $kind == credit ]] && echo "credit API, JSON" || echo "photo API, 1 photo")" "$rps" \
				"$(awk -v a="$rps" -v b="$base" 'BEGIN { printf "%.2f", a / b }')" "$(field p50 " $line")" \
				"$(field p99 " $line")" "$(field non2xx " $line")" "$(field app_cpu_ms " $line")" "$(field nginx_cpu_ms " $line")"
		done <"$RESULTS"
	done
	echo
	echo "$CONNS connections from wrk ($THREADS threads), ${SECS} s measured after a warm-up, on $(nproc) cores shared by the instances, Nginx, MariaDB and wrk; $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)."
} | tee "$REPORT_DIR/scale-out.md"
