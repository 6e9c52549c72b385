#!/usr/bin/env bash
# Upstream client overhead: calls/s through orgsync's client vs raw HTTP to the simulator.
# Usage: bench/client-overhead.sh [threads=8] [seconds per round=5] [rounds=3]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.orgsync.bench.ClientOverheadBench "$@"
