#include "application/area_service.hpp"

#include <fmt/format.h>

#include "application/area_tree.hpp"
#include "application/service_support.hpp"
#include "domain/errors.hpp"
#include "domain/validation.hpp"

namespace netspine::app {
namespace {

std::optional<Id> parentIdOf(const AreaTree& tree, const std::string& parent) {
  if (parent.empty()) return std::nullopt;
  return detail::referencedArea(tree, parent, "parent").id;
}

void requireUniqueAmongSiblings(UnitOfWork& uow, const AreaTree& tree, const Area& area) {
  auto existing = uow.areas().findChild(area.parentId, area.name);
  if (existing && existing->id != area.id) {
    throw domain::ConflictError(
        area.parentId ? fmt::format("name: area '{}' already exists in '{}'", area.name,
                                    tree.path(*area.parentId))
                      : fmt::format("name: area '{}' already exists at the top level", area.name),
        "name");
  }
}

}  // namespace

Area AreaService::createIn(UnitOfWork& uow, const AreaInput& input, const ChangeContext& ctx) {
  Area area{0, input.name, std::nullopt, input.description};
  domain::validate(area);
  auto tree = AreaTree::load(uow);
  area.parentId = parentIdOf(tree, input.parent);
  requireUniqueAmongSiblings(uow, tree, area);
  area.id = uow.areas().insert(area);
  uow.changes().append(detail::makeChange(clock_, ctx, "create", "area", std::to_string(area.id),
                                          tree.childPath(area.parentId, area.name), "",
                                          detail::areaJson(area, tree)));
  return area;
}

Area AreaService::create(const AreaInput& input, const ChangeContext& ctx) {
  auto uow = store_.begin();
  auto area = createIn(*uow, input, ctx);
  uow->commit();
  return area;
}

Area AreaService::updateIn(UnitOfWork& uow, std::string_view ref, const AreaPatch& patch,
                           const ChangeContext& ctx) {
  auto tree = AreaTree::load(uow);
  const Area before = tree.resolve(ref);
  Area after = before;
  if (patch.name) after.name = *patch.name;
  if (patch.description) after.description = *patch.description;
  domain::validate(after);
  if (patch.parent) {
    after.parentId = parentIdOf(tree, *patch.parent);
    domain::checkNoCycle(after, after.parentId, [&](Id id) { return tree.get(id).parentId; });
  }
  if (after == before) return before;
  requireUniqueAmongSiblings(uow, tree, after);
  uow.areas().update(after);
  auto newTree = AreaTree::load(uow);
  uow.changes().append(detail::makeChange(clock_, ctx, "update", "area", std::to_string(after.id),
                                          newTree.path(after.id), detail::areaJson(before, tree),
                                          detail::areaJson(after, newTree)));
  return after;
}

Area AreaService::update(std::string_view ref, const AreaPatch& patch, const ChangeContext& ctx) {
  auto uow = store_.begin();
  auto result = updateIn(*uow, ref, patch, ctx);
  uow->commit();
  return result;
}

void AreaService::removeIn(UnitOfWork& uow, std::string_view ref, const ChangeContext& ctx) {
  auto tree = AreaTree::load(uow);
  const Area area = tree.resolve(ref);
  auto deps = uow.areas().dependents(area.id);
  if (deps.any()) {
    throw domain::ConflictError(fmt::format(
        "area '{}' still holds {} device(s), {} vlan(s) and {} child area(s): move or delete them "
        "first",
        tree.path(area.id), deps.devices, deps.vlans, deps.children));
  }
  uow.areas().remove(area.id);
  uow.changes().append(detail::makeChange(clock_, ctx, "delete", "area", std::to_string(area.id),
                                          tree.path(area.id), detail::areaJson(area, tree), ""));
}

void AreaService::remove(std::string_view ref, const ChangeContext& ctx) {
  auto uow = store_.begin();
  removeIn(*uow, ref, ctx);
  uow->commit();
}

Area AreaService::get(std::string_view ref) {
  auto uow = store_.read();
  return AreaTree::load(*uow).resolve(ref);
}

std::vector<Area> AreaService::list() {
  auto uow = store_.read();
  return uow->areas().list();
}

}  // namespace netspine::app
