#!/usr/bin/env bash
# The REST API (issue 7) under load, on loopback: `netspine serve --workers 0` over a SQLite
# database of N devices (bench/gen_devices.py, imported as bench/inventory.sh does), measured with
# wrk and bench/api/auth.lua (a read token, `Authorization: Bearer ...`):
#   GET /health                                                     the floor: no database, no auth
#   GET /api/v1/devices?limit=50                                    the first page of all devices
#   GET /api/v1/devices?status=active&platform=cisco_ios&limit=50   filtered (16,667 of 100,000)
#   GET /api/v1/devices?area=bench/a03&tag=bench&limit=50           area and tag (10,000)
# Target: >= 10,000 requests/s with p99 < 10 ms. Every URL runs RUNS times at each concurrency,
# side by side in rounds; the summary is the median requests/s and p99 per URL, a markdown table
# for docs/benchmarks.md with the machine and the exact wrk command. Measured once: the server's
# start to its first 200 on /health, and its idle RSS; after every wrk run: its VmRSS and VmHWM
# (/proc/PID/status) and its CPU time (all threads) per request.
#
# wrk and the server share this machine's CPUs (on 2 vCPUs: wrk's 2 threads and the server's
# threads on the same two cores). SERVER_CPUS / WRK_CPUS pin them apart (taskset -c LIST).
#
# Usage: bench/api/api_bench.sh   (a shared machine: nice -n 10 bench/api/api_bench.sh)
# Environment:
#   N=100000          devices                  RUNS=3             rounds
#   DURATION=10s      wrk -d                   THREADS=2          wrk -t
#   CONNECTIONS=64    wrk -c (one level)       CONN_LEVELS="16 64" the levels (default; CONNECTIONS
#                                                                 set: that one level only)
#   WARMUP=2s         one unmeasured wrk run per URL first (0: none)
#   SERVER_THREADS=   server.threads in the config (empty: the server's default)
#   SERVER_EXTRA=     more server: keys, KEY=VALUE separated by spaces (db_connections=8
#                     keep_alive_requests=100000)
#   URLS="/health /api/v1/devices?limit=50 ..."  what to measure (paths with query strings)
#   BUILD_DIR=build/default   the `default` preset (RelWithDebInfo); built with
#                     `cmake --build --target netspine` unless SKIP_BUILD=1 (then used as it is)
#   NETSPINE_BIN=     a netspine executable to use instead (nothing is built then)
#   JOBS=2            build parallelism
#   WORK_DIR=/tmp/netspine-api-bench   holds the generated database, kept between runs: a rerun
#                     with the same N and gen_devices.py reuses it (migrated to the binary's
#                     schema). KEEP_DB=0 generates and imports it again.
#   SERVER_CPUS= WRK_CPUS=    taskset -c CPU lists for the server and for wrk (default: no pinning)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

n=${N:-100000}
runs=${RUNS:-3}
duration=${DURATION:-10s}
threads=${THREADS:-2}
if [[ -n ${CONNECTIONS:-} ]]; then conn_levels=${CONN_LEVELS:-$CONNECTIONS}
else conn_levels=${CONN_LEVELS:-16 64}; fi
warmup=${WARMUP:-2s}
server_threads=${SERVER_THREADS:-}
build=${BUILD_DIR:-build/default}
work=${WORK_DIR:-/tmp/netspine-api-bench}
default_urls="/health /api/v1/devices?limit=50 /api/v1/devices?status=active&platform=cisco_ios&limit=50 /api/v1/devices?area=bench/a03&tag=bench&limit=50"
read -r -a urls <<< "${URLS:-$default_urls}"
lua=$root/bench/api/auth.lua

command -v wrk > /dev/null || { echo "needs wrk: apt-get install -y wrk" >&2; exit 2; }
for c in $conn_levels; do
  ((c >= threads)) || { echo "every connection level must be >= THREADS ($threads)" >&2; exit 2; }
done
wrk_prefix=() server_prefix=()
[[ -n ${WRK_CPUS:-} ]] && wrk_prefix=(taskset -c "$WRK_CPUS")
[[ -n ${SERVER_CPUS:-} ]] && server_prefix=(taskset -c "$SERVER_CPUS")

# ---------------------------------------------------------------------------------------- build
if [[ -n ${NETSPINE_BIN:-} ]]; then
  bin=$NETSPINE_BIN
