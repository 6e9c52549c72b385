#!/usr/bin/env bash
# Lookups while the directory changes: 20,000 members on MariaDB, wrk at concurrency 32 over 2,000
# real numbers, idle against the same lookups while ids-only callbacks arrive at 5 a second and a
# control (the same changes to an enterprise only the simulator knows), five rounds back to back in one
# run (the ratio per round is the figure). The simulator runs in a process of
# its own.
# Needs MariaDB on 127.0.0.1:3306 (ORGSYNC_TEST_MYSQL_URL/USER/PASSWORD override) and wrk.
# Usage: bench/churn.sh [members=20000] [seconds per wrk run=5] [changes per second=5] [connections=32]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk is missing: installing it (Debian package)"
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
# the simulator runs in a process of its own: its work (a change, a callback posted, a member read)
# is not orgsync's, and in the benchmark's JVM it would count as the node's CPU and garbage
sim_port=$((20000 + RANDOM % 20000))
java -cp "target/classes:$(cat target/bench.classpath)" io.orgsync.Main simulator --port "$sim_port" \
  > target/churn-simulator.log 2>&1 &
sim_pid=$!
trap 'kill $sim_pid 2>/dev/null' EXIT
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$sim_port/__sim/stats" >/dev/null 2>&1 && break
  sleep 0.5
done
ORGSYNC_BENCH_SIMULATOR="http://127.0.0.1:$sim_port" java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.orgsync.bench.ChurnBench "$@"
