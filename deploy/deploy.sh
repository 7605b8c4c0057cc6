#!/usr/bin/env bash
# Puts mlpages online on a Debian or Ubuntu server you own, in one command from your own machine:
#
#   deploy/deploy.sh user@host --domain ml.example.org --email you@example.org
#       [--ssh-port N] [--identity KEY] [--ssh-option OPTION]... [--jar PATH]
#       [--self-signed] [--skip-dns-check] [--expect-ip ADDR] [--acme-server URL] [--dry-run]
#   deploy/deploy.sh user@host --rollback [--restore-database] [--dry-run] [ssh options]
#
# It copies the jar (default: target/mlpages-*.jar), the shipped models and the deploy/ kit over SSH, runs
# deploy/setup-server.sh there (with sudo when user is not root): packages, firewall, SSH hardening, fail2ban,
# rootkit check, the certificate (certbot, or --self-signed), the release in /opt/mlpages/releases/VERSION-SHA,
# the systemd unit and the Nginx site; then waits for https://DOMAIN/actuator/health and prints the URL.
# Run again, it updates in place: the same jar changes nothing (and says so); a new one is installed beside the
# others, the database is backed up, and `current` is switched to it. --rollback switches back to the release
# installed before the current one (with --restore-database, the database too, as it was before the current one
# was installed: see the guide about Flyway's forward-only migrations). --dry-run shows every change on the
# server, and makes none.
#
# SSH: keys only (BatchMode); the host key is checked as your own ssh configuration says (known_hosts). For a
# user other than root, sudo must work without a password, or run this from a terminal to type it.
# The remote commands are meant to be expanded here, on the operator's machine, before ssh sends them.
# shellcheck disable=SC2029
set -euo pipefail

usage() {
  awk 'NR > 1 { if (/^# The remote commands/) exit; sub(/^# ?/, ""); print }' "$0"
  exit "${1:-2}"
}

die() {
  echo "deploy: $*" >&2
  exit 1
}

repo=$(cd "$(dirname "$0")/.." && pwd -P)
target="" domain="" email="" port="" identity="" jar="" self_signed=0 skip_dns=0 rollback=0 dry_run=0
restore_database=0 acme_server=""
ssh_options=() expect_ips=()
while [ $# -gt 0 ]; do
  case $1 in
    --domain) domain=${2:?--domain needs a value}; shift 2 ;;
    --email) email=${2:?--email needs a value}; shift 2 ;;
    --ssh-port) port=${2:?--ssh-port needs a number}; shift 2 ;;
    --identity) identity=${2:?--identity needs a key file}; shift 2 ;;
    --ssh-option) ssh_options+=(-o "${2:?--ssh-option needs an option, e.g. UserKnownHostsFile=FILE}"); shift 2 ;;
    --jar) jar=${2:?--jar needs a path}; shift 2 ;;
    --self-signed) self_signed=1; shift ;;
    --skip-dns-check) skip_dns=1; shift ;;
    --expect-ip) expect_ips+=("${2:?--expect-ip needs an address}"); shift 2 ;;
    --rollback) rollback=1; shift ;;
    --restore-database) restore_database=1; shift ;;
    --acme-server) acme_server=${2:?--acme-server needs a URL}; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    -h | --help) usage 0 ;;
    -*) echo "deploy: unknown option $1" >&2; usage ;;
    *) [ -z "$target" ] || die "one server only (got $target and $1)"; target=$1; shift ;;
  esac
done

