#include <fmt/format.h>

#include "cli_fixture.hpp"

namespace netspine::cli::testing {
namespace {

using Strings = std::vector<std::string>;

class CliImportTest : public CliTest {
 protected:
  std::string file(const std::string& name, const std::string& text) {
    return dir_.write(name, text);
  }
  std::size_t deviceCount() { return parseArray(ok({"--json", "device", "list"}))->size(); }
};

const char* kCsv =
    "name,address,platform,area,status,role,tags\n"
    "r1,10.0.0.1,cisco_ios,dc1,active,core,\"edge;lab\"\n"
    "r2,10.0.0.2,cisco_ios,dc1,planned,,\n"
    "r3,r3.example.net,arista_eos,emea,,access,\n";

TEST_F(CliImportTest, CsvCreatesDevices) {
  seedAreas();
  auto path = file("devices.csv", kCsv);
  auto out = ok({"import", path, "--message", "initial load"});
  EXPECT_NE(out.find("3 devices created"), std::string::npos) << out;
  auto devices = parseArray(ok({"--json", "device", "list"}));
  ASSERT_EQ(devices->size(), 3u);
  EXPECT_EQ(devices->getObject(0)->getValue<std::string>("status"), "ACTIVE");
  EXPECT_EQ(devices->getObject(0)->getArray("tags")->size(), 2u);
  EXPECT_EQ(devices->getObject(2)->getValue<std::string>("area"), "emea");

  auto changes = parseArray(ok({"--json", "changes", "--object", "device:r2"}));
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ(changes->getObject(0)->getValue<std::string>("message"), "initial load");
}

TEST_F(CliImportTest, EveryBadRowIsReportedAndNothingIsWritten) {
  seedAreas();
  auto path = file("devices.csv",
                   "name,address,platform,area\n"
                   "r1,10.0.0.1,cisco_ios,dc1\n"
                   "r2,999.0.0.1,cisco_ios,dc1\n"
                   "r3,10.0.0.3,no_such_os,dc1\n");
  auto changes = ok({"changes", "--limit", "0"});
  auto r = run({"import", path});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_EQ(r.out, "");
  auto err = lines(r.err);
  ASSERT_EQ(err.size(), 3u) << r;
  EXPECT_EQ(err[0].rfind("netspine: error: " + path + ":3: address: ", 0), 0u) << r;
  EXPECT_EQ(err[1].rfind("netspine: error: " + path + ":4: platform", 0), 0u) << r;
  EXPECT_EQ(err[2], "netspine: error: import refused, nothing was written (2 problems)");
  EXPECT_EQ(deviceCount(), 0u);
  EXPECT_EQ(ok({"changes", "--limit", "0"}), changes);
}

TEST_F(CliImportTest, OneBadRowAmongAHundredThousandWritesNothing) {
  seedAreas();
  std::string csv = "name,address,platform,area,status,tags\n";
  csv.reserve(100'000 * 48);
  for (int i = 0; i < 100'000; ++i) {
    // Row 73,456 (line 73,458 after the header) has a VID-like typo in its address.
    std::string address =
        i == 73'456 ? "10.1.4095.1" : fmt::format("10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255);
    csv += fmt::format("dev{:06},{},lab_os,dc1,active,bulk\n", i, address);
  }
  auto path = file("big.csv", csv);
  auto changes = ok({"changes", "--limit", "0"});
  auto r = run({"import", path});
  EXPECT_EQ(r.code, 3) << r.err;
  auto err = lines(r.err);
  ASSERT_EQ(err.size(), 2u) << r.err;
  EXPECT_EQ(err[0], "netspine: error: " + path +
                        ":73458: address: '10.1.4095.1' is not a valid IPv4 address (four numbers "
                        "0-255 without leading zeros)");
  EXPECT_EQ(deviceCount(), 0u);
  EXPECT_EQ(ok({"changes", "--limit", "0"}), changes);

  // The same file without the typo imports whole.
  csv.replace(csv.find("10.1.4095.1"), 11, "10.1.31.176");
  ok({"import", file("good.csv", csv)});
  EXPECT_EQ(deviceCount(), 100'000u);
}

TEST_F(CliImportTest, JsonDocumentWithEveryKind) {
  auto path = file("inventory.json", R"({
  "areas": [{"name": "emea"}, {"name": "ams1", "parent": "emea"}],
  "platforms": [{"id": "cisco_nxos", "name": "Cisco NX-OS", "vendor": "Cisco"}],
  "devices": [{"name": "ams1-core-01", "address": "10.1.0.1", "platform": "cisco_nxos",
               "area": "ams1", "tags": ["core"]}],
  "vlans": [{"area": "ams1", "vid": 100, "name": "servers"}]
})");
  auto summary = parseObject(ok({"--json", "import", path}));
  EXPECT_EQ(summary->getValue<int>("areas"), 2);
  EXPECT_EQ(summary->getValue<int>("platforms"), 1);
  EXPECT_EQ(summary->getValue<int>("devices_created"), 1);
  EXPECT_EQ(summary->getValue<int>("vlans"), 1);
  EXPECT_EQ(block(ok({"device", "show", "ams1-core-01"}))["area"], "emea/ams1");
  EXPECT_EQ(block(ok({"vlan", "show", "--area", "ams1", "--vid", "100"}))["name"], "servers");
}

TEST_F(CliImportTest, ExistingDevicesNeedUpsert) {
  seedAreas();
  ok({"import", file("devices.csv", kCsv)});
  auto changed = file("changed.csv",
                      "name,address,platform,area,role\n"
                      "r1,10.9.9.1,cisco_ios,dc1,border\n"
                      "r4,10.0.0.4,cisco_ios,dc1,\n");
  auto r = run({"import", changed});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_NE(r.err.find("r1"), std::string::npos) << r;
  EXPECT_EQ(deviceCount(), 3u);

  auto out = ok({"import", changed, "--upsert"});
  EXPECT_NE(out.find("1 devices created, 1 devices updated"), std::string::npos) << out;
  auto b = block(ok({"device", "show", "r1"}));
  EXPECT_EQ(b["address"], "10.9.9.1");
  EXPECT_EQ(b["role"], "border");
  EXPECT_EQ(b["status"], "ACTIVE");  // fields the file leaves out are kept
  EXPECT_EQ(deviceCount(), 4u);
}

TEST_F(CliImportTest, DeviceListJsonImportsBack) {
  seedAreas();
  ok({"import", file("devices.csv", kCsv)});
  auto exported = file("export.json", ok({"--json", "device", "list"}));

  TempFolder other;
  auto otherDb = other.path("other.db");
  ASSERT_EQ(runNetspine({"--db", otherDb, "migrate"}).code, 0);
  for (Strings args :
       {Strings{"area", "add", "emea"}, Strings{"area", "add", "dc1", "--parent", "emea"},
        Strings{"import", exported}}) {
    args.insert(args.begin(), {"--db", otherDb});
    auto r = runNetspine(args);
    ASSERT_EQ(r.code, 0) << r;
  }
  auto list = [](const std::string& db) { return runNetspine({"--db", db, "device", "list"}).out; };
  EXPECT_EQ(list(otherDb), list(db_));
}

TEST_F(CliImportTest, UnreadableFileIsAnError) {
  auto r = run({"import", dir_.path("missing.csv")});
  EXPECT_NE(r.code, 0) << r;
  EXPECT_NE(r.err.find("missing.csv"), std::string::npos) << r;
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace netspine::cli::testing
