#!/usr/bin/env bash
# Sets up a Debian or Ubuntu server for mlpages and installs a release of it. Runs ON the server, as root;
# deploy/deploy.sh copies it there with the jar and runs it over SSH, and most operators never call it by hand.
#
#   setup-server.sh --domain example.org --email you@example.org --jar mlpages.jar [--models DIR]
#                   [--release NAME] [--self-signed] [--skip-dns-check] [--expect-ip ADDR]...
#                   [--acme-server URL] [--dry-run]
#   setup-server.sh --rollback [--restore-database] [--dry-run]
#
# What it makes sure of, in this order (each step checks first and changes only what differs, so a second run
# changes nothing and says so):
#   packages    Java (Debian's newest OpenJDK of 25, 21, 17), Nginx, sqlite3, ufw, fail2ban, rkhunter,
#               unattended-upgrades, certbot, dig; installed only when missing
#   account     a system user "mlpages" with no login shell; /opt/mlpages (releases, read-only to the app) and
#               /var/lib/mlpages (data/, uploads/, models/, backups/; the app's own); secrets.yml (mode 0600)
#               made once with a random admin password, never overwritten
#   firewall    ufw: incoming denied but SSH (the ports sshd listens on), 80 and 443
#   ssh         a drop-in: keys only, no passwords; root with a key only (no root login at all when the deploy
#               came through a sudo user); checked with `sshd -t` before sshd reloads
#   fail2ban    a jail for sshd
#   upgrades    unattended-upgrades on (security updates every day)
#   rootkits    rkhunter with a baseline of this system and a weekly check (a systemd timer)
#   tls         a certificate at certbot's paths: certbot in webroot mode (after checking that the domain points
#               here), or a self-signed one with --self-signed (tests; trying it without a domain)
#   release     the jar in /opt/mlpages/releases/NAME, `current` switched to it after a backup of the database
#   service     the systemd unit and the Nginx site installed and enabled; restarted or reloaded when changed
#   backups     deploy/backup's scripts in /usr/local/lib/mlpages and the nightly mlpages-backup.timer
#   health      https://DOMAIN/actuator/health answered through this server's Nginx
# --rollback points `current` back to the release installed before it and restarts (backup first); with
# --restore-database it also puts back the database as it was before the current release was installed.
# --dry-run prints every change it would make, and makes none.
set -euo pipefail
umask 022

KIT=$(cd "$(dirname "$0")" && pwd)
OPT=/opt/mlpages
VAR=/var/lib/mlpages
APP_USER=mlpages
STATE=$OPT/deploy.env
SITE=/etc/nginx/sites-available/mlpages.conf
SITE_LINK=/etc/nginx/sites-enabled/mlpages.conf
UNIT=/etc/systemd/system/mlpages.service
SSHD_DROPIN=/etc/ssh/sshd_config.d/10-mlpages.conf
JAIL=/etc/fail2ban/jail.d/mlpages.local
AUTO_UPGRADES=/etc/apt/apt.conf.d/20auto-upgrades
ACME_ROOT=/var/www/letsencrypt
PID_FILE=/run/mlpages.pid
APP_LOG=/var/log/mlpages/app.log
KEEP_RELEASES=5
KEEP_DEPLOY_BACKUPS=10

usage() {
  awk 'NR > 1 { if (!/^#/) exit; sub(/^# ?/, ""); print }' "$0"
  exit "${1:-2}"
}

die() {
  echo "setup-server: $*" >&2
  exit 1
}

domain="" email="" jar="" models="" release="" self_signed=0 skip_dns=0 dry_run=0 rollback=0 wait_seconds=240
restore_database=0 acme_server=""
expect_ips=()
while [ $# -gt 0 ]; do
  case $1 in
    --domain) domain=${2:?--domain needs a value}; shift 2 ;;
    --email) email=${2:?--email needs a value}; shift 2 ;;
    --jar) jar=${2:?--jar needs a path}; shift 2 ;;
    --models) models=${2:?--models needs a folder}; shift 2 ;;
    --release) release=${2:?--release needs a name}; shift 2 ;;
    --self-signed) self_signed=1; shift ;;
    --skip-dns-check) skip_dns=1; shift ;;
    --expect-ip) expect_ips+=("${2:?--expect-ip needs an address}"); shift 2 ;;
    --wait) wait_seconds=${2:?--wait needs seconds}; shift 2 ;;
    --rollback) rollback=1; shift ;;
    --restore-database) restore_database=1; shift ;;
    --acme-server) acme_server=${2:?--acme-server needs a URL}; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    -h | --help) usage 0 ;;
    *) echo "setup-server: unknown option $1" >&2; usage ;;
  esac
done

if [ ! -f /etc/debian_version ] || ! command -v apt-get >/dev/null; then
  die "this script sets up Debian or Ubuntu servers (apt, /etc/debian_version); this one is neither."
fi
if [ "$dry_run" = 0 ] && [ "$(id -u)" != 0 ]; then
  die "run it as root (sudo $0 ...), or with --dry-run to see what it would do."
fi

# A rollback needs no options: the domain and the way the certificate was made are those of the last deploy.
if [ "$rollback" = 1 ] && [ -z "$domain" ] && [ -f "$STATE" ]; then
  domain=$(sed -n 's/^DOMAIN=//p' "$STATE")
  [ "$(sed -n 's/^SELF_SIGNED=//p' "$STATE")" = 1 ] && self_signed=1
fi
[ -n "$domain" ] || die "--domain is required (the name the site answers to, e.g. --domain ml.example.org)."
[[ $domain =~ ^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z][a-zA-Z0-9-]{0,61}[a-zA-Z0-9]$ ]] \
  || die "--domain \"$domain\" is not a domain name (expected something like ml.example.org)."
