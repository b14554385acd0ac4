// Validates netspine's OpenAPI 3 document: node validate.mjs FILE
//
// First Swagger Parser's own validation (the document against the OpenAPI 3.0/3.1 JSON schema,
// and every $ref resolves), then the rules netspine holds itself to and a schema can't express:
//   - every operation has a summary and an operationId, and operationIds are unique;
//   - every operation has a 2xx response and a 4xx (or default) response;
//   - every {name} in a path is declared as an `in: path` parameter (on the operation or its
//     path item), and no `in: path` parameter is declared that the path does not have;
//   - every operation needs security (its own `security`, or the document's) naming only declared
//     securitySchemes, except /health (and below), /metrics and /api/v1/openapi.json; a security
//     requirement anywhere must name declared securitySchemes only;
//   - every $ref is local ("#/...").
// Each problem is printed as `openapi: PATH METHOD: problem` (problems that belong to no one
// operation use `openapi: -: problem`), exit 1. A valid document prints one line, exit 0.
// Exit 2 on a usage error. Runs on node 18 and later.

import { readFileSync } from "node:fs";
import SwaggerParser from "@apidevtools/swagger-parser";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const PUBLIC_PATHS = [/^\/health(\/|$)/, /^\/metrics$/, /^\/api\/v1\/openapi\.json$/];

const problems = [];
let danglingRefs = 0;  // found by ownRules, with their places: Swagger Parser's message then adds nothing
const seen = new Set();
function problem(where, text) {
  const line = `openapi: ${where}: ${text}`;
  if (!seen.has(line)) {
    seen.add(line);
    problems.push(line);
  }
}
const opWhere = (path, method) => `${path} ${method.toUpperCase()}`;

