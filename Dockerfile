# Builds the jar and runs it. A later issue hardens this image (non-root user, read-only root, health).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY models models
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/mlpages-*.jar /tmp/mlpages.jar
COPY models /app/models
ENV TF_CPP_MIN_LOG_LEVEL=1
# The jar extracted (plain jars under lib/) plus an AppCDS archive of the classes a start loads: Boot's
# nested-jar class loading and the class verification of Spring, Hibernate, TensorFlow's Java API ... are
# most of a start on 2 cores (docs/benchmarks.md: 20-23 s from the fat jar, 9-11 s like this). The
# archive is made by one start that stops after the context refresh; it is made here, by the JVM that
# runs it, as CDS requires. The models load on the main thread then, so that their classes are archived
# too; the throw-away folders keep the image free of a database and of the 630 MB of extracted natives.
RUN java -Djarmode=tools -jar /tmp/mlpages.jar extract --destination /app/jar \
    && mv /app/jar/mlpages-*.jar /app/jar/mlpages.jar && rm /tmp/mlpages.jar \
    && java -XX:ArchiveClassesAtExit=/app/jar/mlpages.jsa -Dspring.aot.enabled=true -Dspring.context.exit=onRefresh \
        -jar /app/jar/mlpages.jar \
        --server.port=0 --mlpages.image.background-loading=false --mlpages.data-dir=/tmp/cds/data \
        --mlpages.cache-dir=/tmp/cds/cache --mlpages.uploads-dir=/tmp/cds/uploads \
        --spring.datasource.url=jdbc:sqlite:/tmp/cds/mlpages.db \
    && rm -rf /tmp/cds && test -s /app/jar/mlpages.jsa
EXPOSE 8080
VOLUME ["/app/data", "/app/uploads"]
# Without the archive (or with another JVM) the JVM warns and starts the slow way. JAVA_TOOL_OPTIONS=
# -XX:TieredStopAtLevel=1 (C1 only) starts in about 3.1 s instead of 4.5 s (docs/benchmarks.md), an opt-in.
# -Dspring.aot.enabled=true: the bean definitions generated at build time (spring-boot-maven-plugin's
# process-aot) instead of scanning and reflection at every start.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/jar/mlpages.jsa", "-Dspring.aot.enabled=true", "-jar", "/app/jar/mlpages.jar"]
