#!/bin/bash
# The image's HEALTHCHECK: asks the app's health endpoint with bash alone (no curl or wget in the runtime image)
# and succeeds only on an HTTP 200 whose body says UP. Used by `docker/podman healthcheck` and by operators.
set -euo pipefail
port=${SERVER_PORT:-8080}
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /actuator/health HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
answer=$(timeout 2 cat <&3)
[[ "$answer" == "HTTP/1.1 200"* ]] && [[ "$answer" == *'"status":"UP"'* ]]
