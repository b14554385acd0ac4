#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/entities.hpp"

namespace netspine::app {

using domain::Area;
using domain::ChangeEntry;
using domain::Device;
using domain::DeviceStatus;
using domain::Id;
using domain::Platform;
using domain::Vlan;

/// What still refers to an area.
struct AreaDependents {
  std::int64_t devices = 0;
  std::int64_t vlans = 0;
  std::int64_t children = 0;
  bool any() const { return devices + vlans + children > 0; }
};

class AreaRepository {
 public:
  virtual ~AreaRepository() = default;
  virtual std::optional<Area> get(Id id) = 0;
  /// Every area called `name`, wherever it sits in the tree.
  virtual std::vector<Area> findByName(std::string_view name) = 0;
  virtual std::optional<Area> findChild(std::optional<Id> parent, std::string_view name) = 0;
  virtual std::vector<Area> list() = 0;  // ordered by id
  /// Returns the new id.
  virtual Id insert(const Area& area) = 0;
  virtual void update(const Area& area) = 0;
  virtual void remove(Id id) = 0;
  virtual AreaDependents dependents(Id id) = 0;
};

class PlatformRepository {
 public:
  virtual ~PlatformRepository() = default;
  virtual std::optional<Platform> get(std::string_view id) = 0;
  virtual std::vector<Platform> list() = 0;  // ordered by id
  virtual void insert(const Platform& platform) = 0;
  virtual void update(const Platform& platform) = 0;
  virtual void remove(std::string_view id) = 0;
  virtual std::int64_t deviceCount(std::string_view id) = 0;
};

/// A device query; empty vectors mean "any", several values in one vector mean OR.
struct DeviceFilter {
  std::vector<Id> ids;
  std::vector<DeviceStatus> statuses;
  std::vector<Id> areaIds;
  std::vector<std::string> platforms;
  std::vector<std::string> tags;
  std::vector<std::string> roles;
  std::string nameContains;
  /// A device column to order by (name, address, status, platform, role, serial, os_version,
  /// created_at, updated_at); ties are broken by name.
  std::string orderBy = "name";
  bool descending = false;
  /// Keyset paging, only when ordered by name: devices after this name (before it, descending).
  std::string afterName;
  std::int64_t limit = 0;  // 0: no limit
  std::int64_t offset = 0;
};

class DeviceRepository {
 public:
  virtual ~DeviceRepository() = default;
  virtual std::optional<Device> get(Id id) = 0;
  virtual std::optional<Device> findByName(std::string_view name) = 0;
  /// findByName for a write that depends on what it reads (a version or status guard): the row
  /// stays as read until the unit of work ends. SQLite's write transaction and the memory store
  /// already exclude other writers; PostgreSQL locks the row (SELECT ... FOR UPDATE).
  virtual std::optional<Device> findByNameForUpdate(std::string_view name) {
    return findByName(name);
  }
  /// Ordered by name.
  virtual std::vector<Device> list(const DeviceFilter& filter) = 0;
  virtual std::int64_t count(const DeviceFilter& filter) = 0;
  /// Every device name, for checks over a whole import.
  virtual std::vector<std::string> names() = 0;
  /// Returns the new id. `device.version`, `createdAt` and `updatedAt` are stored as given.
  virtual Id insert(const Device& device) = 0;
  /// Inserts all, in order, and sets each device's id.
  virtual void insertMany(std::vector<Device>& devices) = 0;
  virtual void update(const Device& device) = 0;
  virtual void remove(Id id) = 0;
};

class VlanRepository {
 public:
  virtual ~VlanRepository() = default;
  virtual std::optional<Vlan> get(Id id) = 0;
  virtual std::optional<Vlan> findByVid(Id areaId, int vid) = 0;
  virtual std::optional<Vlan> findByName(Id areaId, std::string_view name) = 0;
  /// Ordered by area, then vid; all areas when `areaId` is empty.
  virtual std::vector<Vlan> list(std::optional<Id> areaId) = 0;
  virtual Id insert(const Vlan& vlan) = 0;
  virtual void update(const Vlan& vlan) = 0;
  virtual void remove(Id id) = 0;
};

struct ChangeFilter {
  std::string objectType;  // empty: any
  std::string object;      // matches object id or object name; empty: any
  std::string actor;       // empty: any
  std::string since;       // ISO 8601 UTC, inclusive; empty: no bound
  std::string until;       // ISO 8601 UTC, exclusive; empty: no bound
  /// Keyset paging: entries older than (beforeTime, beforeId) in the log's newest-first order.
  std::string beforeTime;
  Id beforeId = 0;         // 0: from the newest
  std::int64_t limit = 0;  // 0: no limit
  std::int64_t offset = 0;
};

class ChangeLogRepository {
 public:
  virtual ~ChangeLogRepository() = default;
  virtual void append(const ChangeEntry& entry) = 0;
  virtual void appendMany(const std::vector<ChangeEntry>& entries) = 0;
  /// Newest first.
  virtual std::vector<ChangeEntry> list(const ChangeFilter& filter) = 0;
};

/// One database transaction. Destroyed without commit(), it rolls back: nothing half-written.
class UnitOfWork {
 public:
  virtual ~UnitOfWork() = default;
  virtual AreaRepository& areas() = 0;
  virtual PlatformRepository& platforms() = 0;
  virtual DeviceRepository& devices() = 0;
  virtual VlanRepository& vlans() = 0;
  virtual ChangeLogRepository& changes() = 0;
  virtual void commit() = 0;
};

/// Where the inventory lives (SQLite, PostgreSQL, or an in-memory fake in tests).
class Store {
 public:
  virtual ~Store() = default;
  virtual std::unique_ptr<UnitOfWork> begin() = 0;
  /// A unit that only reads: on SQLite it does not take the write lock, so readers never wait
  /// for each other or for a writer (WAL). Not for writes.
  virtual std::unique_ptr<UnitOfWork> read() { return begin(); }
};

}  // namespace netspine::app
