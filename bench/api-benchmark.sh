#!/usr/bin/env bash
# API benchmark: loads one year of 1-minute candles for 10 symbols (5.26M rows + rollups) into the
# PostgreSQL database oracle_api_bench, starts the HTTP verticle with the rate limit raised by
# configuration, and drives it and a bare vert.x-web route (same bytes, from memory) with wrk.
# Needs wrk (Debian: apt-get install -y wrk). Options: --duration=S --connections=N --threads=N
# --instances=N --reload --no-cache-off --database=NAME --redis-db=N --port=P. Uses Redis DB 4 (the api
# test area) and ORACLE_TEST_PG_URL / the local PostgreSQL by default. BENCH_NO_BUILD=1 skips the Maven
# step (build first, e.g. under a shared build lock, then run this under it).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 2; }
[ -n "${BENCH_NO_BUILD:-}" ] || mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Xms1g -Xmx${BENCH_HEAP:-3g} -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" oracle.http.bench.ApiBenchmark "$@"
