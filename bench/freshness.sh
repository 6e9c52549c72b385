#!/usr/bin/env bash
# Real-time changes: freshness from a change in the simulator to a lookup on another node
# answering it (p50/p99), upstream calls per change, and events per second one node applies,
# for both callback payload styles, two nodes on MariaDB with the default rates.
# Needs MariaDB on 127.0.0.1:3306 (ORGSYNC_TEST_MYSQL_URL/USER/PASSWORD override).
# Usage: bench/freshness.sh [changes=200] [burst=500]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.orgsync.bench.FreshnessBench "$@"
