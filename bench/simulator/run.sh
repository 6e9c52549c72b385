#!/usr/bin/env bash
# Throughput of the simulator's user/list, measured with wrk against a simulator on loopback.
#
#   bench/simulator/run.sh                 # defaults: 2 wrk threads, 32 connections, 15 s
#   DURATION=30s CONNECTIONS=64 bench/simulator/run.sh
#
# Builds target/orgsync.jar when missing, starts `orgsync.jar simulator` on a free loopback
# port, creates an enterprise whose department 1 has 100 direct members, fetches a token and
# measures GET /cgi-bin/user/list?department_id=1 against a trivial route (GET /__sim/clock) as
# the same-run baseline. The simulator is always stopped, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/../.."

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-5s}
JAR=${JAR:-target/orgsync.jar}

if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk is missing: installing it (Debian package wrk)"
  if ! apt-get install -y wrk >/dev/null 2>&1; then
    apt-get update >/dev/null && apt-get install -y wrk >/dev/null
  fi
fi
for tool in java curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 2; }
done
if [ ! -f "$JAR" ]; then
  echo "building $JAR"
  mvn -q -DskipTests package
fi

LOG=$(mktemp)
SIM_PID=
stop() {
  if [ -n "$SIM_PID" ] && kill -0 "$SIM_PID" 2>/dev/null; then
    kill "$SIM_PID" 2>/dev/null || true
    wait "$SIM_PID" 2>/dev/null || true
  fi
  rm -f "$LOG"
}
trap stop EXIT INT TERM

# --port 0: the simulator picks a free port and prints its URL
java -jar "$JAR" simulator --port 0 >"$LOG" 2>&1 &
SIM_PID=$!
BASE=
for _ in $(seq 1 100); do
  BASE=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$LOG" | head -1 || true)
  [ -n "$BASE" ] && break
  kill -0 "$SIM_PID" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.1
done
[ -n "$BASE" ] || { echo "the simulator did not start" >&2; cat "$LOG" >&2; exit 1; }

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

curl -sf -X POST "$BASE/__sim/corps" -H 'Content-Type: application/json' \
  -d '{"corpId":"wwbench","secret":"bench-secret","departments":1,"members":100,"seed":1}' >/dev/null
# The documented 10,000 calls a minute per enterprise and API would answer 45009 after the
# first seconds: lift the rate limits (the concurrency cap stays as it is) for a throughput run.
curl -sf -X PUT "$BASE/__sim/limits" -H 'Content-Type: application/json' \
  -d '{"perMinute":0,"perHour":0,"ipPerMinute":0,"ipPerHour":0}' >/dev/null
TOKEN=$(curl -sf "$BASE/cgi-bin/gettoken?corpid=wwbench&corpsecret=bench-secret" | json '["access_token"]')
USERLIST="$BASE/cgi-bin/user/list?department_id=1&access_token=$TOKEN"
BASELINE="$BASE/__sim/clock"

MEMBERS=$(curl -sf "$USERLIST" | json '["userlist"].__len__()')
BYTES=$(curl -sf "$USERLIST" | wc -c)
[ "$MEMBERS" = 100 ] || { echo "user/list answered $MEMBERS members, expected 100" >&2; exit 1; }

# CPU accounting, to tell a slow simulator from a busy machine: jiffies of the whole machine,
# of the simulator, and of this script's finished children (wrk).
busy() { awk '/^cpu / {print $2+$3+$4+$7+$8+$9}' /proc/stat; }
sim_cpu() { awk '{print $14+$15}' "/proc/$SIM_PID/stat"; }
kids_cpu() { awk '{print $16+$17}' "/proc/$$/stat"; }

run() { # name url -> prints wrk's output, keeps requests/s in RPS_<name>
  local name=$1 url=$2 out b0 s0 k0 t0 b1 s1 k1 t1
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url" >/dev/null
  curl -sf -X POST "$BASE/__sim/stats/reset" >/dev/null
  b0=$(busy); s0=$(sim_cpu); k0=$(kids_cpu); t0=$(date +%s.%N)
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url")
  b1=$(busy); s1=$(sim_cpu); k1=$(kids_cpu); t1=$(date +%s.%N)
  echo "== $name: $url" | sed "s/access_token=[^&]*/access_token=.../"
  echo "$out" | sed -n '/Thread Stats/,$p'
  python3 - "$b0" "$b1" "$s0" "$s1" "$k0" "$k1" "$t0" "$t1" "$(nproc)" "$(getconf CLK_TCK)" <<'PY'
import sys
b0, b1, s0, s1, k0, k1, t0, t1, cores, hz = map(float, sys.argv[1:])
capacity = (t1 - t0) * hz * cores / 100  # jiffies per percent of the machine
sim, wrk, total = (s1 - s0) / capacity, (k1 - k0) / capacity, (b1 - b0) / capacity
print(f"CPU during the run, % of all {cores:.0f} cores: simulator {sim:.0f}, wrk {wrk:.0f}, other processes {max(0, total - sim - wrk):.0f}")
PY
  printf -v "RPS_$name" '%s' "$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')"
  if echo "$out" | grep -q 'Non-2xx'; then
    echo "non-2xx answers during $name" >&2
    exit 1
  fi
}

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem:/ {print $2}') GiB"
echo "java: $(java -version 2>&1 | head -1)"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after a $WARMUP warm-up), user/list body $BYTES bytes, 100 members"
echo "each run prints the CPU that other processes took meanwhile: on a shared machine they lower the figures"
echo
run userlist "$USERLIST"
# every user/list answer must have been a success, not a 45009/45033 on HTTP 200
ERRORS=$(curl -sf "$BASE/__sim/stats" | json '["errors"]')
CALLS=$(curl -sf "$BASE/__sim/stats" | json '["calls"]["/cgi-bin/user/list"]["wwbench"]')
echo "simulator stats: $CALLS user/list calls counted during the measured run, errors $ERRORS"
[ "$ERRORS" = "{}" ] || { echo "the simulator answered errors during the run" >&2; exit 1; }
echo
run baseline "$BASELINE"
echo
python3 - "$RPS_userlist" "$RPS_baseline" <<'EOF'
import sys
u, b = float(sys.argv[1]), float(sys.argv[2])
print(f"user/list: {u:,.0f} requests/s; baseline GET /__sim/clock: {b:,.0f} requests/s; ratio {u / b:.2f}")
print("target >= 5,000 requests/s for user/list:", "met" if u >= 5000 else "NOT met")
EOF
