#!/usr/bin/env bash
# Prepares a start in a fraction of the fat jar's time (docs/benchmarks.md, "Start-up"): the jar extracted
# (plain jars under lib/, which the JVM's class-data sharing needs) and a cache of what a start loads, recorded
# by one training start that stops after Spring's context refresh, in Spring's ahead-of-time mode (the bean
# definitions the build generated). Java 25 and later record an AOT cache (JEP 483/514/515: classes loaded and
# linked, method profiles); Java 17 to 24 an AppCDS archive. Writes DEST/start.sh, which starts the app with it.
#
#   bin/prepare-start.sh target/mlpages-0.1.0-SNAPSHOT.jar target/app && target/app/start.sh
#
# Run it, and start.sh, from the folder that holds models/. The java is $JAVA_HOME/bin/java, else the one on the
# PATH. DEST holds a copy of the jar and a cache that belongs to it and to this JVM: prepare again after each build
# (start.sh warns when the jar it was prepared from has changed) and after a JVM upgrade (the JVM then refuses the
# cache with a warning and starts the slow way). JAVA_OPTS (word-split), when set, go to the training start and are
# read again by start.sh at each start: the cache holds only with the options it was recorded with (the GC, the
# heap's size). bin/run-prepared.sh prepares on first use and starts.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 JAR DEST" >&2; exit 2; }
[ -f "$1" ] || { echo "no jar at $1" >&2; exit 2; }
jar=$(realpath "$1")
dest=$2
java=$(command -v "${JAVA_HOME:+$JAVA_HOME/bin/}java") || { echo "no java in ${JAVA_HOME:-the PATH}" >&2; exit 1; }
java=$(realpath "$java")
version=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[[ "$version" =~ ^[0-9]+ ]] || { echo "cannot read the Java version of $java" >&2; exit 1; }
feature=${BASH_REMATCH[0]}

# DEST is replaced: only an earlier output of this script (it leaves a marker) or an empty or missing folder,
# never anything else, nor the folder the jar itself is in
marker=.prepared-by-prepare-start
if [ -e "$dest" ] && [ ! -d "$dest" ]; then
  echo "$dest is not a folder" >&2; exit 2
fi
if [ -d "$dest" ] && [ -n "$(ls -A "$dest")" ] && [ ! -f "$dest/$marker" ]; then
  echo "$dest is not empty and was not prepared by this script: choose another DEST" >&2; exit 2
fi
case "$jar/" in "$(realpath -m "$dest")"/*) echo "the jar is inside $dest: copy it elsewhere first" >&2; exit 2 ;; esac
rm -rf "$dest"
"$java" -Djarmode=tools -jar "$jar" extract --destination "$dest" --application-filename app.jar > /dev/null
dest=$(realpath "$dest")
touch "$dest/$marker"

if [ "$feature" -ge 25 ]; then
  # the JNI libraries (SQLite, TensorFlow) and protobuf's use of sun.misc.Unsafe are allowed explicitly, instead
  # of Java 25's warnings at every start; the training start takes the same options, as the cache requires
  access="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
  record=("-XX:AOTCacheOutput=$dest/app.aot" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
  use="-XX:AOTCache=\"\$dir/app.aot\" $access"
else
  record=("-XX:ArchiveClassesAtExit=$dest/app.jsa")
  use="-XX:SharedArchiveFile=\"\$dir/app.jsa\""
fi

# The training start keeps its database and uploads in a scratch folder, so that it touches neither the
# operator's data nor a configured MySQL, and its natives and converted models there too unless
# MLPAGES_CACHE_DIR names a cache to reuse; the models load on the main thread, so that their classes are
# recorded before the context refresh ends.
read -r -a java_opts <<<"${JAVA_OPTS:-}"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
echo "recording the start cache with $java (Java $version); log in $dest/training.log"
"$java" ${java_opts[@]+"${java_opts[@]}"} "${record[@]}" -Dspring.aot.enabled=true -Dspring.context.exit=onRefresh -jar "$dest/app.jar" \
  --server.port=0 --server.address=127.0.0.1 --mlpages.image.background-loading=false \
  --mlpages.data-dir="$scratch/data" --mlpages.cache-dir="${MLPAGES_CACHE_DIR:-$scratch/cache}" --mlpages.uploads-dir="$scratch/uploads" \
  --spring.datasource.url="jdbc:sqlite:$scratch/mlpages.db" > "$dest/training.log" 2>&1 \
  || { tail -20 "$dest/training.log" >&2; echo "the training start failed; see $dest/training.log" >&2; exit 1; }
[ -s "$dest/app.aot" ] || [ -s "$dest/app.jsa" ] || { echo "no cache recorded; see $dest/training.log" >&2; exit 1; }

# paths go into start.sh single-quoted, so that no character in them is read as shell syntax
quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
cat > "$dest/start.sh" <<START
#!/bin/sh
# Written by bin/prepare-start.sh for $java (Java $version) from $jar. Arguments go to the app.
dir=\$(dirname "\$(readlink -f "\$0")")
source_jar=$(quote "$jar")
if [ "\$source_jar" -nt "\$dir/app.jar" ]; then
  echo "start.sh: \$source_jar changed since it was prepared; this starts the earlier copy (run bin/prepare-start.sh again)" >&2
fi
set -f
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec $(quote "$java") \$JAVA_OPTS $use -Dspring.aot.enabled=true -jar "\$dir/app.jar" "\$@"
START
chmod +x "$dest/start.sh"
echo "ready: $dest/start.sh"
