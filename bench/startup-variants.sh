#!/usr/bin/env bash
# java -jar to the first prediction with the cache already filled (natives extracted, model converted), under
# JVM options an operator can set without changing the app. 3 warm runs each (BENCH_WARM_RUNS).
# Needs a build (bench/run.sh, or mvn -DskipTests package + dependency:build-classpath). Results in
# target/bench/startup-variants/<variant>.md. BENCH_VARIANTS="default cds" picks some; BENCH_RETRIES (0) and
# BENCH_QUIET_WAIT (20 s) as in run.sh.
#
#   default   java -jar target/mlpages-*.jar (the models load in the background: mlpages.image.background-loading)
#   foreground  --mlpages.image.background-loading=false: the models load on the main thread, before Tomcat starts
#             (the app's behaviour before background loading)
#   c1        -XX:TieredStopAtLevel=1 (C1 only: less JIT work at start, slower steady state)
#   serialgc  -XX:+UseSerialGC -XX:TieredStopAtLevel=1
#   cds       the jar extracted (java -Djarmode=tools ... extract) + an AppCDS archive made by one training run
#             that exits after the context refresh (-Dspring.context.exit=onRefresh), as Spring Boot documents,
#             with the models loaded on the main thread so that their classes are archived (as the Dockerfile)
#   cds-foreground  cds with the models loaded on the main thread
#   cds-c1    cds + -XX:TieredStopAtLevel=1
#   cds-aot   the jar as bin/prepare-start.sh prepares it with the java on the PATH (Java 17: extracted, AppCDS,
#             -Dspring.aot.enabled=true with the bean definitions process-aot generated): the README's fast start,
#             and the Dockerfile's until Java 25; "prepared" is the same
#   cds-aot-c1  cds-aot + -XX:TieredStopAtLevel=1
#   cds-aot-latec2  cds-aot with C2 thresholds 10x higher (hot code still reaches C2, later)
#   cds-aot-lazy  cds-aot + --spring.main.lazy-initialization=true
#   cds-aot-serialgc  cds-aot + -XX:+UseSerialGC (no concurrent GC threads competing for the 2 cores)
#   prepared-25  the same with the JDK in $BENCH_JAVA25_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64): its AOT
#             cache (JEP 483/514/515) - what the Dockerfile runs
#   prepared-25-c1, prepared-25-latec2, prepared-25-serialgc  prepared-25 with C1 only, with C2's thresholds 10x
#             higher, with Serial GC
#   jdk25     the fat jar on that JDK, as it is
#   extracted the extracted jar without the CDS archive (how much of cds is the layout alone)
#   cds-deferred  cds + deferred JPA bootstrap (below)
#   deferred-jpa  --spring.data.jpa.repositories.bootstrap-mode=deferred (Spring Boot then builds the JPA
#             EntityManagerFactory on a background thread, alongside the model load)
#   lazy      --spring.main.lazy-initialization=true (beans, the model included, made on first use)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${BENCH_OUT:-target/bench}/startup-variants
mkdir -p "$OUT"
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-1}
[ -f target/test-classpath.txt ] || { echo "build first: bench/run.sh"; exit 1; }
CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
JAR=$(ls target/mlpages-*.jar | grep -v original | head -1)
EXTRACTED=target/bench/extracted
CACHE=$PWD/target/bench/cache
LATE_C2="-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000 -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000"

make_cds() {
  # the AppCDS archive without Spring's AOT mode, for the variants measured before bin/prepare-start.sh; an
  # archive from another build of the jar would be refused (or worse, half used): remade after each build
  [ -f "$EXTRACTED/app.jsa" ] && [ "$EXTRACTED/app.jsa" -nt "$JAR" ] && return 0
  rm -rf "$EXTRACTED"
  java -Djarmode=tools -jar "$JAR" extract --destination "$EXTRACTED" --application-filename app.jar > /dev/null
  local tmp; tmp=$(mktemp -d)
  echo ".. CDS training run (uptime: $(uptime))"
  timeout 300 java -XX:ArchiveClassesAtExit="$EXTRACTED/app.jsa" -Dspring.context.exit=onRefresh -jar "$EXTRACTED/app.jar" \
    --server.port=0 --server.address=127.0.0.1 --mlpages.image.background-loading=false --mlpages.cache-dir="$CACHE" --mlpages.uploads-dir="$tmp/uploads" \
    --spring.datasource.url="jdbc:sqlite:$tmp/db.sqlite" > "$OUT/cds-training.log" 2>&1 || true
  rm -rf "$tmp"
  [ -f "$EXTRACTED/app.jsa" ] || { echo "no CDS archive made; see $OUT/cds-training.log"; exit 1; }
}

