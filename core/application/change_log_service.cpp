#include "application/change_log_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "domain/errors.hpp"

namespace netspine::app {

std::vector<ChangeEntry> ChangeLogService::list(const std::string& object, std::int64_t limit,
                                                std::int64_t offset) {
  ChangeFilter f;
  f.limit = limit;
  f.offset = offset;
  return list(object, std::move(f));
}

std::vector<ChangeEntry> ChangeLogService::list(const std::string& object, ChangeFilter f) {
  static constexpr std::array<std::string_view, 5> kTypes = {"area", "platform", "device", "vlan",
                                                             "token"};
  const auto limit = f.limit;
  const auto offset = f.offset;
  if (!object.empty()) {
    auto colon = object.find(':');
    f.objectType = object.substr(0, colon);
    if (colon != std::string::npos) f.object = object.substr(colon + 1);
    if (std::find(kTypes.begin(), kTypes.end(), f.objectType) == kTypes.end()) {
      throw domain::ValidationError(
          fmt::format("object: unknown object type '{}' in '{}' (expected TYPE:ID with TYPE one "
                      "of {})",
                      f.objectType, object, fmt::join(kTypes, ", ")),
          "object");
    }
  }
  if (limit < 0 || offset < 0) {
    throw domain::ValidationError("limit and offset must not be negative", "limit");
  }
  auto uow = store_.read();
  return uow->changes().list(f);
}

}  // namespace netspine::app
