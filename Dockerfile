# syntax=docker/dockerfile:1.7
#
# The oracle as a container: three stages, only the last one ships.
#   web     - installs the chart page's pinned npm packages (lightweight-charts) from web/package-lock.json
#   build   - Maven + JDK 17 build of the shaded jar; the page's bundle comes from the web stage, so this
#             stage needs no Node and runs Maven with -Dweb.npm.skip=true
#   runtime - a JRE 17 image, a non-root user, the jar and conf/
#
#   docker build -t token-price-oracle .
#   docker run -p 8080:8080 -e ORACLE_REDIS_URL=redis://redis:6379/0 \
#              -e ORACLE_PG_URL=postgresql://postgres:postgres@db:5432/oracle token-price-oracle

############################ web: the chart page's npm dependencies
FROM node:20-bookworm-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
# Production dependencies only: playwright-core is for the browser test, not the image.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund --loglevel=error

############################ build: the shaded jar
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, so editing the sources does not re-download them.
COPY pom.xml ./
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -Dweb.npm.skip=true dependency:go-offline
COPY src/main ./src/main
COPY lua ./lua
COPY sql ./sql
COPY --from=web /src/web/node_modules ./web/node_modules
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -Dweb.npm.skip=true -Dmaven.test.skip=true package \
 && cp target/token-price-oracle.jar /tmp/oracle.jar

############################ runtime: JRE only
FROM eclipse-temurin:17-jre AS runtime
# curl for the HEALTHCHECK; nothing else is added to the base image.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 oracle \
 && useradd --system --uid 10001 --gid oracle --home-dir /app --shell /usr/sbin/nologin oracle
WORKDIR /app
COPY --from=build --chown=root:root /tmp/oracle.jar /app/oracle.jar
COPY --chown=root:root conf/ /app/conf/

# Container-aware JVM: size the heap from the container's memory limit (not the host's), leave room
# for metaspace, direct buffers (Netty) and thread stacks, and die on OOM so the orchestrator
# restarts the instance instead of letting it limp. Override with -e JAVA_OPTS=... .
ENV JAVA_OPTS="-XX:+UseContainerSupport -XX:MaxRAMPercentage=75.0 -XX:InitialRAMPercentage=25.0 -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Djava.security.egd=file:/dev/urandom -Dfile.encoding=UTF-8" \
    ORACLE_CONFIG=/app/conf/config.json \
    ORACLE_HTTP_PORT=8080

USER 10001:10001
EXPOSE 8080

# The readiness probe: 200 while reads can be served (the database answers), 503 otherwise.
HEALTHCHECK --interval=15s --timeout=3s --start-period=40s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${ORACLE_HTTP_PORT}/api/v1/health/ready" || exit 1

# exec: java becomes PID 1 and receives SIGTERM itself; the shutdown hook undeploys the verticles
# in reverse order and releases leadership (Main allows it 30 s: docker stop -t 45 / stop_grace_period 45s).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/bin/sh", "-c", "exec java $JAVA_OPTS -jar /app/oracle.jar \"$@\"", "oracle"]
