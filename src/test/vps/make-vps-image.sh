#!/usr/bin/env bash
# The hooks' "$1" is mmdebstrap's (the root folder being made), expanded by the hook's own shell.
# shellcheck disable=SC2016
# Makes localhost/mlpages-test-vps: a fresh Debian server as a hosting provider hands it over, for
# DeployToAVpsIT to run deploy/deploy.sh against. sshd is its only service (started by its entry point, since
# a container has no systemd); root's ~/.ssh is where the provider would put the customer's key.
#
#   src/test/vps/make-vps-image.sh        # prints the image's name
#
# Made with mmdebstrap from this machine's own apt sources (no image registry is needed). The heavy packages
# the set-up installs (Java, Nginx, fail2ban with its Python) and rkhunter (whose installation records a
# baseline of every system file: minutes on a busy CI machine) are already in it, to keep the test within a few
# minutes on 2 cores; the light ones (ufw, sqlite3, unattended-upgrades, dig) are left out on purpose, so that
# every run proves setup-server.sh installs what a server lacks. certbot is there too, and pebble (Let's
# Encrypt's test server, which src/test/vps/pebble.sh starts in its place): once the first deploy has set
# rkhunter's APT_AUTOGEN, every later apt run re-records rkhunter's baseline, which takes minutes there. An image that exists with the
# same recipe (a label holds a hash of this script) is kept: making it takes about 2 minutes.
set -euo pipefail
image=localhost/mlpages-test-vps
suite=${MLPAGES_DEBIAN_SUITE:-bookworm}
label=$({ cat "$0"; echo "$suite"; } | sha256sum | cut -c1-16)

have=$(podman image inspect --format '{{ index .Labels "org.mlpages.recipe" }}' "$image" 2>/dev/null || true)
if [ "$have" = "$label" ]; then
  echo "$image"
  exit 0
fi
# an image of an older recipe, removed once the new one has its name (with vfs storage each holds 500 MB)
old=$(podman image inspect --format '{{ .Id }}' "$image" 2>/dev/null || true)

tarball=$(mktemp --suffix=.tar)
trap 'rm -f "$tarball"' EXIT
mmdebstrap --quiet --variant=apt --format=tar \
  --include=openssh-server,sudo,adduser,iproute2,procps,ca-certificates,curl,openssl,openjdk-17-jre-headless,nginx,fail2ban,python3-systemd,rkhunter,certbot,pebble \
  --customize-hook='rm -f "$1"/etc/ssh/ssh_host_*' \
  --customize-hook='mkdir -p -m 0700 "$1"/root/.ssh' \
  --customize-hook='printf "%s\n" "#!/bin/sh" "# a fresh host key per server, as on a first boot" "ssh-keygen -A >/dev/null" "mkdir -p /run/sshd" "exec /usr/sbin/sshd -D -e" > "$1"/usr/local/sbin/vps-init && chmod 0755 "$1"/usr/local/sbin/vps-init' \
  --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' \
  "$suite" "$tarball"
podman import --quiet --change "LABEL org.mlpages.recipe=$label" --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["/usr/local/sbin/vps-init"]' "$tarball" "$image" >/dev/null
[ -z "$old" ] || podman rmi "$old" >/dev/null 2>&1 || true
echo "made $image" >&2
echo "$image"
