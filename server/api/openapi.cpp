// The OpenAPI 3 document, written from the route table (every endpoint, its role, parameters,
// bodies and answers) and the schemas of the objects below.

#include <fmt/format.h>

#include <set>

#include "api/api_server.hpp"
#include "application/json_writer.hpp"

namespace netspine::api {
namespace {

constexpr const char* kSchemas = R"JSON({
"Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object",
  "required": ["code", "message", "fields"], "properties": {
  "code": {"type": "string", "example": "invalid"},
  "message": {"type": "string"},
  "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}}}}},
"Area": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
  "path": {"type": "string", "example": "emea/dc1"}, "parent": {"type": "string", "nullable": true},
  "description": {"type": "string"}}},
"AreaInput": {"type": "object", "required": ["name"], "additionalProperties": false, "properties": {
  "name": {"type": "string"}, "parent": {"type": "string", "description": "path or unique name"},
  "description": {"type": "string"}}},
"AreaPatch": {"type": "object", "additionalProperties": false, "properties": {
  "name": {"type": "string"}, "parent": {"type": "string", "nullable": true, "description": "null or empty: top level"},
  "description": {"type": "string"}}},
"AreaBulkPatch": {"allOf": [{"$ref": "#/components/schemas/AreaPatch"}, {"type": "object", "required": ["area"],
  "properties": {"area": {"type": "string", "description": "path or unique name of the area to update"}}}]},
"AreaRef": {"type": "object", "required": ["area"], "properties": {"area": {"type": "string"}}},
"Platform": {"type": "object", "properties": {"id": {"type": "string", "example": "cisco_ios"},
  "name": {"type": "string"}, "vendor": {"type": "string"}}},
"PlatformInput": {"type": "object", "required": ["id"], "additionalProperties": false, "properties": {
  "id": {"type": "string"}, "name": {"type": "string"}, "vendor": {"type": "string"}}},
"PlatformPatch": {"type": "object", "additionalProperties": false, "properties": {
  "name": {"type": "string"}, "vendor": {"type": "string"}}},
"PlatformBulkPatch": {"allOf": [{"$ref": "#/components/schemas/PlatformPatch"}, {"type": "object", "required": ["id"],
  "properties": {"id": {"type": "string"}}}]},
"PlatformRef": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
"DeviceStatus": {"type": "string", "enum": ["INVENTORY", "PLANNED", "STAGED", "ACTIVE", "FAILED", "DECOMMISSIONING"],
  "description": "any letter case on input"},
"Device": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
  "address": {"type": "string"}, "platform": {"type": "string"}, "area": {"type": "string"},
  "status": {"$ref": "#/components/schemas/DeviceStatus"}, "role": {"type": "string"}, "serial": {"type": "string"},
  "os_version": {"type": "string", "description": "the software version the device runs"},
  "tags": {"type": "array", "items": {"type": "string"}},
  "credentials": {"type": "string", "description": "a name in the secrets file, never a secret"},
  "ssh_port": {"type": "integer", "nullable": true}, "snmp_port": {"type": "integer", "nullable": true},
  "version": {"type": "integer", "description": "bumped by every write"},
  "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}}},
"DeviceInput": {"type": "object", "required": ["name", "address", "platform", "area"], "additionalProperties": false, "properties": {
  "name": {"type": "string"}, "address": {"type": "string"}, "platform": {"type": "string"},
  "area": {"type": "string"}, "status": {"$ref": "#/components/schemas/DeviceStatus"},
  "role": {"type": "string"}, "serial": {"type": "string"}, "os_version": {"type": "string"},
  "tags": {"type": "array", "items": {"type": "string"}},
  "credentials": {"type": "string"},
  "ssh_port": {"type": "integer", "minimum": 1, "maximum": 65535, "nullable": true},
  "snmp_port": {"type": "integer", "minimum": 1, "maximum": 65535, "nullable": true}}},
"DevicePatch": {"type": "object", "additionalProperties": false, "properties": {
  "name": {"type": "string"}, "address": {"type": "string"}, "platform": {"type": "string"},
  "area": {"type": "string"}, "status": {"$ref": "#/components/schemas/DeviceStatus"},
  "role": {"type": "string"}, "serial": {"type": "string"}, "os_version": {"type": "string"},
  "tags": {"type": "array", "items": {"type": "string"}, "description": "replaces all tags"},
  "add_tags": {"type": "array", "items": {"type": "string"}},
  "remove_tags": {"type": "array", "items": {"type": "string"}},
  "credentials": {"type": "string"},
  "ssh_port": {"type": "integer", "minimum": 1, "maximum": 65535, "nullable": true},
  "snmp_port": {"type": "integer", "minimum": 1, "maximum": 65535, "nullable": true}}},
"DeviceBulkPatch": {"allOf": [{"$ref": "#/components/schemas/DevicePatch"}, {"type": "object", "required": ["device"],
  "properties": {"device": {"type": "string"}, "version": {"type": "integer", "description": "refuse (412) unless the device is at this version"}}}]},
"DeviceRef": {"type": "object", "required": ["device"], "properties": {"device": {"type": "string"},
  "version": {"type": "integer"}}},
"DeviceRuntime": {"type": "object", "properties": {"device": {"type": "string"},
  "status": {"$ref": "#/components/schemas/DeviceStatus"}, "checks": {"type": "array", "items": {"type": "object",
  "properties": {"check": {"type": "string"}, "up": {"type": "boolean"}, "latency_us": {"type": "integer"},
  "last_seen": {"type": "string"}, "last_error": {"type": "string"}, "updated_at": {"type": "string"},
  "run_id": {"type": "integer"}}}}}},
"ConfigRevision": {"type": "object", "properties": {"commit": {"type": "string"}, "stored_at": {"type": "string"},
  "bytes": {"type": "integer"}, "sha256": {"type": "string"}, "run_id": {"type": "integer"}, "path": {"type": "string"}}},
"ConfigText": {"type": "object", "properties": {"revision": {"$ref": "#/components/schemas/ConfigRevision"},
  "text": {"type": "string"}}},
"ConfigDiff": {"type": "object", "properties": {"from": {"$ref": "#/components/schemas/ConfigRevision"},
  "to": {"$ref": "#/components/schemas/ConfigRevision"}, "diff": {"type": "string", "description": "unified diff"}}},
"Vlan": {"type": "object", "properties": {"id": {"type": "integer"}, "area": {"type": "string"},
  "vid": {"type": "integer"}, "name": {"type": "string"}, "description": {"type": "string"}}},
"VlanInput": {"type": "object", "required": ["area", "vid"], "additionalProperties": false, "properties": {
  "area": {"type": "string"}, "vid": {"type": "integer", "minimum": 1, "maximum": 4094},
  "name": {"type": "string"}, "description": {"type": "string"}}},
"VlanPatch": {"type": "object", "additionalProperties": false, "properties": {
  "new_vid": {"type": "integer", "minimum": 1, "maximum": 4094}, "name": {"type": "string"},
  "description": {"type": "string"}}},
"VlanBulkPatch": {"allOf": [{"$ref": "#/components/schemas/VlanPatch"}, {"type": "object", "required": ["area", "vid"],
  "properties": {"area": {"type": "string"}, "vid": {"type": "integer"}}}]},
"VlanRef": {"type": "object", "required": ["area", "vid"], "properties": {"area": {"type": "string"},
  "vid": {"type": "integer"}}},
"Change": {"type": "object", "properties": {"id": {"type": "integer"}, "time": {"type": "string"},
  "actor": {"type": "string"}, "action": {"type": "string", "enum": ["create", "update", "delete"]},
  "object_type": {"type": "string"}, "object_id": {"type": "string"}, "object_name": {"type": "string"},
  "before": {"type": "object", "nullable": true}, "after": {"type": "object", "nullable": true},
  "message": {"type": "string"}}},
"Token": {"type": "object", "properties": {"name": {"type": "string"}, "prefix": {"type": "string"},
  "role": {"type": "string", "enum": ["read", "operate", "admin"]}, "created_at": {"type": "string"},
  "created_by": {"type": "string"}, "expires_at": {"type": "string"}, "last_used_at": {"type": "string"}}},
"TokenInput": {"type": "object", "required": ["name", "role"], "additionalProperties": false, "properties": {
  "name": {"type": "string"}, "role": {"type": "string", "enum": ["read", "operate", "admin"]},
  "expires": {"type": "string", "description": "a duration (30d) or a UTC time (2027-01-31)"}}},
"CreatedToken": {"type": "object", "properties": {"token": {"$ref": "#/components/schemas/Token"},
  "secret": {"type": "string", "description": "shown once"}}},
"JobInput": {"type": "object", "required": ["kind"], "additionalProperties": false, "properties": {
  "kind": {"type": "string", "example": "backup"},
  "devices": {"type": "array", "items": {"type": "string"}},
  "select": {"type": "string", "example": "status=active area=dc1"},
  "parameters": {"type": "object", "additionalProperties": {"type": "string"}},
  "concurrency": {"type": "integer", "minimum": 0},
  "time_limit": {"type": "string", "example": "30m"},
  "lines": {"type": "string", "description": "push/provision: configuration lines, one per line"},
  "template": {"type": "string", "description": "push/provision: a template rendered per device; other parameters are its variables"},
  "dry_run": {"type": "boolean", "description": "compute and store each device's diff, change nothing"},
  "canary": {"type": "integer", "minimum": 0, "description": "run this many devices first; the rest only if all of them succeed"},
  "stop_on_failure": {"type": "boolean", "description": "start no further device once one failed"}}},
"Job": {"type": "object", "properties": {"id": {"type": "integer"}, "kind": {"type": "string"},
  "devices": {"type": "array", "items": {"type": "string"}}, "select": {"type": "string"},
  "parameters": {"type": "object", "additionalProperties": {"type": "string"}},
  "schedule": {"type": "string"}, "requested_by": {"type": "string"}, "created_at": {"type": "string"}}},
"Run": {"type": "object", "properties": {"id": {"type": "integer"}, "job_id": {"type": "integer"},
  "kind": {"type": "string"}, "state": {"type": "string"}, "total": {"type": "integer"},
  "ok": {"type": "integer"}, "failed": {"type": "integer"}, "skipped": {"type": "integer"},
  "cancelled": {"type": "integer"}, "cancel_requested": {"type": "boolean"}, "problem": {"type": "string"},
  "concurrency": {"type": "integer"}, "canary": {"type": "integer"}, "stop_on_failure": {"type": "boolean"},
  "created_at": {"type": "string"}, "queued_at": {"type": "string"}, "started_at": {"type": "string"},
  "finished_at": {"type": "string"}}},
"AcceptedJob": {"type": "object", "properties": {"job": {"$ref": "#/components/schemas/Job"},
  "run": {"$ref": "#/components/schemas/Run"}, "queued": {"type": "integer"}, "skipped": {"type": "integer"}}},
"RunDetails": {"type": "object", "properties": {"run": {"$ref": "#/components/schemas/Run"},
  "job": {"$ref": "#/components/schemas/Job"}, "queued": {"type": "integer"}, "running": {"type": "integer"}}},
"Task": {"type": "object", "properties": {"id": {"type": "integer"}, "device": {"type": "string"},
  "state": {"type": "string"}, "category": {"type": "string"}, "message": {"type": "string"},
  "attempts": {"type": "integer"}, "duration_ms": {"type": "integer"},
  "data": {"type": "object", "additionalProperties": {"type": "string"}},
  "started_at": {"type": "string"}, "finished_at": {"type": "string"}}},
"LogEntry": {"type": "object", "properties": {"id": {"type": "integer"}, "time": {"type": "string"},
  "level": {"type": "string"}, "device": {"type": "string"}, "message": {"type": "string"}}},
"CancelOutcome": {"type": "object", "properties": {"run": {"$ref": "#/components/schemas/Run"},
  "cancelled_queued": {"type": "integer"}, "still_running": {"type": "integer"}}},
"Schedule": {"type": "object", "properties": {"name": {"type": "string"}, "kind": {"type": "string"},
  "select": {"type": "string"}, "devices": {"type": "array", "items": {"type": "string"}},
  "parameters": {"type": "object", "additionalProperties": {"type": "string"}},
  "cron": {"type": "string"}, "timezone": {"type": "string"}, "every": {"type": "string"},
  "every_seconds": {"type": "integer"}, "next": {"type": "array", "items": {"type": "string"}}}},
"Plugin": {"type": "object", "properties": {"id": {"type": "string"}, "kind": {"type": "string"},
  "version": {"type": "string"}, "description": {"type": "string"}, "file": {"type": "string"},
  "provides": {"type": "array", "items": {"type": "string"}}, "min_host_version": {"type": "string"},
  "api_version": {"type": "string"}}},
"Health": {"type": "object", "properties": {"status": {"type": "string", "enum": ["ok", "error"]},
  "database": {"type": "string"}}},
"Status": {"type": "object", "properties": {"version": {"type": "string"}, "database": {"type": "string"},
  "uptime_seconds": {"type": "integer"},
  "plugins": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}, "version": {"type": "string"}}}},
  "operations": {"type": "array", "items": {"type": "string"}},
  "workers": {"type": "object", "properties": {"configured": {"type": "integer"}, "alive": {"type": "integer"},
    "restarts": {"type": "integer"}}},
  "queue": {"type": "object", "properties": {"queued": {"type": "integer"}, "running": {"type": "integer"}}}}},
