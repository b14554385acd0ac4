#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/device_status.hpp"

namespace netspine::domain {

/// A class of automation that touches a device.
enum class Operation { Read, Discover, Provision, Push, Teardown };

inline constexpr Operation kAllOperations[] = {Operation::Read, Operation::Discover,
                                               Operation::Provision, Operation::Push,
                                               Operation::Teardown};

/// Whether the operation changes a device's configuration (provision, push, teardown): such runs
/// get a low default concurrency, the gate right before their first command, no automatic retry.
constexpr bool changesDevices(Operation op) {
  return op == Operation::Provision || op == Operation::Push || op == Operation::Teardown;
}

/// Lower-case name: "push".
std::string_view toString(Operation op);
std::optional<Operation> parseOperation(std::string_view text);

/// Which operations each status allows. A value type: the default table, optionally
/// overridden per status from the config file.
class AutomationPolicy {
 public:
  /// INVENTORY, PLANNED: read. STAGED: read, discover, provision. ACTIVE: read, discover, push.
  /// FAILED: nothing. DECOMMISSIONING: teardown.
  static AutomationPolicy defaults();

  bool allows(DeviceStatus status, Operation op) const;
  std::vector<Operation> allowed(DeviceStatus status) const;
  /// The statuses that allow `op`, in lifecycle order.
  std::vector<DeviceStatus> statusesAllowing(Operation op) const;
  /// Replaces the operations allowed for one status.
  void set(DeviceStatus status, const std::vector<Operation>& ops);
  /// "status FAILED allows no push" / empty when allowed.
  std::string refusal(DeviceStatus status, Operation op) const;

 private:
  std::array<unsigned, 6> masks_{};
};

}  // namespace netspine::domain
