#pragma once

#include <string>
#include <vector>

#include "application/store.hpp"

namespace netspine::app {

/// Reads the change log ("TYPE:ID" or "TYPE:NAME" object filters). Writes happen inside the
/// inventory services, in the same transaction as the change they record.
class ChangeLogService {
 public:
  explicit ChangeLogService(Store& store) : store_(store) {}
  /// `object` is "device:r1", "area:emea/dc1", "device:42" or empty for all.
  std::vector<ChangeEntry> list(const std::string& object, std::int64_t limit = 0,
                                std::int64_t offset = 0);
  /// `object` as above, the rest of the filter as given (actor, time range, keyset).
  std::vector<ChangeEntry> list(const std::string& object, ChangeFilter filter);

 private:
  Store& store_;
};

}  // namespace netspine::app
