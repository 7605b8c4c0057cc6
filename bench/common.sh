# shellcheck shell=bash
# Shared by the shell benchmarks: the photo bench/photo-post.lua posts with wrk, starting the jar as a server does. Source it from the
# project root.

# The multipart body bench/photo-post.lua posts, written to $1: the benchmark photo as the API's "image" part.
# Exports BODY_FILE and BOUNDARY for the lua script.
photo_body() {
  python3 - "$1" <<'PY'
import sys
b = b"----mlpagesbench7d1f"
photo = open("src/test/resources/photos/cdf_validation_dog.2005.jpg", "rb").read()
open(sys.argv[1], "wb").write(b"--" + b + b'\r\nContent-Disposition: form-data; name="image"; '
    b'filename="cdf_validation_dog.2005.jpg"\r\nContent-Type: image/jpeg\r\n\r\n' + photo + b"\r\n--" + b + b"--\r\n")
PY
  export BODY_FILE=$1 BOUNDARY=----mlpagesbench7d1f
}

# Waits (at most 2 minutes) until the app of process $1 answers /actuator/health on port $2 with 200; fails with
# the end of its log ($3) if the process ends first.
wait_healthy() {
  local pid=$1 port=$2 log=$3
  for _ in $(seq 1 240); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "127.0.0.1:$port/actuator/health")" = 200 ] && return 0
    kill -0 "$pid" 2>/dev/null || { tail -20 "$log" >&2; return 1; }
    sleep 0.5
  done
  echo "the app on port $port was not healthy within 2 minutes; see $log" >&2
  return 1
}

# Waits (at most 3 minutes) until the credit API at $2 answers bench/credit/sample.json with 200; fails with the end
# of the server's log ($3) if its process ($1) ends first.
wait_credit_answers() {
  local pid=$1 url=$2 log=$3 code
  for _ in $(seq 1 360); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
      --data @bench/credit/sample.json "$url" || true)
    [ "$code" = 200 ] && return 0
    kill -0 "$pid" 2>/dev/null || { tail -20 "$log" >&2; echo "the server of $url ended (see $log)" >&2; return 1; }
    sleep 0.5
  done
  echo "$url did not answer 200 within 3 minutes (see $log)" >&2
  return 1
}

# The systemd unit keeps the shipped Java options and the process's environment; the benchmarks read them from it so
# that they measure the app as a server runs it, and follow the unit when it changes.
UNIT=$PWD/deploy/systemd/mlpages.service

# The unit's Java options (its JAVA_OPTS line), as one string
unit_java_opts() {
  sed -n 's/^Environment="JAVA_OPTS=\(.*\)"$/\1/p' "$UNIT"
}

# Exports the unit's settings for the process itself: MALLOC_* (glibc's allocator) and TF_* (TensorFlow's log). The
# app's own settings (SERVER_*) are left out: each benchmark gives its port and address on the command line.
export_unit_environment() {
  local name value
  while IFS='=' read -r name value; do
    export "$name=$value"
  done < <(sed -n 's/^Environment=\(\(MALLOC\|TF\)_[A-Z_]*=.*\)$/\1/p' "$UNIT")
}

# Starts the packaged jar $1 in the folder $2 (with a copy of models/) on port $3 with the systemd unit's Java
# options and environment, as a server runs it; sets APP to its pid, stops it when the script exits, and waits until
# it is healthy.
start_as_the_unit() {
  local jar=$1 dir=$2 port=$3 opts
  mkdir -p "$dir/models"
  cp models/* "$dir/models/"
  opts=$(unit_java_opts)
  # shellcheck disable=SC2086
  (cd "$dir" && export_unit_environment && exec java $opts -jar "$jar" --server.port="$port" >"$dir/app.log" 2>&1) &
  APP=$!
  # shellcheck disable=SC2064
  trap "kill $APP 2>/dev/null || true; wait $APP 2>/dev/null || true" EXIT
  wait_healthy "$APP" "$port" "$dir/app.log"
}

# CPU seconds (user + system) the processes given by pid have used so far (all their threads); a pid gone counts 0
cpu_of() {
  local total=0 pid
  for pid in "$@"; do
    [[ -r "/proc/$pid/stat" ]] || continue
    total=$(awk -v t="$total" -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", t + ($14 + $15) / hz }' "/proc/$pid/stat")
  done
  echo "$total"
}

# Runs FUNCTION SETTING LABEL for every setting, ROUNDS times, the order reversed every other round (A B, B A, ...)
# so that neither setting always runs on a machine the other has just warmed; LABEL is rROUND-I.
#   alternate ROUNDS FUNCTION SETTING...
alternate() {
  local rounds=$1 run=$2 round i setting order
  shift 2
  for round in $(seq "$rounds"); do
    order=("$@")
    if [ $((round % 2)) = 0 ]; then order=(); for ((i = $#; i >= 1; i--)); do order+=("${!i}"); done; fi
    i=0
    for setting in "${order[@]}"; do
      i=$((i + 1))
      "$run" "$setting" "r$round-$i"
    done
  done
}
