#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "application/store.hpp"

namespace netspine::test {

/// An in-memory app::Store with the database's semantics, for service tests: a unit of work
/// works on a copy that commit() publishes (dropped uncommitted, it leaves nothing), and the
/// schema's unique and foreign-key rules hold (domain::ConflictError), as in SqlStore. Like
/// SqlStore, it refuses a second unit of work on a thread that holds one (std::logic_error).
class MemoryStore : public app::Store {
 public:
  /// Empty: no platforms (a migrated database has the built-in ones; see the overload).
  MemoryStore() = default;
  /// Starts with `platforms`, e.g. infra::builtinPlatforms() to mirror a migrated database.
  explicit MemoryStore(const std::vector<app::Platform>& platforms);

  std::unique_ptr<app::UnitOfWork> begin() override;

  /// Everything stored; a unit of work changes a copy of it.
  struct State {
    std::map<app::Id, app::Area> areas;
    std::map<std::string, app::Platform> platforms;
    std::map<app::Id, app::Device> devices;
    std::map<app::Id, app::Vlan> vlans;
    std::vector<app::ChangeEntry> changes;
    app::Id nextAreaId = 1;
    app::Id nextDeviceId = 1;
    app::Id nextVlanId = 1;
    app::Id nextChangeId = 1;
  };

 private:
  friend class MemoryUnitOfWork;

  std::mutex mutex_;
  State state_;
  std::set<std::thread::id> open_;  // threads holding a unit of work
};

}  // namespace netspine::test
