#!/usr/bin/env bash
# ICMP sweep of 10,000 loopback addresses: netspine_icmp_sweep against fping, alternating,
# ROUNDS rounds; prints the median wall time of each, the ratio and each one's loss.
# Usage (as root): icmp_bench.sh [BUILD_DIR]   env: ROUNDS (5) COUNT (10000) TIMEOUT_MS (500)
#                                                   RETRIES (2) INTERVAL_US (0)
set -euo pipefail
build=${1:-/tmp/nsb-icmp-rel}
tool=$build/bin/netspine_icmp_sweep
rounds=${ROUNDS:-5}
count=${COUNT:-10000}
timeout_ms=${TIMEOUT_MS:-500}
retries=${RETRIES:-2}
interval_us=${INTERVAL_US:-0}
[[ -x $tool ]] || { echo "build it first: cmake -S . -B $build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo && ninja -C $build netspine_icmp_sweep" >&2; exit 2; }
command -v fping >/dev/null || { echo "fping is not installed" >&2; exit 2; }
[[ $(id -u) == 0 ]] || echo "warning: not root; fping refuses intervals under 1 ms" >&2

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -c "
for i in range($count): print(f'127.{1 + i // 65536}.{i // 256 % 256}.{i % 256}')" >"$work/addrs"

# fping's -i takes milliseconds (fractions allowed); -r retries; -t the first timeout; -B 1.5 is
# its default backoff, ours too; -a prints each address that answered.
fping_interval=$(python3 -c "print($interval_us / 1000)")
fping_cmd=(fping -a -q -f "$work/addrs" -t "$timeout_ms" -r "$retries" -i "$fping_interval" -B 1.5)
ours_cmd=("$tool" --file "$work/addrs" --timeout-ms "$timeout_ms" --retries "$retries"
  --interval-us "$interval_us")
echo "fping:    ${fping_cmd[*]}"
echo "netspine: ${ours_cmd[*]}"

now() { date +%s.%N; }
for ((r = 1; r <= rounds; r++)); do
  start=$(now)
  up=$("${fping_cmd[@]}" 2>/dev/null | wc -l || true)
  end=$(now)
  echo "fping $r $(python3 -c "print(f'{$end - $start:.3f}')") $up" | tee -a "$work/times"
  start=$(now)
  line=$("${ours_cmd[@]}" || true)
  end=$(now)
  up=$(awk '{print $4}' <<<"$line")
  echo "netspine $r $(python3 -c "print(f'{$end - $start:.3f}')") $up" | tee -a "$work/times"
done

python3 - "$work/times" "$count" <<'PY'
import statistics, sys
times, ups = {}, {}
for line in open(sys.argv[1]):
    tool, _, seconds, up = line.split()
    times.setdefault(tool, []).append(float(seconds))
    ups.setdefault(tool, []).append(int(up))
count = int(sys.argv[2])
print()
print("| tool | median wall time (s) | min | max | up (worst round) | lost (worst round) |")
print("| --- | --- | --- | --- | --- | --- |")
for tool in ("fping", "netspine"):
    t = times[tool]
    print(f"| {tool} | {statistics.median(t):.3f} | {min(t):.3f} | {max(t):.3f} | "
          f"{min(ups[tool])} | {count - min(ups[tool])} |")
ratio = statistics.median(times["netspine"]) / statistics.median(times["fping"])
print(f"\nnetspine / fping median time: {ratio:.2f} (below 1: netspine faster)")
PY
