#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "application/change_context.hpp"
#include "application/store.hpp"

namespace netspine::app {

struct AreaInput {
  std::string name;
  std::string parent;  // path or unique name of the parent; empty: a root area
  std::string description;
};

struct AreaPatch {
  std::optional<std::string> name;
  std::optional<std::string> parent;  // "" moves the area to the root
  std::optional<std::string> description;
};

/// The only writer of areas. Areas are addressed by path ("emea/dc1") or a unique name.
class AreaService {
 public:
  explicit AreaService(Store& store, Clock clock = utcNow)
      : store_(store), clock_(std::move(clock)) {}

  Area create(const AreaInput& input, const ChangeContext& ctx);
  Area update(std::string_view area, const AreaPatch& patch, const ChangeContext& ctx);
  /// Refused (ConflictError with the counts) while devices, VLANs or child areas depend on it.
  void remove(std::string_view area, const ChangeContext& ctx);
  Area get(std::string_view area);
  std::vector<Area> list();

  /// The steps of create(), inside a caller's transaction (used by the importer).
  Area createIn(UnitOfWork& uow, const AreaInput& input, const ChangeContext& ctx);

  Area updateIn(UnitOfWork& uow, std::string_view area, const AreaPatch& patch,
                const ChangeContext& ctx);
  void removeIn(UnitOfWork& uow, std::string_view area, const ChangeContext& ctx);

 private:
  Store& store_;
  Clock clock_;
};

}  // namespace netspine::app
