#!/usr/bin/env bash
# History and diff of one device in a backup repository of COMMITS commits (default 20,000):
# `netspine config history`, `config show` and `config diff` (previous to newest, and the first
# revision to the newest), each a whole process, measured with hyperfine side by side with
# `git log -- FILE` on the same repository (what a history without netspine's revision rows
# would have to walk), then the same operations in-process (netspine_history_ops_bench: no
# process start). Target: netspine's history and diff under 50 ms each.
#
# Usage: bench/backup/history_bench.sh    Environment: COMMITS=20000, BUILD_DIR (RelWithDebInfo)
set -euo pipefail
cd "$(dirname "$0")/../.."

commits=${COMMITS:-20000}
build=${BUILD_DIR:-/tmp/nsbuild-bench-rel}
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  [[ -f $build/CMakeCache.txt ]] ||
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" --target netspine netspine_history_fixture netspine_history_ops_bench -j "${JOBS:-$(nproc)}"
fi
work=$(mktemp -d /tmp/netspine-history-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

"$build/bin/netspine_history_fixture" "$work" "$commits"
printf 'data_dir: %s\n' "$work" >"$work/netspine.yaml"
ns="$build/bin/netspine --config $work/netspine.yaml"
first=$($ns --json config history r1 --limit 1 --offset $((commits - 1)) |
  sed -n 's/.*"commit":"\([0-9a-f]*\)".*/\1/p')
echo "repository: $(git -C "$work/configs" rev-list --count HEAD) commits; r1 has $commits revisions"
hyperfine -N --warmup 3 --runs 30 \
  -n "config history r1" "$ns config history r1" \
  -n "config show r1" "$ns config show r1" \
  -n "config diff r1 (previous to newest)" "$ns config diff r1" \
  -n "config diff r1 (first to newest)" "$ns config diff r1 $first" \
  -n "git log -5 -- lab/r1.cfg" "git -C $work/configs log -5 --format=%H -- lab/r1.cfg" \
  -n "git log -5 -- lab/r10.cfg" "git -C $work/configs log -5 --format=%H -- lab/r10.cfg"
echo
HISTORY_FIXTURE=$work "$build/bin/netspine_history_ops_bench" --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true
