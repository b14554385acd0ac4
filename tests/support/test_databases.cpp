#include "support/test_databases.hpp"

#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>

#include "infra/migrations.hpp"
#include "support/temp_folder.hpp"

namespace netspine::test {
namespace {

class SqliteTestDatabase : public TestDatabase {
 public:
  explicit SqliteTestDatabase(bool migrate) {
    db_ = std::make_unique<infra::Database>(url());
    if (migrate) infra::Migrator(*db_).migrate();
  }
  ~SqliteTestDatabase() override { db_.reset(); }  // closed before the folder goes
  std::string url() const override { return dir_.path("netspine.db"); }

 private:
  TempFolder dir_;
};

/// A schema of its own in the test server's database, first in the connection's search_path:
/// as isolated as a database for netspine's tables, and far quicker to create and drop.
class PostgresTestDatabase : public TestDatabase {
 public:
  explicit PostgresTestDatabase(bool migrate) : server_(testPostgresUrl()) {
    static std::atomic<int> counter{0};
    std::random_device random;
    schema_ = fmt::format("test_{}_{}_{:08x}", ::getpid(), counter++, random());
    infra::Database(server_).execute("CREATE SCHEMA " + schema_);
    try {
      db_ = std::make_unique<infra::Database>(url());
      if (migrate) infra::Migrator(*db_).migrate();
    } catch (...) {
      drop();
      throw;
    }
  }
  ~PostgresTestDatabase() override {
    try {
      drop();
    } catch (const std::exception& e) {  // a leftover schema is harmless: the server is private
      fmt::print(stderr, "warning: cannot drop test schema {}: {}\n", schema_, e.what());
    }
  }
  std::string url() const override {
    return server_ + (server_.find('?') == std::string::npos ? "?" : "&") +
           "options=-csearch_path%3D" + schema_;
  }

 private:
  void drop() {
    db_.reset();
    infra::Database(server_).execute(fmt::format("DROP SCHEMA IF EXISTS {} CASCADE", schema_));
  }

  std::string server_;
  std::string schema_;
};

}  // namespace

std::string testPostgresUrl() {
  const char* file = std::getenv("NETSPINE_TEST_PG_URL_FILE");
  if (!file || !*file) {
    throw std::runtime_error(
        "NETSPINE_TEST_PG_URL_FILE is not set: PostgreSQL tests run under ctest, whose `postgres` "
        "fixture starts a private server (scripts/test-postgres.sh start DIR) and names its URL "
        "file; to run this binary by hand, start one and set NETSPINE_TEST_PG_URL_FILE=DIR/url");
  }
  std::ifstream in(file);
  std::string url;
  if (!in || !std::getline(in, url) || url.empty()) {
    throw std::runtime_error(fmt::format(
        "cannot read the PostgreSQL test server's URL from {} (NETSPINE_TEST_PG_URL_FILE): did "
        "the `postgres_start` test (scripts/test-postgres.sh) run and succeed?",
        file));
  }
  return url;
}

std::unique_ptr<TestDatabase> freshSqlite(bool migrate) {
  return std::make_unique<SqliteTestDatabase>(migrate);
}

std::unique_ptr<TestDatabase> freshPostgres(bool migrate) {
  return std::make_unique<PostgresTestDatabase>(migrate);
}

std::unique_ptr<TestDatabase> freshDatabase(infra::DatabaseBackend backend, bool migrate) {
  return backend == infra::DatabaseBackend::SQLite ? freshSqlite(migrate) : freshPostgres(migrate);
}

}  // namespace netspine::test
