#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "infra/database.hpp"

namespace netspine::test {

/// A fresh database of its own for one test, removed (SQLite file) or dropped (PostgreSQL
/// schema) with it.
class TestDatabase {
 public:
  virtual ~TestDatabase() = default;
  /// The URL another connection (a Database, the netspine binary) opens it with.
  virtual std::string url() const = 0;
  infra::DatabaseBackend backend() const { return db().backend(); }
  /// An open connection to it.
  infra::Database& db() const { return *db_; }

 protected:
  std::unique_ptr<infra::Database> db_;
};

/// A SQLite file in a temporary folder of its own; migrated to the latest version unless not.
std::unique_ptr<TestDatabase> freshSqlite(bool migrate = true);

/// A uniquely named schema on the test PostgreSQL server; migrated unless not. Throws,
/// failing the test, when NETSPINE_TEST_PG_URL_FILE is unset: the suites always run under CTest,
/// whose `postgres` fixture starts that server (scripts/test-postgres.sh).
std::unique_ptr<TestDatabase> freshPostgres(bool migrate = true);

std::unique_ptr<TestDatabase> freshDatabase(infra::DatabaseBackend backend, bool migrate = true);

/// The test PostgreSQL server's URL, read from the file NETSPINE_TEST_PG_URL_FILE names.
std::string testPostgresUrl();

}  // namespace netspine::test

namespace netspine::infra {

/// Names a backend in GoogleTest's output ("Sqlite", "Postgres").
inline void PrintTo(DatabaseBackend backend, std::ostream* out) {
  *out << (backend == DatabaseBackend::SQLite ? "Sqlite" : "Postgres");
}

}  // namespace netspine::infra
