#include "support/memory_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <set>
#include <stdexcept>
#include <tuple>

#include "domain/errors.hpp"

namespace netspine::test {
namespace {

using app::Area;
using app::ChangeEntry;
using app::Device;
using app::Id;
using app::Platform;
using app::Vlan;
using domain::ConflictError;
using domain::NotFoundError;
using State = MemoryStore::State;

// The messages follow SqlStore's, so that a test sees the same error from either store.
[[noreturn]] void duplicate(const std::string& what) {
  throw ConflictError(fmt::format("{}: another record already has the same unique key", what));
}
[[noreturn]] void dangling(const std::string& what) {
  throw ConflictError(
      fmt::format("{}: refers to a record that does not exist, or is still referred to", what));
}
[[noreturn]] void missing(const std::string& what) {
  throw NotFoundError(fmt::format("{} not found", what));
}

template <class Map, class Pred>
std::vector<typename Map::mapped_type> select(const Map& map, Pred pred) {
  std::vector<typename Map::mapped_type> out;
  for (const auto& [key, value] : map) {
    if (pred(value)) out.push_back(value);
  }
  return out;
}

template <class T>
std::optional<T> first(std::vector<T> rows) {
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

template <class T>
std::vector<T> page(std::vector<T> rows, std::int64_t limit, std::int64_t offset) {
  auto from = static_cast<std::size_t>(std::max<std::int64_t>(offset, 0));
  if (from >= rows.size()) return {};
  rows.erase(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(from));
  if (limit > 0 && static_cast<std::size_t>(limit) < rows.size()) rows.resize(limit);
  return rows;
}

std::string lowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

template <class T>
bool anyOf(const std::vector<T>& values, const T& value) {
  return values.empty() || std::find(values.begin(), values.end(), value) != values.end();
}

class MemoryAreas : public app::AreaRepository {
 public:
  explicit MemoryAreas(State& s) : s_(s) {}

  std::optional<Area> get(Id id) override {
    auto it = s_.areas.find(id);
    return it == s_.areas.end() ? std::nullopt : std::optional<Area>(it->second);
  }
  std::vector<Area> findByName(std::string_view name) override {
    return select(s_.areas, [&](const Area& a) { return a.name == name; });
  }
  std::optional<Area> findChild(std::optional<Id> parent, std::string_view name) override {
    return first(select(s_.areas, [&](const Area& a) {
      return a.parentId.value_or(0) == parent.value_or(0) && a.name == name;
    }));
  }
  std::vector<Area> list() override {
    return select(s_.areas, [](const Area&) { return true; });
  }
  Id insert(const Area& area) override {
    Area stored = area;
    stored.id = s_.nextAreaId;
    check(stored);
    ++s_.nextAreaId;
    s_.areas[stored.id] = stored;
    return stored.id;
  }
  void update(const Area& area) override {
    if (!s_.areas.count(area.id)) missing(what(area));
    check(area);
    s_.areas[area.id] = area;
  }
  void remove(Id id) override {
    if (!s_.areas.count(id)) missing(fmt::format("area {}", id));
    if (dependents(id).any()) dangling(fmt::format("area {}", id));
    s_.areas.erase(id);
  }
  app::AreaDependents dependents(Id id) override {
    app::AreaDependents d;
    for (const auto& [_, dev] : s_.devices) d.devices += dev.areaId == id;
    for (const auto& [_, v] : s_.vlans) d.vlans += v.areaId == id;
    for (const auto& [_, a] : s_.areas) d.children += a.parentId == id;
    return d;
  }

 private:
  static std::string what(const Area& a) { return fmt::format("area '{}'", a.name); }
  void check(const Area& area) {
    // A parent may be the area itself, as the database's foreign key allows.
    if (area.parentId && *area.parentId != area.id && !s_.areas.count(*area.parentId))
      dangling(what(area));
    for (const auto& [id, a] : s_.areas) {
      if (id != area.id && a.parentId.value_or(0) == area.parentId.value_or(0) &&
          a.name == area.name)
        duplicate(what(area));
    }
  }
  State& s_;
};

class MemoryPlatforms : public app::PlatformRepository {
 public:
  explicit MemoryPlatforms(State& s) : s_(s) {}

  std::optional<Platform> get(std::string_view id) override {
    auto it = s_.platforms.find(std::string(id));
    return it == s_.platforms.end() ? std::nullopt : std::optional<Platform>(it->second);
  }
  std::vector<Platform> list() override {
    return select(s_.platforms, [](const Platform&) { return true; });
  }
  void insert(const Platform& platform) override {
    if (s_.platforms.count(platform.id)) duplicate(what(platform.id));
    s_.platforms[platform.id] = platform;
  }
  void update(const Platform& platform) override {
    if (!s_.platforms.count(platform.id)) missing(what(platform.id));
    s_.platforms[platform.id] = platform;
  }
  void remove(std::string_view id) override {
    if (!s_.platforms.count(std::string(id))) missing(what(id));
    if (deviceCount(id) > 0) dangling(what(id));
    s_.platforms.erase(std::string(id));
  }
  std::int64_t deviceCount(std::string_view id) override {
    return static_cast<std::int64_t>(
        select(s_.devices, [&](const Device& d) { return d.platform == id; }).size());
  }

 private:
  static std::string what(std::string_view id) { return fmt::format("platform '{}'", id); }
  State& s_;
};

class MemoryDevices : public app::DeviceRepository {
 public:
  explicit MemoryDevices(State& s) : s_(s) {}

  std::optional<Device> get(Id id) override {
    auto it = s_.devices.find(id);
    return it == s_.devices.end() ? std::nullopt : std::optional<Device>(it->second);
  }
  std::optional<Device> findByName(std::string_view name) override {
    return first(select(s_.devices, [&](const Device& d) { return d.name == name; }));
  }
  std::vector<Device> list(const app::DeviceFilter& filter) override {
    auto rows = matching(filter);
    return page(std::move(rows), filter.limit, filter.offset);
  }
  std::int64_t count(const app::DeviceFilter& filter) override {
    return static_cast<std::int64_t>(matching(filter).size());
  }
  std::vector<std::string> names() override {
    std::vector<std::string> out;
    for (const auto& d : byName()) out.push_back(d.name);
    return out;
  }
  Id insert(const Device& device) override {
    Device stored = device;
    stored.id = s_.nextDeviceId;
    check(stored);
    ++s_.nextDeviceId;
    std::sort(stored.tags.begin(), stored.tags.end());
    s_.devices[stored.id] = stored;
    return stored.id;
  }
  void insertMany(std::vector<Device>& devices) override {
    for (auto& d : devices) d.id = insert(d);
  }
  void update(const Device& device) override {
    if (!s_.devices.count(device.id)) missing(what(device));
    check(device);
    Device stored = device;
    std::sort(stored.tags.begin(), stored.tags.end());
    s_.devices[device.id] = stored;
  }
  void remove(Id id) override {
    if (!s_.devices.erase(id)) missing(fmt::format("device {}", id));
  }

 private:
  static std::string what(const Device& d) { return fmt::format("device '{}'", d.name); }

  void check(const Device& device) {
    for (const auto& [id, d] : s_.devices) {
      if (id != device.id && d.name == device.name) duplicate(what(device));
    }
    if (std::set<std::string>(device.tags.begin(), device.tags.end()).size() != device.tags.size())
      duplicate(what(device));
    if (!s_.platforms.count(device.platform)) dangling(what(device));
    if (device.areaId != 0 && !s_.areas.count(device.areaId)) dangling(what(device));
  }

  std::vector<Device> byName() {
    auto rows = select(s_.devices, [](const Device&) { return true; });
    std::sort(rows.begin(), rows.end(),
              [](const Device& a, const Device& b) { return a.name < b.name; });
    return rows;
  }

  std::vector<Device> matching(const app::DeviceFilter& f) {
    const std::string needle = lowerAscii(f.nameContains);
    std::vector<Device> out;
    for (auto& d : byName()) {
      bool tagged = f.tags.empty() || std::any_of(d.tags.begin(), d.tags.end(), [&](auto& t) {
                      return std::find(f.tags.begin(), f.tags.end(), t) != f.tags.end();
                    });
      if (anyOf(f.ids, d.id) && anyOf(f.statuses, d.status) && anyOf(f.areaIds, d.areaId) &&
          anyOf(f.platforms, d.platform) && anyOf(f.roles, d.role) && tagged &&
          lowerAscii(d.name).find(needle) != std::string::npos &&
          (f.afterName.empty() || (f.descending ? d.name < f.afterName : d.name > f.afterName)))
        out.push_back(std::move(d));
    }
    auto key = [&](const Device& d) -> std::string {
      if (f.orderBy == "address") return d.address;
      if (f.orderBy == "status") return std::string(domain::toString(d.status));
      if (f.orderBy == "platform") return d.platform;
      if (f.orderBy == "role") return d.role;
      if (f.orderBy == "serial") return d.serial;
      if (f.orderBy == "os_version") return d.osVersion;
      if (f.orderBy == "created_at") return d.createdAt;
      if (f.orderBy == "updated_at") return d.updatedAt;
      return d.name;
    };
    std::stable_sort(out.begin(), out.end(), [&](const Device& a, const Device& b) {
      return f.descending ? std::make_pair(key(b), b.name) < std::make_pair(key(a), a.name)
                          : std::make_pair(key(a), a.name) < std::make_pair(key(b), b.name);
    });
    return out;
  }

  State& s_;
};

class MemoryVlans : public app::VlanRepository {
 public:
  explicit MemoryVlans(State& s) : s_(s) {}

  std::optional<Vlan> get(Id id) override {
    auto it = s_.vlans.find(id);
    return it == s_.vlans.end() ? std::nullopt : std::optional<Vlan>(it->second);
  }
  std::optional<Vlan> findByVid(Id areaId, int vid) override {
    return first(
        select(s_.vlans, [&](const Vlan& v) { return v.areaId == areaId && v.vid == vid; }));
  }
  std::optional<Vlan> findByName(Id areaId, std::string_view name) override {
    return first(
        select(s_.vlans, [&](const Vlan& v) { return v.areaId == areaId && v.name == name; }));
  }
  std::vector<Vlan> list(std::optional<Id> areaId) override {
    auto rows = select(s_.vlans, [&](const Vlan& v) { return !areaId || v.areaId == *areaId; });
    std::sort(rows.begin(), rows.end(), [](const Vlan& a, const Vlan& b) {
      return std::tie(a.areaId, a.vid) < std::tie(b.areaId, b.vid);
    });
    return rows;
  }
  Id insert(const Vlan& vlan) override {
    Vlan stored = vlan;
    stored.id = s_.nextVlanId;
    check(stored);
    ++s_.nextVlanId;
    s_.vlans[stored.id] = stored;
    return stored.id;
  }
  void update(const Vlan& vlan) override {
    if (!s_.vlans.count(vlan.id)) missing(what(vlan));
    check(vlan);
    s_.vlans[vlan.id] = vlan;
  }
  void remove(Id id) override {
    if (!s_.vlans.erase(id)) missing(fmt::format("vlan {}", id));
  }

 private:
  static std::string what(const Vlan& v) {
    return fmt::format("vlan {} '{}' of area {}", v.vid, v.name, v.areaId);
  }
  void check(const Vlan& vlan) {
    for (const auto& [id, v] : s_.vlans) {
      if (id != vlan.id && v.areaId == vlan.areaId && (v.vid == vlan.vid || v.name == vlan.name))
        duplicate(what(vlan));
    }
    if (!s_.areas.count(vlan.areaId)) dangling(what(vlan));
  }
  State& s_;
};

class MemoryChanges : public app::ChangeLogRepository {
 public:
  explicit MemoryChanges(State& s) : s_(s) {}

  void append(const ChangeEntry& entry) override {
    ChangeEntry stored = entry;
    stored.id = s_.nextChangeId++;
    s_.changes.push_back(std::move(stored));
  }
  void appendMany(const std::vector<ChangeEntry>& entries) override {
    for (const auto& e : entries) append(e);
  }
  std::vector<ChangeEntry> list(const app::ChangeFilter& f) override {
    std::vector<ChangeEntry> rows;
    for (const auto& e : s_.changes) {
      if ((f.objectType.empty() || e.objectType == f.objectType) &&
          (f.object.empty() || e.objectId == f.object || e.objectName == f.object) &&
          (f.actor.empty() || e.actor == f.actor) && (f.since.empty() || e.time >= f.since) &&
          (f.until.empty() || e.time < f.until) &&
          (f.beforeId == 0 || std::tie(e.time, e.id) < std::tie(f.beforeTime, f.beforeId)))
        rows.push_back(e);
    }
    std::sort(rows.begin(), rows.end(), [](const ChangeEntry& a, const ChangeEntry& b) {
      return std::tie(a.time, a.id) > std::tie(b.time, b.id);
    });
    return page(std::move(rows), f.limit, f.offset);
  }

 private:
  State& s_;
};

}  // namespace

/// Works on a copy of the store's state; commit() publishes it.
class MemoryUnitOfWork : public app::UnitOfWork {
 public:
  MemoryUnitOfWork(MemoryStore& store, State state)
      : store_(store),
        state_(std::move(state)),
        areas_(state_),
        platforms_(state_),
        devices_(state_),
        vlans_(state_),
        changes_(state_) {}
  ~MemoryUnitOfWork() override {
    std::lock_guard lock(store_.mutex_);
    store_.open_.erase(std::this_thread::get_id());
  }

  app::AreaRepository& areas() override { return areas_; }
  app::PlatformRepository& platforms() override { return platforms_; }
  app::DeviceRepository& devices() override { return devices_; }
  app::VlanRepository& vlans() override { return vlans_; }
  app::ChangeLogRepository& changes() override { return changes_; }

  void commit() override {
    if (committed_) throw std::logic_error("unit of work already ended");
    std::lock_guard lock(store_.mutex_);
    store_.state_ = state_;
    committed_ = true;
  }

 private:
  MemoryStore& store_;
  State state_;
  MemoryAreas areas_;
  MemoryPlatforms platforms_;
  MemoryDevices devices_;
  MemoryVlans vlans_;
  MemoryChanges changes_;
  bool committed_ = false;
};

MemoryStore::MemoryStore(const std::vector<app::Platform>& platforms) {
  for (const auto& p : platforms) state_.platforms[p.id] = p;
}

std::unique_ptr<app::UnitOfWork> MemoryStore::begin() {
  std::lock_guard lock(mutex_);
  if (!open_.insert(std::this_thread::get_id()).second)
    throw std::logic_error("a unit of work of this store is already open on this thread");
  return std::make_unique<MemoryUnitOfWork>(*this, state_);
}

}  // namespace netspine::test
