# syntax=docker/dockerfile:1
# Builds the jar (Java 17, the project's baseline) and runs it on Java 25, whose AOT cache starts it fastest.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY models models
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:25-jre
WORKDIR /app
COPY models /app/models
ENV TF_CPP_MIN_LOG_LEVEL=1
# The jar extracted plus an AOT cache of what a start loads and links, recorded by one training start at build
# time by the JVM that runs it, as the cache requires (bin/prepare-start.sh): docs/benchmarks.md measures the
# start with it, with Java 17's AppCDS and from the fat jar. The fat jar and the script are mounted, not copied,
# so that no layer keeps them; the training start keeps its database, natives and converted models in a
# throw-away folder, so the image holds none of them either.
RUN --mount=type=bind,from=build,source=/src/target,target=/build \
    --mount=type=bind,source=bin/prepare-start.sh,target=/tmp/prepare-start.sh \
    bash /tmp/prepare-start.sh "$(ls /build/mlpages-*.jar | head -1)" /app/jar && rm /app/jar/training.log
EXPOSE 8080
VOLUME ["/app/data", "/app/uploads"]
# start.sh execs java (PID 1, so it gets docker stop's SIGTERM) with the cache and Spring's ahead-of-time mode.
# With another JVM the cache is refused with a warning and the start takes the slow way.
ENTRYPOINT ["/app/jar/start.sh"]
