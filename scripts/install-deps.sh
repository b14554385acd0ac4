#!/usr/bin/env bash
# Installs every Debian package netspine needs to build, test and run. Idempotent: when all are
# installed already it does nothing (no apt-get at all), so a second run takes a moment.
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake ninja-build pkg-config git clang-format
  # libraries
  libpoco-dev libyaml-cpp-dev libfmt-dev
  libboost-dev libboost-program-options-dev libboost-filesystem-dev
  libssh-dev libsnmp-dev libgit2-dev libcctz-dev tzdata
  # tests and benchmarks
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  postgresql snmpd snmp fping hyperfine wrk python3-netmiko openssh-client curl openssl
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == installed ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages are installed"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null; then
  SUDO=(sudo)
else
  echo "install-deps: missing packages (${missing[*]}) and neither root nor sudo" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${PACKAGES[@]}"
