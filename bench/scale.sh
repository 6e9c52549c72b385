#!/usr/bin/env bash
# Scale: N enterprises on 3 scheduler nodes (separate JVMs of target/orgsync.jar), all due at once.
# Usage: bench/scale.sh [--sizes 100,300,1000] [--members 20] [--departments 3] [--threads 4 or 2,4,8]
#                       [--batch 1] [--idle-seconds 15]
# Needs MariaDB on 127.0.0.1:3306 (root, empty password; ORGSYNC_TEST_MYSQL_URL/_USER/_PASSWORD
# override). Creates databases orgsync_t_bench_scale_<N>, turns MariaDB's userstat on for the run
# (restored afterwards) and kills every node it started, also on failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
echo "machine: nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -m | awk '/Mem:/ {print $2}') MiB memory"
echo "java: $(java -version 2>&1 | head -1); MariaDB: $(mysql -h127.0.0.1 -uroot -N -e 'select version()' 2>/dev/null || echo '?')"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); command: bench/scale.sh $*"
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.orgsync.bench.ScaleBench "$@"
