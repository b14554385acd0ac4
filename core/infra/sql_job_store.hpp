#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>

#include "application/job_store.hpp"
#include "infra/database.hpp"

namespace netspine::infra {

/// The job tables (schema of Migrator, versions 3 and 4) in SQLite or PostgreSQL. Like SqlStore, a
/// store has one connection, so its transactions run one at a time; a second begin() on a thread
/// that holds one is a bug and throws std::logic_error. Broken unique or foreign-key rules throw
/// domain::ConflictError, any other database failure DatabaseError; after either the
/// transaction is to be dropped (PostgreSQL aborts it).
///
/// The queue: on SQLite a transaction holds the write lock from its start (BEGIN IMMEDIATE), so
/// claims of several processes run one after the other. On PostgreSQL a claim locks its
/// candidate tasks with FOR UPDATE SKIP LOCKED, so concurrent claims take different tasks, and
/// takes a transaction advisory lock per run with a concurrency limit before counting that run's
/// running tasks, so two claims cannot both fill the last free place of a run.
class SqlJobStore : public app::JobStore {
 public:
  /// Uses `db`, which must outlive the store.
  explicit SqlJobStore(Database& db);
  /// Opens and owns the database at `url`.
  explicit SqlJobStore(std::string_view url);

  std::unique_ptr<app::JobTxn> begin() override;
  std::unique_ptr<app::JobTxn> read() override;
  Database& database() { return db_; }

 private:
  friend class SqlJobTxn;

  std::unique_ptr<Database> owned_;
  Database& db_;
  std::mutex mutex_;
  std::atomic<std::thread::id> owner_{};
};

}  // namespace netspine::infra
