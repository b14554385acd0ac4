// Which database the CLI opens (--db, --config, $NETSPINE_CONFIG), the schema check, and how
// database failures are reported.

#include "cli_fixture.hpp"
#include "infra/database.hpp"
#include "infra/migrations.hpp"

namespace netspine::cli::testing {
namespace {

class CliDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override { unsetenv("NETSPINE_CONFIG"); }
  void TearDown() override { unsetenv("NETSPINE_CONFIG"); }
  std::string path(const std::string& name) const { return dir_.path(name); }
  TempFolder dir_;
};

TEST_F(CliDatabaseTest, CommandsBeforeMigrateAskForIt) {
  for (std::vector<std::string> args :
       {std::vector<std::string>{"device", "list"}, {"area", "add", "emea"}, {"changes"}}) {
    args.insert(args.begin(), {"--db", path("new.db")});
    auto r = runNetspine(args);
    EXPECT_EQ(r.code, 3) << r;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.rfind("netspine: error: database schema is at version 0", 0), 0u) << r;
    EXPECT_NE(r.err.find("run `netspine migrate`"), std::string::npos) << r;
  }
}

TEST_F(CliDatabaseTest, MigrateReportsWhatItAppliedAndTheVersion) {
  auto db = path("netspine.db");
  int latest = infra::Migrator::builtin().back().version;
  auto first = runNetspine({"--db", db, "migrate"});
  ASSERT_EQ(first.code, 0) << first;
  auto out = lines(first.out);
  ASSERT_EQ(out.size(), infra::Migrator::builtin().size() + 1) << first;
  EXPECT_EQ(out[0].rfind("applied    1  ", 0), 0u) << first;
  EXPECT_EQ(out.back(), "schema now at version " + std::to_string(latest));

  auto again = runNetspine({"--db", db, "migrate"});
  ASSERT_EQ(again.code, 0) << again;
  EXPECT_EQ(again.out, "schema is up to date at version " + std::to_string(latest) + "\n");

  auto json = parseObject(runNetspine({"--db", db, "--json", "migrate"}).out);
  EXPECT_EQ(json->getArray("applied")->size(), 0u);
  EXPECT_EQ(json->getValue<int>("version"), latest);
}

TEST_F(CliDatabaseTest, NewerSchemaIsRefused) {
  auto db = path("netspine.db");
  ASSERT_EQ(runNetspine({"--db", db, "migrate"}).code, 0);
  {
    infra::Database raw(db);
    raw.execute(
        "INSERT INTO schema_migrations (version, description, applied_at) VALUES "
        "(9999, 'from the future', '2099-01-01T00:00:00Z')");
  }
  for (const char* command : {"migrate", "changes"}) {
    auto r = runNetspine({"--db", db, command});
    EXPECT_NE(r.code, 0) << r;
    EXPECT_NE(r.err.find("newer than this netspine"), std::string::npos) << r;
  }
}

TEST_F(CliDatabaseTest, DbOverridesTheConfigFile) {
  auto config = dir_.write("netspine.yaml", "database:\n  url: " + path("from-config.db") + "\n");
  auto r = runNetspine({"--config", config, "--db", path("from-flag.db"), "migrate"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_TRUE(fs::exists(path("from-flag.db")));
  EXPECT_FALSE(fs::exists(path("from-config.db")));

  r = runNetspine({"--config", config, "migrate"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_TRUE(fs::exists(path("from-config.db")));
}

TEST_F(CliDatabaseTest, DataDirIsRelativeToTheConfigFile) {
  auto config = dir_.write("etc/netspine.yaml", "data_dir: ../data\n");
  auto r = runNetspine({"--config", config, "migrate"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_TRUE(fs::exists(path("data/netspine.db")));
}

TEST_F(CliDatabaseTest, ConfigComesFromTheEnvironmentWithoutConfigOption) {
  auto config = dir_.write("env.yaml", "database:\n  url: " + path("from-env.db") + "\n");
  setenv("NETSPINE_CONFIG", config.c_str(), 1);
  auto r = runNetspine({"migrate"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_TRUE(fs::exists(path("from-env.db")));

  // --config wins over the environment.
  auto other = dir_.write("other.yaml", "database:\n  url: " + path("from-option.db") + "\n");
  ASSERT_EQ(runNetspine({"--config", other, "migrate"}).code, 0);
  EXPECT_TRUE(fs::exists(path("from-option.db")));
}

TEST_F(CliDatabaseTest, ConfigErrorsNameFileAndLine) {
  auto config = dir_.write("netspine.yaml", "# netspine\ndatabse:\n  url: x.db\n");
  // Reported even when --db makes the file's database setting moot.
  auto r = runNetspine({"--config", config, "--db", path("x.db"), "migrate"});
  EXPECT_EQ(r.code, 3) << r;
  auto err = lines(r.err);
  ASSERT_EQ(err.size(), 1u) << r;
  EXPECT_EQ(err[0].rfind("netspine: error: " + config + ":2: ", 0), 0u) << r;
  EXPECT_NE(err[0].find("databse"), std::string::npos) << r;

  // Every problem of the file, one per line.
  dir_.write("netspine.yaml", "databse: {}\nautomation_policy:\n  active: [pull]\n");
  r = runNetspine({"--config", config, "migrate"});
  EXPECT_EQ(r.code, 3) << r;
  err = lines(r.err);
  ASSERT_EQ(err.size(), 2u) << r;
  EXPECT_EQ(err[0].rfind("netspine: error: " + config + ":1: ", 0), 0u) << r;
  EXPECT_EQ(err[1].rfind("netspine: error: " + config + ":3: ", 0), 0u) << r;
  EXPECT_NE(err[1].find("pull"), std::string::npos) << r;
  EXPECT_FALSE(fs::exists(path("x.db")));
}

TEST_F(CliDatabaseTest, MissingConfigFileIsAnError) {
  auto r = runNetspine({"--config", path("none.yaml"), "migrate"});
  EXPECT_NE(r.code, 0) << r;
  EXPECT_NE(r.err.find("none.yaml"), std::string::npos) << r;
}

TEST_F(CliDatabaseTest, UnreachablePostgresIsOneLineWithoutThePassword) {
  // Port 1 on loopback: nothing listens there, the connection is refused at once.
  auto r = runNetspine(
      {"--db", "postgresql://netspine:s3cret-pw@127.0.0.1:1/inventory", "device", "list"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(lines(r.err).size(), 1u) << r;
  EXPECT_EQ(r.err.rfind("netspine: error: ", 0), 0u) << r;
  EXPECT_EQ(r.err.find("s3cret-pw"), std::string::npos) << r;
}

TEST_F(CliDatabaseTest, UnusableSqlitePathIsOneLine) {
  dir_.write("file", "not a folder");
  auto r = runNetspine({"--db", path("file") + "/sub/netspine.db", "migrate"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(lines(r.err).size(), 1u) << r;
  EXPECT_NE(r.err.find("netspine.db"), std::string::npos) << r;
}

}  // namespace
}  // namespace netspine::cli::testing
