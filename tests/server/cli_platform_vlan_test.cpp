#include "cli_fixture.hpp"

namespace netspine::cli::testing {
namespace {

using CliPlatformTest = CliTest;
using CliVlanTest = CliTest;
using Strings = std::vector<std::string>;

TEST_F(CliPlatformTest, BuiltinPlatformsAreListed) {
  auto table = lines(ok({"platform", "list"}));
  ASSERT_GE(table.size(), 4u);
  EXPECT_EQ(cells(table[0]), (Strings{"ID", "NAME", "VENDOR"}));
  auto json = parseArray(ok({"--json", "platform", "list"}));
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < json->size(); ++i) {
    ids.push_back(json->getObject(i)->getValue<std::string>("id"));
  }
  for (const char* id : {"cisco_ios", "juniper_junos", "arista_eos"}) {
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
  }
}

TEST_F(CliPlatformTest, AddShowUpdateDelete) {
  auto b =
      block(ok({"platform", "add", "nokia_sros", "--name", "Nokia SR OS", "--vendor", "Nokia"}));
  EXPECT_EQ(b["id"], "nokia_sros");
  EXPECT_EQ(b["name"], "Nokia SR OS");
  EXPECT_EQ(b["vendor"], "Nokia");
  auto json = parseObject(ok({"--json", "platform", "show", "nokia_sros"}));
  EXPECT_EQ(json->getValue<std::string>("vendor"), "Nokia");
  EXPECT_EQ(block(ok({"platform", "update", "nokia_sros", "--vendor", "Nokia Corp"}))["vendor"],
            "Nokia Corp");
  EXPECT_EQ(ok({"platform", "delete", "nokia_sros"}), "deleted platform 'nokia_sros'\n");
  EXPECT_EQ(run({"platform", "show", "nokia_sros"}).code, 4);
}

TEST_F(CliPlatformTest, BadIdNamesTheField) {
  auto before = ok({"platform", "list"});
  auto r = run({"platform", "add", "Cisco IOS", "--name", "x", "--vendor", "y"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_EQ(r.err.rfind("netspine: error: id: ", 0), 0u) << r;
  EXPECT_EQ(ok({"platform", "list"}), before);
  EXPECT_EQ(run({"platform", "add", "cisco_ios", "--name", "x", "--vendor", "y"}).code, 3);
}

TEST_F(CliPlatformTest, DeleteInUseIsRefused) {
  seedAreas();
  addDevice("r1", "10.0.0.1");
  auto r = run({"platform", "delete", "lab_os"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_NE(r.err.find("1"), std::string::npos) << r;
  EXPECT_EQ(run({"platform", "show", "lab_os"}).code, 0);
}

TEST_F(CliVlanTest, AddListShowUpdateDelete) {
  seedAreas();
  ok({"area", "add", "dc2", "--parent", "emea"});
  auto b = block(ok({"vlan", "add", "--area", "dc1", "--vid", "10", "--name", "users",
                     "--description", "office"}));
  EXPECT_EQ(b["area"], "emea/dc1");
  EXPECT_EQ(b["vid"], "10");
  EXPECT_EQ(b["name"], "users");
  ok({"vlan", "add", "--area", "dc2", "--vid", "10", "--name", "users"});  // another area
  ok({"vlan", "add", "--area", "dc1", "--vid", "20", "--name", "voice"});

  auto table = lines(ok({"vlan", "list", "--area", "dc1"}));
  ASSERT_EQ(table.size(), 3u);
  EXPECT_EQ(cells(table[0]), (Strings{"AREA", "VID", "NAME", "DESCRIPTION"}));
  EXPECT_EQ(cells(table[1]), (Strings{"emea/dc1", "10", "users", "office"}));
  EXPECT_EQ(cells(table[2]), (Strings{"emea/dc1", "20", "voice"}));
  EXPECT_EQ(parseArray(ok({"--json", "vlan", "list"}))->size(), 3u);

  auto json = parseObject(ok({"--json", "vlan", "show", "--area", "dc1", "--vid", "20"}));
  EXPECT_EQ(json->getValue<std::string>("name"), "voice");
  EXPECT_EQ(json->getValue<int>("vid"), 20);

  b = block(ok(
      {"vlan", "update", "--area", "dc1", "--vid", "20", "--new-vid", "30", "--name", "phones"}));
  EXPECT_EQ(b["vid"], "30");
  EXPECT_EQ(b["name"], "phones");

  EXPECT_EQ(ok({"vlan", "delete", "--area", "dc1", "--vid", "30"}), "deleted vlan 'dc1:30'\n");
  EXPECT_EQ(parseArray(ok({"--json", "vlan", "list", "--area", "dc1"}))->size(), 1u);
}

TEST_F(CliVlanTest, RulesAreValidationErrors) {
  seedAreas();
  ok({"vlan", "add", "--area", "dc1", "--vid", "10", "--name", "users"});
  auto before = ok({"vlan", "list"});

  auto r = run({"vlan", "add", "--area", "dc1", "--vid", "4095", "--name", "big"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_NE(r.err.find("vid: vlan 4095 out of range 1-4094"), std::string::npos) << r;

  r = run({"vlan", "add", "--area", "dc1", "--vid", "10", "--name", "other"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_NE(r.err.find("vid: "), std::string::npos) << r;

  r = run({"vlan", "add", "--area", "dc1", "--vid", "11", "--name", "users"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_NE(r.err.find("name: "), std::string::npos) << r;

  r = run({"vlan", "add", "--area", "nowhere", "--vid", "11", "--name", "x"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_NE(r.err.find("area"), std::string::npos) << r;

  EXPECT_EQ(ok({"vlan", "list"}), before);
}

TEST_F(CliVlanTest, UnknownVlanIsNotFound) {
  seedAreas();
  auto r = run({"vlan", "delete", "--area", "dc1", "--vid", "99"});
  EXPECT_EQ(r.code, 4) << r;
  EXPECT_EQ(run({"vlan", "show", "--area", "dc1", "--vid", "99"}).code, 4);
}

}  // namespace
}  // namespace netspine::cli::testing
