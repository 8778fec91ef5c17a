# syntax=docker/dockerfile:1
# Java: build the jar with Maven and the JDK, run it on the JRE of the same version.
# (templates/runtime-bases.json: maven:3.9-eclipse-temurin-21 -> eclipse-temurin:21-jre;
# gradle:X-jdk21 -> eclipse-temurin:21-jre, jar from build/libs/)

# ---- builder ----
FROM maven:3.9-eclipse-temurin-21 AS builder
WORKDIR /build
# Dependencies first, cached until pom.xml changes.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
# Name the jar in pom.xml (<finalName>app</finalName>) so it can be copied by name.
RUN mvn -B -q package -DskipTests

# ---- runtime ----
FROM eclipse-temurin:21-jre
WORKDIR /app
# The temurin images have no non-root user: create one, with a real home.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app
COPY --from=builder /build/target/app.jar /app/app.jar
EXPOSE 8080
USER 10001:10001
# The JVM writes hsperfdata and temp files to /tmp; native libraries (netty, JNI)
# are extracted there and need exec. On a read-only root filesystem mount a tmpfs
# on /tmp without noexec (spring-boot #8578, netty #6678).
CMD ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
