#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>

#include "application/store.hpp"
#include "infra/database.hpp"

namespace netspine::infra {

/// The inventory in SQLite or PostgreSQL (schema of Migrator). A store has one connection, so
/// its units of work run one at a time; a second begin() on a thread that holds one is a bug
/// and throws std::logic_error. A write that breaks a unique or foreign-key rule throws
/// domain::ConflictError; after that the unit is to be dropped (PostgreSQL aborts it).
class SqlStore : public app::Store {
 public:
  /// Uses `db`, which must outlive the store.
  explicit SqlStore(Database& db);
  /// Opens and owns the database at `url`.
  explicit SqlStore(std::string_view url);

  std::unique_ptr<app::UnitOfWork> begin() override;
  std::unique_ptr<app::UnitOfWork> read() override;
  Database& database() { return db_; }

 private:
  friend class SqlUnitOfWork;

  std::unique_ptr<Database> owned_;
  Database& db_;
  std::mutex mutex_;
  std::atomic<std::thread::id> owner_{};
};

}  // namespace netspine::infra
