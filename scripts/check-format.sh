#!/usr/bin/env bash
# Checks that every C++ file of netspine is formatted as .clang-format says; prints the files
# that are not. Usage: scripts/check-format.sh [SOURCE_DIR]
set -euo pipefail

cd "${1:-$(dirname "$0")/..}"
DIRS=(core plugin-api plugins platforms server sdk tests bench)

existing=()
for d in "${DIRS[@]}"; do [[ -d "$d" ]] && existing+=("$d"); done
((${#existing[@]})) || { echo "check-format: no source folders found in $PWD" >&2; exit 1; }

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # Tracked and untracked files, minus what .gitignore excludes (build trees).
  mapfile -t files < <(git ls-files --cached --others --exclude-standard -- "${existing[@]}" |
                       grep -E '\.(cpp|hpp)$' | grep -v '^build/' | while read -r f; do
                         [[ -f "$f" ]] && echo "$f"; done)
else
  mapfile -t files < <(find "${existing[@]}" -path '*/build' -prune -o -type f \
                       \( -name '*.cpp' -o -name '*.hpp' \) -print)
fi

bad=()
for f in "${files[@]}"; do
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done

if ((${#bad[@]})); then
  echo "check-format: ${#bad[@]} of ${#files[@]} files are not formatted (run clang-format -i):"
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"
