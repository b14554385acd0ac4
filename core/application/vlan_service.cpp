#include "application/vlan_service.hpp"

#include <fmt/format.h>

#include "application/area_tree.hpp"
#include "application/service_support.hpp"
#include "domain/errors.hpp"
#include "domain/validation.hpp"

namespace netspine::app {
namespace {

std::string vlanKey(const AreaTree& tree, const Vlan& v) {
  return fmt::format("{}:{}", tree.path(v.areaId), v.vid);
}

void requireUnique(UnitOfWork& uow, const AreaTree& tree, const Vlan& v) {
  if (auto other = uow.vlans().findByVid(v.areaId, v.vid); other && other->id != v.id) {
    throw domain::ConflictError(fmt::format("vid: vlan {} already exists in area '{}' (named '{}')",
                                            v.vid, tree.path(v.areaId), other->name),
                                "vid");
  }
  if (auto other = uow.vlans().findByName(v.areaId, v.name); other && other->id != v.id) {
    throw domain::ConflictError(fmt::format("name: vlan name '{}' is already used by vlan {} in "
                                            "area '{}'",
                                            v.name, other->vid, tree.path(v.areaId)),
                                "name");
  }
}

Vlan requireVlan(UnitOfWork& uow, const AreaTree& tree, std::string_view area, int vid) {
  const Area& a = tree.resolve(area);
  auto v = uow.vlans().findByVid(a.id, vid);
  if (!v)
    throw domain::NotFoundError(
        fmt::format("vlan {} not found in area '{}'", vid, tree.path(a.id)));
  return *v;
}

}  // namespace

Vlan VlanService::createIn(UnitOfWork& uow, const VlanInput& input, const ChangeContext& ctx) {
  Vlan v{0, 0, input.vid, input.name, input.description};
  domain::validate(v);
  auto tree = AreaTree::load(uow);
  v.areaId = detail::referencedArea(tree, input.area, "area").id;
  requireUnique(uow, tree, v);
  v.id = uow.vlans().insert(v);
  uow.changes().append(detail::makeChange(clock_, ctx, "create", "vlan", std::to_string(v.id),
                                          vlanKey(tree, v), "",
                                          detail::vlanJson(v, tree.path(v.areaId))));
  return v;
}

Vlan VlanService::create(const VlanInput& input, const ChangeContext& ctx) {
  auto uow = store_.begin();
  auto v = createIn(*uow, input, ctx);
  uow->commit();
  return v;
}

Vlan VlanService::updateIn(UnitOfWork& uow, std::string_view area, int vid, const VlanPatch& patch,
                           const ChangeContext& ctx) {
  auto tree = AreaTree::load(uow);
  const Vlan before = requireVlan(uow, tree, area, vid);
  Vlan after = before;
  if (patch.vid) after.vid = *patch.vid;
  if (patch.name) after.name = *patch.name;
  if (patch.description) after.description = *patch.description;
  domain::validate(after);
  if (after == before) return before;
  requireUnique(uow, tree, after);
  uow.vlans().update(after);
  auto path = tree.path(after.areaId);
  uow.changes().append(detail::makeChange(clock_, ctx, "update", "vlan", std::to_string(after.id),
                                          vlanKey(tree, after), detail::vlanJson(before, path),
                                          detail::vlanJson(after, path)));
  return after;
}

Vlan VlanService::update(std::string_view area, int vid, const VlanPatch& patch,
                         const ChangeContext& ctx) {
  auto uow = store_.begin();
  auto result = updateIn(*uow, area, vid, patch, ctx);
  uow->commit();
  return result;
}

void VlanService::removeIn(UnitOfWork& uow, std::string_view area, int vid,
                           const ChangeContext& ctx) {
  auto tree = AreaTree::load(uow);
  const Vlan v = requireVlan(uow, tree, area, vid);
  uow.vlans().remove(v.id);
  uow.changes().append(detail::makeChange(clock_, ctx, "delete", "vlan", std::to_string(v.id),
                                          vlanKey(tree, v),
                                          detail::vlanJson(v, tree.path(v.areaId)), ""));
}

void VlanService::remove(std::string_view area, int vid, const ChangeContext& ctx) {
  auto uow = store_.begin();
  removeIn(*uow, area, vid, ctx);
  uow->commit();
}

Vlan VlanService::get(std::string_view area, int vid) {
  auto uow = store_.read();
  auto tree = AreaTree::load(*uow);
  return requireVlan(*uow, tree, area, vid);
}

std::vector<Vlan> VlanService::list(std::string_view area) {
  auto uow = store_.read();
  if (area.empty()) return uow->vlans().list(std::nullopt);
  auto tree = AreaTree::load(*uow);
  return uow->vlans().list(tree.resolve(area).id);
}

}  // namespace netspine::app
