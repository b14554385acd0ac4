#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/device_status.hpp"

namespace netspine::domain {

/// Which devices a job targets, by their inventory fields: `status=active,staged area=emea/ams1
/// platform=cisco_ios role=core tag=edge name=fra1-`. Values of one key are alternatives (OR);
/// different keys must all match (AND). An area matches devices in it and in its sub-areas;
/// `name` matches a part of the device name.
struct DeviceSelector {
  std::vector<DeviceStatus> statuses;
  std::vector<std::string> areas;  // area paths ("emea/ams1")
  std::vector<std::string> platforms;
  std::vector<std::string> roles;
  std::vector<std::string> tags;
  std::string nameContains;

  /// Throws ValidationError (field "select") naming the term that is wrong.
  static DeviceSelector parse(std::string_view text);
  /// The canonical text form; parse(toString()) gives the same selector.
  std::string toString() const;
  bool operator==(const DeviceSelector&) const = default;
};

}  // namespace netspine::domain