if [ "$rollback" = 0 ] && [ "$self_signed" = 0 ]; then
  [[ $email =~ ^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$ ]] \
    || die "--email is required for Let's Encrypt (it warns there before a certificate expires); or use --self-signed."
fi
if [ "$rollback" = 0 ]; then
  if [ -n "$jar" ]; then
    [ -s "$jar" ] || die "--jar $jar: no such file (or empty)."
  elif [ -z "$release" ] || { [ ! -f "$OPT/releases/$release/mlpages.jar" ] && [ "$dry_run" = 0 ]; }; then
    die "--jar is required (the mlpages jar to install) unless --release names one already installed."
  fi
  [ -z "$models" ] || [ -d "$models" ] || die "--models $models: no such folder."
  [ -f "$KIT/nginx/mlpages.conf" ] || die "$KIT/nginx/mlpages.conf is missing: run this script from the deploy/ folder."
  [ -f "$KIT/systemd/mlpages.service" ] || die "$KIT/systemd/mlpages.service is missing: run this script from the deploy/ folder."
  [ -f "$KIT/nginx/mlpages-acme.conf" ] || die "$KIT/nginx/mlpages-acme.conf is missing: run this script from the deploy/ folder."
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ---------------------------------------------------------------------------------------------------- helpers

changes=0
changed_now=0

# change "what": one change, made now or only printed (--dry-run); every change goes through here
change() {
  changes=$((changes + 1))
  changed_now=1
  if [ "$dry_run" = 1 ]; then echo "  would: $*"; else echo "  change: $*"; fi
}

# run CMD...: runs it, or prints it under --dry-run
run() {
  if [ "$dry_run" = 1 ]; then
    echo "      $*"
  else
    "$@"
  fi
}

# quietly CMD...: like run, but what it prints is shown only if it fails (apt's and ufw's chatter)
quietly() {
  if [ "$dry_run" = 1 ]; then
    echo "      $*"
  elif ! "$@" >"$work/output" 2>&1; then
    cat "$work/output" >&2
    die "failed: $*"
  fi
}

note() { echo "  $*"; }

section() { echo "- $*"; }

# install_file SOURCE DEST MODE OWNER:GROUP: copies when the content, mode or owner differ; changed_now says
install_file() {
  local source=$1 dest=$2 mode=$3 owner=$4 why=""
  changed_now=0
  if [ ! -e "$dest" ]; then
    why="new"
  elif ! cmp -s "$source" "$dest"; then
    why="content changed"
  elif [ "$(stat -c %a "$dest")" != "${mode#0}" ] || [ "$(stat -c %U:%G "$dest")" != "$owner" ]; then
    why="mode or owner"
  fi
  [ -n "$why" ] || return 0
  change "write $dest ($why)"
  if [ "$dry_run" = 0 ]; then
    install -D -m "$mode" -o "${owner%%:*}" -g "${owner##*:}" "$source" "$dest"
  fi
}

# ensure_dir PATH MODE OWNER:GROUP
ensure_dir() {
  local path=$1 mode=$2 owner=$3
  if [ ! -d "$path" ]; then
    change "create $path ($owner, $mode)"
    run install -d -m "$mode" -o "${owner%%:*}" -g "${owner##*:}" "$path"
  elif [ "$(stat -c %a "$path")" != "${mode#0}" ] || [ "$(stat -c %U:%G "$path")" != "$owner" ]; then
    change "set $path to $owner, $mode"
    run chown "$owner" "$path"
    run chmod "$mode" "$path"
  fi
}

# systemd manages services only when it runs as PID 1 (not in a container like the tests' one)
has_systemd() { [ -d /run/systemd/system ]; }

in_container() {
  [ -f /run/.containerenv ] || [ -f /.dockerenv ] || grep -qaE '^container=' /proc/1/environ 2>/dev/null
}

installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

candidate() {
  local version
  version=$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p')
  [ -n "$version" ] && [ "$version" != "(none)" ]
}

# ------------------------------------------------------------------------------------------------ packages

apt_updated=0
apt_update() {
  if [ "$apt_updated" = 0 ]; then
    quietly apt-get update
    apt_updated=1
  fi
}

install_packages() {
  section "packages"
  local wanted=(nginx sqlite3 ufw fail2ban python3-systemd rkhunter unattended-upgrades openssl curl ca-certificates
    bind9-dnsutils)
  [ "$self_signed" = 1 ] || wanted+=(certbot)
  local missing=() package java=""
  for package in openjdk-17-jre-headless openjdk-21-jre-headless openjdk-25-jre-headless; do
    if installed "$package"; then java=$package; break; fi
  done
  if [ -z "$java" ]; then
    # Debian 12 has 17, Debian 13 has 21 and 25: any of them runs the jar; the newest starts fastest (Java 25's
    # AOT cache: docs/benchmarks.md, "Start-up")
    [ "$dry_run" = 1 ] || apt_update
    for package in openjdk-25-jre-headless openjdk-21-jre-headless openjdk-17-jre-headless; do
      if candidate "$package"; then java=$package; break; fi
    done
    missing+=("${java:-openjdk-17-jre-headless}")
  fi
  for package in "${wanted[@]}"; do
    installed "$package" || missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    note "all installed ($java, nginx, sqlite3, ufw, fail2ban, rkhunter, unattended-upgrades, ...)"
    return
  fi
  change "install ${missing[*]}"
  apt_update
  # --no-install-recommends: rkhunter would otherwise bring a mail server
  quietly env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

# -------------------------------------------------------------------------------------------------- account

make_secrets() {
  local password
  password=$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 24 || true)
  cat >"$work/secrets.yml" <<YAML
# Made by deploy/setup-server.sh on $(date -u +%Y-%m-%d); it never overwrites this file. Readable by the
# service user only (0600). Every setting the app takes, with its default: application.yml.example.
mlpages:
  admin:
    username: admin
    # plain: hashed at start-up (the log then suggests storing password-hash instead)
    password: "$password"
YAML
}

