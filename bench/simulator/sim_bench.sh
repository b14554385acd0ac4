#!/usr/bin/env bash
# The device simulator's own cost: 1,000 devices in one netspine-sim process, then RUNS rounds of
# SESSIONS concurrent SSH sessions (log in, disable paging, fetch the running config), with
# medians. Usage: bench/simulator/sim_bench.sh [BUILD_DIR] [DEVICES] [SESSIONS] [RUNS]
set -euo pipefail

build=${1:-build/default}
devices=${2:-1000}
sessions=${3:-500}
runs=${4:-5}
sim_pid=""
work=$(mktemp -d)
trap 'kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

# Each session can hold a file descriptor on both sides.
ulimit -n "$(ulimit -Hn)"

"$build/bin/netspine-sim" --count "$devices" --base-address 127.3.0.1 --port 2222 --threads 2 \
  --state-dir "$work/state" --inventory "$work/inventory.csv" >"$work/sim.log" &
sim_pid=$!
for _ in $(seq 100); do grep -q "ready" "$work/sim.log" && break; sleep 0.1; done
grep -q "ready" "$work/sim.log" || { cat "$work/sim.log"; exit 1; }
sleep 1
idle_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$sim_pid/status")
echo "netspine-sim pid $sim_pid: $devices devices, idle RSS ${idle_kb} kB"

for run in $(seq "$runs"); do
  "$build/bin/netspine_sim_load" "$work/inventory.csv" "$sim_pid" "$sessions" | tee "$work/run$run"
  sleep 1
done

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
field() { for r in "$work"/run*; do grep -oE "(^| )$1=[0-9.]+" "$r" | cut -d= -f2; done | median; }
echo
echo "medians of $runs runs, $sessions concurrent sessions over $devices devices:"
echo "  idle RSS, $devices devices:           $((idle_kb / 1024)) MiB"
echo "  RSS with $sessions sessions open:      $(( $(field sim_rss_open_kb | cut -d. -f1) / 1024 )) MiB"
echo "  peak RSS (VmHWM):                  $(( $(field sim_rss_peak_kb | cut -d. -f1) / 1024 )) MiB"
echo "  simulator CPU per session:         $(field sim_cpu_ms_per_session) ms"
echo "  session throughput:                $(field sessions_per_second) sessions/s"
echo "  wall time of a round:              $(field seconds) s"
