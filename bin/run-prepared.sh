#!/usr/bin/env bash
# Runs the app from JAR with a prepared start (bin/prepare-start.sh: the jar extracted, the JVM's AOT cache or
# AppCDS archive, Spring's ahead-of-time mode), preparing it first when there is none yet for this jar, this
# JVM and these JAVA_OPTS. The systemd unit starts the app with it, so an operator never prepares by hand: the
# first start of a new release (or after a Java update) takes the preparation's time once, every later start
# a fraction of the fat jar's (docs/benchmarks.md, "Start-up").
#
#   bin/run-prepared.sh JAR [app arguments...]     prepare if needed, then run
#   bin/run-prepared.sh --prepare-only JAR          prepare if needed, then stop (an installer's step)
#
# Run from the app's working directory (the one holding models/ and data/). Prepared starts live in
# $MLPAGES_START_DIR (default data/cache/start), one folder per jar + JVM + JAVA_OPTS; the two newest are kept
# (the one before serves a rollback). JAVA_OPTS (word-split) go to the preparation and to every start. When the
# preparation fails, the app starts the slow way (java -jar) and the failure is not retried for the same key.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
prepare_only=0
if [ "${1:-}" = --prepare-only ]; then
  prepare_only=1
  shift
fi
[ $# -ge 1 ] || { echo "usage: $0 [--prepare-only] JAR [app arguments...]" >&2; exit 2; }
[ -f "$1" ] || { echo "run-prepared.sh: no jar at $1" >&2; exit 2; }
jar=$(readlink -f "$1")
shift
java=$(command -v "${JAVA_HOME:+$JAVA_HOME/bin/}java") || { echo "run-prepared.sh: no java in ${JAVA_HOME:-the PATH}" >&2; exit 1; }
java=$(readlink -f "$java")
read -r -a java_opts <<<"${JAVA_OPTS:-}"

slow_start() {
  exec "$java" ${java_opts[@]+"${java_opts[@]}"} -jar "$jar" "$@"
}

# What the cache belongs to, read without starting a JVM (a start must stay cheap): the jar as installed (path,
# size, time), the JVM (its path and its release file, which a package update rewrites, else libjvm.so's size
# and time) and the options.
jvm_home=$(dirname "$(dirname "$java")")
jvm_id=$(cat "$jvm_home/release" 2>/dev/null || stat -Lc '%s %Y' "$jvm_home"/lib/server/libjvm.so 2>/dev/null || echo unknown)
key=$(printf '%s\n' "$jar $(stat -Lc '%s %Y' "$jar")" "$java" "$jvm_id" "${JAVA_OPTS:-}" | sha256sum | cut -c1-16)
starts=${MLPAGES_START_DIR:-data/cache/start}
dir=$starts/$key

if [ ! -x "$dir/start.sh" ] && [ ! -f "$dir.failed" ]; then
  if ! mkdir -p "$starts" 2>/dev/null || [ ! -w "$starts" ]; then
    echo "run-prepared.sh: cannot write $starts (run from the app's working directory): starting the slow way" >&2
  else
    echo "run-prepared.sh: preparing the start of $jar with $java (once per jar and JVM; a start's time or two)" >&2
    # straight into its folder (the cache records the paths it was made with); start.sh is written last, so a
    # preparation cut short leaves no start.sh and is made again. The training start unpacks the natives and
    # converts the models into the app's own cache, for the app to reuse.
    if JAVA_OPTS="${JAVA_OPTS:-}" MLPAGES_CACHE_DIR="${MLPAGES_CACHE_DIR:-${MLPAGES_CACHEDIR:-data/cache}}" \
      "$here/prepare-start.sh" "$jar" "$dir" >"$starts/$key.log" 2>&1; then
      # older preparations (earlier jars, an earlier JVM): the one before is kept, for a rollback
      # (the folders are named by hex keys: no character in them needs care)
      find "$starts" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' | sort -rn | tail -n +3 | cut -d' ' -f2 |
        while read -r old; do rm -rf "$old" "$old.log" "$old.failed"; done
      echo "run-prepared.sh: prepared in $dir" >&2
    else
      rm -rf "$dir"
      mv "$starts/$key.log" "$dir.failed" 2>/dev/null || touch "$dir.failed" 2>/dev/null || true
      echo "run-prepared.sh: the preparation failed (see $dir.failed; not retried for this jar and JVM):" \
        "starting the slow way" >&2
    fi
  fi
fi

if [ "$prepare_only" = 1 ]; then
  [ -x "$dir/start.sh" ]
  exit
fi
if [ -x "$dir/start.sh" ]; then
  exec "$dir/start.sh" "$@"
fi
slow_start "$@"