// "#/paths/~1devices~1{id}/get/responses/200" -> where "/devices/{id} GET", rest ["responses", "200"]
function locate(pointer) {
  const parts = pointer.replace(/^#/, "").split("/").slice(1).map(unescapeToken);
  if (parts[0] === "paths" && parts.length >= 2) {
    const method = parts[2];
    if (method !== undefined && METHODS.includes(method)) {
      return { where: opWhere(parts[1], method), rest: parts.slice(3) };
    }
    return { where: parts[1], rest: parts.slice(2) };
  }
  return { where: "-", rest: parts };
}
function unescapeToken(token) {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}
// A $ref's fragment is a URI fragment too: it may be percent-encoded.
function decodeRefToken(token) {
  try {
    return unescapeToken(decodeURIComponent(token));
  } catch {
    return unescapeToken(token);
  }
}

// Follows local $refs ("#/a/b"); undefined when one dangles (Swagger Parser reports that).
function deref(doc, value) {
  for (let depth = 0; value && typeof value === "object" && typeof value.$ref === "string"; depth++) {
    if (depth > 32 || !value.$ref.startsWith("#")) return undefined;
    let target = doc;
    for (const token of value.$ref.slice(1).split("/").slice(1).map(decodeRefToken)) {
      const has = target && typeof target === "object" && Object.prototype.hasOwnProperty.call(target, token);
      target = has ? target[token] : undefined;
    }
    value = target;
  }
  return value;
}

function walkRefs(value, pointer, visit) {
  if (!value || typeof value !== "object") return;
  if (typeof value.$ref === "string") visit(value.$ref, pointer);
  for (const [key, child] of Object.entries(value)) {
    walkRefs(child, `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`, visit);
  }
}

async function schemaAndRefs(file) {
  try {
    // No external resolution: the document must stand alone, and no check reaches the network.
    await SwaggerParser.validate(file, { resolve: { external: false } });
  } catch (error) {
    if (Array.isArray(error.details) && error.details.length > 0) {
      for (const detail of error.details) {
        const { where, rest } = locate(`#${detail.instancePath || ""}`);
        const at = rest.length > 0 ? `${rest.join("/")} ` : "";
        const params = detail.params && Object.keys(detail.params).length > 0
          ? ` ${JSON.stringify(detail.params)}` : "";
        problem(where, `schema: ${at}${detail.message}${params}`);
      }
    } else {
      const text = String(error.message || error).split("\n")[0].replace(/^Error: /, "");
      if (!(danglingRefs > 0 && /^Missing \$ref pointer/.test(text))) problem("-", text);
    }
  }
}

function checkSecurity(doc, where, requirements, schemes) {
  if (!Array.isArray(requirements)) return;
  for (const requirement of requirements) {
    for (const name of Object.keys(requirement || {})) {
      if (!Object.prototype.hasOwnProperty.call(schemes, name)) {
        problem(where, `security names "${name}", which is not in components.securitySchemes`);
      }
    }
  }
}

function ownRules(doc) {
  const schemes = (doc.components && doc.components.securitySchemes) || {};
  const paths = doc.paths || {};
  const operationIds = new Map();
  let operations = 0;

  checkSecurity(doc, "-", doc.security, schemes);
  walkRefs(doc, "#", (ref, pointer) => {
    const { where, rest } = locate(pointer);
    const at = rest.length > 0 ? `${rest.join("/")}: ` : "";
    if (!ref.startsWith("#")) {
      problem(where, `${at}$ref "${ref}" is not local to the document`);
    } else if (deref(doc, { $ref: ref }) === undefined) {
      problem(where, `${at}$ref "${ref}" points to nothing`);
      danglingRefs++;
    }
  });

  for (const [path, rawItem] of Object.entries(paths)) {
    const item = deref(doc, rawItem);
    if (!item || typeof item !== "object") continue;
    const templated = [...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
    const itemParams = (item.parameters || []).map((p) => deref(doc, p)).filter(Boolean);
    const isPublic = PUBLIC_PATHS.some((re) => re.test(path));

    for (const method of METHODS) {
      const op = item[method];
      if (!op || typeof op !== "object") continue;
      operations++;
      const where = opWhere(path, method);

      if (typeof op.operationId !== "string" || op.operationId.trim() === "") {
        problem(where, "no operationId");
      } else if (operationIds.has(op.operationId)) {
        problem(where, `operationId "${op.operationId}" is also used by ${operationIds.get(op.operationId)}`);
      } else {
        operationIds.set(op.operationId, where);
      }
      if (typeof op.summary !== "string" || op.summary.trim() === "") {
        problem(where, "no summary");
      }

      const codes = Object.keys(op.responses || {});
      if (!codes.some((c) => /^2(\d\d|XX)$/i.test(c))) {
        problem(where, "no 2xx response");
      }
      if (!codes.some((c) => /^4(\d\d|XX)$/i.test(c) || c === "default")) {
        problem(where, "no 4xx or default response");
      }

      // Operation parameters override path-item ones with the same name and location.
      const params = new Map();
      for (const p of [...itemParams, ...(op.parameters || []).map((q) => deref(doc, q))]) {
        if (p && typeof p === "object" && typeof p.name === "string") params.set(`${p.in}:${p.name}`, p);
      }
      for (const name of templated) {
        if (!params.has(`path:${name}`)) {
          problem(where, `path parameter {${name}} is not declared (in: path)`);
        }
      }
      for (const p of params.values()) {
        if (p.in === "path" && !templated.includes(p.name)) {
          problem(where, `parameter "${p.name}" is declared in: path but the path has no {${p.name}}`);
        }
      }

      const requirements = op.security !== undefined ? op.security : doc.security;
      checkSecurity(doc, where, op.security, schemes);
      if (!isPublic) {
        const named = Array.isArray(requirements)
          ? requirements.filter((r) => r && Object.keys(r).length > 0) : [];
        if (named.length === 0) {
          problem(where, "no security (neither its own nor the document's names a securityScheme)");
        } else if (requirements.some((r) => !r || Object.keys(r).length === 0)) {
          problem(where, "security has an empty requirement {}, which lets anonymous callers in");
        }
      }
    }
  }
  return { paths: Object.keys(paths).length, operations };
}

async function main() {
  if (process.argv.length !== 3) {
    console.error("usage: node validate.mjs OPENAPI_JSON_FILE");
    return 2;
  }
  const file = process.argv[2];
  let doc;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    console.log(`openapi: -: cannot read ${file} as JSON: ${error.message}`);
    return 1;
  }
  if (!doc || typeof doc !== "object" || typeof doc.openapi !== "string" || !/^3\./.test(doc.openapi)) {
    console.log(`openapi: -: not an OpenAPI 3 document (the "openapi" field must be "3.x.y")`);
    return 1;
  }
  const counts = ownRules(doc);
  await schemaAndRefs(file);
  if (problems.length > 0) {
    for (const line of problems) console.log(line);
    return 1;
  }
  console.log(`openapi: valid (${counts.paths} paths, ${counts.operations} operations)`);
  return 0;
}

process.exitCode = await main();
