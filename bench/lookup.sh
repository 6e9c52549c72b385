#!/usr/bin/env bash
# The read path on MariaDB with 50,000 synced members, driven by wrk at concurrency 32, in one run:
# lookup by mobile over 2,000 numbers (cache on, cache off) against the same server's invalid-mobile
# 400; a long tail over all 50,000 numbers (rate and hit ratio over time); memory per cached member;
# invalidation lag between two nodes over 100 changes.
# Needs MariaDB on 127.0.0.1:3306 (ORGSYNC_TEST_MYSQL_URL/USER/PASSWORD override) and wrk.
# Usage: bench/lookup.sh [members=50000] [seconds per wrk run=5] [connections=32] [changes=100] [tail seconds=60]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk is missing: installing it (Debian package)"
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.orgsync.bench.LookupBench "$@"
