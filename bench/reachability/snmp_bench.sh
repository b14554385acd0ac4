#!/usr/bin/env bash
# SNMP GET sweep benchmark: one real snmpd listening on the wildcard address (udp:0.0.0.0:PORT,
# a free high port) reached at COUNT loopback addresses (127.3.x.y); GET of the four system
# objects (sysDescr, sysObjectID, sysUpTime, sysName) from each.
# Rows, in one run so the machine's noise hits both alike:
#   netspine_snmp_sweep (one snmpGet batch, v2c), ROUNDS rounds, and v3 authPriv (SHA/AES);
#   the naive baseline: a shell loop of net-snmp's `snmpget -v2c -c C -t 1 -r 1 ADDR:PORT OIDS`
#   over the same addresses, BASE_ROUNDS rounds (it is slow).
# Then snmpd's own capacity: CAPACITY GETs in one batch to 127.0.0.1, answered per second, and
# snmpd's CPU time (utime+stime from /proc) per 1,000 GETs.
# Usage: bench/reachability/snmp_bench.sh   env: ROUNDS (5) BASE_ROUNDS (1) COUNT (1000)
#        CAPACITY (5000) BUILD_DIR (/tmp/nsb-snmp-rel; builds netspine_snmp_sweep there)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${ROUNDS:-5}
base_rounds=${BASE_ROUNDS:-1}
count=${COUNT:-1000}
capacity=${CAPACITY:-5000}
build=${BUILD_DIR:-/tmp/nsb-snmp-rel}
[ -f "$build/build.ninja" ] ||
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
nice -n 5 ninja -C "$build" -j2 netspine_snmp_sweep > /dev/null
sweep="$build/bin/netspine_snmp_sweep"
command -v snmpget > /dev/null || { echo "snmpget is not installed (Debian: snmp)" >&2; exit 2; }
[ -x /usr/sbin/snmpd ] || { echo "snmpd is not installed (Debian: snmpd)" >&2; exit 2; }

work=$(mktemp -d)
snmpd_pid=
cleanup() {
  if [ -n "$snmpd_pid" ]; then
    kill "$snmpd_pid" 2> /dev/null || true
    wait "$snmpd_pid" 2> /dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c "
import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('0.0.0.0', 0))
print(s.getsockname()[1])")
community=bench-ro
user=bench auth=bench-auth-pw priv=bench-priv-pw
mkdir -p "$work/persist" "$work/cli"
cat > "$work/snmpd.conf" << CONF
agentAddress udp:0.0.0.0:$port
rocommunity $community 127.0.0.0/8
createUser $user SHA "$auth" AES "$priv"
rouser $user priv
sysName bench-agent
sysDescr netspine benchmark agent
sysObjectID 1.3.6.1.4.1.8072.3.2.10
sysLocation loopback
[snmp] serverRecvBuf 8388608
[snmp] serverSendBuf 8388608
CONF
SNMP_PERSISTENT_DIR="$work/persist" /usr/sbin/snmpd -f -C -c "$work/snmpd.conf" \
  -Lf "$work/snmpd.log" -p "$work/snmpd.pid" -r -I -smux > "$work/snmpd.out" 2>&1 &
snmpd_pid=$!
export SNMP_PERSISTENT_DIR="$work/cli"  # snmpget's own persistent files, not /var/lib/snmp
oids=(1.3.6.1.2.1.1.1.0 1.3.6.1.2.1.1.2.0 1.3.6.1.2.1.1.3.0 1.3.6.1.2.1.1.5.0)
for _ in $(seq 100); do
  snmpget -v2c -c "$community" -t 0.1 -r 0 "127.0.0.1:$port" "${oids[3]}" > /dev/null 2>&1 &&
    break
  sleep 0.1
done
snmpget -v2c -c "$community" -t 1 -r 0 "127.0.0.1:$port" "${oids[3]}" > /dev/null ||
  { echo "snmpd did not start:" >&2; cat "$work/snmpd.log" "$work/snmpd.out" >&2; exit 1; }

