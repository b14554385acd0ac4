#!/usr/bin/env bash
# A reachability job end to end through the job pipeline: N ACTIVE devices on N loopback
# addresses (127.1.x.y), `netspine job run reachability --select status=active --param
# checks=icmp,tcp --wait`, with the worker processes `netspine serve` supervises: accept (one
# transaction), claim in batches, one ICMP sweep and one TCP event loop per batch, every result,
# runtime status row and final state persisted. The TCP check connects to a listener this script
# runs on 0.0.0.0:PORT (it accepts and closes). Target: 10,000 devices in under 5 s.
# ICMP needs root (raw socket) or net.ipv4.ping_group_range; run as root.
# Usage: bench/reachability/job_bench.sh [N] [WORKERS] [RUNS]
#        (build first: cmake --build --preset default)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-10000}
workers=${2:-2}
runs=${3:-5}
bin=${NETSPINE_BIN:-build/default/bin/netspine}
work=$(mktemp -d /tmp/netspine-reach-bench.XXXXXX)
serve_pid=
listener_pid=
cleanup() {
  [[ -n $serve_pid ]] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
  [[ -n $listener_pid ]] && kill "$listener_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The TCP peer: accepts every connection and closes it, on a free port of the wildcard address
# (reached through the 127.1.x.y addresses only).
python3 - "$work/port" <<'PY' &
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 0))
s.listen(4096)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
while True:
    c, _ = s.accept()
    c.close()
PY
listener_pid=$!
for _ in $(seq 50); do [[ -s $work/port ]] && break; sleep 0.1; done
port=$(cat "$work/port")

cat > "$work/netspine.yaml" <<YAML
data_dir: .
jobs:
  workers: $workers
  worker_concurrency: 16
YAML
ns() { "$bin" --config "$work/netspine.yaml" "$@"; }

python3 - "$n" > "$work/devices.csv" <<'PY'
import sys
n = int(sys.argv[1])
print("name,address,platform,area,status")
for i in range(n):
    print(f"dev{i:06d},127.{1 + (i >> 16)}.{(i >> 8) & 255}.{i & 255},cisco_ios,bench,active")
PY
ns migrate > /dev/null
ns area add bench > /dev/null
ns import "$work/devices.csv" > /dev/null
echo "$n ACTIVE devices on 127.1.x.y imported; $workers workers, 16 threads each; TCP port $port"

"$bin" --config "$work/netspine.yaml" serve --no-api 2> "$work/serve.log" &
serve_pid=$!
for _ in $(seq 100); do
  [[ $(grep -c "started: 16 threads" "$work/serve.log" || true) -ge $workers ]] && break
  sleep 0.1
done

hyperfine --runs "$runs" --export-json "$work/runs.json" \
  "$bin --config $work/netspine.yaml job run reachability --select status=active --param checks=icmp,tcp --param tcp_port=$port --param timeout_ms=1000 --wait"

ns run list --limit "$runs" --json > "$work/list.json"
kill -TERM "$serve_pid"
wait "$serve_pid" || true
serve_pid=

python3 - "$n" "$runs" "$work/runs.json" "$work/list.json" <<'PY'
import json, statistics, sys
from datetime import datetime
n, runs = int(sys.argv[1]), int(sys.argv[2])
times = json.load(open(sys.argv[3]))["results"][0]["times"]
listed = json.load(open(sys.argv[4]))
bad = [r for r in listed if r["state"] != "SUCCEEDED" or r["ok"] != n]
if bad:
    sys.exit(f"a run did not finish with {n} ok tasks (every device up on ICMP and TCP): {bad}")
median = statistics.median(times)
print(f"runs: {len(times)}, every one SUCCEEDED with {n} devices up on icmp and tcp")
print(f"command (accept + run + wait): median {median:.2f} s (min {min(times):.2f}, "
      f"max {max(times):.2f}) = {n / median:,.0f} devices/s")
def at(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")
pipeline = sorted((at(r["finished_at"]) - at(r["started_at"])).total_seconds() for r in listed)
p = statistics.median(pipeline)
print(f"pipeline (first claim to final state): median {p:.2f} s (min {pipeline[0]:.2f}, "
      f"max {pipeline[-1]:.2f})")
PY
