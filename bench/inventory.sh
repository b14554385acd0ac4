#!/usr/bin/env bash
# Inventory benchmarks of issue 2, side by side in one run:
#   import of N devices from CSV into a fresh SQLite database (target: under 10 s for 100,000)
#   `device list --status active --json` over those N devices (target: under 0.5 s)
# Usage: bench/inventory.sh [N] [RUNS]   (build first: cmake --build --preset default)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
runs=${2:-5}
bin=${NETSPINE_BIN:-build/default/bin/netspine}
work=$(mktemp -d /tmp/netspine-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
db="$work/bench.db"

python3 bench/gen_devices.py "$n" > "$work/devices.csv"
echo "generated $n devices: $(du -h "$work/devices.csv" | cut -f1)"

# A fresh, migrated database with the benchmark areas; the import then starts from it.
cat > "$work/fresh.sh" <<SH
set -e
rm -f "$db" "$db-wal" "$db-shm"
"$bin" --db "$db" migrate > /dev/null
"$bin" --db "$db" area add bench > /dev/null
for i in 0 1 2 3 4 5 6 7 8 9; do "$bin" --db "$db" area add a0\$i --parent bench > /dev/null; done
SH

hyperfine --runs "$runs" --export-json "$work/import.json" \
  --prepare "bash $work/fresh.sh" \
  "$bin --db $db import $work/devices.csv"

echo "peak memory of one import:"
bash "$work/fresh.sh"
/usr/bin/time -v "$bin" --db "$db" import "$work/devices.csv" 2>&1 >/dev/null |
  grep -E 'Maximum resident|Elapsed' || true

hyperfine --runs "$((runs * 2))" --warmup 1 --export-json "$work/list.json" \
  "$bin --db $db device list --status active --json > /dev/null"
"$bin" --db "$db" device list --status active --json | python3 -c \
  'import json,sys; print("devices listed:", len(json.load(sys.stdin)))'

python3 - "$work/import.json" "$work/list.json" <<'PY'
import json, sys
for f in sys.argv[1:]:
    r = json.load(open(f))["results"][0]
    print(f"median {r['median']:.3f} s  (min {r['min']:.3f}, max {r['max']:.3f})  {r['command']}")
PY
