// /api/v1/areas, platforms, devices (with runtime status and configuration history), vlans,
// changes and tokens: each through its application service, never around it.

#include <fmt/format.h>

#include "api/json_io.hpp"
#include "api/route_support.hpp"
#include "application/area_tree.hpp"
#include "application/inventory_json.hpp"
#include "application/job_json.hpp"
#include "domain/errors.hpp"

namespace netspine::api {
namespace {

using domain::Role;

constexpr int kMaxPort = 65535;

app::ChangeContext changeOf(const Call& call) {
  return {call.request.actor(), ""};
}

/// The whole body as one object, or as a list of objects (bulk) — whichever it is.
bool isList(const std::string& body) {
  const auto first = body.find_first_not_of(" \t\r\n");
  return first != std::string::npos && body[first] == '[';
}

/// Runs `each` for every object of a bulk body inside one transaction: all or nothing. An
/// error names the object's index ("[3].name").
template <class Each>
std::string bulk(Call& call, Each each) {
  auto items = parseObjectList(call.request.body, kMaxBulk);
  auto& b = call.backend();
  auto uow = b.store.begin();
  app::JsonWriter w;
  w.beginArray();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string where = fmt::format("[{}].", i);
    try {
      each(*uow, Fields(items[i], where), w);
    } catch (const domain::Error& e) {
      const std::string field = where + (e.field().empty() ? "" : e.field());
      const std::string message = fmt::format("[{}]: {}", i, e.what());
      switch (e.kind()) {
        case domain::ErrorKind::Validation:
          throw ApiError(400, "invalid", message, {{field, {e.what()}}});
        case domain::ErrorKind::NotFound:
          throw ApiError(404, "not_found", message);
        case domain::ErrorKind::Conflict:
          throw ApiError(409, "conflict", message);
        case domain::ErrorKind::Stale:
          throw ApiError(412, "stale", message);
      }
    }
  }
  w.endArray();
  uow->commit();
  return w.take();
}

// ------------------------------------------------------------------------------ areas

void writeArea(app::JsonWriter& w, const app::Area& a, const app::AreaTree& tree) {
  app::writeJson(w, a, tree.path(a.id), tree.parentPath(a));
}

std::string areaBody(const app::Area& a, const app::AreaTree& tree) {
  app::JsonWriter w;
  writeArea(w, a, tree);
  return w.take();
}

app::AreaInput areaInput(const Fields& f) {
  f.only({"name", "parent", "description"});
  return {f.requiredText("name"), f.text("parent").value_or(""),
          f.text("description").value_or("")};
}

app::AreaPatch areaPatch(const Fields& f, bool bulk) {
  if (bulk) {
    f.only({"area", "name", "parent", "description"});
  } else {
    f.only({"name", "parent", "description"});
  }
  app::AreaPatch p;
  p.name = f.text("name");
  p.description = f.text("description");
  if (f.isNull("parent")) {
    p.parent = "";
  } else {
    p.parent = f.text("parent");
  }
  return p;
}

void areaRoutes(std::vector<Route>& routes) {
  const QueryParam q{"q", "string", "areas whose path contains this text (any case)"};
  routes.push_back(route(
      "GET", "/api/v1/areas", Role::Read,
      {.operationId = "listAreas",
       .summary = "List areas",
       .tag = "areas",
       .query =
           [&] {
             auto p = pagingParams();
             p.push_back(q);
             return p;
           }(),
       .responseSchema = "Area",
       .list = true,
       .errors = {400}},
      [](Call& call) {
        auto needle = call.request.one("q").value_or("");
        auto lower = [](std::string text) {
          for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          return text;
        };
        needle = lower(needle);
        auto tree = app::AreaTree(call.backend().areas.list());
        std::vector<app::Area> matching;
        for (const auto& a : tree.areas()) {
          if (lower(tree.path(a.id)).find(needle) != std::string::npos) matching.push_back(a);
        }
        std::sort(matching.begin(), matching.end(), [&](const app::Area& x, const app::Area& y) {
          return tree.path(x.id) < tree.path(y.id);
        });
        return pageOf(call.request, matching,
                      [&](app::JsonWriter& w, const app::Area& a) { writeArea(w, a, tree); });
      }));
  routes.push_back(route(
      "POST", "/api/v1/areas", Role::Admin,
      {.operationId = "createAreas",
       .summary = "Create an area, or several at once (a list: all or nothing)",
       .tag = "areas",
       .requestSchema = "AreaInput",
       .responseSchema = "Area",
       .success = 201,
       .errors = {400, 404, 409, 413}},
      [](Call& call) {
        auto& b = call.backend();
        if (isList(call.request.body)) {
          std::vector<app::Area> created;
          bulk(call, [&](app::UnitOfWork& uow, const Fields& f, app::JsonWriter&) {
            created.push_back(b.areas.createIn(uow, areaInput(f), changeOf(call)));
          });
          auto tree = app::AreaTree(b.areas.list());
          return jsonResponse(
              jsonArray(created,
                        [&](app::JsonWriter& w, const app::Area& a) { writeArea(w, a, tree); }),
              201);
        }
        auto a = b.areas.create(areaInput(Fields(parseObject(call.request.body))), changeOf(call));
        auto tree = app::AreaTree(b.areas.list());
        auto body = areaBody(a, tree);
        return jsonResponse(body, 201, contentTag(body));
      }));
  routes.push_back(
      route("PATCH", "/api/v1/areas", Role::Admin,
            {.operationId = "updateAreas",
             .summary = "Update several areas at once (all or nothing)",
             .tag = "areas",
             .requestSchema = "AreaBulkPatch",
             .responseSchema = "Area",
             .errors = {400, 404, 409, 413},
             .shape = "list"},
            [](Call& call) {
              auto& b = call.backend();
              std::vector<app::Area> updated;
              bulk(call, [&](app::UnitOfWork& uow, const Fields& f, app::JsonWriter&) {
                updated.push_back(b.areas.updateIn(uow, f.requiredText("area"), areaPatch(f, true),
                                                   changeOf(call)));
              });
              auto tree = app::AreaTree(b.areas.list());
              return jsonResponse(jsonArray(
                  updated, [&](app::JsonWriter& w, const app::Area& a) { writeArea(w, a, tree); }));
            }));
  routes.push_back(route("DELETE", "/api/v1/areas", Role::Admin,
                         {.operationId = "deleteAreas",
                          .summary = "Delete several areas at once (all or nothing)",
                          .tag = "areas",
                          .requestSchema = "AreaRef",
                          .success = 204,
                          .errors = {400, 404, 409, 413}},
                         [](Call& call) {
                           auto& b = call.backend();
                           bulk(call, [&](app::UnitOfWork& uow, const Fields& f, app::JsonWriter&) {
                             f.only({"area"});
                             b.areas.removeIn(uow, f.requiredText("area"), changeOf(call));
                           });
                           return jsonResponse("", 204);
                         }));
  const std::string one = "/api/v1/areas/{area}";
  routes.push_back(route("GET", one, Role::Read,
                         {.operationId = "getArea",
                          .summary = "An area by path (URL-encoded: emea%2Fdc1) or unique name",
                          .tag = "areas",
                          .responseSchema = "Area",
                          .errors = {400, 404}},
                         [](Call& call) {
                           auto& b = call.backend();
                           auto a = b.areas.get(call.request.param("area"));
                           auto body = areaBody(a, app::AreaTree(b.areas.list()));
                           return jsonResponse(body, 200, contentTag(body));
                         }));
  routes.push_back(route(
      "PATCH", one, Role::Admin,
      {.operationId = "updateArea",
       .summary = "Update an area (If-Match: its ETag)",
       .tag = "areas",
       .requestSchema = "AreaPatch",
       .responseSchema = "Area",
       .errors = {400, 404, 409, 412, 413}},
      [](Call& call) {
        auto& b = call.backend();
        const auto& ref = call.request.param("area");
        auto patch = areaPatch(Fields(parseObject(call.request.body)), false);
        auto current = b.areas.get(ref);
        requireMatch(call.request, contentTag(areaBody(current, app::AreaTree(b.areas.list()))));
        auto a = b.areas.update(ref, patch, changeOf(call));
        auto body = areaBody(a, app::AreaTree(b.areas.list()));
        return jsonResponse(body, 200, contentTag(body));
      }));
  routes.push_back(route(
      "DELETE", one, Role::Admin,
      {.operationId = "deleteArea",
       .summary = "Delete an area (refused while anything depends on it)",
       .tag = "areas",
       .success = 204,
       .errors = {404, 409, 412}},
      [](Call& call) {
        auto& b = call.backend();
        const auto& ref = call.request.param("area");
        if (!call.request.ifMatch.empty()) {
          auto current = b.areas.get(ref);
          requireMatch(call.request, contentTag(areaBody(current, app::AreaTree(b.areas.list()))));
        }
        b.areas.remove(ref, changeOf(call));
        return jsonResponse("", 204);
      }));
}

// ------------------------------------------------------------------------------ platforms

std::string platformBody(const app::Platform& p) {
  app::JsonWriter w;
  app::writeJson(w, p);
  return w.take();
}

app::Platform platformInput(const Fields& f) {
  f.only({"id", "name", "vendor"});
  return {f.requiredText("id"), f.text("name").value_or(""), f.text("vendor").value_or("")};
}

app::PlatformPatch platformPatch(const Fields& f, bool bulk) {
  if (bulk) {
    f.only({"id", "name", "vendor"});
  } else {
    f.only({"name", "vendor"});
  }
  return {f.text("name"), f.text("vendor")};
}

void platformRoutes(std::vector<Route>& routes) {
  routes.push_back(route("GET", "/api/v1/platforms", Role::Read,
                         {.operationId = "listPlatforms",
                          .summary = "List platforms",
                          .tag = "platforms",
                          .query = pagingParams(),
                          .responseSchema = "Platform",
                          .list = true,
                          .errors = {400}},
                         [](Call& call) {
                           return pageOf(call.request, call.backend().platforms.list(),
                                         [](app::JsonWriter& w, const app::Platform& p) {
                                           app::writeJson(w, p);
                                         });
                         }));
  routes.push_back(route(
      "POST", "/api/v1/platforms", Role::Admin,
      {.operationId = "createPlatforms",
       .summary = "Create a platform, or several at once (a list: all or nothing)",
       .tag = "platforms",
       .requestSchema = "PlatformInput",
       .responseSchema = "Platform",
       .success = 201,
       .errors = {400, 409, 413}},
      [](Call& call) {
        auto& b = call.backend();
        if (isList(call.request.body)) {
          return jsonResponse(
              bulk(call,
                   [&](app::UnitOfWork& uow, const Fields& f, app::JsonWriter& w) {
                     app::writeJson(w, b.platforms.createIn(uow, platformInput(f), changeOf(call)));
                   }),
              201);
        }
        auto body = platformBody(b.platforms.create(
            platformInput(Fields(parseObject(call.request.body))), changeOf(call)));
        return jsonResponse(body, 201, contentTag(body));
      }));
  routes.push_back(
      route("PATCH", "/api/v1/platforms", Role::Admin,
            {.operationId = "updatePlatforms",
             .summary = "Update several platforms at once (all or nothing)",
             .tag = "platforms",
             .requestSchema = "PlatformBulkPatch",
             .responseSchema = "Platform",
             .errors = {400, 404, 413},
             .shape = "list"},
            [](Call& call) {
              auto& b = call.backend();
              return jsonResponse(
                  bulk(call, [&](app::UnitOfWork& uow, const Fields& f, app::JsonWriter& w) {
                    app::writeJson(w, b.platforms.updateIn(uow, f.requiredText("id"),
                                                           platformPatch(f, true), changeOf(call)));
                  }));
            }));
  routes.push_back(route("DELETE", "/api/v1/platforms", Role::Admin,
                         {.operationId = "deletePlatforms",
                          .summary = "Delete several platforms at once (all or nothing)",
                          .tag = "platforms",
                          .requestSchema = "PlatformRef",
                          .success = 204,
                          .errors = {400, 404, 409, 413}},
                         [](Call& call) {
                           auto& b = call.backend();
                           bulk(call, [&](app::UnitOfWork& uow, const Fields& f, app::JsonWriter&) {
                             f.only({"id"});
                             b.platforms.removeIn(uow, f.requiredText("id"), changeOf(call));
                           });
                           return jsonResponse("", 204);
                         }));
  const std::string one = "/api/v1/platforms/{id}";
  routes.push_back(route("GET", one, Role::Read,
                         {.operationId = "getPlatform",
                          .summary = "A platform",
                          .tag = "platforms",
                          .responseSchema = "Platform",
                          .errors = {404}},
                         [](Call& call) {
                           auto body =
                               platformBody(call.backend().platforms.get(call.request.param("id")));
                           return jsonResponse(body, 200, contentTag(body));
                         }));
  routes.push_back(
      route("PATCH", one, Role::Admin,
            {.operationId = "updatePlatform",
             .summary = "Update a platform (If-Match: its ETag)",
             .tag = "platforms",
             .requestSchema = "PlatformPatch",
             .responseSchema = "Platform",
             .errors = {400, 404, 412, 413}},
            [](Call& call) {
              auto& b = call.backend();
              const auto& id = call.request.param("id");
              auto patch = platformPatch(Fields(parseObject(call.request.body)), false);
              requireMatch(call.request, contentTag(platformBody(b.platforms.get(id))));
              auto body = platformBody(b.platforms.update(id, patch, changeOf(call)));
              return jsonResponse(body, 200, contentTag(body));
            }));
  routes.push_back(route("DELETE", one, Role::Admin,
                         {.operationId = "deletePlatform",
                          .summary = "Delete a platform (refused while devices use it)",
                          .tag = "platforms",
                          .success = 204,
                          .errors = {404, 409, 412}},
                         [](Call& call) {
                           auto& b = call.backend();
                           const auto& id = call.request.param("id");
                           if (!call.request.ifMatch.empty())
                             requireMatch(call.request,
                                          contentTag(platformBody(b.platforms.get(id))));
                           b.platforms.remove(id, changeOf(call));
                           return jsonResponse("", 204);
                         }));
}

// ------------------------------------------------------------------------------ devices

std::optional<int> port(const Fields& f, const std::string& name) {
  auto n = f.integer(name, 1, kMaxPort);
  return n ? std::optional<int>(static_cast<int>(*n)) : std::nullopt;
}

std::optional<app::DeviceStatus> status(const Fields& f) {
  auto text = f.text("status");
  if (!text) return std::nullopt;
  try {
    return domain::requireDeviceStatus(*text, "status");
  } catch (const domain::ValidationError& e) {
    throw badField(f.where("status"), e.what());
  }
}

app::DeviceInput deviceInput(const Fields& f) {
  f.only({"name", "address", "platform", "area", "status", "role", "serial", "os_version", "tags",
          "credentials", "ssh_port", "snmp_port"});
  app::DeviceInput in;
  in.name = f.requiredText("name");
  in.address = f.text("address").value_or("");
  in.platform = f.requiredText("platform");
  in.area = f.requiredText("area");
  in.status = status(f);
  in.role = f.text("role").value_or("");
  in.serial = f.text("serial").value_or("");
  in.osVersion = f.text("os_version").value_or("");
  in.tags = f.texts("tags").value_or(std::vector<std::string>{});
  in.credentialsRef = f.text("credentials").value_or("");
  if (!f.isNull("ssh_port")) in.sshPort = port(f, "ssh_port");
  if (!f.isNull("snmp_port")) in.snmpPort = port(f, "snmp_port");
  return in;
}

app::DevicePatch devicePatch(const Fields& f, bool bulk) {
  if (bulk) {
    f.only({"device", "version", "name", "address", "platform", "area", "status", "role", "serial",
            "os_version", "tags", "add_tags", "remove_tags", "credentials", "ssh_port",
            "snmp_port"});
  } else {
    f.only({"name", "address", "platform", "area", "status", "role", "serial", "os_version", "tags",
            "add_tags", "remove_tags", "credentials", "ssh_port", "snmp_port"});
  }
  app::DevicePatch p;
  p.name = f.text("name");
  p.address = f.text("address");
  p.platform = f.text("platform");
  p.area = f.text("area");
  p.status = status(f);
  p.role = f.text("role");
  p.serial = f.text("serial");
  p.osVersion = f.text("os_version");
  p.tags = f.texts("tags");
  p.addTags = f.texts("add_tags").value_or(std::vector<std::string>{});
  p.removeTags = f.texts("remove_tags").value_or(std::vector<std::string>{});
  p.credentialsRef = f.text("credentials");
  if (f.isNull("ssh_port")) {
    p.sshPort = std::optional<int>();
  } else if (f.has("ssh_port")) {
    p.sshPort = port(f, "ssh_port");
  }
  if (f.isNull("snmp_port")) {
    p.snmpPort = std::optional<int>();
  } else if (f.has("snmp_port")) {
    p.snmpPort = port(f, "snmp_port");
  }
  if (bulk) p.ifVersion = f.integer("version", 0, std::int64_t{1} << 53);
  return p;
}

/// The devices' area paths: one read of the area tree per request.
struct DeviceWriter {
  app::AreaTree tree;
  void operator()(app::JsonWriter& w, const app::Device& d) const {
    app::writeJson(w, d, tree.path(d.areaId));
  }
};

DeviceWriter deviceWriter(Backend& b) {
  return DeviceWriter{app::AreaTree(b.areas.list())};
}

Response deviceResponse(Backend& b, const app::Device& d, int status = 200) {
  app::JsonWriter w;
  deviceWriter(b)(w, d);
  return jsonResponse(w.take(), status, deviceTag(d.id, d.version));
}

std::vector<QueryParam> deviceFilters() {
  auto p = pagingParams(true);
  p.push_back({"cursor", "string",
               "keyset paging for large inventories (ordering by name): the `next` link's cursor"});
  p.push_back({"status",
               "string",
               "device status (repeat or comma-separate for OR)",
               true,
               {"inventory", "planned", "staged", "active", "failed", "decommissioning"}});
  p.push_back({"area", "string", "area path or unique name, its sub-areas included (OR)", true});
  p.push_back({"platform", "string", "platform id (OR)", true});
  p.push_back({"tag", "string", "tag (OR)", true});
  p.push_back({"role", "string", "role (OR)", true});
  p.push_back({"q", "string", "devices whose name contains this text (any case)"});
  return p;
}

app::DeviceQuery deviceQuery(const Request& r) {
  app::DeviceQuery q;
  for (const auto& s : r.all("status")) {
    try {
      q.statuses.push_back(domain::requireDeviceStatus(s, "status"));
    } catch (const domain::ValidationError& e) {
      throw badField("status", e.what());
    }
  }
  q.areas = r.all("area");
  q.platforms = r.all("platform");
  q.tags = r.all("tag");
  q.roles = r.all("role");
  q.nameContains = r.one("q").value_or("");
  q.ordering = r.one("ordering").value_or("");
  return q;
}

/// The count cache's key: the filter as the request gave it, in a fixed order.
std::string countKey(const app::DeviceQuery& q) {
  std::string key;
  auto add = [&](const char* name, const std::vector<std::string>& values) {
    key += name;
    for (const auto& v : values) key += "\x1f" + v;
    key += '\x1e';
  };
  std::vector<std::string> statuses;
  for (auto s : q.statuses) statuses.emplace_back(domain::toString(s));
  std::sort(statuses.begin(), statuses.end());
  add("s", statuses);
  add("a", q.areas);
  add("p", q.platforms);
  add("t", q.tags);
  add("r", q.roles);
  add("q", {q.nameContains});
  return key;
}

Response listDevices(Call& call) {
  auto& r = call.request;
  auto& b = call.backend();
  // A page already answered at this inventory version is answered again as it was.
  const auto stamp = call.stamp();
  if (stamp) {
    if (auto body = b.cache().page(r.rawQuery, *stamp)) return jsonResponse(std::move(*body));
  }
  auto query = deviceQuery(r);
  auto paging = pagingOf(r);
  if (auto cursor = r.one("cursor")) {
    if (r.one("offset")) throw badField("offset", "not with cursor (keyset paging has no offset)");
    if (!cursor->empty()) query.after = decodeCursor(*cursor);
  }
  query.limit = paging.limit;
  query.offset = query.after.empty() ? paging.offset : 0;
  auto devices = b.devices.list(query);
  auto writer = deviceWriter(b);
  const auto results = jsonArray(devices, writer);
  Response page;
  if (r.one("cursor")) {
    const bool more = static_cast<std::int64_t>(devices.size()) == paging.limit;
    page = cursorPage(r, more ? encodeCursor(devices.back().name) : "", results);
  } else {
    query.limit = query.offset = 0;
    query.after.clear();
    page = countedPage(r, paging, b.deviceCount(query, countKey(query), stamp), results);
  }
  if (stamp && b.inventoryStamp() == stamp) b.cache().storePage(r.rawQuery, *stamp, page.body);
  return page;
}

void deviceRoutes(std::vector<Route>& routes) {
  routes.push_back(
      route("GET", "/api/v1/devices", Role::Read,
            {.operationId = "listDevices",
             .summary = "List devices, filtered",
             .tag = "devices",
             .query = deviceFilters(),
             .responseSchema = "Device",
             .list = true,
             .errors = {400},
             .description = "Counted pages (limit/offset) by default; with `cursor` (start with "
                            "an empty one: `cursor=`) keyset pages that stay fast at any depth."},
            listDevices));
  routes.push_back(route(
      "POST", "/api/v1/devices", Role::Admin,
      {.operationId = "createDevices",
       .summary = "Create a device, or several at once (a list: all or nothing)",
       .tag = "devices",
       .requestSchema = "DeviceInput",
       .responseSchema = "Device",
       .success = 201,
       .errors = {400, 409, 413}},
      [](Call& call) {
        auto& b = call.backend();
        if (isList(call.request.body)) {
          std::vector<app::Device> created;
          bulk(call, [&](app::UnitOfWork& uow, const Fields& f, app::JsonWriter&) {
            created.push_back(b.devices.createIn(uow, deviceInput(f), changeOf(call)));
          });
          return jsonResponse(jsonArray(created, deviceWriter(b)), 201);
        }
        return deviceResponse(
            b,
            b.devices.create(deviceInput(Fields(parseObject(call.request.body))), changeOf(call)),
            201);
      }));
  routes.push_back(route(
      "PATCH", "/api/v1/devices", Role::Admin,
      {.operationId = "updateDevices",
       .summary =
           "Update several devices at once (all or nothing); `version` per object checks it is "
           "unchanged",
       .tag = "devices",
       .requestSchema = "DeviceBulkPatch",
       .responseSchema = "Device",
       .errors = {400, 404, 409, 412, 413},
       .shape = "list"},
      [](Call& call) {
        auto& b = call.backend();
        std::vector<app::Device> updated;
        bulk(call, [&](app::UnitOfWork& uow, const Fields& f, app::JsonWriter&) {
          updated.push_back(b.devices.updateIn(uow, f.requiredText("device"), devicePatch(f, true),
                                               changeOf(call)));
        });
        return jsonResponse(jsonArray(updated, deviceWriter(b)));
      }));
  routes.push_back(route("DELETE", "/api/v1/devices", Role::Admin,
                         {.operationId = "deleteDevices",
                          .summary = "Delete several devices at once (all or nothing)",
                          .tag = "devices",
                          .requestSchema = "DeviceRef",
                          .success = 204,
                          .errors = {400, 404, 412, 413}},
                         [](Call& call) {
                           auto& b = call.backend();
                           bulk(call, [&](app::UnitOfWork& uow, const Fields& f, app::JsonWriter&) {
                             f.only({"device", "version"});
                             b.devices.removeIn(uow, f.requiredText("device"), changeOf(call),
                                                f.integer("version", 0, std::int64_t{1} << 53));
                           });
                           return jsonResponse("", 204);
                         }));
  const std::string one = "/api/v1/devices/{name}";
  routes.push_back(route("GET", one, Role::Read,
                         {.operationId = "getDevice",
                          .summary = "A device",
                          .tag = "devices",
                          .responseSchema = "Device",
                          .errors = {404}},
                         [](Call& call) {
                           auto& b = call.backend();
                           return deviceResponse(b, b.devices.get(call.request.param("name")));
                         }));
  routes.push_back(route("PATCH", one, Role::Admin,
                         {.operationId = "updateDevice",
                          .summary = "Update a device (If-Match: its ETag)",
                          .tag = "devices",
                          .requestSchema = "DevicePatch",
                          .responseSchema = "Device",
                          .errors = {400, 404, 409, 412, 413}},
                         [](Call& call) {
                           auto& b = call.backend();
                           const auto& name = call.request.param("name");
                           auto patch = devicePatch(Fields(parseObject(call.request.body)), false);
                           if (!call.request.ifMatch.empty()) {
                             const auto current = b.devices.get(name);
                             patch.ifVersion = versionFromIfMatch(call.request, current.id);
                           }
                           return deviceResponse(b, b.devices.update(name, patch, changeOf(call)));
                         }));
  routes.push_back(route("DELETE", one, Role::Admin,
                         {.operationId = "deleteDevice",
                          .summary = "Delete a device",
                          .tag = "devices",
                          .success = 204,
                          .errors = {404, 412}},
                         [](Call& call) {
                           auto& b = call.backend();
                           const auto& name = call.request.param("name");
                           std::optional<std::int64_t> version;
                           if (!call.request.ifMatch.empty())
                             version = versionFromIfMatch(call.request, b.devices.get(name).id);
                           b.devices.remove(name, changeOf(call), version);
                           return jsonResponse("", 204);
                         }));
  routes.push_back(
      route("GET", one + "/status", Role::Read,
            {.operationId = "getDeviceStatus",
             .summary = "A device's runtime status: the last result of each job kind and check",
             .tag = "devices",
             .responseSchema = "DeviceRuntime",
             .errors = {404}},
            [](Call& call) {
              auto& b = call.backend();
              const auto device = b.devices.get(call.request.param("name"));
              auto rows = b.jobs.read()->runtime(device.id);
              app::JsonWriter w;
              w.beginObject().key("device").value(device.name);
              w.key("status").value(domain::toString(device.status)).key("checks").beginArray();
              for (const auto& row : rows) app::writeJson(w, row);
              w.endArray().endObject();
              return jsonResponse(w.take());
            }));
  routes.push_back(route(
      "GET", one + "/configs", Role::Read,
      {.operationId = "listConfigRevisions",
       .summary = "A device's configuration revisions, newest first",
       .tag = "configs",
       .query = pagingParams(),
       .responseSchema = "ConfigRevision",
       .list = true,
       .errors = {400, 404}},
      [](Call& call) {
        auto& b = call.backend();
        const auto paging = pagingOf(call.request);
        const auto& name = call.request.param("name");
        auto revisions = b.configs().history(name, paging.limit, paging.offset);
        const auto all = static_cast<std::int64_t>(b.configs().history(name).size());
        return countedPage(
            call.request, paging, all,
            jsonArray(revisions, [](app::JsonWriter& w, const auto& r) { app::writeJson(w, r); }));
      }));
  routes.push_back(
      route("GET", one + "/configs/{revision}", Role::Read,
            {.operationId = "getConfigRevision",
             .summary = "One configuration revision with its text (`latest` for the newest; a "
                        "commit or a prefix "
                        "of at least 4 hex digits)",
             .tag = "configs",
             .query = {{"format",
                        "string",
                        "json (default) or text: the configuration alone, as text/plain",
                        false,
                        {"json", "text"}}},
             .responseSchema = "ConfigText",
             .errors = {400, 404}},
            [](Call& call) {
              auto& b = call.backend();
              auto rev = call.request.param("revision");
              if (rev == "latest") rev.clear();
              const auto format = call.request.one("format").value_or("json");
              if (format != "json" && format != "text")
                throw badField("format", "expected json or text, got '" + format + "'");
              auto text = b.configs().show(call.request.param("name"), rev);
              if (format == "text") {
                Response r;
                r.body = std::move(text.text);
                r.contentType = "text/plain; charset=utf-8";
                r.etag = text.revision.commit;
                return r;
              }
              app::JsonWriter w;
              w.beginObject().key("revision");
              app::writeJson(w, text.revision);
              w.key("text").value(text.text).endObject();
              return jsonResponse(w.take(), 200, text.revision.commit);
            }));
  routes.push_back(route(
      "GET", one + "/config-diff", Role::Read,
      {.operationId = "diffConfigRevisions",
       .summary = "The unified diff between two revisions (default: the previous and the newest)",
       .tag = "configs",
       .query = {{"from", "string",
                  "older revision (commit or prefix); default: the one before `to`"},
                 {"to", "string", "newer revision; default: the newest"}},
       .responseSchema = "ConfigDiff",
       .errors = {400, 404}},
      [](Call& call) {
        auto& b = call.backend();
        auto d = b.configs().diff(call.request.param("name"), call.request.one("from").value_or(""),
                                  call.request.one("to").value_or(""));
        app::JsonWriter w;
        app::writeJson(w, d);
        return jsonResponse(w.take());
      }));
}

// ------------------------------------------------------------------------------ vlans

std::string vlanBody(const app::Vlan& v, const app::AreaTree& tree) {
  app::JsonWriter w;
  app::writeJson(w, v, tree.path(v.areaId));
  return w.take();
}

app::VlanInput vlanInput(const Fields& f) {
  f.only({"area", "vid", "name", "description"});
  auto vid = f.integer("vid", 1, 4094);
  if (!vid) throw badField(f.where("vid"), "required");
  return {f.requiredText("area"), static_cast<int>(*vid), f.text("name").value_or(""),
          f.text("description").value_or("")};
}

app::VlanPatch vlanPatch(const Fields& f) {
  app::VlanPatch p;
  if (auto vid = f.integer("new_vid", 1, 4094)) p.vid = static_cast<int>(*vid);
  p.name = f.text("name");
  p.description = f.text("description");
  return p;
}

int vidOf(const std::string& text, const std::string& field) {
  if (text.empty() || text.size() > 4 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw badField(field, "expected a VLAN id from 1 to 4094, got '" + text + "'");
  const int vid = std::stoi(text);
  if (vid < 1 || vid > 4094)
    throw badField(field, "expected a VLAN id from 1 to 4094, got '" + text + "'");
  return vid;
}

void vlanRoutes(std::vector<Route>& routes) {
  routes.push_back(route(
      "GET", "/api/v1/vlans", Role::Read,
      {.operationId = "listVlans",
       .summary = "List VLANs",
       .tag = "vlans",
       .query =
           [] {
             auto p = pagingParams();
             p.push_back({"area", "string", "only the VLANs of this area (path or unique name)"});
             return p;
           }(),
       .responseSchema = "Vlan",
       .list = true,
       .errors = {400, 404}},
      [](Call& call) {
        auto& b = call.backend();
        const auto all = b.vlans.list(call.request.one("area").value_or(""));
        const auto tree = app::AreaTree(b.areas.list());
        return pageOf(call.request, all, [&](app::JsonWriter& w, const app::Vlan& v) {
          app::writeJson(w, v, tree.path(v.areaId));
        });
      }));
  routes.push_back(route(
      "POST", "/api/v1/vlans", Role::Admin,
      {.operationId = "createVlans",
       .summary = "Create a VLAN, or several at once (a list: all or nothing)",
       .tag = "vlans",
       .requestSchema = "VlanInput",
       .responseSchema = "Vlan",
       .success = 201,
       .errors = {400, 404, 409, 413}},
      [](Call& call) {
        auto& b = call.backend();
        if (isList(call.request.body)) {
          std::vector<app::Vlan> created;
          bulk(call, [&](app::UnitOfWork& uow, const Fields& f, app::JsonWriter&) {
            created.push_back(b.vlans.createIn(uow, vlanInput(f), changeOf(call)));
          });
          const auto tree = app::AreaTree(b.areas.list());
          return jsonResponse(jsonArray(created,
                                        [&](app::JsonWriter& w, const app::Vlan& v) {
                                          app::writeJson(w, v, tree.path(v.areaId));
                                        }),
                              201);
        }
        auto v = b.vlans.create(vlanInput(Fields(parseObject(call.request.body))), changeOf(call));
        auto body = vlanBody(v, app::AreaTree(b.areas.list()));
        return jsonResponse(body, 201, contentTag(body));
      }));
  routes.push_back(route(
      "PATCH", "/api/v1/vlans", Role::Admin,
      {.operationId = "updateVlans",
       .summary = "Update several VLANs at once (all or nothing)",
       .tag = "vlans",
       .requestSchema = "VlanBulkPatch",
       .responseSchema = "Vlan",
       .errors = {400, 404, 409, 413},
       .shape = "list"},
      [](Call& call) {
        auto& b = call.backend();
        std::vector<app::Vlan> updated;
        bulk(call, [&](app::UnitOfWork& uow, const Fields& f, app::JsonWriter&) {
          f.only({"area", "vid", "new_vid", "name", "description"});
          auto vid = f.integer("vid", 1, 4094);
          if (!vid) throw badField(f.where("vid"), "required");
          updated.push_back(b.vlans.updateIn(uow, f.requiredText("area"), static_cast<int>(*vid),
                                             vlanPatch(f), changeOf(call)));
        });
        const auto tree = app::AreaTree(b.areas.list());
        return jsonResponse(jsonArray(updated, [&](app::JsonWriter& w, const app::Vlan& v) {
          app::writeJson(w, v, tree.path(v.areaId));
        }));
      }));
  routes.push_back(route("DELETE", "/api/v1/vlans", Role::Admin,
                         {.operationId = "deleteVlans",
                          .summary = "Delete several VLANs at once (all or nothing)",
                          .tag = "vlans",
                          .requestSchema = "VlanRef",
                          .success = 204,
                          .errors = {400, 404, 413}},
                         [](Call& call) {
                           auto& b = call.backend();
                           bulk(call, [&](app::UnitOfWork& uow, const Fields& f, app::JsonWriter&) {
                             f.only({"area", "vid"});
                             auto vid = f.integer("vid", 1, 4094);
                             if (!vid) throw badField(f.where("vid"), "required");
                             b.vlans.removeIn(uow, f.requiredText("area"), static_cast<int>(*vid),
                                              changeOf(call));
                           });
                           return jsonResponse("", 204);
                         }));
  const std::string one = "/api/v1/vlans/{area}/{vid}";
  routes.push_back(route("GET", one, Role::Read,
                         {.operationId = "getVlan",
                          .summary = "A VLAN by its area (URL-encoded path) and VID",
                          .tag = "vlans",
                          .responseSchema = "Vlan",
                          .errors = {400, 404}},
                         [](Call& call) {
                           auto& b = call.backend();
                           auto v = b.vlans.get(call.request.param("area"),
                                                vidOf(call.request.param("vid"), "vid"));
                           auto body = vlanBody(v, app::AreaTree(b.areas.list()));
                           return jsonResponse(body, 200, contentTag(body));
                         }));
  routes.push_back(route(
      "PATCH", one, Role::Admin,
      {.operationId = "updateVlan",
       .summary = "Update a VLAN (If-Match: its ETag; `new_vid` renumbers it)",
       .tag = "vlans",
       .requestSchema = "VlanPatch",
       .responseSchema = "Vlan",
       .errors = {400, 404, 409, 412, 413}},
      [](Call& call) {
        auto& b = call.backend();
        const auto& area = call.request.param("area");
        const int vid = vidOf(call.request.param("vid"), "vid");
        Fields f(parseObject(call.request.body));
        f.only({"new_vid", "name", "description"});
        auto patch = vlanPatch(f);
        requireMatch(call.request,
                     contentTag(vlanBody(b.vlans.get(area, vid), app::AreaTree(b.areas.list()))));
        auto v = b.vlans.update(area, vid, patch, changeOf(call));
        auto body = vlanBody(v, app::AreaTree(b.areas.list()));
        return jsonResponse(body, 200, contentTag(body));
      }));
  routes.push_back(route(
      "DELETE", one, Role::Admin,
      {.operationId = "deleteVlan",
       .summary = "Delete a VLAN",
       .tag = "vlans",
       .success = 204,
       .errors = {400, 404, 412}},
      [](Call& call) {
        auto& b = call.backend();
        const auto& area = call.request.param("area");
        const int vid = vidOf(call.request.param("vid"), "vid");
        if (!call.request.ifMatch.empty())
          requireMatch(call.request,
                       contentTag(vlanBody(b.vlans.get(area, vid), app::AreaTree(b.areas.list()))));
        b.vlans.remove(area, vid, changeOf(call));
        return jsonResponse("", 204);
      }));
}

// ------------------------------------------------------------------------------ changes, tokens

void changeRoutes(std::vector<Route>& routes) {
  routes.push_back(route(
      "GET", "/api/v1/changes", Role::Read,
      {.operationId = "listChanges",
       .summary = "The change log, newest first",
       .tag = "changes",
       .query = {{"limit", "integer",
                  fmt::format("page size, 1 to {} (default {})", kMaxLimit, kDefaultLimit)},
                 {"cursor", "string", "the `next` link's cursor"},
                 {"object", "string", "TYPE or TYPE:ID or TYPE:NAME (device:r1, area:emea/dc1)"},
                 {"actor", "string", "who made the change (cli:alice, api:deploy-bot, run:42)"},
                 {"since", "string", "from this UTC time (ISO 8601), inclusive"},
                 {"until", "string", "before this UTC time (ISO 8601)"}},
       .responseSchema = "Change",
       .list = true,
       .cursor = true,
       .errors = {400}},
      [](Call& call) {
        auto& r = call.request;
        app::ChangeFilter f;
        f.limit = pagingOf(r).limit;
        f.actor = r.one("actor").value_or("");
        auto isoTime = [&](const std::string& name) {
          auto v = r.one(name).value_or("");
          if (!v.empty() && (v.size() < 10 || v.size() > 30 || v[4] != '-' || v[7] != '-' ||
                             !std::all_of(v.begin(), v.end(), [](char c) {
                               return std::isalnum(static_cast<unsigned char>(c)) || c == '-' ||
                                      c == ':' || c == '.' || c == '+';
                             })))
            throw badField(name,
                           "expected a UTC time such as 2026-11-27 or 2026-11-27T08:30:00Z, "
                           "got '" +
                               v + "'");
          return v;
        };
        f.since = isoTime("since");
        f.until = isoTime("until");
        if (auto cursor = r.one("cursor"); cursor && !cursor->empty()) {
          const auto text = decodeCursor(*cursor);
          const auto bar = text.rfind('|');
          const auto id = bar == std::string::npos ? std::string() : text.substr(bar + 1);
          if (id.empty() || id.size() > 18 ||
              !std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; }))
            throw badField("cursor", "not a cursor this API gave");
          f.beforeTime = text.substr(0, bar);
          f.beforeId = std::stoll(id);
        }
        auto entries = call.backend().changes.list(r.one("object").value_or(""), f);
        const bool more = static_cast<std::int64_t>(entries.size()) == f.limit;
        const auto cursor =
            more ? encodeCursor(entries.back().time + "|" + std::to_string(entries.back().id)) : "";
        return cursorPage(r, cursor, jsonArray(entries, [](app::JsonWriter& w, const auto& e) {
                            app::writeJson(w, e);
                          }));
      }));
}

