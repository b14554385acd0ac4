#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "application/store.hpp"

namespace netspine::app {

/// All areas in memory, addressed by path ("emea/dc1"): paths for output, and name or path
/// resolution for input. A plain name resolves when it is unique in the whole tree.
class AreaTree {
 public:
  explicit AreaTree(std::vector<Area> areas);
  static AreaTree load(UnitOfWork& uow) { return AreaTree(uow.areas().list()); }

  /// "emea/dc1", computed once per area; throws NotFoundError for an unknown id.
  const std::string& path(Id id) const;
  /// The path of the area's parent; empty for a top-level area.
  std::string parentPath(const Area& area) const;
  /// The path an area named `name` has (or would have) below `parent`.
  std::string childPath(std::optional<Id> parent, std::string_view name) const;
  /// By path, or by a name unique in the tree. NotFoundError (or ValidationError when a name
  /// is ambiguous, listing the candidate paths) on `field`.
  const Area& resolve(std::string_view pathOrName, const std::string& field = "area") const;
  const Area* find(std::string_view pathOrName) const;  // nullptr when unknown or ambiguous
  /// The area with this id; throws NotFoundError.
  const Area& get(Id id) const;
  /// The area and every area below it.
  std::vector<Id> subtree(Id id) const;
  const std::vector<Area>& areas() const { return areas_; }

 private:
  std::string walkPath(Id id) const;

  std::vector<Area> areas_;
  std::vector<std::string> paths_;  // paths_[i] is the path of areas_[i]
  std::unordered_map<Id, std::size_t> byId_;
  std::unordered_map<std::string, std::size_t> byPath_;
  std::unordered_map<std::string, std::vector<std::size_t>> byName_;
};

}  // namespace netspine::app
