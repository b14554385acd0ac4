#include "application/device_service.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "application/area_tree.hpp"
#include "application/service_support.hpp"
#include "domain/errors.hpp"
#include "domain/validation.hpp"

namespace netspine::app {
namespace {

Device requireDevice(UnitOfWork& uow, std::string_view name) {
  auto d = uow.devices().findByName(name);
  if (!d) throw domain::NotFoundError(fmt::format("device '{}' not found", name));
  return *d;
}

/// The device a write starts from, held until the unit of work ends, so that the guards checked
/// on it (version, status) still hold when the write lands.
Device requireDeviceForUpdate(UnitOfWork& uow, std::string_view name) {
  auto d = uow.devices().findByNameForUpdate(name);
  if (!d) throw domain::NotFoundError(fmt::format("device '{}' not found", name));
  return *d;
}

void requireFreeName(UnitOfWork& uow, std::string_view name) {
  if (uow.devices().findByName(name)) {
    throw domain::ConflictError(fmt::format("name: device '{}' already exists", name), "name");
  }
}

void requireVersion(const Device& d, std::optional<std::int64_t> ifVersion) {
  if (ifVersion && *ifVersion != d.version) {
    throw domain::StaleError(
        fmt::format("device '{}' changed since version {}: it is at version "
                    "{} now; read it again",
                    d.name, *ifVersion, d.version));
  }
}

/// The status guard of a patch: the device's status, as this transaction read it, must be one
/// of `allowed` (an engaged empty list allows none).
void requireStatusIn(const Device& d, const std::optional<std::vector<DeviceStatus>>& allowed) {
  if (!allowed || std::find(allowed->begin(), allowed->end(), d.status) != allowed->end()) return;
  std::vector<std::string_view> names;
  for (auto s : *allowed) names.push_back(domain::toString(s));
  const std::string reason =
      names.empty()
          ? fmt::format("status {}; this update allows no status", domain::toString(d.status))
          : fmt::format("status {}; this update needs {}", domain::toString(d.status),
                        fmt::join(names, " or "));
  throw domain::PolicyRefusedError(fmt::format("device {}: {}", d.name, reason),
                                   {{d.name, reason}});
}

/// Equal apart from the bookkeeping fields a write changes.
bool sameContent(Device a, const Device& b) {
  a.version = b.version;
  a.updatedAt = b.updatedAt;
  return a == b;
}

}  // namespace

bool DevicePatch::empty() const {
  return !name && !address && !platform && !area && !status && !role && !serial && !osVersion &&
         !tags && addTags.empty() && removeTags.empty() && !credentialsRef && !sshPort && !snmpPort;
}

Device DeviceService::createIn(UnitOfWork& uow, const DeviceInput& input,
                               const ChangeContext& ctx) {
  auto tree = AreaTree::load(uow);
  Device d = detail::buildDevice(input, tree, uow.platforms().list());
  requireFreeName(uow, d.name);
  d.version = 1;
  d.createdAt = d.updatedAt = clock_();
  d.id = uow.devices().insert(d);
  uow.changes().append(detail::makeChange(clock_, ctx, "create", "device", std::to_string(d.id),
                                          d.name, "", detail::deviceJson(d, tree.path(d.areaId))));
  return d;
}

Device DeviceService::create(const DeviceInput& input, const ChangeContext& ctx) {
  auto uow = store_.begin();
  auto d = createIn(*uow, input, ctx);
  uow->commit();
  return d;
}

Device DeviceService::updateIn(UnitOfWork& uow, std::string_view name, const DevicePatch& patch,
                               const ChangeContext& ctx) {
  const Device before = requireDeviceForUpdate(uow, name);
  requireVersion(before, patch.ifVersion);
  requireStatusIn(before, patch.ifStatusIn);
  auto tree = AreaTree::load(uow);
  Device after = before;
  if (patch.name && *patch.name != before.name) {
    domain::validateDeviceName(*patch.name);
    requireFreeName(uow, *patch.name);
    after.name = *patch.name;
  }
  if (patch.address) after.address = *patch.address;
  if (patch.platform) {
    detail::requireKnownPlatform(*patch.platform, uow.platforms().list());
    after.platform = *patch.platform;
  }
  if (patch.area) after.areaId = detail::referencedArea(tree, *patch.area, "area").id;
  if (patch.status) {
    domain::checkTransition(before.name, before.status, *patch.status);
    after.status = *patch.status;
  }
  if (patch.role) after.role = *patch.role;
  if (patch.serial) after.serial = *patch.serial;
  if (patch.osVersion) after.osVersion = *patch.osVersion;
  if (patch.tags) after.tags = *patch.tags;
  after.tags.insert(after.tags.end(), patch.addTags.begin(), patch.addTags.end());
  for (const auto& t : patch.removeTags) std::erase(after.tags, t);
  after.tags = domain::normalizeTags(std::move(after.tags));
  if (patch.credentialsRef) after.credentialsRef = *patch.credentialsRef;
  if (patch.sshPort) after.sshPort = *patch.sshPort;
  if (patch.snmpPort) after.snmpPort = *patch.snmpPort;
  domain::validate(after);
  if (sameContent(after, before)) return before;

  after.version = before.version + 1;
  after.updatedAt = clock_();
  uow.devices().update(after);
  uow.changes().append(detail::makeChange(clock_, ctx, "update", "device", std::to_string(after.id),
                                          after.name,
                                          detail::deviceJson(before, tree.path(before.areaId)),
                                          detail::deviceJson(after, tree.path(after.areaId))));
  return after;
}

Device DeviceService::update(std::string_view name, const DevicePatch& patch,
                             const ChangeContext& ctx) {
  auto uow = store_.begin();
  auto d = updateIn(*uow, name, patch, ctx);
  uow->commit();
  return d;
}

Device DeviceService::setStatus(std::string_view name, DeviceStatus status,
                                const ChangeContext& ctx) {
  DevicePatch patch;
  patch.status = status;
  return update(name, patch, ctx);
}

void DeviceService::removeIn(UnitOfWork& uow, std::string_view name, const ChangeContext& ctx,
                             std::optional<std::int64_t> ifVersion) {
  const Device d = requireDeviceForUpdate(uow, name);
  requireVersion(d, ifVersion);
  auto tree = AreaTree::load(uow);
  uow.devices().remove(d.id);
  uow.changes().append(detail::makeChange(clock_, ctx, "delete", "device", std::to_string(d.id),
                                          d.name, detail::deviceJson(d, tree.path(d.areaId)), ""));
}

void DeviceService::remove(std::string_view name, const ChangeContext& ctx,
                           std::optional<std::int64_t> ifVersion) {
  auto uow = store_.begin();
  removeIn(*uow, name, ctx, ifVersion);
  uow->commit();
}

Device DeviceService::get(std::string_view name) {
  auto uow = store_.read();
  return requireDevice(*uow, name);
}

DeviceFilter DeviceService::resolve(UnitOfWork& uow, const DeviceQuery& query) {
  DeviceFilter f;
  f.statuses = query.statuses;
  f.platforms = query.platforms;
  f.tags = query.tags;
  f.roles = query.roles;
  f.nameContains = query.nameContains;
  static constexpr std::string_view kColumns[] = {"name",       "address",    "status",
                                                  "platform",   "role",       "serial",
                                                  "os_version", "created_at", "updated_at"};
  std::string_view ordering = query.ordering;
  f.descending = ordering.starts_with('-');
  if (f.descending) ordering.remove_prefix(1);
  if (ordering.empty()) ordering = "name";
  if (std::find(std::begin(kColumns), std::end(kColumns), ordering) == std::end(kColumns)) {
    throw domain::ValidationError(
        fmt::format("ordering: unknown field '{}' (expected one of {}, '-' in front for "
                    "descending)",
                    query.ordering, fmt::join(kColumns, ", ")),
        "ordering");
  }
  f.orderBy = std::string(ordering);
  if (!query.after.empty() && f.orderBy != "name") {
    throw domain::ValidationError("cursor: cursor paging needs ordering by name", "cursor");
  }
  f.afterName = query.after;
  f.limit = query.limit;
  f.offset = query.offset;
  if (query.limit < 0 || query.offset < 0) {
    throw domain::ValidationError("limit and offset must not be negative", "limit");
  }
  if (!query.areas.empty()) {
    auto tree = AreaTree::load(uow);
    for (const auto& a : query.areas) {
      auto ids = tree.subtree(detail::referencedArea(tree, a, "area").id);
      f.areaIds.insert(f.areaIds.end(), ids.begin(), ids.end());
    }
    std::sort(f.areaIds.begin(), f.areaIds.end());
    f.areaIds.erase(std::unique(f.areaIds.begin(), f.areaIds.end()), f.areaIds.end());
  }
  return f;
}

std::vector<Device> DeviceService::list(const DeviceQuery& query) {
  auto uow = store_.read();
  return uow->devices().list(resolve(*uow, query));
}

std::int64_t DeviceService::count(const DeviceQuery& query) {
  auto uow = store_.read();
  auto f = resolve(*uow, query);
  f.limit = f.offset = 0;
  f.afterName.clear();
  return uow->devices().count(f);
}

}  // namespace netspine::app
