# Shared by the shell benchmarks that post the benchmark photo with wrk (bench/photo-post.lua). Source it from the
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
