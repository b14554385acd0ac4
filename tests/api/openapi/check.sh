#!/usr/bin/env bash
# Validates the OpenAPI document that `netspine openapi` prints, with validate.mjs (Swagger
# Parser from the npm registry plus netspine's own rules), and proves the validator can fail:
# a small valid document must pass, and three broken copies of it must each fail for their
# reason (a dangling $ref; a schema violation; no operationId and an undeclared path parameter).
#
#   bash tests/api/openapi/check.sh NETSPINE_BINARY
#   OPENAPI_FILE=doc.json bash tests/api/openapi/check.sh   # validate doc.json instead of
#                                                           # running the binary (development)
#
# Needs node and tests/api/openapi/node_modules: scripts/install-node-tools.sh installs both.
# Exit 0 only when every step passes.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
validate=$here/validate.mjs

if [[ -z ${OPENAPI_FILE:-} && $# -ne 1 ]]; then
  echo "usage: $0 NETSPINE_BINARY   (or OPENAPI_FILE=doc.json $0)" >&2
  exit 2
fi
if ! command -v node >/dev/null; then
  echo "check-openapi: node is not installed; run scripts/install-node-tools.sh" >&2
  exit 1
fi
if [[ ! -d $here/node_modules/@apidevtools/swagger-parser ]]; then
  echo "check-openapi: $here/node_modules is missing; run scripts/install-node-tools.sh" >&2
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
  echo "check-openapi: FAIL: $*"
  failures=$((failures + 1))
}

# 1. netspine's own document must be valid.
if [[ -n ${OPENAPI_FILE:-} ]]; then
  doc=$OPENAPI_FILE
  echo "check-openapi: validating $doc (OPENAPI_FILE)"
else
  doc=$tmp/openapi.json
  code=0
  (cd "$tmp" && "$1" openapi >"$doc" 2>"$tmp/openapi.err") || code=$?
  if ((code != 0)); then
    echo "check-openapi: FAIL: '$1 openapi' exited $code" >&2
    cat "$tmp/openapi.err" >&2
    exit 1
  fi
  echo "check-openapi: validating the output of '$1 openapi'"
fi
node "$validate" "$doc" || fail "netspine's document is not valid (problems above)"

# 2. The validator must accept a small valid document, and reject each broken copy of it for
# the reason it was broken. An exit code other than 1 (a crash, a usage error) is a failure too.
cat >"$tmp/good.json" <<'EOF'
{
  "openapi": "3.0.3",
  "info": {"title": "control", "version": "1"},
  "components": {
    "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
    "schemas": {
      "Device": {"type": "object", "required": ["name"],
                 "properties": {"name": {"type": "string"}}},
      "Error": {"type": "object", "properties": {"error": {"type": "object"}}}
    },
    "responses": {
      "Error": {"description": "an error",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    }
  },
  "security": [{"token": []}],
  "paths": {
    "/health": {
      "get": {"operationId": "health", "summary": "Liveness", "security": [],
              "responses": {"200": {"description": "up"},
                            "default": {"$ref": "#/components/responses/Error"}}}
    },
    "/api/v1/devices/{name}": {
      "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
      "get": {
        "operationId": "getDevice", "summary": "One device",
        "responses": {
          "200": {"description": "the device",
                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Device"}}}},
          "404": {"$ref": "#/components/responses/Error"}
        }
      }
    }
  }
}
EOF
# mutate SRC DEST EXPRESSION: DEST is SRC's JSON with EXPRESSION applied to it (as `d`).
mutate() {
  node -e '
    const fs = require("fs");
    const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    new Function("d", process.argv[3])(d);
    fs.writeFileSync(process.argv[2], JSON.stringify(d, null, 2));
  ' "$@"
}
# shellcheck disable=SC2016  # the $ in these snippets is JavaScript
mutate "$tmp/good.json" "$tmp/dangling-ref.json" '
  d.paths["/api/v1/devices/{name}"].get.responses["200"].content["application/json"].schema =
    {$ref: "#/components/schemas/NoSuchSchema"};'
# Only Swagger Parser (not validate.mjs's own rules) sees this one: it proves the npm validator runs.
mutate "$tmp/good.json" "$tmp/schema-violation.json" '
  delete d.paths["/api/v1/devices/{name}"].get.responses["200"].description;'
mutate "$tmp/good.json" "$tmp/bad-operation.json" '
  d.paths["/api/v1/devices/{name}/config/{revision}"] = {get: {
    summary: "A revision", responses: {"200": {description: "ok"}, "404": {description: "no"}},
    parameters: [{name: "name", in: "path", required: true, schema: {type: "string"}}]}};'

expect() {  # expect NAME EXIT_CODE PATTERN...: validate.mjs on $tmp/NAME.json
  local name=$1 want=$2 code=0
  shift 2
  node "$validate" "$tmp/$name.json" >"$tmp/$name.out" 2>&1 || code=$?
  if ((code != want)); then
    fail "control document '$name' gave exit $code, expected $want:"
    sed 's/^/    /' "$tmp/$name.out"
    return
  fi
  local pattern
  for pattern in "$@"; do
    if ! grep -qE -- "$pattern" "$tmp/$name.out"; then
      fail "control document '$name' did not report /$pattern/:"
      sed 's/^/    /' "$tmp/$name.out"
    fi
  done
  ((want == 0)) || echo "check-openapi: control document '$name' rejected as it should be"
}
expect good 0 '^openapi: valid \(2 paths, 2 operations\)$'
expect dangling-ref 1 \
  '^openapi: /api/v1/devices/\{name\} GET: .*"#/components/schemas/NoSuchSchema" points to nothing$'
expect schema-violation 1 \
  "^openapi: /api/v1/devices/\\{name\\} GET: schema: responses/200 must have required property 'description'"
expect bad-operation 1 \
  '^openapi: /api/v1/devices/\{name\}/config/\{revision\} GET: no operationId$' \
  '^openapi: /api/v1/devices/\{name\}/config/\{revision\} GET: path parameter \{revision\} is not declared'

if ((failures > 0)); then
  echo "check-openapi: $failures failure(s)"
  exit 1
fi
echo "check-openapi: ok"
