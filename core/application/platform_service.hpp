#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "application/change_context.hpp"
#include "application/store.hpp"

namespace netspine::app {

struct PlatformPatch {
  std::optional<std::string> name;
  std::optional<std::string> vendor;
};

/// The only writer of platforms.
class PlatformService {
 public:
  explicit PlatformService(Store& store, Clock clock = utcNow)
      : store_(store), clock_(std::move(clock)) {}

  Platform create(const Platform& platform, const ChangeContext& ctx);
  Platform update(std::string_view id, const PlatformPatch& patch, const ChangeContext& ctx);
  /// Refused (ConflictError with the count) while devices use it.
  void remove(std::string_view id, const ChangeContext& ctx);
  Platform get(std::string_view id);
  std::vector<Platform> list();

  Platform createIn(UnitOfWork& uow, const Platform& platform, const ChangeContext& ctx);

  Platform updateIn(UnitOfWork& uow, std::string_view id, const PlatformPatch& patch,
                    const ChangeContext& ctx);
  void removeIn(UnitOfWork& uow, std::string_view id, const ChangeContext& ctx);

 private:
  Store& store_;
  Clock clock_;
};

}  // namespace netspine::app
