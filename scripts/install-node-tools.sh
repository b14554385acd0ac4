#!/usr/bin/env bash
# Installs the node tools the tests use: node and npm (Debian's packages, when either command is
# missing) and the OpenAPI validator in tests/api/openapi/node_modules, exactly as
# tests/api/openapi/package-lock.json pins it (npm ci). Idempotent: when node_modules already
# matches the lock it prints one line and does nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=tests/api/openapi
LOCK=$DIR/package-lock.json
STAMP=$DIR/node_modules/.netspine-lock-sha256  # the sha256 of the lock that npm ci installed

missing=()
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -eq 0 ]]; then
    SUDO=()
  elif command -v sudo >/dev/null; then
    SUDO=(sudo)
  else
    echo "install-node-tools: missing packages (${missing[*]}) and neither root nor sudo" >&2
    exit 1
  fi
  echo "install-node-tools: installing ${missing[*]}"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
  for tool in node npm; do
    if ! command -v "$tool" >/dev/null; then
      echo "install-node-tools: '$tool' is still not on PATH after installing ${missing[*]}" >&2
      exit 1
    fi
  done
fi

sha=$(sha256sum "$LOCK" | cut -d' ' -f1)
if [[ -d $DIR/node_modules/@apidevtools/swagger-parser ]] &&
  { [[ -f $STAMP && $(<"$STAMP") == "$sha" ]] ||
    [[ $DIR/node_modules/.package-lock.json -nt $LOCK ]]; }; then
  echo "install-node-tools: node $(node --version), npm $(npm --version), $DIR/node_modules up to date"
  exit 0
fi

echo "install-node-tools: npm ci in $DIR (node $(node --version), npm $(npm --version))"
code=0
npm ci --no-audit --no-fund --prefix "$DIR" || code=$?
if ((code != 0)); then
  echo "install-node-tools: FAILED: 'npm ci --prefix $DIR' exited $code (see npm's output above);" \
    "the OpenAPI test (api_openapi_valid) cannot run without it" >&2
  exit 1
fi
if [[ ! -d $DIR/node_modules/@apidevtools/swagger-parser ]]; then
  echo "install-node-tools: FAILED: npm ci succeeded but $DIR/node_modules has no" \
    "@apidevtools/swagger-parser" >&2
  exit 1
fi
echo "$sha" >"$STAMP"
