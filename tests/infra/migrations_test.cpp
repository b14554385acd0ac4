#include "infra/migrations.hpp"

#include <gtest/gtest.h>

#include <string>

#include "domain/errors.hpp"
#include "support/test_databases.hpp"

namespace netspine::test {
namespace {

using infra::DatabaseBackend;
using infra::Migration;
using infra::Migrator;
using namespace Poco::Data::Keywords;

std::string checkMessage(Migrator& migrator) {
  try {
    migrator.check();
  } catch (const domain::ValidationError& e) {
    EXPECT_EQ(e.field(), "db");
    return e.what();
  }
  return "(accepted)";
}

class MigratorTest : public ::testing::TestWithParam<DatabaseBackend> {
 protected:
  std::unique_ptr<TestDatabase> t = freshDatabase(GetParam(), /*migrate=*/false);
  infra::Database& db = t->db();
};

TEST_P(MigratorTest, FreshDatabaseToLatest) {
  Migrator migrator(db);
  EXPECT_EQ(migrator.currentVersion(), 0);
  EXPECT_EQ(migrator.latestVersion(), 7);
  auto applied = migrator.migrate();
  ASSERT_EQ(applied.size(), 7u);
  EXPECT_EQ(applied[0].version, 1);
  EXPECT_EQ(applied[1].version, 2);
  EXPECT_EQ(applied[2].version, 3);
  EXPECT_EQ(applied[3].version, 4);
  EXPECT_EQ(applied[4].version, 5);
  EXPECT_EQ(applied[5].version, 6);
  EXPECT_EQ(applied[6].version, 7);
  EXPECT_EQ(migrator.currentVersion(), 7);
  EXPECT_NO_THROW(migrator.check());

  std::vector<Poco::Int64> versions;
  std::vector<std::string> descriptions, times;
  db.session() << db.sql(
      "SELECT version, description, applied_at FROM schema_migrations "
      "ORDER BY version"),
      into(versions), into(descriptions), into(times), now;
  EXPECT_EQ(versions, (std::vector<Poco::Int64>{1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(descriptions[1], "built-in platforms: cisco_ios, juniper_junos, arista_eos");
  EXPECT_EQ(times[0].size(), std::string("2026-11-27T08:30:53.123Z").size()) << times[0];

  std::vector<std::string> ids, names, vendors;
  db.session() << "SELECT id, name, vendor FROM platforms ORDER BY id", into(ids), into(names),
      into(vendors), now;
  EXPECT_EQ(ids, (std::vector<std::string>{"arista_eos", "cisco_ios", "juniper_junos"}));
  EXPECT_EQ(names, (std::vector<std::string>{"Arista EOS", "Cisco IOS", "Juniper Junos"}));
  EXPECT_EQ(vendors, (std::vector<std::string>{"Arista", "Cisco", "Juniper"}));
  for (const char* table : {"areas", "devices", "device_tags", "vlans", "change_log", "jobs",
                            "job_runs", "tasks", "run_log", "schedule_state", "device_runtime",
                            "device_configs", "device_host_keys", "api_tokens"})
    EXPECT_EQ(db.queryInt(std::string("SELECT COUNT(*) FROM ") + table), 0) << table;
}

TEST_P(MigratorTest, SecondRunIsANoOp) {
  Migrator(db).migrate();
  Migrator again(db);
  EXPECT_TRUE(again.migrate().empty());
  EXPECT_EQ(again.currentVersion(), 7);
  EXPECT_EQ(db.queryInt("SELECT COUNT(*) FROM platforms"), 3);
  EXPECT_EQ(db.queryInt("SELECT COUNT(*) FROM schema_migrations"), 7);
}

TEST_P(MigratorTest, OlderDatabaseAsksForMigrate) {
  Migrator old(db, {Migrator::builtin().front()});
  old.migrate();
  EXPECT_NO_THROW(old.check());
  Migrator current(db);
  EXPECT_EQ(current.currentVersion(), 1);
  EXPECT_EQ(checkMessage(current),
            "database schema is at version 1, this netspine needs 7: run `netspine migrate`");
  auto applied = current.migrate();
  ASSERT_EQ(applied.size(), 6u);
  EXPECT_EQ(applied[0].version, 2);
  EXPECT_EQ(applied[1].version, 3);
  EXPECT_EQ(applied[2].version, 4);
  EXPECT_EQ(applied[3].version, 5);
  EXPECT_EQ(applied[4].version, 6);
  EXPECT_EQ(applied[5].version, 7);
  EXPECT_NO_THROW(current.check());
}

TEST_P(MigratorTest, EmptyDatabaseAsksForMigrate) {
  Migrator migrator(db);
  EXPECT_EQ(checkMessage(migrator),
            "database schema is at version 0, this netspine needs 7: run `netspine migrate`");
}

TEST_P(MigratorTest, NewerDatabaseRefused) {
  auto future = Migrator::builtin();
  future.push_back({8, "from the future", {"CREATE TABLE later (id INTEGER)"}});
  Migrator(db, future).migrate();
  Migrator current(db);
  const std::string expected =
      "database schema version 8 is newer than this netspine (knows up to 7): upgrade netspine";
  EXPECT_EQ(checkMessage(current), expected);
  try {
    current.migrate();
    FAIL() << "migrated a newer database";
  } catch (const domain::ValidationError& e) {
    EXPECT_EQ(std::string(e.what()), expected);
  }
  EXPECT_EQ(current.currentVersion(), 8);
}

TEST_P(MigratorTest, FailedMigrationLeavesNothingBehind) {
  Migrator(db).migrate();
  auto broken = Migrator::builtin();
  broken.push_back({8, "half good", {"CREATE TABLE half (id INTEGER)", "CREATE TABLE bad (("}});
  Migrator migrator(db, broken);
  EXPECT_THROW(migrator.migrate(), infra::DatabaseError);
  EXPECT_EQ(migrator.currentVersion(), 7);
  EXPECT_FALSE(db.inTransaction());
  // The whole step rolled back, its first table too.
  EXPECT_THROW(db.queryInt("SELECT COUNT(*) FROM half"), Poco::Exception);
}

TEST_P(MigratorTest, DevicesOfAVersion5DatabaseGetAnEmptyOsVersion) {
  auto v5 = Migrator::builtin();
  v5.resize(5);
  Migrator(db, v5).migrate();
  db.execute(
      "INSERT INTO devices (name, address, platform, status, created_at, updated_at) VALUES "
      "('r1', '10.0.0.1', 'cisco_ios', 'ACTIVE', 't0', 't0')");
  EXPECT_THROW(db.queryInt("SELECT COUNT(*) FROM devices WHERE os_version = ''"), Poco::Exception);

  Migrator current(db);
  auto applied = current.migrate();
  ASSERT_EQ(applied.size(), 2u);
  EXPECT_EQ(applied[0].version, 6);
  EXPECT_EQ(applied[0].description, "devices: os_version");
  EXPECT_EQ(db.queryInt("SELECT COUNT(*) FROM devices WHERE name = 'r1' AND os_version = ''"), 1);
  // NOT NULL, with '' for rows that do not name it.
  EXPECT_THROW(db.execute("UPDATE devices SET os_version = NULL"), Poco::Exception);
  db.execute(
      "INSERT INTO devices (name, address, platform, status, created_at, updated_at) VALUES "
      "('r2', '10.0.0.2', 'cisco_ios', 'ACTIVE', 't0', 't0')");
  EXPECT_EQ(db.queryInt("SELECT COUNT(*) FROM devices WHERE os_version = ''"), 2);
}

TEST_P(MigratorTest, RunsOfAVersion6DatabaseGetNoCanaryAndNoStopOnFailure) {
  auto v6 = Migrator::builtin();
  v6.resize(6);
  Migrator(db, v6).migrate();
  db.execute(
      "INSERT INTO jobs (kind, devices_json, selector, parameters_json, schedule, requested_by, "
      "created_at) VALUES ('backup', '[]', '', '{}', '', 'cli:test', 't0')");
  db.execute(
      "INSERT INTO job_runs (job_id, kind, state, created_at, queued_at, started_at, finished_at, "
      "cancel_requested, total, ok, failed, skipped, cancelled, max_concurrency, deadline) VALUES "
      "(1, 'backup', 'QUEUED', 't0', 't0', '', '', 0, 1, 0, 0, 0, 0, 0, 0)");
  EXPECT_THROW(db.queryInt("SELECT COUNT(*) FROM job_runs WHERE canary = 0"), Poco::Exception);

  auto applied = Migrator(db).migrate();
  ASSERT_EQ(applied.size(), 1u);
  EXPECT_EQ(applied[0].version, 7);
  EXPECT_EQ(applied[0].description, "job_runs: canary, stop_on_failure");
  EXPECT_EQ(db.queryInt("SELECT COUNT(*) FROM job_runs WHERE canary = 0 AND stop_on_failure = 0"),
            1);
  EXPECT_THROW(db.execute("UPDATE job_runs SET canary = NULL"), Poco::Exception);
}

TEST_P(MigratorTest, ExpressionIndexKeepsAreaNamesUniqueAmongSiblings) {
  Migrator(db).migrate();
  db.execute("INSERT INTO areas (name) VALUES ('emea')");
  EXPECT_THROW(db.execute("INSERT INTO areas (name) VALUES ('emea')"), Poco::Exception);
  db.execute("INSERT INTO areas (name, parent_id) VALUES ('ams1', 1)");
  db.execute("INSERT INTO areas (name) VALUES ('ams1')");  // same name, other parent
  EXPECT_THROW(db.execute("INSERT INTO areas (name, parent_id) VALUES ('ams1', 1)"),
               Poco::Exception);
}

INSTANTIATE_TEST_SUITE_P(Backends, MigratorTest,
                         ::testing::Values(DatabaseBackend::SQLite, DatabaseBackend::PostgreSQL),
                         [](const auto& info) {
                           return info.param == DatabaseBackend::SQLite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace netspine::test
