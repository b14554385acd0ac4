#include "domain/automation_policy.hpp"

#include <fmt/format.h>

namespace netspine::domain {
namespace {

constexpr std::array<std::string_view, 5> kOperationNames = {"read", "discover", "provision",
                                                             "push", "teardown"};

constexpr unsigned bit(Operation op) {
  return 1u << static_cast<unsigned>(op);
}
constexpr std::size_t index(DeviceStatus s) {
  return static_cast<std::size_t>(s);
}

}  // namespace

std::string_view toString(Operation op) {
  return kOperationNames[static_cast<std::size_t>(op)];
}

std::optional<Operation> parseOperation(std::string_view text) {
  for (std::size_t i = 0; i < kOperationNames.size(); ++i) {
    if (kOperationNames[i] == text) return static_cast<Operation>(i);
  }
  return std::nullopt;
}

AutomationPolicy AutomationPolicy::defaults() {
  using O = Operation;
  AutomationPolicy p;
  p.set(DeviceStatus::Inventory, {O::Read});
  p.set(DeviceStatus::Planned, {O::Read});
  p.set(DeviceStatus::Staged, {O::Read, O::Discover, O::Provision});
  p.set(DeviceStatus::Active, {O::Read, O::Discover, O::Push});
  p.set(DeviceStatus::Failed, {});
  p.set(DeviceStatus::Decommissioning, {O::Teardown});
  return p;
}

bool AutomationPolicy::allows(DeviceStatus status, Operation op) const {
  return (masks_[index(status)] & bit(op)) != 0;
}

std::vector<Operation> AutomationPolicy::allowed(DeviceStatus status) const {
  std::vector<Operation> ops;
  for (auto op : kAllOperations) {
    if (allows(status, op)) ops.push_back(op);
  }
  return ops;
}

void AutomationPolicy::set(DeviceStatus status, const std::vector<Operation>& ops) {
  unsigned mask = 0;
  for (auto op : ops) mask |= bit(op);
  masks_[index(status)] = mask;
}

std::string AutomationPolicy::refusal(DeviceStatus status, Operation op) const {
  if (allows(status, op)) return {};
  return fmt::format("status {} allows no {}", toString(status), toString(op));
}

std::vector<DeviceStatus> AutomationPolicy::statusesAllowing(Operation op) const {
  std::vector<DeviceStatus> out;
  for (auto status : kAllStatuses) {
    if (allows(status, op)) out.push_back(status);
  }
  return out;
}

}  // namespace netspine::domain
