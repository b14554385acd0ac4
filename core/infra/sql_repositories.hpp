#pragma once

// Internal to SqlStore: the repositories of one unit of work, over one Database.

#include <fmt/format.h>

#include <string>
#include <string_view>

#include "application/store.hpp"
#include "domain/errors.hpp"
#include "infra/database.hpp"

namespace netspine::infra {

/// Runs `work` on the database: a broken unique or foreign-key rule becomes
/// domain::ConflictError about `what`, any other database failure a DatabaseError saying what
/// failed (a Poco::Exception's what() says only "PostgreSQL").
template <class F>
auto guarded(std::string_view what, F&& work) -> decltype(work()) {
  try {
    return work();
  } catch (const Poco::Exception& e) {
    switch (violationOf(e)) {
      case Violation::Unique:
        throw domain::ConflictError(
            fmt::format("{}: another record already has the same unique key", what));
      case Violation::ForeignKey:
        throw domain::ConflictError(fmt::format(
            "{}: refers to a record that does not exist, or is still referred to", what));
      case Violation::None:
        break;
    }
    throw DatabaseError(fmt::format("{}: {}", what, e.displayText()));
  }
}

/// Throws domain::NotFoundError unless a write touched a row.
void requireRow(std::size_t affected, std::string_view what);

class SqlAreaRepository : public app::AreaRepository {
 public:
  explicit SqlAreaRepository(Database& db) : db_(db) {}
  std::optional<app::Area> get(app::Id id) override;
  std::vector<app::Area> findByName(std::string_view name) override;
  std::optional<app::Area> findChild(std::optional<app::Id> parent, std::string_view name) override;
  std::vector<app::Area> list() override;
  app::Id insert(const app::Area& area) override;
  void update(const app::Area& area) override;
  void remove(app::Id id) override;
  app::AreaDependents dependents(app::Id id) override;

 private:
  std::vector<app::Area> query(const std::string& where, const SqlParams& params);
  Database& db_;
};

class SqlPlatformRepository : public app::PlatformRepository {
 public:
  explicit SqlPlatformRepository(Database& db) : db_(db) {}
  std::optional<app::Platform> get(std::string_view id) override;
  std::vector<app::Platform> list() override;
  void insert(const app::Platform& platform) override;
  void update(const app::Platform& platform) override;
  void remove(std::string_view id) override;
  std::int64_t deviceCount(std::string_view id) override;

 private:
  std::vector<app::Platform> query(const std::string& where, const SqlParams& params);
  Database& db_;
};

class SqlDeviceRepository : public app::DeviceRepository {
 public:
  explicit SqlDeviceRepository(Database& db) : db_(db) {}
  std::optional<app::Device> get(app::Id id) override;
  std::optional<app::Device> findByName(std::string_view name) override;
  std::optional<app::Device> findByNameForUpdate(std::string_view name) override;
  std::vector<app::Device> list(const app::DeviceFilter& filter) override;
  std::int64_t count(const app::DeviceFilter& filter) override;
  std::vector<std::string> names() override;
  app::Id insert(const app::Device& device) override;
  void insertMany(std::vector<app::Device>& devices) override;
  void update(const app::Device& device) override;
  void remove(app::Id id) override;

 private:
  /// Devices matching `where` (on table alias d) with their tags; `tail` orders and pages.
  std::vector<app::Device> query(const std::string& where, const SqlParams& whereParams,
                                 const std::string& tail = {}, const SqlParams& tailParams = {});
  std::vector<app::Device> read(const std::string& where, const SqlParams& whereParams,
                                const std::string& tail, const SqlParams& tailParams);
  void insertTags(const std::vector<app::Device>& devices);
  Database& db_;
};

class SqlVlanRepository : public app::VlanRepository {
 public:
  explicit SqlVlanRepository(Database& db) : db_(db) {}
  std::optional<app::Vlan> get(app::Id id) override;
  std::optional<app::Vlan> findByVid(app::Id areaId, int vid) override;
  std::optional<app::Vlan> findByName(app::Id areaId, std::string_view name) override;
  std::vector<app::Vlan> list(std::optional<app::Id> areaId) override;
  app::Id insert(const app::Vlan& vlan) override;
  void update(const app::Vlan& vlan) override;
  void remove(app::Id id) override;

 private:
  std::vector<app::Vlan> query(const std::string& where, const SqlParams& params);
  Database& db_;
};

class SqlChangeLogRepository : public app::ChangeLogRepository {
 public:
  explicit SqlChangeLogRepository(Database& db) : db_(db) {}
  void append(const app::ChangeEntry& entry) override;
  void appendMany(const std::vector<app::ChangeEntry>& entries) override;
  std::vector<app::ChangeEntry> list(const app::ChangeFilter& filter) override;

 private:
  Database& db_;
};

}  // namespace netspine::infra
