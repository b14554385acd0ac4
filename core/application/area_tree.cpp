#include "application/area_tree.hpp"

#include <fmt/format.h>

#include "domain/errors.hpp"

namespace netspine::app {

AreaTree::AreaTree(std::vector<Area> areas) : areas_(std::move(areas)) {
  for (std::size_t i = 0; i < areas_.size(); ++i) {
    byId_[areas_[i].id] = i;
    byName_[areas_[i].name].push_back(i);
  }
  paths_.reserve(areas_.size());
  for (std::size_t i = 0; i < areas_.size(); ++i) {
    paths_.push_back(walkPath(areas_[i].id));
    byPath_[paths_.back()] = i;
  }
}

const std::string& AreaTree::path(Id id) const {
  auto it = byId_.find(id);
  if (it == byId_.end()) throw domain::NotFoundError(fmt::format("area id {} not found", id));
  return paths_[it->second];
}

std::string AreaTree::parentPath(const Area& area) const {
  return area.parentId ? path(*area.parentId) : std::string();
}

std::string AreaTree::childPath(std::optional<Id> parent, std::string_view name) const {
  return parent ? fmt::format("{}/{}", path(*parent), name) : std::string(name);
}

std::string AreaTree::walkPath(Id id) const {
  std::vector<const Area*> chain;
  for (auto cur = std::optional<Id>(id); cur && chain.size() <= areas_.size();) {
    auto it = byId_.find(*cur);
    if (it == byId_.end()) throw domain::NotFoundError(fmt::format("area id {} not found", *cur));
    chain.push_back(&areas_[it->second]);
    cur = areas_[it->second].parentId;
  }
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (!out.empty()) out += '/';
    out += (*it)->name;
  }
  return out;
}

const Area* AreaTree::find(std::string_view pathOrName) const {
  if (auto it = byPath_.find(std::string(pathOrName)); it != byPath_.end()) {
    return &areas_[it->second];
  }
  if (auto it = byName_.find(std::string(pathOrName));
      it != byName_.end() && it->second.size() == 1) {
    return &areas_[it->second.front()];
  }
  return nullptr;
}

const Area& AreaTree::get(Id id) const {
  auto it = byId_.find(id);
  if (it == byId_.end()) throw domain::NotFoundError(fmt::format("area id {} not found", id));
  return areas_[it->second];
}

std::vector<Id> AreaTree::subtree(Id id) const {
  const std::string& root = path(id);
  std::vector<Id> out;
  for (std::size_t i = 0; i < areas_.size(); ++i) {
    const std::string& p = paths_[i];
    if (p.size() >= root.size() && p.compare(0, root.size(), root) == 0 &&
        (p.size() == root.size() || p[root.size()] == '/')) {
      out.push_back(areas_[i].id);
    }
  }
  return out;
}

const Area& AreaTree::resolve(std::string_view pathOrName, const std::string& field) const {
  if (const Area* area = find(pathOrName)) return *area;
  if (auto it = byName_.find(std::string(pathOrName)); it != byName_.end()) {
    std::vector<std::string> paths;
    for (auto i : it->second) paths.push_back(path(areas_[i].id));
    throw domain::ValidationError(fmt::format("{}: area name '{}' is ambiguous; use its path: {}",
                                              field, pathOrName, fmt::join(paths, ", ")),
                                  field);
  }
  throw domain::NotFoundError(fmt::format("{}: area '{}' not found", field, pathOrName), field);
}

}  // namespace netspine::app
