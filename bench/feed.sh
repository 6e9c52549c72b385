#!/usr/bin/env bash
# The change feed on MariaDB: deliveries a second to a local receiver against plain POSTs to it,
# delivery lag at 50 changes a second, and a receiver that takes 2 s per answer against none
# (first sync time and lookup rate, pairs back to back), in one run.
# Needs MariaDB on 127.0.0.1:3306 (ORGSYNC_TEST_MYSQL_URL/USER/PASSWORD override) and wrk.
# Usage: bench/feed.sh [members=10000] [lag changes=500] [wrk seconds=5]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk is missing: installing it (Debian package)"
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.orgsync.bench.FeedBench "$@"