"OpenApi": {"type": "object", "description": "this document"},
"Metrics": {"type": "string", "description": "Prometheus text exposition format"}
})JSON";

const char* reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No content";
    case 400:
      return "Invalid input: the error names the field";
    case 401:
      return "No valid token";
    case 403:
      return "The token's role may not do this";
    case 404:
      return "Not found";
    case 409:
      return "Conflict: a duplicate name, or dependents (with their counts)";
    case 412:
      return "If-Match names a version that is no longer current";
    case 413:
      return "The body is over server.max_body_bytes";
    case 422:
      return "The automation policy refuses the job, with the reason per device";
    case 503:
      return "The database is unreachable";
    default:
      return "Error";
  }
}

/// Collection writes whose body may be one object or a list of them.
bool oneOrMany(const Route& r) {
  return r.method == "POST" && r.pattern.find('{') == std::string::npos &&
         r.doc.operationId.size() > 1 && r.doc.operationId.back() == 's';
}

void schemaRef(app::JsonWriter& w, const std::string& name) {
  w.beginObject().key("$ref").value("#/components/schemas/" + name).endObject();
}

void arrayOf(app::JsonWriter& w, const std::string& name) {
  w.beginObject().key("type").value("array").key("items");
  schemaRef(w, name);
  w.endObject();
}