setup_account() {
  section "user and folders"
  if ! getent passwd "$APP_USER" >/dev/null; then
    change "create system user $APP_USER (no login shell, home $VAR)"
    run useradd --system --user-group --home-dir "$VAR" --no-create-home --shell /usr/sbin/nologin "$APP_USER"
  fi
  # the code is root's (the app cannot change it); the data is the app's, and nobody else's
  ensure_dir "$OPT" 0755 root:root
  ensure_dir "$OPT/releases" 0755 root:root
  ensure_dir "$VAR" 0750 "$APP_USER:$APP_USER"
  local folder
  for folder in data uploads models; do
    ensure_dir "$VAR/$folder" 0750 "$APP_USER:$APP_USER"
  done
  # 0700: what mlpages-backup.service's StateDirectoryMode makes it at each run
  ensure_dir "$VAR/backups" 0700 "$APP_USER:$APP_USER"
  if [ ! -e "$VAR/secrets.yml" ]; then
    make_secrets
    change "write $VAR/secrets.yml (0600, $APP_USER) with a random admin password"
    [ "$dry_run" = 1 ] || install -m 0600 -o "$APP_USER" -g "$APP_USER" "$work/secrets.yml" "$VAR/secrets.yml"
    new_secrets=1
  elif [ "$(stat -c %a:%U "$VAR/secrets.yml")" != "600:$APP_USER" ]; then
    change "set $VAR/secrets.yml to 0600, owner $APP_USER (its content is kept)"
    run chown "$APP_USER:$APP_USER" "$VAR/secrets.yml"
    run chmod 0600 "$VAR/secrets.yml"
  fi
}

# ------------------------------------------------------------------------------------------------- firewall

ssh_ports() {
  local ports
  ports=$(sshd -T 2>/dev/null | awk '$1 == "port" { print $2 }' | sort -u | paste -sd' ' || true)
  echo "${ports:-22}"
}

setup_firewall() {
  section "firewall (ufw)"
  if ! command -v ufw >/dev/null; then
    note "ufw is not installed yet: after it is, incoming will be denied but SSH ($(ssh_ports)), 80 and 443"
    return
  fi
  if [ "$(sed -n 's/^DEFAULT_INPUT_POLICY="\(.*\)"/\1/p' /etc/default/ufw)" != DROP ]; then
    change "deny incoming connections by default"
    quietly ufw default deny incoming
  fi
  local added port
  added=$(ufw show added 2>/dev/null || true)
  # SSH first: enabling a firewall that does not let SSH in would cut the deploy off
  for port in $(ssh_ports) 80 443; do
    if ! grep -qx "ufw allow $port/tcp" <<<"$added"; then
      change "allow incoming TCP port $port"
      quietly ufw allow "$port/tcp"
    fi
  done
  # read whole: with pipefail, grep -q leaving early would fail ufw's write (SIGPIPE) and the test with it
  local status
  status=$(ufw status 2>/dev/null || true)
  if grep -q '^Status: active' <<<"$status"; then
    return
  fi
  if ! iptables -w -L INPUT -n >/dev/null 2>&1 && in_container; then
    # a container has no netfilter of its own to change (no CAP_NET_ADMIN); its host filters for it
    note "NOT IN FORCE: this is a container without netfilter rights; the rules are written (/etc/ufw/user.rules) but ufw cannot be enabled here"
    return
  fi
  change "enable ufw"
  quietly ufw --force enable
}

# ------------------------------------------------------------------------------------------------------ ssh

setup_ssh() {
  section "ssh"
  local deployer=${SUDO_USER:-root} root_login=prohibit-password home
  # The deploy needs no root login when it came through a sudo user; through root, root keeps key logins.
  [ "$deployer" = root ] || root_login=no
  home=$(getent passwd "$deployer" | cut -d: -f6)
  cat >"$work/sshd.conf" <<CONF
# Made by mlpages' deploy/setup-server.sh. sshd keeps the first value it reads for a setting, and this file is
# read before sshd_config's own lines and before other drop-ins named after it (such as 50-cloud-init.conf).
# Keys only: passwords are what bots guess.
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitEmptyPasswords no
PubkeyAuthentication yes
# prohibit-password: root may log in with a key only; no: not at all (the deploy came through a sudo user)
PermitRootLogin $root_login
CONF
  if ! grep -qiE '^\s*Include\s+/etc/ssh/sshd_config\.d/\*\.conf' /etc/ssh/sshd_config 2>/dev/null; then
    note "WARNING: /etc/ssh/sshd_config does not include /etc/ssh/sshd_config.d/*.conf; add that line at its top"
  fi
  if [ ! -s "$home/.ssh/authorized_keys" ]; then
    # turning passwords off would lock out an operator who logs in with one
    if [ "$dry_run" = 1 ]; then
      note "WARNING: $deployer has no key in $home/.ssh/authorized_keys: the real run stops here"
    else
      die "$deployer has no key in $home/.ssh/authorized_keys: turning password logins off would lock you out. Add your key first (ssh-copy-id $deployer@this-server) and run this again."
    fi
  fi
  install_file "$work/sshd.conf" "$SSHD_DROPIN" 0644 root:root
  [ "$changed_now" = 1 ] || return 0
  note "keys only; root logins: $root_login (the deploy came as $deployer)"
  [ "$dry_run" = 0 ] || { echo "      sshd -t && reload sshd"; return 0; }
  if ! sshd -t; then
    rm -f "$SSHD_DROPIN"
    die "sshd -t refused the configuration with $SSHD_DROPIN; it was removed and sshd left as it was."
  fi
  # sshd keeps the first value it reads: a file read before this one would win
  local effective
  effective=$(sshd -T 2>/dev/null || true)
  if ! grep -qx 'passwordauthentication no' <<<"$effective"; then
    die "another sshd configuration file read before $SSHD_DROPIN keeps password logins on: see sshd -T and /etc/ssh/sshd_config.d/."
  fi
  if has_systemd; then
    systemctl try-reload-or-restart ssh.service
  elif [ -f /run/sshd.pid ] && kill -0 "$(cat /run/sshd.pid)" 2>/dev/null; then
    # what the ssh unit's reload does; sessions already open stay open
    kill -HUP "$(cat /run/sshd.pid)"
  else
    note "sshd is not running under systemd and has no /run/sshd.pid: reload it yourself"
  fi
}