else
  bin=$build/bin/netspine
  if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    mkdir -p "$work"
    if [[ ! -f $build/CMakeCache.txt ]]; then
      if [[ $build == build/default ]]; then
        nice -n 10 cmake --preset default > "$work/cmake.log"
      else
        nice -n 10 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
          "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" -DNETSPINE_BUILD_TESTS=OFF \
          -DNETSPINE_BUILD_BENCH=OFF > "$work/cmake.log"
      fi
    fi
    nice -n 10 cmake --build "$build" -j "${JOBS:-2}" --target netspine > "$work/build.log" ||
      { tail -30 "$work/build.log"; exit 1; }
  fi
fi
[[ -x $bin ]] || { echo "$bin missing: build it (cmake --preset default && cmake --build --preset default --target netspine), or set NETSPINE_BIN" >&2; exit 1; }
bin=$(realpath "$bin")
# The build type and the source tree (for the commit) of the binary's build directory.
cache=$(dirname "$bin")/../CMakeCache.txt
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$cache" 2>/dev/null || true)
source_dir=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$cache" 2>/dev/null || true)
case ${build_type:-unknown} in
  RelWithDebInfo|Release) ;;
  *) echo "WARNING: $bin: build type ${build_type:-unknown} (no RelWithDebInfo CMakeCache.txt" \
       "next to it): not numbers to publish; use the default preset" >&2 ;;
