#!/usr/bin/env bash
# Puts a backup made by mlpages-backup.sh back in place of mlpages's database, as root.
#
#   mlpages-restore.sh [--db FILE] [--uploads DIR|none] [--mirror DIR] [--stop CMD] [--start CMD] BACKUP
#
# BACKUP is a mlpages-<time>.db, .db.gz or .db.zst, or a database kept aside by an earlier restore. Options may also come from the environment:
#   MLPAGES_DB              the live database                   (/var/lib/mlpages/data/mlpages.db)
#   MLPAGES_UPLOADS_DIR     the app's photos, or none           (/var/lib/mlpages/uploads)
#   MLPAGES_UPLOADS_MIRROR  the photos mirrored by the backups  (the uploads/ folder beside BACKUP)
#   MLPAGES_STOP_COMMAND    how to stop the app                 (systemctl stop mlpages.service)
#   MLPAGES_START_COMMAND   how to start it again               (systemctl start mlpages.service)
#
# Steps: the backup is unpacked beside the database and checked (PRAGMA integrity_check, and that it is
# mlpages's: it has the prediction table) while the app still runs, so a bad file changes nothing. Then the
# app is stopped; the current database is kept aside as FILE.before-restore-<time>, with its -wal file if an
# unclean stop left one (renamed along, so the kept copy still has every committed row); the stale -shm is
# removed; the backup takes the database's name in one rename, with the owner and mode the database had;
# photos missing from the uploads folder are copied back from the mirror (none is overwritten); the app is
# started again.
#
# Exit codes: 0 restored   2 bad option   3 the backup is missing, unreadable, damaged or not mlpages's
#   4 the app did not stop (nothing changed)   5 the backup could not be put in place
#   6 the app did not start again on the restored database (the kept copy is named in the message)
set -euo pipefail

db=${MLPAGES_DB:-/var/lib/mlpages/data/mlpages.db}
uploads=${MLPAGES_UPLOADS_DIR:-/var/lib/mlpages/uploads}
mirror=${MLPAGES_UPLOADS_MIRROR:-}
stop_command=${MLPAGES_STOP_COMMAND:-systemctl stop mlpages.service}
start_command=${MLPAGES_START_COMMAND:-systemctl start mlpages.service}

# sqlite3 without the user's ~/.sqliterc (a .mode there would change what the checks read), never interactive
sql() { sqlite3 -init /dev/null -batch "$@"; }

log() { printf 'mlpages-restore: %s\n' "$*"; }
fail() {
  local code=$1
  shift
  log "FAILED: $*" >&2
  exit "$code"
}
usage() {
  sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

backup=
while [ $# -gt 0 ]; do
  case $1 in
    --db) db=${2:?--db needs a file}; shift 2 ;;
    --uploads) uploads=${2:?--uploads needs a folder or none}; shift 2 ;;
    --mirror) mirror=${2:?--mirror needs a folder}; shift 2 ;;
    --stop) stop_command=${2:?--stop needs a command}; shift 2 ;;
    --start) start_command=${2:?--start needs a command}; shift 2 ;;
    -h | --help) usage ;;
    -*) log "unknown option: $1" >&2; usage ;;
    *)
      [ -z "$backup" ] || { log "one backup at a time: $backup or $1?" >&2; usage; }
      backup=$1
      shift
      ;;
  esac
done
[ -n "$backup" ] || { log "which backup? (ls /var/lib/mlpages/backups)" >&2; usage; }
command -v sqlite3 >/dev/null || fail 2 "sqlite3 is not installed (Debian: apt-get install sqlite3)"
if [ ! -f "$backup" ] || [ ! -r "$backup" ]; then
  fail 3 "no readable backup at $backup"
fi
mirror=${mirror:-$(dirname -- "$backup")/uploads}

db_dir=$(dirname -- "$db")
[ -d "$db_dir" ] || fail 2 "the database's folder $db_dir does not exist"
# the owner and mode the database has (else its folder's owner, and the app's own 0600)
if [ -f "$db" ]; then
  owner=$(stat -c %u:%g -- "$db")
  mode=$(stat -c %a -- "$db")
else
  owner=$(stat -c %u:%g -- "$db_dir")
  mode=600
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
incoming=$db_dir/.restore-$stamp.db
trap 'rm -f -- "$incoming"' EXIT
case $backup in
  *.gz) gzip -dc -- "$backup" >"$incoming" || fail 3 "cannot unpack $backup" ;;
  *.zst) zstd -q -dc -- "$backup" >"$incoming" || fail 3 "cannot unpack $backup" ;;
  # a plain database, such as a copy kept aside by an earlier restore, may come with its -wal file: read
  # through SQLite, the copy has the rows the WAL holds too
  *)
    sqlite_error=$(sql -readonly "$backup" "VACUUM INTO '${incoming//\'/\'\'}'" 2>&1 >/dev/null) ||
      fail 3 "cannot read $backup as a SQLite database, nothing changed: $sqlite_error"
    ;;
esac
check=$(sql -readonly "$incoming" 'PRAGMA integrity_check' 2>&1) || check="sqlite3 cannot read it: $check"
[ "$check" = ok ] || fail 3 "$backup failed its integrity check, nothing changed: $(echo "$check" | head -5)"
tables=$(sql -readonly "$incoming" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'prediction'")
[ "$tables" = 1 ] || fail 3 "$backup is not a mlpages database (no prediction table), nothing changed"
rows=$(sql -readonly "$incoming" 'SELECT count(*) FROM prediction')
log "$backup is whole (integrity ok) and holds $rows prediction(s)"

chown -- "$owner" "$incoming" || fail 5 "cannot give $incoming the owner $owner"
chmod -- "$mode" "$incoming"
sync -- "$incoming"

log "stopping the app: $stop_command"
bash -c "$stop_command" || fail 4 "'$stop_command' failed; nothing changed"

kept=
if [ -f "$db" ]; then
  kept=$db.before-restore-$stamp
  mv -- "$db" "$kept" || fail 5 "cannot move $db aside; start the app again: $start_command"
  # SQLite finds a database's WAL by name: renamed along, it still belongs to the kept copy
  if [ -f "$db-wal" ]; then
    mv -- "$db-wal" "$kept-wal"
  fi
  log "kept the current database as $kept"
fi
rm -f -- "$db-wal" "$db-shm" "$db-journal"
mv -- "$incoming" "$db" || fail 5 "cannot put the backup in place; the previous database is $kept"
sync -- "$db_dir"
log "restored $backup to $db (owner $owner, mode $mode)"

if [ "$uploads" != none ] && [ -d "$mirror" ]; then
  mkdir -p -- "$uploads"
  mapfile -t missing < <(cd "$mirror" && find . -maxdepth 1 -type f -printf '%f\n' |
    while IFS= read -r photo; do [ -e "$uploads/$photo" ] || printf '%s\n' "$photo"; done)
  if [ ${#missing[@]} -gt 0 ]; then
    printf '%s\n' "${missing[@]}" | tar -C "$mirror" -cf - --verbatim-files-from -T - |
      tar -C "$uploads" -xf - --no-same-owner
    chown -- "$(stat -c %u:%g -- "$uploads")" "${missing[@]/#/$uploads/}"
  fi
  log "copied ${#missing[@]} photo(s) missing from $uploads back from $mirror"
fi

log "starting the app: $start_command"
bash -c "$start_command" ||
  fail 6 "'$start_command' failed on the restored database${kept:+; the previous one is $kept}"
log "done${kept:+; the previous database is kept as $kept (delete it once the app is checked)}"
