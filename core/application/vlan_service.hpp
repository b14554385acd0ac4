#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "application/change_context.hpp"
#include "application/store.hpp"

namespace netspine::app {

struct VlanInput {
  std::string area;  // path or unique name
  int vid = 0;
  std::string name;
  std::string description;
};

struct VlanPatch {
  std::optional<int> vid;
  std::optional<std::string> name;
  std::optional<std::string> description;
};

/// The only writer of VLANs; a VLAN is addressed by its area and VID.
class VlanService {
 public:
  explicit VlanService(Store& store, Clock clock = utcNow)
      : store_(store), clock_(std::move(clock)) {}

  Vlan create(const VlanInput& input, const ChangeContext& ctx);
  Vlan update(std::string_view area, int vid, const VlanPatch& patch, const ChangeContext& ctx);
  void remove(std::string_view area, int vid, const ChangeContext& ctx);
  Vlan get(std::string_view area, int vid);
  /// All VLANs, or those of one area when `area` is not empty.
  std::vector<Vlan> list(std::string_view area = {});

  Vlan createIn(UnitOfWork& uow, const VlanInput& input, const ChangeContext& ctx);

  Vlan updateIn(UnitOfWork& uow, std::string_view area, int vid, const VlanPatch& patch,
                const ChangeContext& ctx);
  void removeIn(UnitOfWork& uow, std::string_view area, int vid, const ChangeContext& ctx);

 private:
  Store& store_;
  Clock clock_;
};

}  // namespace netspine::app
