#include "cli_fixture.hpp"

namespace netspine::cli::testing {
namespace {

using Strings = std::vector<std::string>;

class CliDeviceTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    seedAreas();
    ok({"area", "add", "amer"});
  }

  std::vector<std::string> names(std::vector<std::string> listArgs) {
    listArgs.insert(listArgs.begin(), {"--json", "device", "list"});
    auto json = parseArray(ok(listArgs));
    std::vector<std::string> out;
    for (std::size_t i = 0; i < json->size(); ++i) {
      out.push_back(json->getObject(i)->getValue<std::string>("name"));
    }
    return out;
  }
};

TEST_F(CliDeviceTest, AddPrintsEveryField) {
  auto b = block(ok({"device",     "add",        "r1",     "--address",    "10.0.0.1",
                     "--platform", "lab_os",     "--area", "dc1",          "--status",
                     "planned",    "--role",     "core",   "--serial",     "SN1",
                     "--tag",      "lab",        "--tag",  "edge",         "--credentials",
                     "lab-creds",  "--ssh-port", "2222",   "--os-version", "15.2(4)M7"}));
  EXPECT_EQ(b["name"], "r1");
  EXPECT_EQ(b["address"], "10.0.0.1");
  EXPECT_EQ(b["platform"], "lab_os");
  EXPECT_EQ(b["area"], "emea/dc1");
  EXPECT_EQ(b["status"], "PLANNED");
  EXPECT_EQ(b["role"], "core");
  EXPECT_EQ(b["serial"], "SN1");
  EXPECT_EQ(b["os version"], "15.2(4)M7");
  EXPECT_EQ(b["tags"], "edge,lab");
  EXPECT_EQ(b["credentials"], "lab-creds");
  EXPECT_EQ(b["ssh port"], "2222");
  EXPECT_EQ(b["snmp port"], "default");
}

TEST_F(CliDeviceTest, ShowAsJson) {
  addDevice("r1", "2001:db8::1", {"--tag", "b", "--tag", "a", "--snmp-port", "1161"});
  auto json = parseObject(ok({"--json", "device", "show", "r1"}));
  EXPECT_EQ(json->getValue<std::string>("name"), "r1");
  EXPECT_EQ(json->getValue<std::string>("address"), "2001:db8::1");
  EXPECT_EQ(json->getValue<std::string>("area"), "emea/dc1");
  EXPECT_EQ(json->getValue<std::string>("status"), "INVENTORY");
  auto tags = json->getArray("tags");
  ASSERT_EQ(tags->size(), 2u);
  EXPECT_EQ(tags->getElement<std::string>(0), "a");
  EXPECT_TRUE(json->isNull("ssh_port"));
  EXPECT_EQ(json->getValue<int>("snmp_port"), 1161);
  // --json after the command works too.
  EXPECT_EQ(parseObject(ok({"device", "show", "r1", "--json"}))->getValue<std::string>("name"),
            "r1");
}

TEST_F(CliDeviceTest, ListTableIsAlignedUnderItsHeader) {
  addDevice("core-router-1", "10.0.0.1", {"--role", "core", "--tag", "x", "--tag", "y"});
  addDevice("r2", "r2.example.net");
  auto table = lines(ok({"device", "list"}));
  ASSERT_EQ(table.size(), 3u);
  EXPECT_EQ(cells(table[0]),
            (Strings{"NAME", "ADDRESS", "PLATFORM", "AREA", "STATUS", "ROLE", "TAGS"}));
  EXPECT_EQ(cells(table[1]), (Strings{"core-router-1", "10.0.0.1", "lab_os", "emea/dc1",
                                      "INVENTORY", "core", "x,y"}));
  EXPECT_EQ(cells(table[2]), (Strings{"r2", "r2.example.net", "lab_os", "emea/dc1", "INVENTORY"}));
  EXPECT_EQ(table[1].find("10.0.0.1"), table[0].find("ADDRESS"));
  EXPECT_EQ(table[2].find("r2.example.net"), table[0].find("ADDRESS"));
  EXPECT_EQ(table[2].find("INVENTORY"), table[0].find("STATUS"));
}