void oneOrList(app::JsonWriter& w, const std::string& name) {
  w.beginObject().key("oneOf").beginArray();
  schemaRef(w, name);
  arrayOf(w, name);
  w.endArray().endObject();
}

void nullableString(app::JsonWriter& w) {
  w.beginObject().key("type").value("string").key("nullable").value(true).endObject();
}

void responseSchema(app::JsonWriter& w, const Route& r) {
  const auto& d = r.doc;
  if (d.list) {
    w.beginObject().key("type").value("object").key("required").beginArray();
    if (!d.cursor) w.value("count");
    w.value("next");
    if (!d.cursor) w.value("previous");
    w.value("results").endArray().key("properties").beginObject();
    if (!d.cursor) w.key("count").beginObject().key("type").value("integer").endObject();
    w.key("next");
    nullableString(w);
    if (!d.cursor) {
      w.key("previous");
      nullableString(w);
    }
    w.key("results");
    arrayOf(w, d.responseSchema);
    w.endObject().endObject();
  } else if (d.shape == "list") {
    arrayOf(w, d.responseSchema);
  } else if (oneOrMany(r)) {
    oneOrList(w, d.responseSchema);
  } else {
    schemaRef(w, d.responseSchema);
  }
}

void writeOperation(app::JsonWriter& w, const Route& r) {
  const auto& d = r.doc;
  w.beginObject();
  w.key("operationId").value(d.operationId).key("summary").value(d.summary);
  w.key("tags").beginArray().value(d.tag).endArray();
  std::string description = d.description;
  if (r.role) {
    description += (description.empty() ? "" : "\n\n") +
                   fmt::format("Needs a token of role {} or above.", domain::toString(*r.role));
  }
  if (!description.empty()) w.key("description").value(description);
  if (!r.role) w.key("security").beginArray().endArray();
  w.key("parameters").beginArray();
  std::size_t start = 0;
  while ((start = r.pattern.find('{', start)) != std::string::npos) {
    const auto end = r.pattern.find('}', start);
    const auto name = r.pattern.substr(start + 1, end - start - 1);
    start = end;
    w.beginObject().key("name").value(name).key("in").value("path").key("required").value(true);
    w.key("schema").beginObject();
    if (name == "id" && r.pattern.find("/platforms/") == std::string::npos) {
      w.key("type").value("integer").key("minimum").value(1);
    } else if (name == "vid") {
      w.key("type").value("integer").key("minimum").value(1).key("maximum").value(4094);
    } else {
      w.key("type").value("string");
    }
    w.endObject();
    if (name == "area")
      w.key("description").value("area path, URL-encoded (emea%2Fdc1), or unique name");
    w.endObject();
  }
  for (const auto& q : d.query) {
    w.beginObject().key("name").value(q.name).key("in").value("query").key("required").value(false);
    w.key("description").value(q.description).key("schema").beginObject();
    auto scalar = [&] {
      w.key("type").value(q.type);
      if (!q.values.empty()) {
        w.key("enum").beginArray();
        for (const auto& v : q.values) w.value(v);
        w.endArray();
      }
    };
    if (q.repeated) {
      w.key("type").value("array").key("items").beginObject();
      scalar();
      w.endObject();
    } else {
      scalar();
    }
    w.endObject();
    if (q.repeated) w.key("style").value("form").key("explode").value(true);
    w.endObject();
  }
  w.endArray();
  if (!d.requestSchema.empty()) {
    w.key("requestBody").beginObject().key("required").value(true).key("content").beginObject();
    w.key("application/json").beginObject().key("schema");
    const bool collection = r.pattern.find('{') == std::string::npos;
    if (oneOrMany(r)) {
      oneOrList(w, d.requestSchema);
    } else if (collection && (r.method == "PATCH" || r.method == "DELETE")) {
      arrayOf(w, d.requestSchema);
    } else {
      schemaRef(w, d.requestSchema);
    }
    w.endObject().endObject().endObject();
  }
  w.key("responses").beginObject();
  w.key(std::to_string(d.success)).beginObject().key("description").value(reason(d.success));
  if (d.success != 204) {
    w.key("content").beginObject();
    if (d.responseSchema == "Metrics") {
      w.key("text/plain").beginObject().key("schema");
      schemaRef(w, "Metrics");
      w.endObject();
    } else {
      w.key("application/json").beginObject().key("schema");
      responseSchema(w, r);
      w.endObject();
      if (d.operationId == "getConfigRevision") {
        w.key("text/plain").beginObject().key("schema").beginObject().key("type").value("string");
        w.endObject().endObject();
      }
    }
    w.endObject();
  }
  w.endObject();
  std::set<int> errors(d.errors.begin(), d.errors.end());
  if (r.role) {
    errors.insert(401);
    errors.insert(403);
  }
  for (int status : errors) {
    w.key(std::to_string(status)).beginObject().key("description").value(reason(status));
    w.key("content").beginObject().key("application/json").beginObject().key("schema");
    schemaRef(w, "Error");
    w.endObject().endObject().endObject();
  }
  w.key("default").beginObject().key("description").value("Any other error");
  w.key("content").beginObject().key("application/json").beginObject().key("schema");
  schemaRef(w, "Error");
  w.endObject().endObject().endObject();
  w.endObject();  // responses
  w.endObject();
}

}  // namespace

