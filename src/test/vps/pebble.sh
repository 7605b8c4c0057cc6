#!/usr/bin/env bash
# Runs ON the test server (DeployToAVpsIT pipes it in), as root: a stand-in for Let's Encrypt. Pebble, Let's
# Encrypt's own test ACME server (Debian's package), answers at https://127.0.0.1:14000/dir and validates
# HTTP-01 challenges on port 80 of this server: its DNS (pebble-challtestsrv) answers every name with this
# server's address. Its API certificate and the root it issues from are added to the system's trusted CAs, as
# Let's Encrypt's are on a real server, so that certbot and curl need no option.
set -euo pipefail
if ! command -v pebble >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends pebble >/dev/null
fi
install -d -m 0700 /etc/pebble
cd /etc/pebble
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=pebble-api-ca -keyout ca.key -out ca.pem 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout key.pem -out api.csr 2>/dev/null
openssl x509 -req -in api.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -out cert.pem \
  -extfile <(printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n') 2>/dev/null
cat >config.json <<'JSON'
{"pebble": {"listenAddress": "127.0.0.1:14000", "managementListenAddress": "127.0.0.1:15000",
  "certificate": "/etc/pebble/cert.pem", "privateKey": "/etc/pebble/key.pem",
  "httpPort": 80, "tlsPort": 443, "ocspResponderURL": "", "externalAccountBindingRequired": false}}
JSON
address=$(ip -o -4 addr show scope global | awk '{ print $4 }' | cut -d/ -f1 | head -1)
setsid pebble-challtestsrv -defaultIPv4 "$address" -defaultIPv6 "" -dns01 127.0.0.1:8053 -http01 "" \
  -https01 "" -tlsalpn01 "" -management 127.0.0.1:8055 </dev/null >/var/log/pebble-dns.log 2>&1 &
# PEBBLE_VA_NOSLEEP: validate at once (Pebble otherwise waits up to 15 s, as a real CA might).
# PEBBLE_WFE_NONCEREJECT=0: Pebble refuses 5 % of valid nonces by default, to exercise clients' retries; certbot
# retries once, so two refusals in a row failed a request at random (certbot 2.1 on Python 3.11 then says only
# "AttributeError: can't set attribute", certbot#9539). The variable's name is the one Pebble's binary reads; an
# earlier misspelling (WSFE) was ignored without a word, hence the check of Pebble's own log below.
PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 setsid pebble -config config.json -dnsserver 127.0.0.1:8053 \
  </dev/null >/var/log/pebble.log 2>&1 &
for _ in $(seq 1 100); do
  curl -fsS --cacert ca.pem https://127.0.0.1:15000/roots/0 -o root.pem 2>/dev/null && break
  sleep 0.2
done
[ -s root.pem ] || { cat /var/log/pebble.log >&2; exit 1; }
grep -q 'reject 0% of good nonces' /var/log/pebble.log \
  || { echo "Pebble still refuses good nonces at random:" >&2; cat /var/log/pebble.log >&2; exit 1; }
cp ca.pem /usr/local/share/ca-certificates/pebble-api-ca.crt
cp root.pem /usr/local/share/ca-certificates/pebble-root.crt
update-ca-certificates >/dev/null 2>&1
echo "Pebble answers at https://127.0.0.1:14000/dir; names resolve to $address"