TEST_F(CliDeviceTest, ListFilters) {
  addDevice("a1", "10.0.0.1", {"--status", "active", "--tag", "edge", "--role", "core"});
  addDevice("a2", "10.0.0.2", {"--status", "planned", "--tag", "lab"});
  ok({"device", "add", "b1", "--address", "10.0.1.1", "--platform", "cisco_ios", "--area", "amer",
      "--status", "active"});

  EXPECT_EQ(names({}), (Strings{"a1", "a2", "b1"}));
  EXPECT_EQ(names({"--status", "ACTIVE"}), (Strings{"a1", "b1"}));
  EXPECT_EQ(names({"--status", "active", "--status", "planned"}), (Strings{"a1", "a2", "b1"}));
  EXPECT_EQ(names({"--area", "emea"}), (Strings{"a1", "a2"}));  // child areas count
  EXPECT_EQ(names({"--area", "amer", "--area", "dc1"}), (Strings{"a1", "a2", "b1"}));
  EXPECT_EQ(names({"--platform", "cisco_ios"}), (Strings{"b1"}));
  EXPECT_EQ(names({"--tag", "lab"}), (Strings{"a2"}));
  EXPECT_EQ(names({"--role", "core"}), (Strings{"a1"}));
  EXPECT_EQ(names({"--name-contains", "a"}), (Strings{"a1", "a2"}));
  EXPECT_EQ(names({"--status", "active", "--area", "emea"}), (Strings{"a1"}));
  EXPECT_EQ(names({"--limit", "2"}), (Strings{"a1", "a2"}));
  EXPECT_EQ(names({"--limit", "2", "--offset", "2"}), (Strings{"b1"}));
  EXPECT_EQ(ok({"--json", "device", "list", "--tag", "none"}), "[]\n");
}

