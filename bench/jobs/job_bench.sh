#!/usr/bin/env bash
# The job pipeline end to end: N no-op tasks (the bundled noop engine) through the SQLite queue
# with the worker processes `netspine serve` supervises. Each run is `netspine job run noop
# --select status=active --wait` on N ACTIVE devices: accept (one transaction for N tasks),
# claim, execute, persist every result, and the run's final state. Target: 20,000 tasks/s.
# Prints each run's wall time (hyperfine), tasks/s and µs per task, and the CPU time the server
# and its workers spent per task.
# Usage: bench/jobs/job_bench.sh [N] [WORKERS] [RUNS]   (build first: cmake --build --preset default)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-100000}
workers=${2:-2}
runs=${3:-5}
bin=${NETSPINE_BIN:-build/default/bin/netspine}
work=$(mktemp -d /tmp/netspine-job-bench.XXXXXX)
serve_pid=
cleanup() {
  [[ -n $serve_pid ]] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

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
    print(f"dev{i:06d},10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255},cisco_ios,bench,active")
PY
ns migrate > /dev/null
ns area add bench > /dev/null
ns import "$work/devices.csv" > /dev/null
echo "$n ACTIVE devices imported; $workers workers, 16 threads each"

"$bin" --config "$work/netspine.yaml" serve 2> "$work/serve.log" &
serve_pid=$!
for _ in $(seq 100); do
  [[ $(grep -c "started: 16 threads" "$work/serve.log" || true) -ge $workers ]] && break
  sleep 0.1
done

hyperfine --runs "$runs" --export-json "$work/runs.json" \
  "$bin --config $work/netspine.yaml job run noop --select status=active --wait"

ns run list --limit "$runs" --json > "$work/list.json"
# CPU time (user + system, clock ticks) of the server and its live workers, before they stop.
ticks=0
for pid in "$serve_pid" $(pgrep -P "$serve_pid"); do
  ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
done
echo "$ticks $(getconf CLK_TCK)" > "$work/cpu"
kill -TERM "$serve_pid"
wait "$serve_pid" || true
serve_pid=

python3 - "$n" "$runs" "$work/runs.json" "$work/list.json" "$work/cpu" <<'PY'
import json, statistics, sys
n, runs = int(sys.argv[1]), int(sys.argv[2])
times = json.load(open(sys.argv[3]))["results"][0]["times"]
listed = json.load(open(sys.argv[4]))
bad = [r for r in listed if r["state"] != "SUCCEEDED" or r["ok"] != n]
if bad:
    sys.exit(f"a run did not finish with {n} ok tasks: {bad}")
median = statistics.median(times)
print(f"runs: {len(times)}, every one SUCCEEDED with {n} ok tasks")
print(f"command (accept {n:,} tasks + run + wait): median {median:.2f} s "
      f"(min {min(times):.2f}, max {max(times):.2f})")
print(f"  = {n / median:,.0f} tasks/s; {median / n * 1e6:.1f} µs per task")
# The pipeline alone, from the run's own times: first claim (RUNNING) to the last result
# persisted (final state), i.e. claim + execute + persist.
from datetime import datetime
def at(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")
pipeline = sorted((at(r["finished_at"]) - at(r["started_at"])).total_seconds() for r in listed)
accept = sorted((at(r["started_at"]) - at(r["created_at"])).total_seconds() for r in listed)
p = statistics.median(pipeline)
print(f"pipeline (claim + execute + persist, RUNNING to final): median {p:.2f} s "
      f"(min {pipeline[0]:.2f}, max {pipeline[-1]:.2f})")
print(f"  = {n / p:,.0f} tasks/s; {p / n * 1e6:.1f} µs per task")
print(f"created to first claim (accept transaction committed, worker polls): median "
      f"{statistics.median(accept):.2f} s")
ticks, hz = map(int, open(sys.argv[5]).read().split())
cpu = ticks / hz
print(f"CPU of the server and its workers: {cpu:.1f} s for {n * len(times):,} tasks"
      f" = {cpu / (n * len(times)) * 1e6:.1f} µs per task (incl. polling while idle)")
PY
