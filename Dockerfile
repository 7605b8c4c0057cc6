# syntax=docker/dockerfile:1
# The image an operator runs: `docker build -t mlpages .` then, with a data volume and the secrets file,
#   docker run -d -p 8080:8080 -v mlpages-data:/app/data -v mlpages-uploads:/app/uploads \
#     -v "$PWD/secrets.yml:/app/secrets.yml:ro" mlpages
# (deploy/README.md, "In a container"). The jar is built with Java 17, the project's baseline, and runs on Java 25,
# whose AOT cache starts it fastest. The bases are build arguments: the usual public images by default; a machine
# with no registry passes its own (deploy/container/make-local-bases.sh makes them from Debian's packages).
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY pom.xml .
COPY src src
# Maven's downloads stay in a cache of the builder's, not in a layer, and are reused by the next build. The build's
# own checks (the enforcer, checkstyle, coverage) are the developers' and CI's, not the image's: skipped here.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests -Denforcer.skip -Dcheckstyle.skip -Djacoco.skip package \
    && mkdir /jar && mv target/mlpages-*.jar /jar/mlpages.jar

FROM ${RUNTIME_IMAGE}
# The app runs as a user of its own, never root; /app is root's and read-only to it but for the folders it writes.
RUN groupadd --system --gid 10001 mlpages \
    && useradd --system --uid 10001 --gid mlpages --home-dir /app --no-create-home --shell /usr/sbin/nologin mlpages \
    && mkdir -p /app/data /app/uploads /app/cache \
    && chown mlpages:mlpages /app/data /app/uploads /app/cache
WORKDIR /app
# The Java options are the systemd unit's (deploy/systemd/mlpages.service, which says why each; measured with
# bench/memory.sh: a peak of 640-660 MB RSS with both image models loaded under 200 clients' mixed load, against
# 740 MB with the earlier options and 780-1050 MB with Java's defaults). They are set before the start cache is
# recorded, since the cache must be recorded with the options it is used with.
ENV TF_CPP_MIN_LOG_LEVEL=1 \
    MLPAGES_CACHEDIR=/app/cache \
    LANG=C.UTF-8 \
    MALLOC_ARENA_MAX=2 \
    JAVA_TOOL_OPTIONS="-Xms64m -Xmx192m -XX:NewRatio=1 -XX:SurvivorRatio=2 -XX:TargetSurvivorRatio=90 -XX:MaxMetaspaceSize=192m -XX:ReservedCodeCacheSize=64m -Xss512k -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Djdk.nio.maxCachedBufferSize=65536 -XX:ThreadPriorityPolicy=1 -XX:CompilerThreadPriority=10"
COPY --chown=root:root models /app/models
# What only describes the image comes before the large layer below: each step after it copies that layer once
# more where the builder keeps layers as plain copies (podman's vfs storage: about 5 s a step here).
COPY --chmod=0755 deploy/container/healthcheck.sh /app/healthcheck.sh
EXPOSE 8080
# data/: the SQLite database; uploads/: the photos people sent; models/: the shipped models, and the operator's
# (a new named volume starts with the shipped ones). The secrets file is mounted read-only at /app/secrets.yml.
VOLUME ["/app/data", "/app/uploads", "/app/models"]
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 CMD ["/app/healthcheck.sh"]
# start.sh execs java, so java is PID 1 and gets `docker stop`'s SIGTERM: Spring shuts down gracefully (requests
# in flight finish) and the JVM exits with 143, which `docker stop` counts as a clean stop.
ENTRYPOINT ["/app/jar/start.sh"]
# The jar extracted plus an AOT cache of what a start loads and links, recorded by one training start with the JVM
# that runs it, as the cache requires (bin/prepare-start.sh; docs/benchmarks.md
# measures it). That start also leaves TensorFlow's natives and the shipped models' conversions in /app/cache, so a
# container's start unpacks and converts nothing. The fat jar and the script are mounted, not copied, so no layer
# keeps them; the training start's database and uploads go to a throw-away folder.
RUN --mount=type=bind,from=build,source=/jar,target=/tmp/jar \
    --mount=type=bind,source=bin/prepare-start.sh,target=/tmp/prepare-start.sh \
    MLPAGES_CACHE_DIR=/app/cache bash /tmp/prepare-start.sh /tmp/jar/mlpages.jar /app/jar \
    && rm /app/jar/training.log && chown -R mlpages:mlpages /app/cache
USER mlpages
