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
COPY --from=build /src/target/mlpages-*.jar /app/mlpages.jar
COPY models /app/models
ENV TF_CPP_MIN_LOG_LEVEL=1
EXPOSE 8080
VOLUME ["/app/data", "/app/uploads"]
ENTRYPOINT ["java", "-jar", "/app/mlpages.jar"]