[ -n "$target" ] || { echo "deploy: which server? (user@host)" >&2; usage; }
[[ $target == *@* ]] || die "give the server as user@host (e.g. root@203.0.113.7 or deploy@ml.example.org)."
user=${target%@*}
[ "$restore_database" = 0 ] || [ "$rollback" = 1 ] || die "--restore-database goes with --rollback."
[ -z "$port" ] || [[ $port =~ ^[0-9]+$ ]] || die "--ssh-port must be a number"
if [ "$rollback" = 0 ]; then
  [ -n "$domain" ] || die "--domain is required: the name the site answers to (e.g. --domain ml.example.org)."
  [ "$self_signed" = 1 ] || [ -n "$email" ] \
    || die "--email is required for the Let's Encrypt certificate (it warns there before expiry); or try it with --self-signed."
  if [ -z "$jar" ]; then
    jars=()
    for candidate in "$repo"/target/mlpages-*.jar; do
      [ -f "$candidate" ] && jars+=("$candidate")
    done
    [ ${#jars[@]} -gt 0 ] || die "no jar in $repo/target: build it first (mvn -DskipTests package) or give --jar PATH."
    [ ${#jars[@]} -eq 1 ] || die "several jars in $repo/target (${jars[*]##*/}): choose one with --jar PATH."
    jar=${jars[0]}
  fi
  [ -s "$jar" ] || die "--jar $jar: no such file."
fi

sha256() { if command -v sha256sum >/dev/null; then sha256sum "$@"; else shasum -a 256 "$@"; fi; }

# in /tmp: the SSH control socket's path must stay short (macOS's own temporary folder is long)
local_dir=$(mktemp -d /tmp/mlpages-deploy.XXXXXX)
ssh_base=(-o BatchMode=yes -o ControlMaster=auto -o "ControlPath=$local_dir/ssh-%C" -o ControlPersist=120)
[ -z "$port" ] || ssh_base+=(-p "$port")
[ -z "$identity" ] || ssh_base+=(-i "$identity" -o IdentitiesOnly=yes)
# ${a[@]+"${a[@]}"}: an empty array under set -u, in macOS's bash 3.2 too
ssh_base+=(${ssh_options[@]+"${ssh_options[@]}"})
remote_dir=""
cleanup() {
  [ -z "$remote_dir" ] || ssh "${ssh_base[@]}" "$target" "rm -rf '$remote_dir'" 2>/dev/null || true
  ssh "${ssh_base[@]}" -O exit "$target" 2>/dev/null || true
  rm -rf "$local_dir"
}
trap cleanup EXIT

remote() { ssh "${ssh_base[@]}" "$target" "$@"; }

started=$(date +%s)
echo "Connecting to $target ..."
remote true || die "cannot log in to $target with a key (see ssh's message above). Check the address, --ssh-port, --identity, and that your public key is in ~$user/.ssh/authorized_keys there."

# sudo: not needed for root; without a password when it allows (-n), else from a terminal (ssh -t prompts)
sudo=() tty=()
if [ "$user" != root ]; then
  if remote sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  elif [ -t 0 ]; then
    sudo=(sudo) tty=(-t)
  else
    die "$user needs sudo on $target; it asks for a password, and this is not a terminal to type it in. Run it from a terminal, or allow $user sudo without a password."
  fi
fi

args=()
if [ "$rollback" = 1 ]; then
  args+=(--rollback)
  [ "$restore_database" = 0 ] || args+=(--restore-database)
  [ -z "$domain" ] || args+=(--domain "$domain")
else
  # the release's name: the jar's version and a hash of the jar and the models, so the same build is the same
  # release
  version=$(basename "$jar" .jar)
  version=${version#mlpages-}
  model_files=()
  if [ -d "$repo/models" ]; then
    # the models the repository ships (those published on a dev machine stay there)
    while IFS= read -r file; do
      model_files+=("$file")
    done < <(if [ "$(git -C "$repo" rev-parse --show-toplevel 2>/dev/null)" = "$repo" ]; then
      git -C "$repo" ls-files models | grep -v '/\.' || true
    else
      cd "$repo" && find models -maxdepth 1 -type f ! -name '.*'
    fi)
  fi
  hash=$({ sha256 "$jar" | cut -d' ' -f1; [ ${#model_files[@]} -eq 0 ] || (cd "$repo" && sha256 "${model_files[@]}"); } \
    | sha256 | cut -c1-12)
  release=$version-$hash
  args+=(--domain "$domain" --release "$release")
  [ -z "$email" ] || args+=(--email "$email")
  [ "$self_signed" = 0 ] || args+=(--self-signed)
  [ "$skip_dns" = 0 ] || args+=(--skip-dns-check)
  [ -z "$acme_server" ] || args+=(--acme-server "$acme_server")
  # the address this machine reaches the server at is one the domain may point to (a server behind NAT does
  # not see its public address on its own interfaces)
  host=${target#*@}
  if [[ $host =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ || $host == *:* ]]; then
    expect_ips+=("$host")
  fi
  for ip in ${expect_ips[@]+"${expect_ips[@]}"}; do args+=(--expect-ip "$ip"); done
fi
[ "$dry_run" = 0 ] || args+=(--dry-run)

# the kit: setup-server.sh and what it installs
remote_dir=$(remote mktemp -d /tmp/mlpages-deploy.XXXXXX)
stage=$local_dir/stage
mkdir -p "$stage"
cp -R "$repo/deploy" "$stage/deploy"
# the start the unit runs (bin/run-prepared.sh) and the preparation it calls
mkdir -p "$stage/bin"
cp "$repo/bin/run-prepared.sh" "$repo/bin/prepare-start.sh" "$stage/bin/"
if [ "$rollback" = 0 ]; then
  if [ ${#model_files[@]} -gt 0 ]; then
    mkdir -p "$stage/models"
    (cd "$repo" && cp "${model_files[@]}" "$stage/models/")
    args+=(--models "$remote_dir/models")
  fi
  # a jar the server already has (the same release) is not sent again
  if remote test -f "/opt/mlpages/releases/$release/mlpages.jar"; then
    echo "Release $release is already on the server: the jar is not sent again."
  elif [ "$dry_run" = 1 ]; then
    echo "Dry run: the jar ($(du -h "$jar" | cut -f1)) would be sent as release $release."
  else
    echo "Sending release $release ($(du -h "$jar" | cut -f1)) ..."
    ln -s "$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")" "$stage/mlpages.jar"
    args+=(--jar "$remote_dir/mlpages.jar")
  fi
fi
tar -C "$stage" -chf - . | remote tar -C "$remote_dir" -xf -

echo "Setting up $target ..."
quoted=$(printf ' %q' "${args[@]}")
ssh "${ssh_base[@]}" ${tty[@]+"${tty[@]}"} "$target" "${sudo[*]:-} bash $remote_dir/deploy/setup-server.sh$quoted"

seconds=$(($(date +%s) - started))
if [ "$dry_run" = 1 ]; then
  echo "Dry run done in ${seconds}s: nothing was changed on $target."
elif [ "$rollback" = 1 ]; then
  echo "Rolled back in ${seconds}s."
else
  echo "Done in ${seconds}s. mlpages is online: https://$domain/"
fi
