#include "application/inventory_importer.hpp"

#include <fmt/format.h>

#include <unordered_map>
#include <unordered_set>

#include "application/area_tree.hpp"
#include "application/platform_service.hpp"
#include "application/service_support.hpp"

namespace netspine::app {
namespace {

/// Upsert: the fields a record gives replace the stored ones; empty ones leave them as they are.
DevicePatch patchFrom(const DeviceInput& in) {
  DevicePatch p;
  p.address = in.address;
  p.platform = in.platform;
  p.area = in.area;
  p.status = in.status;
  if (!in.role.empty()) p.role = in.role;
  if (!in.serial.empty()) p.serial = in.serial;
  if (!in.osVersion.empty()) p.osVersion = in.osVersion;
  if (!in.tags.empty()) p.tags = in.tags;
  if (!in.credentialsRef.empty()) p.credentialsRef = in.credentialsRef;
  if (in.sshPort) p.sshPort = in.sshPort;
  if (in.snmpPort) p.snmpPort = in.snmpPort;
  return p;
}

}  // namespace

ImportError::ImportError(std::vector<std::string> problems)
    : domain::ValidationError(
          fmt::format("import refused, nothing was written ({} problem{}):\n  {}", problems.size(),
                      problems.size() == 1 ? "" : "s", fmt::join(problems, "\n  "))),
      problems_(std::move(problems)) {}

ImportSummary InventoryImporter::run(const InventoryDocument& doc, const ChangeContext& ctx,
                                     ImportMode mode, std::size_t maxProblems) {
  auto uow = store_.begin();
  std::vector<std::string> problems;
  auto full = [&] { return problems.size() >= maxProblems; };
  auto note = [&](const auto& record, const domain::Error& e) {
    problems.push_back(fmt::format("{}: {}", record.fieldAt(e.field()).where(), e.what()));
  };
  // Objects of one kind are checked and written one by one through their service, so each
  // sees the ones before it (a child area its parent); devices, the bulk, are checked in memory.
  auto each = [&](const auto& records, auto&& write) {
    for (const auto& r : records) {
      if (full()) return;
      try {
        write(r.value);
      } catch (const domain::Error& e) {
        note(r, e);
      }
    }
  };

  ImportSummary summary;
  AreaService areas(store_, clock_);
  each(doc.areas, [&](const AreaInput& in) {
    areas.createIn(*uow, in, ctx);
    ++summary.areas;
  });
  PlatformService platforms(store_, clock_);
  each(doc.platforms, [&](const Platform& in) {
    platforms.createIn(*uow, in, ctx);
    ++summary.platforms;
  });

  if (!doc.devices.empty() && !full()) {
    const auto tree = AreaTree::load(*uow);
    const auto knownPlatforms = uow->platforms().list();
    const auto names = uow->devices().names();
    const std::unordered_set<std::string> existing(names.begin(), names.end());
    std::unordered_map<std::string, std::string> seen;
    std::vector<Device> fresh;
    std::vector<const Located<DeviceInput>*> updates;
    const std::string now = clock_();
    for (const auto& row : doc.devices) {
      if (full()) break;
      try {
        Device d = detail::buildDevice(row.value, tree, knownPlatforms);
        if (auto [it, first] = seen.emplace(d.name, row.at.where()); !first) {
          throw domain::ConflictError(
              fmt::format("name: device '{}' appears twice (first at {})", d.name, it->second),
              "name");
        }
        if (existing.contains(d.name)) {
          if (mode == ImportMode::Create) {
            throw domain::ConflictError(
                fmt::format("name: device '{}' already exists (import with upsert to update it)",
                            d.name),
                "name");
          }
          updates.push_back(&row);
          continue;
        }
        d.version = 1;
        d.createdAt = d.updatedAt = now;
        fresh.push_back(std::move(d));
      } catch (const domain::Error& e) {
        note(row, e);
      }
    }
    if (problems.empty()) {
      uow->devices().insertMany(fresh);
      std::vector<ChangeEntry> changes;
      changes.reserve(fresh.size());
      for (const auto& d : fresh) {
        changes.push_back(detail::makeChange([&] { return now; }, ctx, "create", "device",
                                             std::to_string(d.id), d.name, "",
                                             detail::deviceJson(d, tree.path(d.areaId))));
      }
      uow->changes().appendMany(changes);
      summary.devicesCreated = static_cast<std::int64_t>(fresh.size());
      DeviceService devices(store_, clock_);
      for (const auto* row : updates) {
        if (full()) break;
        try {
          devices.updateIn(*uow, row->value.name, patchFrom(row->value), ctx);
          ++summary.devicesUpdated;
        } catch (const domain::Error& e) {
          note(*row, e);
        }
      }
    }
  }

  VlanService vlans(store_, clock_);
  each(doc.vlans, [&](const VlanInput& in) {
    vlans.createIn(*uow, in, ctx);
    ++summary.vlans;
  });

  if (!problems.empty()) throw ImportError(std::move(problems));
  uow->commit();
  return summary;
}

}  // namespace netspine::app
