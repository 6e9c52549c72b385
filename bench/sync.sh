#!/usr/bin/env bash
# Sync of one large enterprise into MariaDB at 127.0.0.1:3306 (root, empty password; override with
# ORGSYNC_TEST_MYSQL_URL/_USER/_PASSWORD): wall time against the department-call bound, and the
# apply time of the first load and of a 5% change.
# Usage: bench/sync.sh [departments=2000] [members=50000] [rate=200] [changed share=0.05]
#        bench/sync.sh concurrency   (200 departments at rate 50, 30 ms a call: 1 vs 4 department calls in flight)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB memory"
echo "MariaDB: $(mysql -h127.0.0.1 -uroot -N -e 'select version()' 2>/dev/null || echo unknown)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.orgsync.bench.SyncBench "$@"
