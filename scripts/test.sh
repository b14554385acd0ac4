#!/usr/bin/env bash
# Installs the dependencies, builds, and runs the whole test suite: the default build (unit,
# SQLite and PostgreSQL integration tests, the suites that drive netspine processes, format
# check), then the ASan+UBSan build of the in-process suites (NETSPINE_PROCESS_TESTS=OFF).
# Stops at the first phase that fails, with a non-zero exit code.
set -euo pipefail
cd "$(dirname "$0")/.."

JOBS=${JOBS:-$(nproc)}
TIMES=()
phase() {  # phase NAME COMMAND...
  local name=$1 start=$SECONDS code=0
  shift
  echo "==> $name"
  "$@" || code=$?
  local result="ok"
  ((code == 0)) || result="FAILED (exit $code)"
  TIMES+=("$(printf '%-22s %5ds  %s' "$name" $((SECONDS - start)) "$result")")
  return "$code"
}
report() {
  local code=$?
  echo "==> time per phase"
  for t in "${TIMES[@]}"; do echo "  $t"; done
  if ((code == 0)); then echo "==> all tests passed"; else echo "==> FAILED (exit $code)"; fi
}
trap report EXIT

phase "install dependencies" scripts/install-deps.sh
# node, npm and the OpenAPI validator (npm ci) for the api_openapi_valid test
phase "install node tools" scripts/install-node-tools.sh
phase "configure default" cmake --preset default
phase "build default" cmake --build --preset default -j "$JOBS"
phase "test default" ctest --preset default -j "$JOBS"
phase "configure asan" cmake --preset asan
phase "build asan" cmake --build --preset asan -j "$JOBS"
phase "test asan" ctest --preset asan -j "$JOBS"
