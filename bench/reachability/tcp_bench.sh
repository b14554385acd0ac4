#!/usr/bin/env bash
# TCP connect sweep benchmark: 10,000 loopback targets (127.2.0.1 … 127.2.39.250), half to four
# listening ports (one listener each on 0.0.0.0, accepting and closing), half to four closed
# ports, swept by netspine_tcp_sweep (target: under 1 s). Rows, run round-robin in one run so
# the machine's noise hits all alike, median of RUNS each:
#   all in flight (the default: as many as the fd limit allows), 256 in flight, and one at a
#   time (the naive baseline: a connect loop). No other TCP sweeper (nmap, masscan, zmap) is on
#   the machine, so there is no outside peer.
# Usage: bench/reachability/tcp_bench.sh [RUNS]   (builds netspine_tcp_sweep, RelWithDebInfo,
# in $BUILD_DIR, default /tmp/nsb-tcp-rel)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
build=${BUILD_DIR:-/tmp/nsb-tcp-rel}
[ -f "$build/build.ninja" ] ||
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
nice -n 5 ninja -C "$build" -j2 netspine_tcp_sweep > /dev/null
sweep="$build/bin/netspine_tcp_sweep"
[ -x "$sweep" ] || sweep=$(find "$build" -name netspine_tcp_sweep -type f | head -1)

work=$(mktemp -d /tmp/netspine-tcp-bench.XXXXXX)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The peer: four listeners that accept and close at once (a full accept queue would drop SYNs
# and turn connects into 1 s retransmissions), and four ports bound then closed. It stops by
# itself after 10 minutes.
cat > "$work/peer.py" << 'PY'
import selectors, socket, sys
sel = selectors.DefaultSelector()
opened, closed = [], []
for _ in range(4):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", 0))
    s.listen(4096)
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
    opened.append(s.getsockname()[1])
while len(closed) < 4:
    s = socket.socket()
    s.bind(("0.0.0.0", 0))
    port = s.getsockname()[1]
    s.close()
    if port not in opened:
        closed.append(port)
print(",".join(map(str, opened)), ",".join(map(str, closed)), flush=True)
while True:
    for key, _ in sel.select():
        while True:
            try:
                c, _ = key.fileobj.accept()
            except (BlockingIOError, ConnectionAbortedError):
                break
            c.close()
PY
timeout 600 python3 "$work/peer.py" > "$work/ports" &
server=$!
for _ in $(seq 100); do [ -s "$work/ports" ] && break; sleep 0.1; done
read -r opened closed < "$work/ports"
IFS=, read -r -a ports <<< "$opened,$closed"
ports=("${ports[0]}" "${ports[4]}" "${ports[1]}" "${ports[5]}" "${ports[2]}" "${ports[6]}" \
  "${ports[3]}" "${ports[7]}")  # open, closed, open, closed, …

i=0
for x in $(seq 0 39); do
  for y in $(seq 1 250); do
    echo "127.2.$x.$y ${ports[$((i % 8))]}"
    i=$((i + 1))
  done
done > "$work/targets"
echo "targets: $(wc -l < "$work/targets") (open ports $opened, closed ports $closed)"
echo "sweeper: $sweep"

declare -A times
rows=("all in flight|" "256 in flight|--max-in-flight 256" "1 in flight (naive loop)|--max-in-flight 1")
for run in $(seq "$runs"); do
  for row in "${rows[@]}"; do
    name=${row%%|*}
    extra=${row#*|}
    # shellcheck disable=SC2086
    line=$("$sweep" --file "$work/targets" --timeout-ms 3000 $extra)
    echo "run $run, $name: $line"
    times[$name]+="$(sed -E 's/.*elapsed_s=([0-9.]+).*/\1/' <<< "$line") "
  done
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo
echo "| sweep of 10,000 loopback targets | median of $runs (s) | connects/s |"
echo "| --- | --- | --- |"
base=""
for row in "${rows[@]}"; do
  name=${row%%|*}
  m=$(median <<< "${times[$name]}")
  [ -z "$base" ] && base=$m
  echo "| $name | $m | $(awk -v m="$m" 'BEGIN {printf "%.0f", 10000 / m}') |"
done
echo
last=$(median <<< "${times["1 in flight (naive loop)"]}")
awk -v a="$base" -v b="$last" 'BEGIN {printf "all in flight vs one at a time: %.1fx\n", b / a}'