JAVA25_HOME=${BENCH_JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA_PATH_HOME=$(dirname "$(dirname "$(realpath "$(command -v java)")")")

prepare() {
  # bin/prepare-start.sh into target/bench/<dir> with the given JDK, once per build of the jar
  local dir=target/bench/$1 home=$2
  # reused only if made from this build of the jar by this JDK
  [ -f "$dir/start.sh" ] && [ "$dir/start.sh" -nt "$JAR" ] && grep -qF "for $(realpath "$home/bin/java") " "$dir/start.sh" && return 0
  echo ".. bin/prepare-start.sh with $home (uptime: $(uptime))"
  JAVA_HOME=$home MLPAGES_CACHE_DIR=$CACHE bin/prepare-start.sh "$JAR" "$dir" > "$OUT/prepare-$1.log" 2>&1 \
    || { cat "$OUT/prepare-$1.log"; exit 1; }
}

for variant in ${BENCH_VARIANTS:-default foreground c1 serialgc extracted cds cds-c1 deferred-jpa cds-deferred lazy}; do
  jar=$JAR; args=""; appargs=""; java=java
  case $variant in
    default) ;;
    foreground) appargs="--mlpages.image.background-loading=false" ;;
    cds-foreground) make_cds; jar=$EXTRACTED/app.jar; args="-XX:SharedArchiveFile=$EXTRACTED/app.jsa"
      appargs="--mlpages.image.background-loading=false" ;;
    c1) args="-XX:TieredStopAtLevel=1" ;;
    serialgc) args="-XX:+UseSerialGC -XX:TieredStopAtLevel=1" ;;
    cds) make_cds; jar=$EXTRACTED/app.jar; args="-XX:SharedArchiveFile=$EXTRACTED/app.jsa" ;;
    cds-aot|prepared) prepare prepared "$JAVA_PATH_HOME"; jar=target/bench/prepared/start.sh ;;
    cds-aot-c1) prepare prepared "$JAVA_PATH_HOME"; jar=target/bench/prepared/start.sh; args="-XX:TieredStopAtLevel=1" ;;
    cds-aot-latec2) prepare prepared "$JAVA_PATH_HOME"; jar=target/bench/prepared/start.sh; args="$LATE_C2" ;;
    cds-aot-lazy) prepare prepared "$JAVA_PATH_HOME"; jar=target/bench/prepared/start.sh
      appargs="--spring.main.lazy-initialization=true" ;;
    cds-aot-serialgc) prepare prepared "$JAVA_PATH_HOME"; jar=target/bench/prepared/start.sh; args="-XX:+UseSerialGC" ;;
    cds-c1) make_cds; jar=$EXTRACTED/app.jar; args="-XX:SharedArchiveFile=$EXTRACTED/app.jsa -XX:TieredStopAtLevel=1" ;;
    prepared-25) prepare prepared-25 "$JAVA25_HOME"; jar=target/bench/prepared-25/start.sh ;;
    prepared-25-c1) prepare prepared-25 "$JAVA25_HOME"; jar=target/bench/prepared-25/start.sh; args="-XX:TieredStopAtLevel=1" ;;
    prepared-25-latec2) prepare prepared-25 "$JAVA25_HOME"; jar=target/bench/prepared-25/start.sh; args="$LATE_C2" ;;
    prepared-25-serialgc) prepare prepared-25 "$JAVA25_HOME"; jar=target/bench/prepared-25/start.sh; args="-XX:+UseSerialGC" ;;
    jdk25) java=$JAVA25_HOME/bin/java ;;
    extracted) make_cds; jar=$EXTRACTED/app.jar ;;
    cds-deferred) make_cds; jar=$EXTRACTED/app.jar; args="-XX:SharedArchiveFile=$EXTRACTED/app.jsa"
      appargs="--spring.data.jpa.repositories.bootstrap-mode=deferred" ;;
    deferred-jpa) appargs="--spring.data.jpa.repositories.bootstrap-mode=deferred" ;;
    lazy) appargs="--spring.main.lazy-initialization=true" ;;
    *) echo "unknown variant $variant"; exit 2 ;;
  esac
  echo "== $variant: $jar $args $appargs (uptime: $(uptime))"
  # the benchmark starts a jar with its own JVM
  "$java" -cp "$CP" -Dbench.retries="${BENCH_RETRIES:-0}" -Dbench.quietWaitSeconds="${BENCH_QUIET_WAIT:-20}" -Dbench.coldRuns=0 -Dbench.nativesOnlyRuns=0 -Dbench.warmRuns="${BENCH_WARM_RUNS:-3}" \
    -Dbench.jar="$jar" -Dbench.serverJvmArgs="$args" -Dbench.appArgs="$appargs" -Dbench.label="$variant: $args $appargs" \
    -Dbench.out="$OUT/$variant.md" org.mlpages.bench.StartupBenchmark 2>&1 | tee "$OUT/$variant.log" | grep -E 'run [0-9]+:' || true
done
