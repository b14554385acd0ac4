#include "application/service_support.hpp"

#include <fmt/format.h>

#include "application/inventory_json.hpp"
#include "domain/errors.hpp"
#include "domain/validation.hpp"

namespace netspine::app::detail {

ChangeEntry makeChange(const Clock& clock, const ChangeContext& ctx, std::string action,
                       std::string objectType, std::string objectId, std::string objectName,
                       std::string before, std::string after) {
  ChangeEntry e;
  e.time = clock();
  e.actor = ctx.actor;
  e.action = std::move(action);
  e.objectType = std::move(objectType);
  e.objectId = std::move(objectId);
  e.objectName = std::move(objectName);
  e.before = std::move(before);
  e.after = std::move(after);
  e.message = ctx.message;
  return e;
}

const Area& referencedArea(const AreaTree& tree, std::string_view area, const std::string& field) {
  if (area.empty())
    throw domain::ValidationError(fmt::format("{}: must not be empty", field), field);
  try {
    return tree.resolve(area, field);
  } catch (const domain::NotFoundError& e) {
    throw domain::ValidationError(e.what(), field);
  }
}

std::string areaJson(const Area& area, const AreaTree& tree) {
  JsonWriter w;
  writeJson(w, area, tree.childPath(area.parentId, area.name), tree.parentPath(area));
  return w.take();
}

std::string platformJson(const Platform& platform) {
  JsonWriter w;
  writeJson(w, platform);
  return w.take();
}

std::string deviceJson(const Device& device, std::string_view areaPath) {
  JsonWriter w;
  writeJson(w, device, areaPath);
  return w.take();
}

std::string vlanJson(const Vlan& vlan, std::string_view areaPath) {
  JsonWriter w;
  writeJson(w, vlan, areaPath);
  return w.take();
}

Device buildDevice(const DeviceInput& input, const AreaTree& tree,
                   const std::vector<Platform>& platforms) {
  Device d;
  d.name = input.name;
  d.address = input.address;
  d.platform = input.platform;
  d.status = input.status.value_or(DeviceStatus::Inventory);
  d.role = input.role;
  d.serial = input.serial;
  d.osVersion = input.osVersion;
  d.tags = domain::normalizeTags(input.tags);
  d.credentialsRef = input.credentialsRef;
  d.sshPort = input.sshPort;
  d.snmpPort = input.snmpPort;
  domain::validate(d);
  d.areaId = referencedArea(tree, input.area, "area").id;
  requireKnownPlatform(d.platform, platforms);
  return d;
}

void requireKnownPlatform(std::string_view id, const std::vector<Platform>& platforms) {
  std::vector<std::string> ids;
  for (const auto& p : platforms) {
    if (p.id == id) return;
    ids.push_back(p.id);
  }
  throw domain::ValidationError(
      fmt::format("platform: unknown platform '{}' (known: {})", id, fmt::join(ids, ", ")),
      "platform");
}

}  // namespace netspine::app::detail
