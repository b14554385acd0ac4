// The same CLI on the test PostgreSQL server (started by the `postgres` CTest fixture).

#include "cli_fixture.hpp"
#include "support/test_databases.hpp"

namespace netspine::cli::testing {
namespace {

using Strings = std::vector<std::string>;

class CliPostgresTest : public ::testing::Test {
 protected:
  CliResult run(const std::string& url, Strings args) {
    args.insert(args.begin(), {"--db", url});
    return runNetspine(args);
  }
};

TEST_F(CliPostgresTest, MigrateThenManageTheInventory) {
  auto db = test::freshPostgres(/*migrate=*/false);
  auto url = db->url();

  auto r = run(url, {"device", "list"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_NE(r.err.find("run `netspine migrate`"), std::string::npos) << r;

  r = run(url, {"migrate"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_NE(r.out.find("schema now at version"), std::string::npos) << r;

  for (const Strings& args :
       {Strings{"area", "add", "emea"}, Strings{"area", "add", "dc1", "--parent", "emea"},
        Strings{"device", "add", "r1", "--address", "10.0.0.1", "--platform", "cisco_ios", "--area",
                "dc1", "--tag", "core", "--message", "first"},
        Strings{"vlan", "add", "--area", "dc1", "--vid", "10", "--name", "users"},
        Strings{"device", "set-status", "r1", "planned"}}) {
    r = run(url, args);
    ASSERT_EQ(r.code, 0) << r;
  }

  auto devices = parseArray(run(url, {"--json", "device", "list", "--area", "emea"}).out);
  ASSERT_EQ(devices->size(), 1u);
  EXPECT_EQ(devices->getObject(0)->getValue<std::string>("area"), "emea/dc1");
  EXPECT_EQ(devices->getObject(0)->getValue<std::string>("status"), "PLANNED");

  // A broken rule writes nothing on PostgreSQL either.
  r = run(url, {"device", "add", "r2", "--address", "999.1.1.1", "--platform", "cisco_ios",
                "--area", "dc1"});
  EXPECT_EQ(r.code, 3) << r;
  r = run(url, {"device", "add", "r1", "--address", "10.0.0.2", "--platform", "cisco_ios", "--area",
                "dc1"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_EQ(parseArray(run(url, {"--json", "device", "list"}).out)->size(), 1u);

  auto changes = parseArray(run(url, {"--json", "changes", "--object", "device:r1"}).out);
  ASSERT_EQ(changes->size(), 2u);
  EXPECT_EQ(changes->getObject(1)->getValue<std::string>("message"), "first");
  EXPECT_EQ(run(url, {"device", "show", "ghost"}).code, 4);
}

}  // namespace
}  // namespace netspine::cli::testing