# ------------------------------------------------------------------------------- fail2ban, upgrades, rootkits

setup_fail2ban() {
  section "fail2ban"
  cat >"$work/jail.local" <<CONF
# Made by mlpages' deploy/setup-server.sh: bans an address for an hour after 5 failed SSH logins in 10 minutes.
[sshd]
enabled = true
port = $(ssh_ports | tr ' ' ',')
# Debian 12 logs to the journal only (no /var/log/auth.log without rsyslog)
backend = systemd
maxretry = 5
findtime = 10m
bantime = 1h
CONF
  install_file "$work/jail.local" "$JAIL" 0644 root:root
  local jail_changed=$changed_now
  if [ "$dry_run" = 1 ] || ! command -v fail2ban-client >/dev/null; then
    return
  fi
  if ! fail2ban-client -t >"$work/output" 2>&1; then
    cat "$work/output" >&2
    die "fail2ban-client -t refused the configuration (see above)."
  fi
  if ! has_systemd; then
    note "NOT IN FORCE: no systemd here, fail2ban is not started (its configuration passes fail2ban-client -t)"
  elif ! systemctl is-active --quiet fail2ban; then
    change "start fail2ban"
    systemctl enable --now fail2ban
  elif [ "$jail_changed" = 1 ]; then
    systemctl reload fail2ban
  fi
}

setup_upgrades() {
  section "unattended upgrades"
  # what `dpkg-reconfigure unattended-upgrades` writes when answered "yes"
  printf '%s\n' 'APT::Periodic::Update-Package-Lists "1";' 'APT::Periodic::Unattended-Upgrade "1";' >"$work/auto"
  install_file "$work/auto" "$AUTO_UPGRADES" 0644 root:root
  has_systemd || note "NOT IN FORCE: no systemd here, apt's daily timers do not run"
}

setup_rootkit_check() {
  section "rootkit check (rkhunter)"
  cat >"$work/rkhunter.service" <<'UNIT'
[Unit]
Description=Weekly rootkit check (rkhunter); warnings in /var/log/rkhunter.log
Documentation=man:rkhunter(8)

[Service]
Type=oneshot
ExecStart=/usr/bin/rkhunter --check --skip-keypress --report-warnings-only --nocolors
UNIT
  cat >"$work/rkhunter.timer" <<'UNIT'
[Unit]
Description=Weekly rootkit check (rkhunter)

[Timer]
OnCalendar=weekly
RandomizedDelaySec=1h
Persistent=true

[Install]
WantedBy=timers.target
UNIT
  install_file "$work/rkhunter.service" /etc/systemd/system/mlpages-rkhunter.service 0644 root:root
  local units_changed=$changed_now
  install_file "$work/rkhunter.timer" /etc/systemd/system/mlpages-rkhunter.timer 0644 root:root
  [ "$changed_now" = 0 ] || units_changed=1
  if [ -f /etc/default/rkhunter ] && ! grep -q '^APT_AUTOGEN="true"' /etc/default/rkhunter; then
    # the baseline follows package upgrades, so that unattended upgrades do not raise false alarms
    change "set APT_AUTOGEN=\"true\" in /etc/default/rkhunter"
    run sed -i 's/^APT_AUTOGEN=.*/APT_AUTOGEN="true"/' /etc/default/rkhunter
  fi
  if [ ! -s /var/lib/rkhunter/db/rkhunter.dat ]; then
    change "record rkhunter's baseline of this system (rkhunter --propupd)"
    run rkhunter --propupd --nocolors >/dev/null
  fi
  if has_systemd; then
    [ "$units_changed" = 0 ] || [ "$dry_run" = 1 ] || systemctl daemon-reload
    if ! systemctl is-enabled --quiet mlpages-rkhunter.timer 2>/dev/null; then
      change "enable the weekly rootkit check (mlpages-rkhunter.timer)"
      run systemctl enable --now mlpages-rkhunter.timer
    fi
  else
    note "NOT IN FORCE: no systemd here, the weekly timer does not run (run rkhunter --check by hand)"
  fi
}

# ------------------------------------------------------------------------------------------------------ tls

live_dir() { echo "/etc/letsencrypt/live/$domain"; }

has_certificate() { [ -s "$(live_dir)/fullchain.pem" ] && [ -s "$(live_dir)/privkey.pem" ]; }

self_signed_certificate() {
  has_certificate && [ "$(openssl x509 -in "$(live_dir)/fullchain.pem" -noout -issuer | sed 's/^issuer=//')" \
    = "$(openssl x509 -in "$(live_dir)/fullchain.pem" -noout -subject | sed 's/^subject=//')" ]
}

server_addresses() {
  { ip -o addr show scope global 2>/dev/null | awk '{ print $4 }' | cut -d/ -f1; printf '%s\n' "${expect_ips[@]}"; } \
    | sed '/^$/d' | sort -u
}

