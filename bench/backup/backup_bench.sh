#!/usr/bin/env bash
# Configuration backup, side by side: N simulated devices (netspine-sim, cisco_ios /
# juniper_junos / arista_eos in turn, --config-lines 1200: about 50 KB configurations) backed up
# RUNS times by each of
#   (a) netspine: `netspine job run backup --select area=sim`, then `netspine worker --drain`
#       timed (wall, peak RSS); the run must end SUCCEEDED with N ok tasks;
#   (b) the floor: bench/backup/backup_floor.cpp, bare libssh per device (connect, password,
#       one exec of the config command, read to EOF, close), C threads;
#   (c) Netmiko: bench/backup/netmiko_backup.py, Debian's python3-netmiko with a
#       ThreadPoolExecutor of C threads (fast_cli=True: Netmiko's best case).
# Every side is timed by /usr/bin/time -v around its whole process (wall, peak RSS); medians
# and the throughput ratios netspine/Netmiko (target >= 20) and netspine/floor (target >= 0.5)
# are printed at the end. The simulator runs on this machine and shares its CPUs.
#
# Usage: bench/backup/backup_bench.sh   (a shared machine: nice -n 10 bench/backup/backup_bench.sh)
# Environment:
#   N=1000            devices               C=64          concurrency of every side
#   RUNS=3            rounds                NETMIKO_N=N   devices for Netmiko (fewer: its
#                                                         throughput is extrapolated to N)
#   CONFIG_LINES=1200 --config-lines of netspine-sim
#   SIM_ADDRESS=127.1.0.1  SIM_PORT=2222   where the devices listen (127.0.0.0/8 only)
#   BUILD_DIR=/tmp/nsbuild-bench-rel      RelWithDebInfo build; SKIP_BUILD=1 uses it as it is
#   KEEP=1            keep the work directory (configs, logs) instead of deleting it
#   OPERATION=backup  netspine's job kind; OPERATION=noop checks this script's netspine plumbing
#                     (config, import, run, worker, run show) without touching a device
set -euo pipefail
cd "$(dirname "$0")/../.."

n=${N:-1000}
c=${C:-64}
runs=${RUNS:-3}
netmiko_n=${NETMIKO_N:-$n}
lines=${CONFIG_LINES:-1200}
sim_address=${SIM_ADDRESS:-127.1.0.1}
sim_port=${SIM_PORT:-2222}
build=${BUILD_DIR:-/tmp/nsbuild-bench-rel}
operation=${OPERATION:-backup}
python=/usr/bin/python3  # Debian's, with python3-netmiko
bin=$build/bin
((netmiko_n > n)) && netmiko_n=$n

