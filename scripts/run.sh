#!/usr/bin/env bash
# netspine's main job on the embedded default: installs the dependencies, builds, migrates the
# SQLite database of examples/netspine.yaml, seeds it from examples/inventory.json on first run,
# shows the inventory, the latest changes and the plugins it loaded, runs a job through the
# pipeline (the noop engine on every ACTIVE device), then backs up the ACTIVE devices' running
# configurations over SSH into Git (var/configs) from the device simulator, which serves the
# example inventory's devices on loopback addresses (examples/simulator.yaml). Run it again and
# the second backup commits nothing, unless a configuration really changed.
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
trap 'kill $sim 2>/dev/null || true; wait $sim 2>/dev/null || true' EXIT
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
