#!/usr/bin/env bash
# netspine's main job on the embedded default: installs the dependencies, builds, migrates the
# SQLite database of examples/netspine.yaml, seeds it from examples/inventory.json on first run,
# shows the inventory, the latest changes and the plugins it loaded, and runs a job through the
# pipeline (the noop engine on every ACTIVE device) with one worker that exits when it is done.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default --target netspine_bundle -j "${JOBS:-$(nproc)}"

netspine() { build/default/bin/netspine --config examples/netspine.yaml "$@"; }

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
