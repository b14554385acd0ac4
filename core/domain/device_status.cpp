#include "domain/device_status.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "domain/errors.hpp"

namespace netspine::domain {
namespace {

constexpr std::array<std::string_view, 6> kNames = {"INVENTORY", "PLANNED", "STAGED",
                                                    "ACTIVE",    "FAILED",  "DECOMMISSIONING"};

using S = DeviceStatus;
// The lifecycle graph, documented in docs/lifecycle.md. A device normally goes
// PLANNED -> STAGED -> ACTIVE -> DECOMMISSIONING -> INVENTORY (spare) and may FAIL while
// staged or active; a failed device is repaired (STAGED/ACTIVE), returned to stock or retired.
constexpr S kFromInventory[] = {S::Planned, S::Staged, S::Decommissioning};
constexpr S kFromPlanned[] = {S::Inventory, S::Staged, S::Decommissioning};
constexpr S kFromStaged[] = {S::Planned, S::Active, S::Failed, S::Decommissioning};
constexpr S kFromActive[] = {S::Staged, S::Failed, S::Decommissioning};
constexpr S kFromFailed[] = {S::Inventory, S::Staged, S::Active, S::Decommissioning};
constexpr S kFromDecommissioning[] = {S::Inventory, S::Active};

}  // namespace

std::string_view toString(DeviceStatus status) {
  return kNames[static_cast<std::size_t>(status)];
}

std::optional<DeviceStatus> parseDeviceStatus(std::string_view text) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (text.size() == kNames[i].size() &&
        std::equal(text.begin(), text.end(), kNames[i].begin(), [](char a, char b) {
          return std::toupper(static_cast<unsigned char>(a)) == b;
        })) {
      return static_cast<DeviceStatus>(i);
    }
  }
  return std::nullopt;
}

DeviceStatus requireDeviceStatus(std::string_view text, const std::string& field) {
  if (auto status = parseDeviceStatus(text)) return *status;
  throw ValidationError(fmt::format("{}: unknown status '{}' (expected one of {})", field, text,
                                    fmt::join(kNames, ", ")),
                        field);
}

std::span<const DeviceStatus> allowedTransitions(DeviceStatus from) {
  switch (from) {
    case S::Inventory:
      return kFromInventory;
    case S::Planned:
      return kFromPlanned;
    case S::Staged:
      return kFromStaged;
    case S::Active:
      return kFromActive;
    case S::Failed:
      return kFromFailed;
    case S::Decommissioning:
      return kFromDecommissioning;
  }
  return {};
}

bool canTransition(DeviceStatus from, DeviceStatus to) {
  if (from == to) return true;
  auto allowed = allowedTransitions(from);
  return std::find(allowed.begin(), allowed.end(), to) != allowed.end();
}

void checkTransition(std::string_view device, DeviceStatus from, DeviceStatus to) {
  if (canTransition(from, to)) return;
  std::vector<std::string_view> names;
  for (auto s : allowedTransitions(from)) names.push_back(toString(s));
  throw ValidationError(
      fmt::format("device '{}': status {} cannot change to {} (allowed from {}: {})", device,
                  toString(from), toString(to), toString(from), fmt::join(names, ", ")),
      "status");
}

}  // namespace netspine::domain