esac
source_dir=${source_dir:-$root}
commit=$(git -C "$source_dir" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$source_dir" diff --quiet HEAD -- core server plugin-api plugins 2>/dev/null || commit+="+uncommitted"
build_type=${build_type:-unknown}
# The tree's commit is the one at run time; the binary may be older (SKIP_BUILD=1, NETSPINE_BIN).
built=$(date -u -r "$bin" '+%Y-%m-%d %H:%M UTC')

# ----------------------------------------------------------------------------------------- data
mkdir -p "$work"
db=$work/devices-$n.db
ns() { "$bin" --db "$db" "$@"; }
stamp="n=$n gen_devices=$(sha256sum bench/gen_devices.py | cut -c1-16)"
if [[ ${KEEP_DB:-1} != 0 && -f $db && "$(cat "$db.stamp" 2>/dev/null)" == "$stamp" ]]; then
  echo "database: $db (kept from an earlier run: $stamp; KEEP_DB=0 makes it anew)"
else
  rm -f "$db" "$db-wal" "$db-shm" "$db.stamp"
  python3 bench/gen_devices.py "$n" > "$work/devices-$n.csv"
  ns migrate > /dev/null
  ns area add bench > /dev/null
  for i in 0 1 2 3 4 5 6 7 8 9; do ns area add "a0$i" --parent bench > /dev/null; done
  t0=$(date +%s%N)
  ns import "$work/devices-$n.csv" > /dev/null
  echo "database: $db: $n devices imported in $((($(date +%s%N) - t0) / 1000000)) ms"
  echo "$stamp" > "$db.stamp"
fi
ns migrate > /dev/null  # a kept database gets the binary's newest schema

# A read token, made anew every run (its secret is shown only once).
ns token revoke bench > /dev/null 2>&1 || true
token=$(ns --json token create bench --role read |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
[[ $token == nst_* ]] || { echo "token create gave no nst_ token" >&2; exit 1; }
echo "token: 'bench', role read, ${token:0:12}..."

# ---------------------------------------------------------------------------------------- serve
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
{
  echo "data_dir: $work/data"
  echo "jobs: { workers: 0 }"
  echo "server:"
  echo "  listen: \"127.0.0.1:$port\""
  [[ -n $server_threads ]] && echo "  threads: $server_threads"
  for kv in ${SERVER_EXTRA:-}; do echo "  ${kv%%=*}: ${kv#*=}"; done
} > "$work/netspine.yaml"
mkdir -p "$work/data" "$work/results"
rm -f "$work"/results/*

serve_pid=
cleanup() {
  if [[ -n $serve_pid ]] && kill -0 "$serve_pid" 2> /dev/null; then
    kill -TERM "$serve_pid" 2> /dev/null || true
    wait "$serve_pid" 2> /dev/null || true
  fi
}
trap cleanup EXIT

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
serve_cmd=("$bin" --config "$work/netspine.yaml" --db "$db" serve --workers 0)
start_ns=$(date +%s%N)
"${server_prefix[@]}" "${serve_cmd[@]}" > "$work/serve.log" 2>&1 &
serve_pid=$!

# Python without proxies (urllib reads http_proxy): GET with an optional token.
http_get='
import json, os, sys, urllib.error, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
def get(url, token=None, timeout=5):
    req = urllib.request.Request(url)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with opener.open(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
'
# Start to the first 200 on /health, polled every 5 ms for at most 10 s.
startup=$(python3 - "$base" "$start_ns" "$serve_pid" <<PY
$http_get
import time
base, start, pid = sys.argv[1], int(sys.argv[2]), sys.argv[3]
while time.time_ns() - start < 10e9:
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        state = "Z"
    if state == "Z":
        sys.exit("the server exited")
    try:
        status, body = get(base + "/health", timeout=1)
        if status == 200:
            print(f"{(time.time_ns() - start) / 1e6:.0f} {body[:200].decode(errors='replace')}")
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.005)
sys.exit("no 200 on /health within 10 s")
PY
) || { echo "netspine serve did not come up: ${serve_cmd[*]}" >&2; tail -20 "$work/serve.log" >&2; exit 1; }
startup_ms=${startup%% *}
sleep 1
status_of() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$serve_pid/status"; }
idle_rss=$(status_of VmRSS)
idle_threads=$(status_of Threads)
echo "server: ${serve_cmd[*]}"
echo "  pid $serve_pid on $base; first 200 on /health ${startup_ms} ms after start: ${startup#* }"
echo "  idle: VmRSS $idle_rss kB, $idle_threads threads"

# Every URL answers 200 (with the token for /api/), and what it answers.
mapfile -t checked < <(python3 - "$base" "$token" "${urls[@]}" <<PY
$http_get
base, token, urls = sys.argv[1], sys.argv[2], sys.argv[3:]
status, _ = get(base + "/api/v1/devices?limit=1")
print(f"# without a token /api/v1/devices answers {status}" + ("" if status == 401 else " (expected 401)"))
for url in urls:
    status, body = get(base + url, token if url.startswith("/api/") else None)
    what = f"{len(body)} bytes"
    try:
        doc = json.loads(body)
        if isinstance(doc, dict) and "count" in doc:
            what += f", count {doc['count']}, {len(doc.get('results', []))} results"
    except ValueError:
        what += ", not JSON"
    if status != 200:
        what += ": " + body[:200].decode(errors="replace")
    print(f"{'ok' if status == 200 else 'FAILED'} {url} -> {status}, {what}")
PY
)
printf '  %s\n' "${checked[@]}" | tee "$work/results/checked"
good_urls=()
for line in "${checked[@]}"; do [[ $line == "ok "* ]] && { l=${line#ok }; good_urls+=("${l%% -> *}"); }; done
((${#good_urls[@]} > 0)) || { echo "no URL answered 200: nothing to measure" >&2; exit 1; }

# ------------------------------------------------------------------------------------------ wrk
tck=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$serve_pid/stat"; }
# Clock ticks all processes of the machine ran (user, nice, system; not irq and softirq, where
# the loopback's packets go, as they do not go into a process's own times): less the server's
# and wrk's own, what other processes took during a run (a shared machine's noise).
machine_ticks() { awk '$1 == "cpu" {print $2 + $3 + $4}' /proc/stat; }
timer=()
[[ -x /usr/bin/time ]] && timer=(/usr/bin/time -f "%U %S")
wrk_run() {  # CONNECTIONS DURATION URL OUT
  local token_env= timed=()
  [[ $3 == /api/* ]] && token_env=$token
  ((${#timer[@]})) && timed=("${timer[@]}" -o "$4.time")
  rm -f "$4.time"
  NETSPINE_TOKEN=$token_env "${wrk_prefix[@]}" "${timed[@]}" \
    wrk "-t$threads" "-c$1" "-d$2" -s "$lua" "$base$3" > "$4" 2>&1 || true
}
# Requests still running when wrk stops (a slow URL) would cost the next run: wait until the server
# is idle (at most 2 clock ticks of CPU in half a second), at most 30 s.
settle() {
  local before after
  for _ in $(seq 60); do
    before=$(cpu_ticks)
    sleep 0.5
    after=$(cpu_ticks)
    ((after - before <= 2)) && return 0
  done
  echo "  (the server was still busy 30 s after the run above)" >&2
}
alive() {
  local state
  state=$(awk '{print $3}' "/proc/$serve_pid/stat" 2> /dev/null || true)
  [[ -n $state && $state != Z ]] && return 0
  echo "THE SERVER DIED during the run above; its log ends:" >&2
  tail -20 "$work/serve.log" >&2
  exit 1
}
if [[ $warmup != 0 ]]; then
  for url in "${good_urls[@]}"; do wrk_run "${conn_levels##* }" "$warmup" "$url" "$work/warmup.txt"; done
  alive
  settle
  echo "  after the warmup ($warmup per URL): VmRSS $(status_of VmRSS) kB, VmHWM $(status_of VmHWM) kB"
fi
echo
c_list=${conn_levels// /,}
[[ $c_list == *,* ]] && c_list="{$c_list}"
echo "command: NETSPINE_TOKEN=<read token> ${wrk_prefix[*]}${wrk_prefix:+ }wrk -t$threads -c$c_list -d$duration -s bench/api/auth.lua '$base<URL>'"
for r in $(seq "$runs"); do
  echo "round $r of $runs"
  for c in $conn_levels; do
    for i in "${!good_urls[@]}"; do
      url=${good_urls[$i]} out=$work/results/r$r-c$c-u$i
      settle
      before=$(cpu_ticks) machine_before=$(machine_ticks)
      wrk_run "$c" "$duration" "$url" "$out.wrk"
      machine_after=$(machine_ticks)
      alive
      after=$(cpu_ticks)
      line=$(grep '^wrk_result ' "$out.wrk" || true)
      [[ -n $line ]] || { echo "  wrk failed:" >&2; tail -5 "$out.wrk" >&2; exit 1; }
      wrk_cpu=$(awk -v tck="$tck" 'NF == 2 && $1 ~ /^[0-9.]+$/ {printf "%d", ($1 + $2) * tck}' "$out.wrk.time" 2> /dev/null || true)
      echo "url=$url c=$c $line rss_kb=$(status_of VmRSS) hwm_kb=$(status_of VmHWM)" \
        "cpu_ticks=$((after - before)) machine_ticks=$((machine_after - machine_before))" \
        "wrk_ticks=${wrk_cpu:--1}" > "$out"
      printf '  -c%-3s %-62s %s\n' "$c" "$url" "$(sed -E 's/.* rps=([0-9.]+) p50_ms=([0-9.]+) p90_ms=[0-9.]+ p99_ms=([0-9.]+).* errors_status=([0-9]+) errors_timeout=([0-9]+).* rss_kb=([0-9]+) hwm_kb=([0-9]+).*/\1 req\/s, p50 \2 ms, p99 \3 ms, status errors \4, timeouts \5, RSS \6 kB, HWM \7 kB/' "$out")"
    done
  done
done

# ----------------------------------------------------------------------------------------- stop
settle
final_hwm=$(status_of VmHWM)
kill -TERM "$serve_pid"
t0=$(date +%s%N)
# R, S, ... while it runs; Z (exited, not yet reaped) or nothing once it has stopped.
proc_state() { awk '{print $3}' "/proc/$serve_pid/stat" 2> /dev/null || true; }
for _ in $(seq 100); do
  state=$(proc_state)
  [[ -z $state || $state == Z ]] && break
  sleep 0.1
done
if [[ -n $state && $state != Z ]]; then
  echo "the server did not stop within 10 s of SIGTERM: killed" >&2
  kill -KILL "$serve_pid" 2> /dev/null || true
fi
serve_rc=0
wait "$serve_pid" || serve_rc=$?
serve_pid=
stop_ms=$((($(date +%s%N) - t0) / 1000000))
echo "SIGTERM (server idle): exit status $serve_rc after ${stop_ms} ms$( ((serve_rc == 0)) || echo ' (expected 0)')"

# -------------------------------------------------------------------------------------- summary
python3 - "$work/results" "$runs" "$n" "$startup_ms" "$idle_rss" "$final_hwm" "$(getconf CLK_TCK)" \
  "$threads" "$duration" "$conn_levels" "$build_type" "$commit" "${server_threads:-default}" \
  "$idle_threads" "$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)" "${WRK_CPUS:-}" "${SERVER_CPUS:-}" \
  "$serve_rc" "${SERVER_EXTRA:-}" "$load_before" "$built" "${good_urls[@]}" <<'PY'
import glob, os, platform, re, statistics, subprocess, sys
(results, runs, n, startup_ms, idle_rss, final_hwm, tck, threads, duration, levels, build_type,
 commit, server_threads, idle_threads, wrk_version, wrk_cpus, server_cpus, serve_rc,
 server_extra, load_before, built) = sys.argv[1:22]
urls = sys.argv[22:]
runs, tck, n = int(runs), int(tck), int(n)
levels = [int(c) for c in levels.split()]

# What each URL answered before the runs: "ok URL -> 200, B bytes, count C, R results".
matches = {}
for line in open(f"{results}/checked"):
    m = re.match(r"ok (\S+) -> 200, .*count (\d+)", line.strip())
    if m:
        matches[m.group(1)] = int(m.group(2))
noisy = []
rows = {}
for f in glob.glob(f"{results}/r*-c*-u*"):
    if "." in os.path.basename(f):  # r1-c64-u0 only, not its .wrk and .wrk.time
        continue
    text = open(f).read()
    d = dict(re.findall(r"(\w+)=(\S+)", text))
    rows.setdefault((d["url"], int(d["c"])), []).append(d)

cpu = ""
for line in open("/proc/cpuinfo"):
    if line.startswith("model name"):
        cpu = line.split(":", 1)[1].strip()
        break
mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
med = statistics.median
print()
print(f"### REST API, {n:,} devices on SQLite: medians of {runs} round(s)")
print()
print(f"- machine: {os.cpu_count()} CPUs ({cpu}), {mem_gib:.0f} GiB, Linux {platform.release()}; "
      f"wrk and the server on the same machine"
      + (f" (wrk on CPUs {wrk_cpus}, server on {server_cpus})" if wrk_cpus or server_cpus else ", unpinned"))
print(f"- netspine binary ({build_type}) built {built} (the source tree at run time: {commit}); `netspine --config CONFIG --db DB serve --workers 0`, "
      f"server.threads {server_threads}"
      + (f", {server_extra}" if server_extra else "") + f" ({idle_threads} threads in the process when idle)")
c_list = str(levels[0]) if len(levels) == 1 else "{" + ",".join(map(str, levels)) + "}"
print(f"- command: `NETSPINE_TOKEN=<read token> wrk -t{threads} -c{c_list} "
      f"-d{duration} -s bench/api/auth.lua 'http://127.0.0.1:PORT<URL>'` ({wrk_version}); "
      f"the token only on /api/ URLs")
print(f"- load average before the server started: {load_before}")
print(f"- start to the first 200 on /health: {startup_ms} ms (once); idle RSS {int(idle_rss) / 1024:.1f} MiB; "
      f"peak RSS (VmHWM) at the end {int(final_hwm) / 1024:.1f} MiB; SIGTERM: exit status {serve_rc}")
print()
print("| URL | devices matching | -c | req/s (median) | min – max | p50 ms | p99 ms (median) | "
      "p99 min – max | p99.9 ms | server CPU µs/req | RSS after (max, MiB) | errors | other CPU | target |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for c in levels:
    for url in urls:
        rs = rows.get((url, c), [])
        if not rs:
            print(f"| `{url}` | | {c} | not measured | | | | | | | | | | |")
            continue
        f = lambda k: [float(r[k]) for r in rs]
        rps, p99 = f("rps"), f("p99_ms")
        errors = sum(int(r[k]) for r in rs for k in r if k.startswith("errors_"))
        # Other processes' CPU during the run, in % of one CPU (the machine's busy time minus the
        # server's and wrk's); the run's wall time from wrk.
        others = [100 * (int(r["machine_ticks"]) - int(r["cpu_ticks"]) - int(r["wrk_ticks"])) / tck
                  / float(r["duration_s"]) for r in rs if int(r.get("wrk_ticks", -1)) >= 0]
        other = f"{max(0, med(others)):.0f} % (max {max(0, max(others)):.0f} %)" if others else "n/a"
        noisy.extend(o for o in others if o > 20)
        cpu_us = med([int(r["cpu_ticks"]) / tck * 1e6 / max(1, int(r["requests"])) for r in rs])
        rss = max(f("rss_kb")) / 1024
        ok = med(rps) >= 10_000 and med(p99) < 10 and errors == 0
        target = "" if url == "/health" else ("met" if ok else "**not met**")
        count = f"{matches[url]:,}" if url in matches else ""
        print(f"| `{url}` | {count} | {c} | **{med(rps):,.0f}** | {min(rps):,.0f} – {max(rps):,.0f} | "
              f"{med(f('p50_ms')):.2f} | **{med(p99):.2f}** | {min(p99):.2f} – {max(p99):.2f} | "
              f"{med(f('p999_ms')):.2f} | {cpu_us:.0f} | {rss:.1f} | {errors} | {other} | {target} |")
print()
if noisy:
    print(f"**Noisy:** in {len(noisy)} run(s) other processes took more than 20 % of a CPU: "
          "rerun on a quiet machine before publishing.\n")
print("Target (issue 7): >= 10,000 req/s with p99 < 10 ms on the device lists; errors = wrk's "
      "connect/read/write/timeout errors and responses above 399, summed over the rounds. "
      "Server CPU: user + system time of all its threads over the run, per request. Other CPU: "
      "the machine's busy time during the run minus the server's and wrk's, in % of one CPU "
      "(median over the rounds, and the largest).")
PY