python3 -c "
for i in range($count): print(f'127.3.{i // 250}.{1 + i % 250}')" > "$work/addrs"
python3 -c "
for i in range($capacity): print('127.0.0.1')" > "$work/capacity"

ours_cmd=("$sweep" --file "$work/addrs" --port "$port" --community "$community"
  --timeout-ms 1000)
ours3_cmd=("$sweep" --file "$work/addrs" --port "$port" --v3 "$user:$auth:$priv"
  --timeout-ms 1000)
echo "netspine:    ${ours_cmd[*]}"
echo "netspine v3: ${ours3_cmd[*]}"
echo "snmpget:     for a in \$(cat ADDRS); do snmpget -v2c -c $community -t 1 -r 1 \$a:$port ${oids[*]}; done"

now() { date +%s.%N; }
cpu() { awk '{print $14 + $15}' "/proc/$snmpd_pid/stat"; }  # clock ticks
ticks=$(getconf CLK_TCK)
run_ours() {  # name command…
  local name=$1 line start end
  shift
  start=$(now)
  line=$("$@" || true)
  end=$(now)
  echo "$name $(python3 -c "print(f'{$end - $start:.3f}')") $(awk '{print $4}' <<< "$line")" |
    tee -a "$work/times"
}
for ((r = 1; r <= rounds; r++)); do
  c0=$(cpu)
  run_ours netspine "${ours_cmd[@]}"
  c1=$(cpu)
  echo "cpu $(((c1 - c0) * 1000 / ticks))" >> "$work/cpu"
  run_ours netspine-v3 "${ours3_cmd[@]}"
  if ((r <= base_rounds)); then
    start=$(now)
    ok=0
    while read -r a; do
      snmpget -v2c -c "$community" -t 1 -r 1 "$a:$port" "${oids[@]}" > /dev/null 2>&1 &&
        ok=$((ok + 1))
    done < "$work/addrs"
    end=$(now)
    echo "snmpget $(python3 -c "print(f'{$end - $start:.3f}')") $ok" | tee -a "$work/times"
  fi
done
c0=$(cpu)
start=$(now)
cap_line=$("$sweep" --file "$work/capacity" --port "$port" --community "$community" \
  --timeout-ms 2000 --retries 2 || true)
end=$(now)
c1=$(cpu)
echo "capacity: $cap_line (snmpd CPU $(((c1 - c0) * 1000 / ticks)) ms)"

python3 - "$work/times" "$work/cpu" "$count" "$capacity" "$cap_line" << 'PY'
import statistics, sys
times, oks = {}, {}
for line in open(sys.argv[1]):
    tool, seconds, ok = line.split()
    times.setdefault(tool, []).append(float(seconds))
    oks.setdefault(tool, []).append(int(ok))
count = int(sys.argv[3])
print()
print(f"| tool ({count} targets, 4 OIDs each) | rounds | median wall time (s) | min | max "
      "| ok (worst round) |")
print("| --- | --- | --- | --- | --- | --- |")
for tool in ("netspine", "netspine-v3", "snmpget"):
    t = times[tool]
    print(f"| {tool} | {len(t)} | {statistics.median(t):.3f} | {min(t):.3f} | {max(t):.3f} | "
          f"{min(oks[tool])} |")
ratio = statistics.median(times["snmpget"]) / statistics.median(times["netspine"])
print(f"\nsnmpget loop / netspine (v2c) median time: {ratio:.1f}x")
cpu = [int(l.split()[1]) for l in open(sys.argv[2])]
print(f"snmpd CPU per v2c sweep of {count}: median {statistics.median(cpu)} ms")
cap = sys.argv[5].split()
n, ok, elapsed = int(cap[1]), int(cap[3]), float(cap[7])
print(f"snmpd capacity: {ok}/{n} GETs answered in {elapsed:.3f} s = {ok / elapsed:.0f} GETs/s "
      "(one batch, all to 127.0.0.1)")
PY