[[ $sim_address == 127.* ]] || { echo "SIM_ADDRESS must be in 127.0.0.0/8" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
"$python" -c 'import netmiko' 2>/dev/null ||
  { echo "needs Debian's python3-netmiko: apt-get install -y python3-netmiko" >&2; exit 2; }

work=$(mktemp -d /tmp/netspine-backup-bench.XXXXXX)
sim_pid=
cleanup() {
  if [[ -n $sim_pid ]]; then
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
  fi
  if [[ ${KEEP:-0} == 1 ]]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------- build
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  if [[ ! -f $build/CMakeCache.txt ]]; then
    nice -n 10 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DNETSPINE_BUILD_TESTS=OFF > "$work/cmake.log"
  fi
  nice -n 10 cmake --build "$build" -j2 --target netspine-sim netspine_backup_floor \
    > "$work/build.log" || { tail -30 "$work/build.log"; exit 1; }
  # netspine itself: when it does not build, the floor and Netmiko still run.
  nice -n 10 cmake --build "$build" -j2 --target netspine_bundle > "$work/build-netspine.log" ||
    { tail -15 "$work/build-netspine.log"; echo "netspine_bundle did not build (above)" >&2; }
fi
for b in netspine-sim netspine_backup_floor; do
  [[ -x $bin/$b ]] || { echo "$bin/$b missing: build it (or unset SKIP_BUILD)" >&2; exit 1; }
done

# ------------------------------------------------------------------------------------ simulator
# Every device holds a listening socket, every session one more on each side.
ulimit -n "$(ulimit -Hn)"
if ss -Hltn "sport = :$sim_port" 2>/dev/null | grep -q "$sim_address:$sim_port"; then
  echo "something already listens on $sim_address:$sim_port: set SIM_ADDRESS/SIM_PORT" >&2
  exit 1
fi
sim_cmd=("$bin/netspine-sim" --count "$n" --platforms "cisco_ios,juniper_junos,arista_eos"
  --config-lines "$lines" --base-address "$sim_address" --port "$sim_port" --threads 2
  --state-dir "$work/sim-state" --inventory "$work/inventory.csv")
"${sim_cmd[@]}" > "$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 300); do
  grep -q "ready" "$work/sim.log" && break
  kill -0 "$sim_pid" 2>/dev/null || break
  sleep 0.1
done
grep -q "ready" "$work/sim.log" || { cat "$work/sim.log" >&2; exit 1; }
sleep 1
echo "simulator: ${sim_cmd[*]}"
echo "  pid $sim_pid, $n devices, idle RSS $(awk '/^VmRSS:/ {print $2}' "/proc/$sim_pid/status") kB"
"$python" - "$work/inventory.csv" "$netmiko_n" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
count = lambda rs: ", ".join(f"{p} {sum(r['platform'] == p for r in rs)}"
                             for p in ("cisco_ios", "juniper_junos", "arista_eos"))
print(f"  inventory: {len(rows)} devices ({count(rows)})")
print(f"  Netmiko's first {sys.argv[2]}: {count(rows[:int(sys.argv[2])])}")
PY

# Wall seconds and peak RSS (kB) of a /usr/bin/time -v report.
timed() {
  awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0;
                                          for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s}
              /Maximum resident set size/ {rss = $2}
              END {printf "wall=%.3f peak_rss_kb=%d\n", wall, rss}' "$1"
}

# ---------------------------------------------------------------------------- netspine: usable?
# The backup operation exists when a plugin provides it or a worker lists it among its operations.
mkdir -p "$work/probe"
printf 'data_dir: %s/probe/data\n' "$work" > "$work/probe/netspine.yaml"
netspine_ok=0
if [[ ! -x $bin/netspine ]]; then
  echo "no $bin/netspine" > "$work/probe/plugins.json"
elif "$bin/netspine" --config "$work/probe/netspine.yaml" plugin list --json \
     > "$work/probe/plugins.json" 2>&1 &&
   "$python" -c 'import json, sys; d = json.load(open(sys.argv[1]));
sys.exit(0 if any(sys.argv[2] in p["provides"] for p in d["plugins"]) else 1)' \
     "$work/probe/plugins.json" "$operation"; then
  netspine_ok=1
elif "$bin/netspine" --config "$work/probe/netspine.yaml" migrate > /dev/null 2>&1 &&
     "$bin/netspine" --config "$work/probe/netspine.yaml" worker --drain --concurrency 1 \
       > "$work/probe/worker.log" 2>&1 &&
     grep -Eq "operations: (.*[ ,])?$operation([ ,]|$)" "$work/probe/worker.log"; then
  netspine_ok=1
fi
if ((netspine_ok == 0)); then
  echo
  if [[ -x $bin/netspine ]]; then
    echo "SKIPPING netspine: $bin/netspine has no '$operation' operation (neither \`netspine plugin"
    echo "list\` nor a worker's operations name it); only the floor and Netmiko run."
  else
    echo "SKIPPING netspine: no $bin/netspine; only the floor and Netmiko run."
  fi
fi

# ------------------------------------------------------------------------------------- sides
# (a) netspine: fresh data directory, config, secrets, import, accept the run, drain it.
netspine_round() {
  local r=$1 d=$work/netspine$1
  mkdir -p "$d"
  (umask 077 && cat > "$d/secrets.yaml" <<YAML
credentials:
  sim:
    - username: admin
      password: admin
      enable: enable
YAML
  )
  chmod 600 "$d/secrets.yaml"
  cat > "$d/netspine.yaml" <<YAML
data_dir: $d/data
secrets_file: $d/secrets.yaml
jobs: { worker_concurrency: $c, task_timeout: 60s }
backup: { author: "netspine bench <bench@localhost>" }
YAML
  local ns=("$bin/netspine" --config "$d/netspine.yaml")
  "${ns[@]}" migrate > /dev/null
  "${ns[@]}" area add sim > /dev/null
  "${ns[@]}" import "$work/inventory.csv" > /dev/null
  local run_id
  run_id=$("${ns[@]}" job run "$operation" --select area=sim --json |
    "$python" -c 'import json, sys; print(json.load(sys.stdin)["run_id"])')
  [[ $r == 1 ]] && echo "  command: /usr/bin/time -v ${ns[*]} worker --drain --quiet --concurrency $c" \
                       "  (run $run_id: job run $operation --select area=sim)"
  /usr/bin/time -v -o "$d/time.txt" "${ns[@]}" worker --drain --quiet --concurrency "$c" \
    > "$d/worker.log" 2>&1 || { echo "  worker failed:"; tail -20 "$d/worker.log"; }
  "${ns[@]}" --json run show "$run_id" --limit 20 > "$d/run.json" || true
  local result
  result=$("$python" - "$d/run.json" "$n" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except ValueError:
    sys.exit("run show gave no JSON")
run, n = d["run"], int(sys.argv[2])
bad = [f"{t['device']}: {t['category']}: {t['message']}" for t in d.get("tasks", [])
       if t.get("category") not in ("ok", None)][:5]
print(f"devices={run['total']} ok={run['ok']} failures={run['total'] - run['ok']} state={run['state']}")
if run["state"] != "SUCCEEDED" or run["ok"] != n:
    print("NOT ALL SUCCEEDED: " + "; ".join(bad), file=sys.stderr)
PY
  )
  echo "  netspine round $r: $result $(timed "$d/time.txt")" | tee "$work/netspine.$r"
}

# (b) the floor: bare libssh, C threads.
floor_round() {
  local r=$1 cmd=("$bin/netspine_backup_floor" "$work/inventory.csv" "$c")
  [[ $r == 1 ]] && echo "  command: /usr/bin/time -v ${cmd[*]}"
  /usr/bin/time -v -o "$work/floor.time.$r" "${cmd[@]}" > "$work/floor.out.$r" 2>&1 || true
  grep -v "^devices=" "$work/floor.out.$r" | head -5 || true
  echo "  floor round $r: $(grep "^devices=" "$work/floor.out.$r") $(timed "$work/floor.time.$r")" |
    tee "$work/floor.$r"
}

# (c) Netmiko: ThreadPoolExecutor(C), configurations written to a directory.
netmiko_round() {
  local r=$1 cmd=("$python" bench/backup/netmiko_backup.py "$work/inventory.csv"
                  --concurrency "$c" --limit "$netmiko_n" --out "$work/netmiko-configs")
  [[ $r == 1 ]] && echo "  command: /usr/bin/time -v ${cmd[*]}"
  rm -rf "$work/netmiko-configs"
  /usr/bin/time -v -o "$work/netmiko.time.$r" "${cmd[@]}" > "$work/netmiko.out.$r" 2>&1 || true
  grep -v "^devices=\|^# netmiko" "$work/netmiko.out.$r" | head -5 || true
  echo "  netmiko round $r: $(grep "^devices=" "$work/netmiko.out.$r") $(timed "$work/netmiko.time.$r")" |
    tee "$work/netmiko.$r"
}

# A side run against a dead simulator measures nothing: stop there.
sim_alive() {
  kill -0 "$sim_pid" 2>/dev/null && return 0
  wait "$sim_pid" 2>/dev/null && status=0 || status=$?
  echo "THE SIMULATOR DIED (exit status $status) during the side above; its log ends:" >&2
  tail -5 "$work/sim.log" >&2
  sim_pid=
  exit 1
}
for r in $(seq "$runs"); do
  echo
  echo "round $r of $runs"
  if ((netspine_ok)); then netspine_round "$r"; sim_alive; sleep 1; fi
  floor_round "$r"
  sim_alive
  sleep 1
  netmiko_round "$r"
  sim_alive
  sleep 1
done
echo
echo "simulator peak RSS (VmHWM): $(awk '/^VmHWM:/ {print $2}' "/proc/$sim_pid/status") kB"

# ------------------------------------------------------------------------------------ summary
"$python" - "$work" "$runs" "$n" "$netmiko_n" "$c" "$netspine_ok" "$operation" <<'PY'
import re, statistics, sys
work, operation = sys.argv[1], sys.argv[7]
runs, n, netmiko_n, c, netspine_ok = map(int, sys.argv[2:7])

def rounds(side):
    out = []
    for r in range(1, runs + 1):
        try:
            text = open(f"{work}/{side}.{r}").read()
        except FileNotFoundError:
            continue
        out.append({k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", text)})
    return out

def summary(side, label, devices_note=""):
    rs = [r for r in rounds(side) if "wall" in r and r.get("wall", 0) > 0]
    if not rs:
        return None
    wall = statistics.median(r["wall"] for r in rs)
    devices = rs[0].get("devices", 0)
    failures = [int(r.get("failures", 0)) for r in rs]
    tput = statistics.median(r["devices"] / r["wall"] for r in rs)
    rss = statistics.median(r["peak_rss_kb"] for r in rs)
    line = (f"{label:9} {int(devices):5} devices{devices_note}: median wall {wall:7.2f} s "
            f"(min {min(r['wall'] for r in rs):.2f}, max {max(r['wall'] for r in rs):.2f}), "
            f"{tput:7.1f} devices/s, peak RSS {rss / 1024:.0f} MiB, failures {failures}")
    if "seconds" in rs[0]:
        line += f"; own timer median {statistics.median(r['seconds'] for r in rs):.2f} s"
    if any(r.get("repeated") for r in rs):
        line += f"; devices that repeated the output {[int(r.get('repeated', 0)) for r in rs]}"
    if any(failures):
        line += "\n          NOT VALID: devices failed; their (cheaper) failures are in the throughput"
        invalid.append(label)
    print(line)
    return tput

invalid = []

print(f"\nmedians of {runs} round(s), concurrency {c}, wall = the whole process "
      f"(/usr/bin/time -v):")
ns = summary("netspine", "netspine") if netspine_ok else None
if ns and operation != "backup":
    print(f"          (netspine ran '{operation}', not backup: a check of the plumbing, no ratio)")
    ns = None
floor = summary("floor", "floor")
netmiko = summary("netmiko", "netmiko")
if netmiko and netmiko_n < n:
    print(f"          Netmiko ran {netmiko_n} of the {n} devices: {n} at its median "
          f"throughput would take about {n / netmiko:.0f} s (extrapolated, not measured)")
if not netspine_ok:
    print("netspine: not measured (see SKIPPING above)")
elif ns:
    print(f"netspine {ns:.1f} devices/s: {ns / netmiko:.1f}x Netmiko (target >= 20x), "
          f"{ns / floor:.2f}x the floor (target >= 0.5)" if netmiko and floor else "")
if floor and netmiko:
    print(f"floor / Netmiko: {floor / netmiko:.1f}x")
if invalid:
    print(f"the ratios involve sides with failed devices ({', '.join(invalid)}): not valid")
PY
