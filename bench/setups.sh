#!/usr/bin/env bash
# What each WeCom set-up costs a sync (issue 20, "Speed"): a contact-sync secret on a new IP
# (user/list_id pages and department/simplelist) against an app secret on the same org of 100,000
# members in 2,000 departments, on a node run as the memory goal runs it (java -Xmx256m); and an app
# plus a contact-sync secret against an app alone, calls per department (200 departments).
# Usage: bench/setups.sh [--members 100000] [--departments 2000] [--small-members 3000]
#                        [--small-departments 200] [--rate 200] [--heap 256 (MB, the node's -Xmx)]
# Needs MariaDB on 127.0.0.1:3306 (root, empty password; ORGSYNC_TEST_MYSQL_URL/_USER/_PASSWORD
# override); creates a fresh database orgsync_t_bench_setups_* (dropped after a complete run) and
# kills the node it started, also on failure or Ctrl-C. The node's GC log: target/it-logs/setups-bench-gc.log.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
echo "machine: nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -m | awk '/Mem:/ {print $2}') MiB memory"
echo "java: $(java -version 2>&1 | head -1); MariaDB: $(mysql -h127.0.0.1 -uroot -N -e 'select version()' 2>/dev/null || echo '?')"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); load: $(cut -d' ' -f1-3 /proc/loadavg); command: bench/setups.sh $*"
exec java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.orgsync.bench.SetupsBench "$@"
