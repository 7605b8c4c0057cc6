#!/usr/bin/env bash
# Runs a command in the sandbox of deploy/systemd/mlpages.service, rebuilt from what a machine without
# systemd as PID 1 has (systemd-run needs it): util-linux's unshare and setpriv, and libseccomp.
#   ProtectSystem=strict, ReadWritePaths=   every mount read-only, but the folders given
#   PrivateTmp=yes                          fresh /tmp and /var/tmp
#   ProtectHome=yes                         /home, /root and /run/user empty and read-only
#   ProtectKernelTunables=, ProtectControlGroups=  /proc/sys and /sys read-only
#   User=, Group=, CapabilityBoundingSet=, AmbientCapabilities=, NoNewPrivileges=yes   setpriv
#   SystemCallFilter=@system-service, SystemCallErrorNumber=EPERM,
#   RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX   seccomp-exec.py (systemd's own lists)
# Not rebuilt here: PrivateDevices, ProtectKernelModules/Logs, ProtectClock, ProtectHostname,
# ProtectProc, RestrictNamespaces, RestrictRealtime, RestrictSUIDSGID, LockPersonality, MemoryHigh/Max.
#
# usage (as root): sandboxed.sh [--bind SRC DST]... UID GID WRITABLE_DIR... -- COMMAND [ARG...]
# --bind shows SRC at DST inside (a test's own folder where the command expects another).
# The command keeps this script's process id (every step execs), so a SIGTERM reaches it.
set -euo pipefail

if [[ ${MLPAGES_SANDBOX_INSIDE:-} != 1 ]]; then
  # a mount namespace of its own, private: nothing done below is seen outside
  exec env MLPAGES_SANDBOX_INSIDE=1 unshare --mount --ipc --uts --propagation private -- bash "$0" "$@"
fi
unset MLPAGES_SANDBOX_INSIDE
here=$(cd "$(dirname "$0")" && pwd)
while [[ ${1:-} == --bind ]]; do
  mount --bind "$2" "$3"
  shift 3
done
uid=$1
gid=$2
shift 2
writable=()
while [[ $# -gt 0 && $1 != -- ]]; do
  writable+=("$(realpath "$1")")
  shift
done
[[ $# -gt 1 ]] || { echo "usage: sandboxed.sh [--bind SRC DST]... UID GID WRITABLE_DIR... -- COMMAND [ARG...]" >&2; exit 2; }
shift

# each writable folder a mount of its own, left writable when every other mount is made read-only
for dir in "${writable[@]}"; do
  mount --bind "$dir" "$dir"
done
mount --bind /proc/sys /proc/sys
is_writable() {
  local dir
  for dir in "${writable[@]}"; do
    [[ $1 == "$dir" ]] && return 0
  done
  return 1
}
while read -r target; do
  case $target in
    /proc | /dev | /dev/*) continue ;;
  esac
  if is_writable "$target"; then
    continue
  fi
  # a few special mounts (namespace files) cannot be remounted; they hold nothing to write to
  mount -o remount,bind,ro "$target" 2>/dev/null || echo "sandboxed.sh: left as is: $target" >&2
done < <(awk '$5 != "/proc" {print $5}' /proc/self/mountinfo | sort -u)

# PrivateTmp: fresh /tmp and /var/tmp. A checkout that itself lives under one of them (a CI runner may clone
# into /tmp) would vanish with them: the folder the command runs from is shown again at its place, read-only,
# and the writable folders under it writable, reached through descriptors to the /tmp and /var/tmp of before.
exec 8</tmp 9</var/tmp
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /var/tmp
reveal() {
  local path=$1 mode=$2 fd rel
  case $path in
    /tmp/*) fd=8 rel=${path#/tmp/} ;;
    /var/tmp/*) fd=9 rel=${path#/var/tmp/} ;;
    *) return 0 ;;
  esac
  mkdir -p "$path"
  # --no-canonicalize: resolved to a name, the descriptor's path would be the new, empty /tmp
  mount --no-canonicalize --bind "/proc/self/fd/$fd/$rel" "$path"
  if [[ $mode == ro ]]; then
    mount -o remount,bind,ro "$path"
  fi
}
reveal "$PWD" ro
for dir in "${writable[@]}"; do
  reveal "$dir" rw
done
exec 8<&- 9<&-
for dir in /home /root /run/user; do
  if [[ -d $dir ]]; then
    mount -t tmpfs -o ro,mode=755 tmpfs "$dir"
  fi
done

# the sandbox holds: the system cannot be written to, the writable folders can
for probe in /usr /etc /opt /var/lib "$here"; do
  if touch "$probe/.mlpages-sandbox-probe" 2>/dev/null; then
    rm -f "$probe/.mlpages-sandbox-probe"
    echo "sandboxed.sh: $probe is writable inside the sandbox" >&2
    exit 1
  fi
done

exec setpriv --reuid="$uid" --regid="$gid" --clear-groups --inh-caps=-all --ambient-caps=-all \
  --bounding-set=-all --no-new-privs -- /usr/bin/python3 "$here/seccomp-exec.py" @system-service -- "$@"
