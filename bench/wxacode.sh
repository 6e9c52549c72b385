#!/usr/bin/env bash
# Mini-program codes: added latency of orgsync over calling the simulator directly, and cache
# hits against misses. H2 and the simulator in-process; no MariaDB needed.
# Usage: bench/wxacode.sh [scenes per round=300] [rounds=5]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.orgsync.bench.WxacodeBench "$@"