# the sentence an operator needs when DNS is not there yet; 0 when every A/AAAA record points here
dns_check() {
  local records mine wrong=()
  if ! command -v dig >/dev/null; then
    note "dig is not installed yet: DNS not checked"
    return 0
  fi
  records=$({ dig +short A "$domain"; dig +short AAAA "$domain"; } | grep -E '^[0-9.]+$|:' | sort -u || true)
  mine=$(server_addresses)
  if [ -z "$records" ]; then
    echo "DNS: $domain has no A or AAAA record yet. At your DNS provider, add an A record for $domain pointing to" \
      "this server's IPv4 address ($(grep -v : <<<"$mine" | paste -sd' ' -)) - and an AAAA record only if it" \
      "has IPv6 - then wait until \`dig +short A $domain\` shows it and run this again." >&2
    return 1
  fi
  local record
  for record in $records; do
    grep -qxF "$record" <<<"$mine" || wrong+=("$record")
  done
  if [ ${#wrong[@]} -gt 0 ]; then
    echo "DNS: $domain points to ${wrong[*]}, which is not this server (its addresses: $(paste -sd' ' - <<<"$mine"))." \
      "Change the A/AAAA records at your DNS provider (remove an AAAA record you cannot point here: Let's Encrypt" \
      "tries IPv6 first), wait until \`dig +short A $domain\` and \`dig +short AAAA $domain\` show only this" \
      "server, and run this again. If the server is behind NAT, pass its public address with --expect-ip." >&2
    return 1
  fi
  note "DNS: $domain points here ($(paste -sd' ' - <<<"$records"))"
}

setup_certificate() {
  section "certificate for $domain"
  ensure_dir "$ACME_ROOT" 0755 root:root
  if [ "$self_signed" = 1 ]; then
    [ "$skip_dns" = 1 ] || dns_check || note "(self-signed: going on without DNS)"
    if has_certificate; then
      return
    fi
    change "make a self-signed certificate for $domain at $(live_dir) (browsers will warn; for tests and trials)"
    [ "$dry_run" = 0 ] || return 0
    mkdir -p "$(live_dir)"
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=$domain" -addext "subjectAltName=DNS:$domain" \
      -keyout "$(live_dir)/privkey.pem" -out "$(live_dir)/fullchain.pem" 2>/dev/null
    chmod 0600 "$(live_dir)/privkey.pem"
    cp "$(live_dir)/fullchain.pem" "$(live_dir)/chain.pem"
    return
  fi
  if self_signed_certificate && [ ! -f "/etc/letsencrypt/renewal/$domain.conf" ]; then
    # left by an earlier --self-signed run; certbot would otherwise write its own beside it ($domain-0001)
    change "remove the self-signed certificate of an earlier --self-signed run"
    run rm -rf "$(live_dir)"
  fi
  local hook=/etc/letsencrypt/renewal-hooks/deploy/mlpages-reload-nginx
  printf '%s\n' '#!/bin/sh' '# Made by mlpages: Nginx loads the renewed certificate (certbot.timer renews it).' \
    'nginx -t -q && { systemctl reload nginx 2>/dev/null || nginx -s reload; }' >"$work/hook"
  install_file "$work/hook" "$hook" 0755 root:root
  if has_certificate; then
    return
  fi
  if [ "$skip_dns" = 0 ] && ! dns_check; then
    [ "$dry_run" = 1 ] || die "no certificate was asked for: Let's Encrypt would fail (and limits repeated failures)."
  fi
  # until the certificate exists, port 80 answers the challenges only (Nginx refuses the full site before)
  sed "s/__DOMAIN__/$domain/g" "$KIT/nginx/mlpages-acme.conf" >"$work/acme.conf"
  install_file "$work/acme.conf" "$SITE" 0644 root:root
  enable_site
  reload_nginx
  change "ask Let's Encrypt for a certificate for $domain (certbot, webroot $ACME_ROOT)"
  # --acme-server: another ACME CA than Let's Encrypt's (its staging server for trials, a test server)
  run certbot certonly --webroot -w "$ACME_ROOT" --non-interactive --agree-tos -m "$email" -d "$domain" \
    --keep-until-expiring ${acme_server:+--server "$acme_server"}
}

# ---------------------------------------------------------------------------------------------------- nginx

enable_site() {
  if [ "$(readlink "$SITE_LINK" 2>/dev/null)" != "$SITE" ]; then
    change "enable the Nginx site ($SITE_LINK)"
    run ln -sfn "$SITE" "$SITE_LINK"
  fi
  if [ -L /etc/nginx/sites-enabled/default ]; then
    # Debian's welcome page would answer for every other name
    change "disable Nginx's default site"
    run rm -f /etc/nginx/sites-enabled/default
  fi
}

nginx_running() { [ -f /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; }

reload_nginx() {
  [ "$dry_run" = 0 ] || { echo "      nginx -t && reload nginx"; return 0; }
  nginx -t -q || die "nginx -t refused the configuration (see above); the site is in $SITE."
  if has_systemd; then
    systemctl enable --quiet nginx
    systemctl reload-or-restart nginx
  elif nginx_running; then
    nginx -s reload
  else
    nginx
  fi
}

setup_site() {
  section "nginx site"
  sed "s/__DOMAIN__/$domain/g" "$KIT/nginx/mlpages.conf" >"$work/site.conf"
  install_file "$work/site.conf" "$SITE" 0644 root:root
  local site_changed=$changed_now
  changed_now=0
  enable_site
  [ "$changed_now" = 0 ] || site_changed=1
  if [ "$site_changed" = 1 ]; then
    reload_nginx
  elif ! { has_systemd && systemctl is-active --quiet nginx; } && ! nginx_running; then
    change "start nginx"
    reload_nginx
  fi
}

# -------------------------------------------------------------------------------------------------- release

current_release() { basename "$(readlink "$OPT/current" 2>/dev/null)" 2>/dev/null || true; }

# releases, oldest first, by the time each was first installed
releases_by_age() {
  local dir
  for dir in "$OPT"/releases/*/; do
    [ -f "$dir/RELEASE" ] || continue
    echo "$(sed -n 's/^installed=//p' "$dir/RELEASE") $(basename "$dir")"
  done | sort -n | cut -d' ' -f2
}

# a copy of the SQLite database while the app runs (sqlite3's online backup), before the switch
backup_database() {
  local to=$1 db=$VAR/data/mlpages.db
  if [ ! -f "$db" ]; then
    note "no SQLite database yet ($db): no backup needed"
    return
  fi
  local file
  file=$VAR/backups/before-$to-$(date -u +%Y%m%dT%H%M%SZ).db
  change "back up the database to $file"
  run runuser -u "$APP_USER" -- sqlite3 "$db" ".backup '$file'"
  # keep the newest few of these (the nightly backups are kept apart)
  if [ "$dry_run" = 0 ]; then
    find "$VAR/backups" -maxdepth 1 -name 'before-*.db' -printf '%T@ %p\n' | sort -rn \
      | tail -n +$((KEEP_DEPLOY_BACKUPS + 1)) | cut -d' ' -f2- | xargs -r rm -f
  fi
}

switch_to() {
  local name=$1
  [ "$(current_release)" != "$name" ] || return 0
  backup_database "$name"
  change "switch $OPT/current from ${from_release:-nothing} to $name"
  if [ "$dry_run" = 0 ]; then
    # a new link renamed over the old one: `current` is never missing, even for an instant
    ln -sfn "releases/$name" "$OPT/current.new"
    mv -T "$OPT/current.new" "$OPT/current"
  fi
  release_switched=1
}

install_release() {
  section "release"
  if [ -z "$release" ]; then
    release=mlpages-$(sha256sum "$jar" | cut -c1-12)
  fi
  [[ $release =~ ^[A-Za-z0-9._+-]+$ ]] || die "--release \"$release\" may hold only letters, digits and . _ + -"
  local dir=$OPT/releases/$release
  if [ -d "$dir" ]; then
    if [ -n "$jar" ] && ! cmp -s "$jar" "$dir/mlpages.jar"; then
      die "$dir already holds another jar: give this one another --release name."
    fi
    note "release $release is installed"
  else
    change "install release $release in $dir"
    if [ "$dry_run" = 0 ]; then
      rm -rf "$dir.partial"
      install -d -m 0755 "$dir.partial"
      install -m 0644 "$jar" "$dir.partial/mlpages.jar"
      if [ -n "$models" ]; then
        install -d -m 0755 "$dir.partial/models"
        find "$models" -maxdepth 1 -type f -exec install -m 0644 -t "$dir.partial/models" {} +
      fi
      printf 'installed=%s\njar_sha256=%s\n' "$(date +%s)" "$(sha256sum "$jar" | cut -d' ' -f1)" \
        >"$dir.partial/RELEASE"
      # renamed into place complete: a half-copied release is never picked
      mv -T "$dir.partial" "$dir"
    fi
  fi
  switch_to "$release"
  prune_releases
}

prune_releases() {
  [ "$dry_run" = 0 ] || return 0
  local all name
  mapfile -t all < <(releases_by_age)
  [ ${#all[@]} -gt $KEEP_RELEASES ] || return 0
  for name in "${all[@]:0:${#all[@]}-KEEP_RELEASES}"; do
    [ "$name" != "$(current_release)" ] || continue
    change "remove old release $name (the newest $KEEP_RELEASES are kept)"
    rm -rf "${OPT:?}/releases/$name"
  done
}

# the release's models beside the app's own (models published from the training page are left alone)
sync_models() {
  local dir file
  dir=$OPT/releases/$(current_release)/models
  [ -d "$dir" ] || return 0
  models_changed=0
  for file in "$dir"/*; do
    [ -f "$file" ] || continue
    install_file "$file" "$VAR/models/$(basename "$file")" 0640 "$APP_USER:$APP_USER"
    [ "$changed_now" = 0 ] || models_changed=1
  done
}

# ------------------------------------------------------------------------------------------------- service

# unit_values KEY: the values of KEY= in the unit's [Service] section, continuation lines joined
unit_values() {
  awk -v key="$1" '
    /^\[/ { section = $0; next }
    section != "[Service]" { next }
    { line = line $0 }
    /\\$/ { sub(/\\$/, "", line); next }
    { if (index(line, key "=") == 1) print substr(line, length(key) + 2); line = "" }
  ' "$UNIT"
}

app_pid() {
  local pid
  [ -f "$PID_FILE" ] || return 1
  pid=$(cat "$PID_FILE")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# Without systemd (a container): the unit's ExecStart as its User, in its WorkingDirectory, with its
# Environment, detached, with a pid file. The unit's sandbox (ProtectSystem, ...) and Restart= do not apply.
# unit_words STRING: the words of a unit's value, one per line, as systemd splits them (whitespace; "..." and
# '...' group; a backslash escapes the next character). Nothing else is special: not | ; & < > [ ] * or ~.
unit_words() {
  local text=$1 word="" quote="" started=0 c i
  for ((i = 0; i < ${#text}; i++)); do
    c=${text:i:1}
    if [ -n "$quote" ]; then
      if [ "$c" = "$quote" ]; then quote=""; else word+=$c; fi
    elif [ "$c" = '"' ] || [ "$c" = "'" ]; then
      quote=$c started=1
    elif [ "$c" = "\\" ] && [ $((i + 1)) -lt ${#text} ]; then
      i=$((i + 1)) word+=${text:i:1} started=1
    elif [ "$c" = ' ' ] || [ "$c" = $'\t' ]; then
      [ "$started" = 0 ] || printf '%s\n' "$word"
      word="" started=0
    else
      word+=$c started=1
    fi
  done
  [ "$started" = 0 ] || printf '%s\n' "$word"
}

# Without systemd (a container): the unit's ExecStart as its User, in its WorkingDirectory, with its
# Environment and UMask, detached, with a pid file. The rest of its sandbox and Restart= do not apply.
start_without_systemd() {
  local user group dir umask_value exec_start line word name
  user=$(unit_values User | tail -1)
  user=${user:-root}
  group=$(unit_values Group | tail -1)
  group=${group:-$user}
  dir=$(unit_values WorkingDirectory | tail -1)
  dir=${dir:-/}
  umask_value=$(unit_values UMask | tail -1)
  exec_start=$(unit_values ExecStart | tail -1)
  exec_start=${exec_start#[-@+!:]}
  local -A values=([PATH]=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin [HOME]=$dir
    [LANG]=C.UTF-8 [USER]=$user [LOGNAME]=$user)
  local -a order=(PATH HOME LANG USER LOGNAME)
  # EnvironmentFile= first: Environment= lines win over it, as under systemd
  while IFS= read -r line; do
    line=${line#-}
    [ -f "$line" ] || continue
    while IFS= read -r word; do
      [[ $word =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || continue
      name=${word%%=*} word=${word#*=} word=${word#[\"\']} word=${word%[\"\']}
      [ -n "${values[$name]+set}" ] || order+=("$name")
      values[$name]=$word
    done <"$line"
  done < <(unit_values EnvironmentFile)
  while IFS= read -r line; do
    while IFS= read -r word; do
      name=${word%%=*}
      [ -n "${values[$name]+set}" ] || order+=("$name")
      values[$name]=${word#*=}
    done < <(unit_words "$line")
  done < <(unit_values Environment)
  local -a environment=() command=() words=()
  for name in "${order[@]}"; do environment+=("$name=${values[$name]}"); done
  # $VAR alone is split into words and ${VAR} is not, as systemd expands them
  while IFS= read -r word; do
    if [[ $word =~ ^\$([A-Za-z_][A-Za-z0-9_]*)$ ]]; then
      # split on whitespace, without globbing
      read -r -a words <<<"${values[${BASH_REMATCH[1]}]:-}"
      command+=(${words[@]+"${words[@]}"})
    else
      while [[ $word =~ \$\{([A-Za-z_][A-Za-z0-9_]*)\} ]]; do
        word=${word//"${BASH_REMATCH[0]}"/${values[${BASH_REMATCH[1]}]:-}}
      done
      command+=("$word")
    fi
  done < <(unit_words "$exec_start")
  [ ${#command[@]} -gt 0 ] || die "no ExecStart= in $UNIT"
  install -d -m 0755 "$(dirname "$APP_LOG")"
  touch "$APP_LOG"
  chown "$user" "$APP_LOG"
  (
    cd "$dir"
    [ -z "$umask_value" ] || umask "$umask_value"
    # setsid: out of the SSH session's process group, so that the end of the deploy does not end the app
    exec setsid setpriv --reuid="$user" --regid="$group" --init-groups --no-new-privs \
      env -i "${environment[@]}" "${command[@]}" </dev/null >>"$APP_LOG" 2>&1
  ) &
  echo $! >"$PID_FILE"
}

stop_without_systemd() {
  local pid
  pid=$(app_pid) || return 0
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  rm -f "$PID_FILE"
}

setup_service() {
  section "service"
  local unit_changed=0 restart=0
  # the unit's ExecStart: it prepares the fast start of each new release (or Java) at its first start
  local script
  for script in run-prepared.sh prepare-start.sh; do
    [ -f "$KIT/../bin/$script" ] || die "$KIT/../bin/$script is missing: deploy/deploy.sh sends it with the kit."
    install_file "$KIT/../bin/$script" "$OPT/bin/$script" 0755 root:root
  done
  if [ -f "$KIT/systemd/mlpages.service" ]; then
    install_file "$KIT/systemd/mlpages.service" "$UNIT" 0644 root:root
    unit_changed=$changed_now
  fi
  [ "$release_switched" = 0 ] && [ "$unit_changed" = 0 ] && [ "${models_changed:-0}" = 0 ] || restart=1
  if has_systemd; then
    [ "$unit_changed" = 0 ] || [ "$dry_run" = 1 ] || systemctl daemon-reload
    if ! systemctl is-enabled --quiet mlpages 2>/dev/null; then
      change "enable mlpages.service (started at boot)"
      run systemctl enable --quiet mlpages
    fi
    if [ "$restart" = 1 ]; then
      change "restart mlpages.service"
      run systemctl restart mlpages
    elif ! systemctl is-active --quiet mlpages; then
      change "start mlpages.service"
      run systemctl start mlpages
    fi
    return
  fi
  note "NOT IN FORCE: systemd is not PID 1 here (a container?): the app is started by this script with the unit's" \
    "ExecStart, User, WorkingDirectory and Environment (pid file $PID_FILE, log $APP_LOG), with no new privileges;" \
    "the rest of the unit's sandbox (ProtectSystem=, PrivateTmp=, CapabilityBoundingSet=, SystemCallFilter=, ...)," \
    "its resource limits and Restart= are not in force."
  if [ "$restart" = 1 ] && app_pid >/dev/null; then
    change "restart the app"
    [ "$dry_run" = 1 ] || { stop_without_systemd; start_without_systemd; }
  elif ! app_pid >/dev/null; then
    change "start the app"
    [ "$dry_run" = 1 ] || start_without_systemd
  fi
}

# the nightly backup (deploy/backup/README.md): its scripts, root's, and its units
setup_backups() {
  section "backups"
  [ -f "$KIT/systemd/mlpages-backup.service" ] || { note "no backup units in the kit"; return 0; }
  local script units_changed=0 unit
  for script in mlpages-backup.sh mlpages-restore.sh; do
    install_file "$KIT/backup/$script" "/usr/local/lib/mlpages/$script" 0755 root:root
  done
  for unit in mlpages-backup.service mlpages-backup.timer; do
    install_file "$KIT/systemd/$unit" "/etc/systemd/system/$unit" 0644 root:root
    [ "$changed_now" = 0 ] || units_changed=1
  done
  if ! has_systemd; then
    note "NOT IN FORCE: no systemd here, the nightly backup timer does not run"
    return 0
  fi
  [ "$units_changed" = 0 ] || [ "$dry_run" = 1 ] || systemctl daemon-reload
  if ! systemctl is-enabled --quiet mlpages-backup.timer 2>/dev/null; then
    change "enable the nightly backup (mlpages-backup.timer)"
    run systemctl enable --now mlpages-backup.timer
  fi
}

# ------------------------------------------------------------------------------------------------- the end

wait_for_health() {
  section "health"
  [ "$dry_run" = 0 ] || { note "would wait for https://$domain/actuator/health through Nginx"; return; }
  local tls=() deadline status=""
  # the certificate itself must be valid for the name (a self-signed one is trusted explicitly)
  [ "$self_signed" = 0 ] || tls=(--cacert "$(live_dir)/fullchain.pem")
  deadline=$(($(date +%s) + wait_seconds))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    status=$(curl -sS -o "$work/health" -w '%{http_code}' "${tls[@]}" --max-time 10 \
      --resolve "$domain:443:127.0.0.1" "https://$domain/actuator/health" 2>"$work/curl" || true)
    [ "$status" = 200 ] && break
    if has_systemd; then
      systemctl is-failed --quiet mlpages && break
    elif ! app_pid >/dev/null; then
      break
    fi
    sleep 2
  done
  if [ "$status" != 200 ]; then
    echo "The app did not answer https://$domain/actuator/health through Nginx (last: ${status:-no answer}" \
      "$(cat "$work/curl")). The app's last lines:" >&2
    if has_systemd; then journalctl -u mlpages -n 40 --no-pager >&2; else tail -n 40 "$APP_LOG" >&2; fi
    exit 1
  fi
  note "https://$domain/actuator/health: $(cat "$work/health")"
  local redirect
  redirect=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 10 \
    --resolve "$domain:80:127.0.0.1" "http://$domain/" || true)
  note "http://$domain/ answers $redirect"
}

save_state() {
  printf 'DOMAIN=%s\nSELF_SIGNED=%s\n' "$domain" "$self_signed" >"$work/state"
  install_file "$work/state" "$STATE" 0644 root:root
}

rollback() {
  section "rollback"
  local all current previous="" name
  current=$(current_release)
  [ -n "$current" ] || die "nothing is installed yet: no release to roll back from."
  mapfile -t all < <(releases_by_age)
  for name in "${all[@]}"; do
    [ "$name" = "$current" ] && break
    previous=$name
  done
  [ -n "$previous" ] || die "$current is the oldest release kept in $OPT/releases: there is none to go back to."
  note "from $current back to $previous"
  switch_to "$previous"
  sync_models
  [ "$restore_database" = 0 ] || restore_database_before "$current"
}

# The database as it was when `release` was installed: the backup taken just before the switch to it. What was
# written since is set aside, not deleted.
restore_database_before() {
  local release=$1 backup db=$VAR/data/mlpages.db aside
  backup=$(find "$VAR/backups" -maxdepth 1 -name "before-$release-*.db" -printf '%T@ %p\n' | sort -rn | head -1 \
    | cut -d' ' -f2-)
  [ -n "$backup" ] || die "no backup was taken before $release was installed (it found no database then): nothing to restore."
  aside=$VAR/backups/replaced-by-rollback-$(date -u +%Y%m%dT%H%M%SZ).db
  change "restore the database from $backup (the one it replaces is kept as $aside)"
  [ "$dry_run" = 0 ] || return 0
  # the app must not write while its file is replaced
  if has_systemd; then systemctl stop mlpages; else stop_without_systemd; fi
  [ ! -f "$db" ] || mv "$db" "$aside"
  # a write-ahead log left by an app that did not stop cleanly belongs with the file set aside
  [ ! -f "$db-wal" ] || mv "$db-wal" "$aside-wal"
  rm -f "$db-shm"
  install -m 0640 -o "$APP_USER" -g "$APP_USER" "$backup" "$db"
  release_switched=1
}

[ "$restore_database" = 0 ] || [ "$rollback" = 1 ] || die "--restore-database goes with --rollback."
[ "$dry_run" = 0 ] || echo "Dry run: nothing is changed; each line starting with \"would:\" is a change a real run makes."
new_secrets=0 release_switched=0 models_changed=0
from_release=$(current_release)
if [ "$rollback" = 1 ]; then
  rollback
else
  install_packages
  setup_account
  setup_firewall
  setup_ssh
  setup_fail2ban
  setup_upgrades
  setup_rootkit_check
  install_release
  sync_models
  save_state
  setup_certificate
  setup_site
  setup_backups
fi
setup_service
wait_for_health

if [ "$changes" = 0 ]; then
  echo "Nothing changed: release $(current_release) was already serving https://$domain/"
elif [ "$dry_run" = 1 ]; then
  echo "Dry run: $changes changes would be made; none was."
else
  echo "$changes changes made. Serving release $(current_release) at https://$domain/"
fi
if [ "$new_secrets" = 1 ] && [ "$dry_run" = 0 ]; then
  echo "The admin account is \"admin\"; its password is in $VAR/secrets.yml (sudo cat $VAR/secrets.yml)."
fi