std::string openApiDocument(const std::vector<Route>& routes, const std::string& version) {
  app::JsonWriter w;
  w.beginObject().key("openapi").value("3.0.3");
  w.key("info").beginObject().key("title").value("netspine API").key("version").value(version);
  w.key("description")
      .value(
          "Inventory, jobs, runs and configuration backups of netspine. Send "
          "`Authorization: Bearer <token>` (create one with `netspine token create`). Errors "
          "are {\"error\": {\"code\", \"message\", \"fields\"}}.");
  w.endObject();
  w.key("servers").beginArray().beginObject().key("url").value("/").endObject().endArray();
  w.key("security").beginArray().beginObject().key("bearer").beginArray().endArray().endObject();
  w.endArray();
  // Paths in table order; the methods of one path together.
  std::vector<std::string> order;
  for (const auto& r : routes) {
    if (std::find(order.begin(), order.end(), r.pattern) == order.end()) order.push_back(r.pattern);
  }
  w.key("paths").beginObject();
  for (const auto& path : order) {
    w.key(path).beginObject();
    for (const auto& r : routes) {
      if (r.pattern != path) continue;
      std::string method = r.method;
      for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      w.key(method);
      writeOperation(w, r);
    }
    w.endObject();
  }
  w.endObject();
  w.key("components").beginObject();
  w.key("securitySchemes").beginObject().key("bearer").beginObject();
  w.key("type").value("http").key("scheme").value("bearer").endObject().endObject();
  w.key("schemas").raw(kSchemas);
  w.endObject().endObject();
  return w.take();
}

}  // namespace netspine::api