void writeToken(app::JsonWriter& w, const app::ApiToken& t) {
  w.beginObject().key("name").value(t.name).key("prefix").value(t.prefix);
  w.key("role").value(domain::toString(t.role)).key("created_at").value(t.createdAt);
  w.key("created_by").value(t.createdBy).key("expires_at").value(t.expiresAt);
  w.key("last_used_at").value(t.lastUsedAt).endObject();
}

void tokenRoutes(std::vector<Route>& routes) {
  routes.push_back(route("GET", "/api/v1/tokens", Role::Admin,
                         {.operationId = "listTokens",
                          .summary = "API tokens (never their secrets)",
                          .tag = "tokens",
                          .responseSchema = "Token",
                          .shape = "list"},
                         [](Call& call) {
                           return jsonResponse(jsonArray(call.backend().tokens.list(), writeToken));
                         }));
  routes.push_back(
      route("POST", "/api/v1/tokens", Role::Admin,
            {.operationId = "createToken",
             .summary = "Create a token: the response holds its secret, the only time it is shown",
             .tag = "tokens",
             .requestSchema = "TokenInput",
             .responseSchema = "CreatedToken",
             .success = 201,
             .errors = {400, 409, 413}},
            [](Call& call) {
              Fields f(parseObject(call.request.body));
              f.only({"name", "role", "expires"});
              std::optional<app::TimePoint> expires;
              if (auto e = f.text("expires")) expires = app::parseExpiry(*e, app::systemNow());
              auto created = call.backend().tokens.create(
                  f.requiredText("name"), f.requiredText("role"), expires, call.request.actor());
              app::JsonWriter w;
              w.beginObject().key("token");
              writeToken(w, created.token);
              w.key("secret").value(created.secret).endObject();
              Response r = jsonResponse(w.take(), 201);
              r.headers.emplace_back("Cache-Control", "no-store");
              return r;
            }));
  routes.push_back(route("DELETE", "/api/v1/tokens/{name}", Role::Admin,
                         {.operationId = "revokeToken",
                          .summary = "Revoke a token",
                          .tag = "tokens",
                          .success = 204,
                          .errors = {404}},
                         [](Call& call) {
                           call.backend().tokens.revoke(call.request.param("name"),
                                                        call.request.actor());
                           return jsonResponse("", 204);
                         }));
}

}  // namespace

void inventoryRoutes(std::vector<Route>& routes) {
  areaRoutes(routes);
  platformRoutes(routes);
  deviceRoutes(routes);
  vlanRoutes(routes);
  changeRoutes(routes);
  tokenRoutes(routes);
}

}  // namespace netspine::api
