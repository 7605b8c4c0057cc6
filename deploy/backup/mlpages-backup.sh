#!/usr/bin/env bash
# Backs up mlpages's SQLite database while the app runs, then its uploaded photos.
#
#   mlpages-backup.sh [--db FILE] [--dir DIR] [--keep N] [--compress gzip|zstd|none] [--uploads DIR|none]
#
# Each option may also come from the environment (what the systemd unit sets):
#   MLPAGES_DB              the live database       (/var/lib/mlpages/data/mlpages.db)
#   MLPAGES_BACKUP_DIR      where backups go        (/var/lib/mlpages/backups)
#   MLPAGES_BACKUP_KEEP     how many to keep        (14)
#   MLPAGES_BACKUP_COMPRESS gzip, zstd or none      (gzip)
#   MLPAGES_UPLOADS_DIR     photos to mirror, none  (/var/lib/mlpages/uploads)
#
# The copy is made with `VACUUM INTO`, not the shell's `.backup`: it reads the database in one read
# transaction, so the copy is the database as it was at one instant, and in WAL mode that read never blocks
# the app's writes. `.backup` copies page by page and starts over whenever another process writes between two
# steps, so under steady predictions it may take long or never finish. The copy is also compacted (no free
# pages) and a single file in rollback-journal mode, with no -wal file to forget.
#
# Each backup is checked with PRAGMA integrity_check before it is kept, compressed if asked, and renamed into
# place in one step (mlpages-<UTC time>.db[.gz|.zst]): a file with that name is always a whole, checked copy.
# Then the oldest beyond --keep are deleted.
#
# Photos: the app writes a photo's file before the row that names it, and retention deletes rows before their
# files, so copying the database first and the photos after means every row in the copy finds its photo.
# Photos never change once written, so one mirror (DIR/uploads/) is brought up to date: new files are copied,
# files the app has since deleted are removed.
#
# Exit codes, one line each on stdout (journald keeps them; under systemd they carry a priority):
#   0 done   2 bad option or missing tool   3 no database to back up   4 the copy failed (disk full?)
#   5 the copy failed its integrity check (not kept)   6 photos not mirrored (database backup kept)
#   7 another backup is running
set -euo pipefail
# backups hold what people sent: readable by the app's user only
umask 077

db=${MLPAGES_DB:-/var/lib/mlpages/data/mlpages.db}
backup_dir=${MLPAGES_BACKUP_DIR:-/var/lib/mlpages/backups}
keep=${MLPAGES_BACKUP_KEEP:-14}
compress=${MLPAGES_BACKUP_COMPRESS:-gzip}
uploads=${MLPAGES_UPLOADS_DIR:-/var/lib/mlpages/uploads}

# sqlite3 without the user's ~/.sqliterc (a .mode there would change what the checks read), never interactive
sql() { sqlite3 -init /dev/null -batch "$@"; }

# Under systemd, stdout goes to the journal, which reads a <priority> prefix (sd-daemon(3)).
log() {
  local priority=$1
  shift
  if [ -n "${JOURNAL_STREAM:-}" ]; then
    printf '<%s>mlpages-backup: %s\n' "$priority" "$*"
  else
    printf 'mlpages-backup: %s\n' "$*"
  fi
}
info() { log 6 "$@"; }
fail() {
  local code=$1
  shift
  log 3 "FAILED: $*"
  exit "$code"
}

usage() {
  sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case $1 in
    --db) db=${2:?--db needs a file}; shift 2 ;;
    --dir) backup_dir=${2:?--dir needs a folder}; shift 2 ;;
    --keep) keep=${2:?--keep needs a number}; shift 2 ;;
    --compress) compress=${2:?--compress needs gzip, zstd or none}; shift 2 ;;
    --uploads) uploads=${2:?--uploads needs a folder or none}; shift 2 ;;
    -h | --help) usage ;;
    *) log 3 "unknown option: $1"; usage ;;
  esac
done

case $keep in
  '' | *[!0-9]* | 0) fail 2 "--keep must be a whole number of at least 1, not '$keep'" ;;