TEST_F(CliDeviceTest, BadStatusFilterNamesTheField) {
  auto r = run({"device", "list", "--status", "broken"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_NE(r.err.find("status: unknown status 'broken'"), std::string::npos) << r;
}

TEST_F(CliDeviceTest, InvalidAddressNamesTheFieldAndWritesNothing) {
  addDevice("r1", "10.0.0.1");
  auto before = ok({"device", "list"});
  auto changes = ok({"changes", "--limit", "0"});
  auto r = run(
      {"device", "add", "r2", "--address", "999.1.1.1", "--platform", "lab_os", "--area", "dc1"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("netspine: error: address: ", 0), 0u) << r;
  EXPECT_NE(r.err.find("999.1.1.1"), std::string::npos) << r;
  EXPECT_EQ(ok({"device", "list"}), before);
  EXPECT_EQ(ok({"changes", "--limit", "0"}), changes);
}

TEST_F(CliDeviceTest, EveryFieldRuleIsAValidationError) {
  const std::vector<std::pair<Strings, std::string>> cases = {
      {{"device", "add", "bad/name", "--address", "10.0.0.9", "--platform", "lab_os", "--area",
        "dc1"},
       "name: "},
      {{"device", "add", "r9", "--address", "10.0.0.9", "--platform", "no_such", "--area", "dc1"},
       "platform"},
      {{"device", "add", "r9", "--address", "10.0.0.9", "--platform", "lab_os", "--area", "nope"},
       "area"},
      {{"device", "add", "r9", "--address", "10.0.0.9", "--platform", "lab_os", "--area", "dc1",
        "--status", "sleeping"},
       "status: "},
      {{"device", "add", "r9", "--address", "10.0.0.9", "--platform", "lab_os", "--area", "dc1",
        "--ssh-port", "70000"},
       "port 70000 out of range"},
      {{"device", "add", "r9", "--address", "10.0.0.9", "--platform", "lab_os", "--area", "dc1",
        "--tag", "has space"},
       "tags: "},
  };
  for (const auto& [args, message] : cases) {
    auto r = run(args);
    EXPECT_EQ(r.code, 3) << r;
    EXPECT_NE(r.err.find(message), std::string::npos) << "expected '" << message << "' in " << r;
  }
  EXPECT_EQ(names({}), Strings{});
}

TEST_F(CliDeviceTest, DuplicateNameIsRefused) {
  addDevice("r1", "10.0.0.1");
  auto r = run(
      {"device", "add", "r1", "--address", "10.0.0.2", "--platform", "lab_os", "--area", "dc1"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_NE(r.err.find("name: device 'r1' already exists"), std::string::npos) << r;
  EXPECT_EQ(block(ok({"device", "show", "r1"}))["address"], "10.0.0.1");
}

TEST_F(CliDeviceTest, UnknownDeviceIsNotFound) {
  for (const Strings& args :
       {Strings{"device", "show", "ghost"}, Strings{"device", "delete", "ghost"},
        Strings{"device", "update", "ghost", "--role", "x"},
        Strings{"device", "set-status", "ghost", "planned"}}) {
    auto r = run(args);
    EXPECT_EQ(r.code, 4) << r;
    EXPECT_NE(r.err.find("device 'ghost' not found"), std::string::npos) << r;
  }
}

TEST_F(CliDeviceTest, UpdateChangesOnlyTheGivenFields) {
  addDevice("r1", "10.0.0.1", {"--tag", "a", "--tag", "b", "--ssh-port", "2222", "--role", "x"});
  auto b = block(ok({"device", "update", "r1", "--address", "10.0.0.2", "--add-tag", "c",
                     "--remove-tag", "a", "--clear-ssh-port", "--area", "amer"}));
  EXPECT_EQ(b["address"], "10.0.0.2");
  EXPECT_EQ(b["tags"], "b,c");
  EXPECT_EQ(b["ssh port"], "default");
  EXPECT_EQ(b["area"], "amer");
  EXPECT_EQ(b["role"], "x");
  EXPECT_EQ(b["version"], "2");

  b = block(ok({"device", "update", "r1", "--name", "r1-new", "--tag", "z", "--snmp-port", "161"}));
  EXPECT_EQ(b["name"], "r1-new");
  EXPECT_EQ(b["tags"], "z");
  EXPECT_EQ(b["snmp port"], "161");
  EXPECT_EQ(block(ok({"device", "update", "r1-new", "--clear-tags"}))["tags"], "");
  EXPECT_EQ(run({"device", "show", "r1"}).code, 4);
}

TEST_F(CliDeviceTest, OsVersionIsSetShownAndLogged) {
  addDevice("r1", "10.0.0.1");
  EXPECT_EQ(block(ok({"device", "show", "r1"}))["os version"], "");
  auto b = block(ok({"device", "update", "r1", "--os-version", "20.4R3-S1.3"}));
  EXPECT_EQ(b["os version"], "20.4R3-S1.3");
  EXPECT_EQ(b["version"], "2");
  EXPECT_EQ(block(ok({"device", "show", "r1"}))["os version"], "20.4R3-S1.3");
  auto json = parseObject(ok({"--json", "device", "show", "r1"}));
  EXPECT_EQ(json->getValue<std::string>("os_version"), "20.4R3-S1.3");
  auto listed = parseArray(ok({"--json", "device", "list"}));
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->getObject(0)->getValue<std::string>("os_version"), "20.4R3-S1.3");

  auto log = parseArray(ok({"--json", "changes", "--object", "device:r1"}));
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ(log->getObject(0)->getObject("before")->getValue<std::string>("os_version"), "");
  EXPECT_EQ(log->getObject(0)->getObject("after")->getValue<std::string>("os_version"),
            "20.4R3-S1.3");

  // A bad value is refused, naming the field, and writes nothing.
  auto before = ok({"device", "show", "r1"});
  auto r = run({"device", "update", "r1", "--os-version", "20.4\x7fR3"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_NE(r.err.find("os_version: "), std::string::npos) << r;
  r = run({"device", "update", "r1", "--os-version", std::string(129, 'x')});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_NE(r.err.find("os_version: 129 characters (at most 128)"), std::string::npos) << r;
  EXPECT_EQ(ok({"device", "show", "r1"}), before);

  // An empty value clears it.
  EXPECT_EQ(block(ok({"device", "update", "r1", "--os-version", ""}))["os version"], "");
}

TEST_F(CliDeviceTest, InvalidUpdateWritesNothing) {
  addDevice("r1", "10.0.0.1");
  auto before = ok({"device", "show", "r1"});
  auto r = run({"device", "update", "r1", "--role", "new", "--address", "not an address"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_NE(r.err.find("address: "), std::string::npos) << r;
  EXPECT_EQ(ok({"device", "show", "r1"}), before);
}

TEST_F(CliDeviceTest, SetStatusFollowsTheTransitionGraph) {
  addDevice("r1", "10.0.0.1");
  EXPECT_EQ(block(ok({"device", "set-status", "r1", "planned"}))["status"], "PLANNED");
  EXPECT_EQ(block(ok({"device", "set-status", "r1", "STAGED"}))["status"], "STAGED");
  EXPECT_EQ(block(ok({"device", "set-status", "r1", "Active"}))["status"], "ACTIVE");
  // ACTIVE -> PLANNED is not an edge: refused, with the allowed targets named.
  auto r = run({"device", "set-status", "r1", "planned"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_NE(r.err.find("STAGED"), std::string::npos) << r;
  EXPECT_NE(r.err.find("DECOMMISSIONING"), std::string::npos) << r;
  EXPECT_EQ(block(ok({"device", "show", "r1"}))["status"], "ACTIVE");

  r = run({"device", "set-status", "r1", "asleep"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_NE(r.err.find("status: unknown status 'asleep'"), std::string::npos) << r;
}

TEST_F(CliDeviceTest, DeleteRemovesTheDevice) {
  addDevice("r1", "10.0.0.1");
  EXPECT_EQ(ok({"device", "delete", "r1"}), "deleted device 'r1'\n");
  EXPECT_EQ(run({"device", "show", "r1"}).code, 4);
  EXPECT_EQ(names({}), Strings{});
}

TEST_F(CliDeviceTest, EveryWriteIsInTheChangeLogWithActorAndMessage) {
  ok({"device", "add", "r1", "--address", "10.0.0.1", "--platform", "lab_os", "--area", "dc1",
      "--message", "racked in row 3"});
  auto r = runNetspine(
      {"--db", db_, "--actor", "alice", "device", "set-status", "r1", "planned", "-m", "ordered"});
  ASSERT_EQ(r.code, 0) << r;
  ok({"device", "delete", "r1"});

  auto json = parseArray(ok({"--json", "changes", "--object", "device:r1"}));
  ASSERT_EQ(json->size(), 3u);
  auto newest = json->getObject(0), middle = json->getObject(1), oldest = json->getObject(2);
  EXPECT_EQ(oldest->getValue<std::string>("action"), "create");
  EXPECT_EQ(oldest->getValue<std::string>("actor"), "cli:test");
  EXPECT_EQ(oldest->getValue<std::string>("message"), "racked in row 3");
  EXPECT_TRUE(oldest->isNull("before"));
  EXPECT_EQ(oldest->getObject("after")->getValue<std::string>("address"), "10.0.0.1");
  EXPECT_EQ(middle->getValue<std::string>("action"), "update");
  EXPECT_EQ(middle->getValue<std::string>("actor"), "alice");
  EXPECT_EQ(middle->getValue<std::string>("message"), "ordered");
  EXPECT_EQ(middle->getObject("before")->getValue<std::string>("status"), "INVENTORY");
  EXPECT_EQ(middle->getObject("after")->getValue<std::string>("status"), "PLANNED");
  EXPECT_EQ(newest->getValue<std::string>("action"), "delete");
  EXPECT_TRUE(newest->isNull("after"));

  auto table = lines(ok({"changes", "--object", "device:r1", "--limit", "2"}));
  ASSERT_EQ(table.size(), 3u);
  EXPECT_EQ(cells(table[0]), (Strings{"TIME", "ACTOR", "ACTION", "OBJECT", "MESSAGE"}));
  EXPECT_EQ(cells(table[2]),
            (Strings{cells(table[2])[0], "alice", "update", "device:r1", "ordered"}));
}

TEST_F(CliDeviceTest, DefaultActorIsTheUser) {
  setenv("USER", "carol", 1);
  auto r = runNetspine({"--db", db_, "area", "add", "apac"});
  ASSERT_EQ(r.code, 0) << r;
  auto json = parseArray(ok({"--json", "changes", "--object", "area:apac"}));
  ASSERT_EQ(json->size(), 1u);
  EXPECT_EQ(json->getObject(0)->getValue<std::string>("actor"), "cli:carol");
}

TEST_F(CliDeviceTest, UnknownChangeObjectTypeIsRefused) {
  auto r = run({"changes", "--object", "router:r1"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_NE(r.err.find("object: "), std::string::npos) << r;
}

}  // namespace
}  // namespace netspine::cli::testing
