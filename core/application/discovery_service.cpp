#include "application/discovery_service.hpp"

#include <fmt/format.h>

#include <regex>

#include "application/device_service.hpp"
#include "application/platform_service.hpp"
#include "domain/errors.hpp"

namespace netspine::app {

namespace {

std::string fact(const std::map<std::string, std::string>& data, const std::string& key) {
  auto it = data.find("fact." + key);
  return it == data.end() ? std::string() : it->second;
}

bool patternFound(const std::string& pattern, const std::string& text) {
  if (pattern.empty()) return true;
  try {
    return std::regex_search(text, std::regex(pattern));
  } catch (const std::regex_error&) {
    return text.find(pattern) != std::string::npos;  // not a valid expression: plain text
  }
}

}  // namespace

std::optional<std::string> platformFor(const std::vector<SnmpIdentity>& platforms,
                                       const std::string& sysObjectId,
                                       const std::string& sysDescr) {
  if (sysObjectId.empty()) return std::nullopt;
  // "1.3.6.1.4.1.9.1.1208" matches the prefix "1.3.6.1.4.1.9.1." (a trailing dot: whole arcs).
  const std::string oid = sysObjectId.front() == '.' ? sysObjectId.substr(1) : sysObjectId;
  std::optional<std::string> best;
  std::size_t bestLength = 0;
  for (const auto& p : platforms) {
    for (auto prefix : p.sysObjectIdPrefixes) {
      if (!prefix.empty() && prefix.front() == '.') prefix.erase(0, 1);
      if (prefix.empty() || prefix.size() <= bestLength) continue;
      const bool matches =
          oid.rfind(prefix, 0) == 0 &&
          (prefix.back() == '.' || oid.size() == prefix.size() || oid[prefix.size()] == '.');
      if (matches && patternFound(p.sysDescrPattern, sysDescr)) {
        best = p.platform;
        bestLength = prefix.size();
      }
    }
  }
  return best;
}

DiscoveryService::DiscoveryService(Store& inventory, std::vector<SnmpIdentity> platforms,
                                   domain::AutomationPolicy policy,
                                   domain::OperationClasses classes)
    : inventory_(inventory),
      platforms_(std::move(platforms)),
      policy_(policy),
      classes_(std::move(classes)) {}

bool DiscoveryService::appliesTo(const std::string& kind) const {
  auto op = classes_.of(kind);
  return op && *op == domain::Operation::Discover;
}

DiscoveryOutcome DiscoveryService::apply(Id deviceId, Id runId,
                                         const std::map<std::string, std::string>& facts) {
  DiscoveryOutcome out;
  DeviceService devices(inventory_);
  std::optional<domain::Device> device;
  {
    auto uow = inventory_.read();
    device = uow->devices().get(deviceId);
  }
  if (!device) {
    out.refused = "the device was deleted before its facts could be applied";
    return out;
  }
  if (!policy_.allows(device->status, domain::Operation::Discover)) {
    out.refused = policy_.refusal(device->status, domain::Operation::Discover) +
                  "; the inventory was not updated";
    return out;
  }

  DevicePatch patch;
  const auto serial = fact(facts, "serial");
  if (!serial.empty() && serial != device->serial) {
    patch.serial = serial;
    out.changes.push_back(fmt::format("serial '{}' -> '{}'", device->serial, serial));
  }
  const auto version = fact(facts, "os_version");
  if (!version.empty() && version != device->osVersion) {
    patch.osVersion = version;
    out.changes.push_back(fmt::format("os_version '{}' -> '{}'", device->osVersion, version));
  }
  const auto oid = fact(facts, "sys_object_id");
  if (auto platform = platformFor(platforms_, oid, fact(facts, "sys_descr"))) {
    if (*platform != device->platform) {
      bool known = false;
      for (const auto& p : PlatformService(inventory_).list()) known = known || p.id == *platform;
      if (known) {
        patch.platform = *platform;
        out.changes.push_back(fmt::format("platform '{}' -> '{}'", device->platform, *platform));
      } else {
        out.notes.push_back(fmt::format(
            "sysObjectID {} is platform '{}', which is not in the inventory; platform kept", oid,
            *platform));
      }
    }
  } else if (!oid.empty()) {
    out.notes.push_back(
        fmt::format("sysObjectID {} matches no loaded platform plugin; platform kept", oid));
  }
  if (const auto name = fact(facts, "hostname"); !name.empty() && name != device->name) {
    out.notes.push_back(
        fmt::format("sysName is '{}' (the device is named '{}')", name, device->name));
  }
  if (out.changes.empty()) return out;

  // The status again, inside the update's transaction: it may have changed since the read.
  patch.ifStatusIn = policy_.statusesAllowing(domain::Operation::Discover);
  try {
    devices.update(device->name, patch, ChangeContext{fmt::format("run:{}", runId), "discovery"});
  } catch (const domain::PolicyRefusedError& e) {
    out.changes.clear();
    out.refused = std::string(e.what()) + "; the inventory was not updated";
  } catch (const domain::Error& e) {
    out.changes.clear();
    out.notes.push_back(std::string("the inventory was not updated: ") + e.what());
  }
  return out;
}

bool DiscoveryService::provisions(const std::string& kind) const {
  return classes_.of(kind) == domain::Operation::Provision;
}

DiscoveryOutcome DiscoveryService::activate(Id deviceId, Id runId) {
  DiscoveryOutcome out;
  std::optional<domain::Device> device;
  {
    auto uow = inventory_.read();
    device = uow->devices().get(deviceId);
  }
  if (!device) {
    out.refused = "the device was deleted while it was provisioned; nothing to activate";
    return out;
  }
  DevicePatch patch;
  patch.status = domain::DeviceStatus::Active;
  patch.ifStatusIn = {domain::DeviceStatus::Staged};
  try {
    DeviceService(inventory_)
        .update(device->name, patch, ChangeContext{fmt::format("run:{}", runId), "provisioned"});
    out.changes.push_back("status STAGED -> ACTIVE");
  } catch (const domain::PolicyRefusedError& e) {
    out.refused = std::string(e.what()) + "; the device was not moved to ACTIVE";
  } catch (const domain::Error& e) {
    out.refused = std::string("the device was not moved to ACTIVE: ") + e.what();
  }
  return out;
}

}  // namespace netspine::app