esac
case $compress in
  gzip) suffix=.gz ;;
  zstd) suffix=.zst ;;
  none) suffix= ;;
  *) fail 2 "--compress must be gzip, zstd or none, not '$compress'" ;;
esac
for tool in sqlite3 flock ${suffix:+"$compress"}; do
  command -v "$tool" >/dev/null || fail 2 "$tool is not installed (Debian: apt-get install $tool)"
done
if [ ! -f "$db" ] || [ ! -r "$db" ]; then
  fail 3 "no readable database at $db"
fi

mkdir -p "$backup_dir" || fail 4 "cannot create $backup_dir"
exec 9>"$backup_dir/.lock" || fail 4 "cannot write in $backup_dir"
flock -n 9 || fail 7 "another backup is running in $backup_dir"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
name=mlpages-$stamp.db
partial=$backup_dir/.$name.partial
# a partial file is never left behind, whatever stops the script
trap 'rm -f -- "$partial" "$partial$suffix"' EXIT
rm -f -- "$partial" "$partial$suffix"

started=$SECONDS
# busy_timeout: the read waits while the app holds its brief checkpoint lock instead of failing
sqlite_error=$(sql -bail -cmd '.timeout 30000' "$db" "VACUUM INTO '${partial//\'/\'\'}'" 2>&1 >/dev/null) ||
  fail 4 "VACUUM INTO $partial: ${sqlite_error:-sqlite3 failed}"

check=$(sql -readonly "$partial" 'PRAGMA integrity_check' 2>&1) || check="sqlite3 cannot read it: $check"
[ "$check" = ok ] || fail 5 "the copy of $db failed its integrity check, not kept: $(echo "$check" | head -5)"
size=$(stat -c %s "$partial")

case $compress in
  gzip) gzip -q "$partial" || fail 4 "gzip $partial failed" ;;
  zstd) zstd -q --rm "$partial" || fail 4 "zstd $partial failed" ;;
esac
sync -- "$partial$suffix"
mv -f -- "$partial$suffix" "$backup_dir/$name$suffix"
sync -- "$backup_dir"
info "backed up $db to $backup_dir/$name$suffix ($size bytes before compression, integrity ok, $((SECONDS - started)) s)"

# The oldest beyond --keep go; names sort by time. Only ever after a good backup.
mapfile -t backups < <(find "$backup_dir" -maxdepth 1 -type f -name 'mlpages-*Z.db*' -printf '%f\n' | sort -r)
for old in "${backups[@]:keep}"; do
  rm -f -- "${backup_dir:?}/$old"
  info "deleted old backup $backup_dir/$old (keeping $keep)"
done

if [ "$uploads" = none ]; then
  exit 0
fi
if [ ! -d "$uploads" ]; then
  info "no photos folder at $uploads: nothing to mirror"
  exit 0
fi
mirror=$backup_dir/uploads
mkdir -p "$mirror" || fail 6 "cannot create $mirror"
# new photos only: files the app made (not the hidden .part file of an upload being written); a photo that
# retention deletes meanwhile is skipped, not an error
mapfile -t new_photos < <(cd "$uploads" && find . -maxdepth 1 -type f ! -name '.*' -printf '%f\n' |
  while IFS= read -r photo; do [ -e "$mirror/$photo" ] || printf '%s\n' "$photo"; done)
if [ ${#new_photos[@]} -gt 0 ]; then
  printf '%s\n' "${new_photos[@]}" |
    tar -C "$uploads" -cf - --ignore-failed-read --verbatim-files-from -T - |
    tar -C "$mirror" -xf - || fail 6 "copying photos from $uploads to $mirror failed"
fi
removed=0
while IFS= read -r photo; do
  if [ ! -e "$uploads/$photo" ]; then
    rm -f -- "${mirror:?}/$photo"
    removed=$((removed + 1))
  fi
done < <(cd "$mirror" && find . -maxdepth 1 -type f -printf '%f\n')
info "mirrored photos from $uploads to $mirror: ${#new_photos[@]} new, $removed deleted by the app since"
