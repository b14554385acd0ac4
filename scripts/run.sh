#!/usr/bin/env bash
# netspine's main job on the embedded default: installs the dependencies, builds, migrates the
# SQLite database of examples/netspine.yaml, seeds it from examples/inventory.json on first run,
# shows the inventory, the latest changes and the plugins it loaded, runs a job through the
# pipeline (the noop engine on every ACTIVE device), then backs up the ACTIVE devices' running
# configurations over SSH into Git (var/configs) from the device simulator, which serves the
# example inventory's devices on loopback addresses (examples/simulator.yaml). Run it again and
# the second backup commits nothing, unless a configuration really changed. It checks their
# reachability (ICMP, SSH banner, NETCONF hello) and shows one device's health, then pushes a
# configuration change from a template (examples/snmp-location.j2): a dry run with each device's
# diff, then the change with a canary device first, stored in Git. Last, it starts
# `netspine serve` (the REST API on server.listen, the scheduler and two workers) and drives it
# over HTTP with an admin token kept in var/api-token; on a terminal it keeps serving until
# Ctrl-C, otherwise it stops after the demo. NETSPINE_LISTEN=HOST:PORT overrides the address.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default --target netspine_bundle -j "${JOBS:-$(nproc)}"

netspine() { build/default/bin/netspine --config examples/netspine.yaml "$@"; }
# The example's credential sets: netspine refuses a secrets file others may read, and Git keeps
# no such mode.
chmod 600 examples/secrets.yaml

netspine migrate
if [[ $(netspine device list --limit 1 --json) == "[]" ]]; then
  netspine import examples/inventory.json --message "seeded from examples/inventory.json"
fi
echo
netspine device list
echo
netspine changes --limit 5
echo
netspine plugin list
echo
run=$(netspine --json job run noop --select status=active | sed -n 's/.*"run_id":\([0-9]*\).*/\1/p')
netspine worker --drain --quiet
netspine run show "$run"

# The lab: netspine-sim serves every device of the inventory until this script ends.
mkdir -p var
build/default/bin/netspine-sim --devices examples/simulator.yaml --state-dir var/sim-state \
  --inventory var/sim-inventory.csv >var/sim.log 2>&1 &
sim=$!
serve=""
stop_all() {
  if [[ -n $serve ]]; then kill -TERM "$serve" 2>/dev/null || true; wait "$serve" 2>/dev/null || true; fi
  kill $sim 2>/dev/null || true
  wait $sim 2>/dev/null || true
}
trap stop_all EXIT
for _ in $(seq 100); do
  grep -q "ready" var/sim.log && break
  kill -0 $sim 2>/dev/null || { cat var/sim.log >&2; exit 1; }
  sleep 0.1
done
echo
run=$(netspine --json job run backup --select status=active |
  sed -n 's/.*"run_id":\([0-9]*\).*/\1/p')
netspine worker --drain --quiet --concurrency 8
netspine run show "$run"
echo
netspine config history ams1-core-01
echo
git -C var/configs log --stat -3 | cat

# Reachability of the ACTIVE devices: per platform ICMP and the SSH banner, NETCONF for Junos
# (ICMP needs root or net.ipv4.ping_group_range; otherwise TCP, SSH and NETCONF).
echo
checks=()
if [[ $(id -u) -ne 0 ]] && ! awk -v g="$(id -g)" '{exit !(g >= $1 && g <= $2)}' \
  /proc/sys/net/ipv4/ping_group_range; then
  checks=(--param checks=tcp,ssh)
fi
run=$(netspine --json job run reachability --select status=active "${checks[@]}" |
  sed -n 's/.*"run_id":\([0-9]*\).*/\1/p')
netspine worker --drain --quiet
netspine run show "$run"
echo
netspine device health ams1-edge-01

# A configuration change from a template, rendered per device: first a dry run (each device's
# diff, the platform's own way, nothing applied), then the change itself with one canary device
# first; every device's new configuration goes into Git with the run named in the commit.
echo
template=(--template examples/snmp-location.j2 --param contact=noc@example.net)
run=$(netspine --json job run push --select status=active "${template[@]}" --dry-run |
  sed -n 's/.*"run_id":\([0-9]*\).*/\1/p')
netspine worker --drain --quiet
netspine run show "$run"
run=$(netspine --json job run push --select status=active "${template[@]}" --canary 1 |
  sed -n 's/.*"run_id":\([0-9]*\).*/\1/p')
netspine worker --drain --quiet
netspine run show "$run"
git -C var/configs log --format='%h %s' -3 | cat

# The server: REST API, scheduler and workers, driven over HTTP like any tool would.
echo
if [[ ! -s var/api-token ]]; then
  netspine token revoke demo >/dev/null 2>&1 || true
  (umask 077 && netspine --json token create demo --role admin |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' >var/api-token)
fi
token=$(cat var/api-token)
listen=${NETSPINE_LISTEN:-}
# The binary itself, not the shell function: $! must be the server's pid for the stop below.
build/default/bin/netspine --config examples/netspine.yaml serve ${listen:+--listen "$listen"} \
  >var/serve.log 2>&1 &
serve=$!
url=""
for _ in $(seq 100); do
  url=$(sed -n 's/.*api: listening on \(http[s]*:\/\/[^ ]*\).*/\1/p' var/serve.log | head -1)
  [[ -n $url ]] && break
  kill -0 $serve 2>/dev/null || { cat var/serve.log >&2; exit 1; }
  sleep 0.1
done
[[ -n $url ]] || { echo "netspine serve did not start: see var/serve.log" >&2; exit 1; }
api() { curl -sS --fail-with-body -H "Authorization: Bearer $token" "$@"; }
echo "netspine serve: $url (log: var/serve.log, admin token: var/api-token)"
echo "\$ curl $url/health"
curl -sS "$url/health"
echo
echo "\$ curl -H 'Authorization: Bearer …' '$url/api/v1/devices?status=active&platform=cisco_ios&limit=2'"
api "$url/api/v1/devices?status=active&platform=cisco_ios&limit=2" | python3 -c '
import json, sys
page = json.load(sys.stdin)
print("count", page["count"], "next", page["next"])
for d in page["results"]:
    print("  {:<16} {:<12} {:<12} {} version {}".format(
        d["name"], d["address"], d["area"], d["status"], d["version"]))'

echo "\$ curl -X POST … $url/api/v1/jobs -d '{\"kind\":\"backup\",\"select\":\"status=active\"}'"
run=$(api -X POST "$url/api/v1/jobs" -H 'Content-Type: application/json' \
  -d '{"kind":"backup","select":"status=active"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["run"]["id"])')
state=""
for _ in $(seq 300); do
  state=$(api "$url/api/v1/runs/$run" | python3 -c 'import json,sys; print(json.load(sys.stdin)["run"]["state"])')
  [[ $state == SUCCEEDED || $state == PARTIAL || $state == FAILED || $state == CANCELLED ]] && break
  sleep 0.2
done
echo "run $run: $state"
api "$url/api/v1/runs/$run/tasks?limit=3" | python3 -c '
import json, sys
for t in json.load(sys.stdin)["results"]:
    print("  {:<16} {:<8} {:<6} {} ms".format(
        t["device"], t["state"], t["category"], t["duration_ms"]))'
echo "\$ curl $url/metrics | grep netspine_runs"
curl -sS "$url/metrics" | grep '^netspine_runs'
if [[ -t 0 ]]; then
  echo
  echo "netspine serve keeps running at $url (scheduler and workers too); Ctrl-C stops it."
  wait $serve || true
fi
