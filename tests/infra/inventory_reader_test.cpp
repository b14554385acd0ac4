#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "application/inventory_importer.hpp"
#include "infra/database.hpp"
#include "infra/inventory_reader.hpp"
#include "infra/migrations.hpp"
#include "infra/sql_store.hpp"
#include "support/temp_folder.hpp"

namespace netspine::infra {
namespace {

using domain::DeviceStatus;
using Strings = std::vector<std::string>;
using Lines = std::map<std::string, int>;

class InventoryReaderTest : public ::testing::Test {
 protected:
  app::InventoryDocument read(const std::string& name, std::string_view text) {
    path_ = dir_.write(name, text);
    return readInventoryFile(path_);
  }

  /// The problems reading `text` as `name` gives, with the temp folder left out.
  Strings problems(const std::string& name, std::string_view text) {
    try {
      read(name, text);
    } catch (const app::ImportError& e) {
      Strings out;
      for (auto p : e.problems()) {
        if (p.starts_with(path_)) p.replace(0, path_.size(), name);
        out.push_back(p);
      }
      return out;
    }
    ADD_FAILURE() << "expected an ImportError";
    return {};
  }

  test::TempFolder dir_;
  std::string path_;
};

constexpr std::string_view kYamlInventory = R"(# netspine inventory
areas:
  - name: emea
    description: Europe
  - {name: ams1, parent: emea}
platforms:
  - id: cisco_nxos
    name: Cisco NX-OS
    vendor: Cisco
devices:
  - name: ams1-core-01
    address: 10.1.0.1
    platform: cisco_ios
    area: emea/ams1
    status: active
    role: core
    serial: FOC123
    tags: [core, dc]
    credentials: lab
    ssh_port: 2222
    snmp_port: 1161
  - name: ams1-edge-01
    address: 10.1.0.2/24
    platform: Arista EOS
    site: ams1
    tags: "edge; lab"
vlans:
  - area: emea/ams1
    vid: 100
    name: users
    description: office users
)";

TEST_F(InventoryReaderTest, ReadsEveryKindOfRecordFromYamlWithLines) {
  auto doc = read("inventory.yaml", kYamlInventory);

  ASSERT_EQ(doc.areas.size(), 2u);
  EXPECT_EQ(doc.areas[0].value.name, "emea");
  EXPECT_EQ(doc.areas[0].value.parent, "");
  EXPECT_EQ(doc.areas[0].value.description, "Europe");
  EXPECT_EQ(doc.areas[0].at.file, path_);
  EXPECT_EQ(doc.areas[0].at.line, 3);
  EXPECT_EQ(doc.areas[0].fieldLines, (Lines{{"name", 3}, {"description", 4}}));
  EXPECT_EQ(doc.areas[1].value.name, "ams1");
  EXPECT_EQ(doc.areas[1].value.parent, "emea");
  EXPECT_EQ(doc.areas[1].at.line, 5);

  ASSERT_EQ(doc.platforms.size(), 1u);
  EXPECT_EQ(doc.platforms[0].value, (app::Platform{"cisco_nxos", "Cisco NX-OS", "Cisco"}));
  EXPECT_EQ(doc.platforms[0].at.line, 7);
  EXPECT_EQ(doc.platforms[0].fieldLines, (Lines{{"id", 7}, {"name", 8}, {"vendor", 9}}));

  ASSERT_EQ(doc.devices.size(), 2u);
  const auto& core = doc.devices[0];
  EXPECT_EQ(core.value.name, "ams1-core-01");
  EXPECT_EQ(core.value.address, "10.1.0.1");
  EXPECT_EQ(core.value.platform, "cisco_ios");
  EXPECT_EQ(core.value.area, "emea/ams1");
  EXPECT_EQ(core.value.status, DeviceStatus::Active);
  EXPECT_EQ(core.value.role, "core");
  EXPECT_EQ(core.value.serial, "FOC123");
  EXPECT_EQ(core.value.tags, (Strings{"core", "dc"}));
  EXPECT_EQ(core.value.credentialsRef, "lab");
  EXPECT_EQ(core.value.sshPort, 2222);
  EXPECT_EQ(core.value.snmpPort, 1161);
  EXPECT_EQ(core.at.line, 11);
  EXPECT_EQ(core.fieldLines, (Lines{{"name", 11},
                                    {"address", 12},
                                    {"platform", 13},
                                    {"area", 14},
                                    {"status", 15},
                                    {"role", 16},
                                    {"serial", 17},
                                    {"tags", 18},
                                    {"credentials", 19},
                                    {"ssh_port", 20},
                                    {"snmp_port", 21}}));
  EXPECT_EQ(core.fieldAt("snmp_port").where(), path_ + ":21");

  const auto& edge = doc.devices[1];
  EXPECT_EQ(edge.value.address, "10.1.0.2");
  EXPECT_EQ(edge.value.platform, "arista_eos");
  EXPECT_EQ(edge.value.area, "ams1");
  EXPECT_EQ(edge.value.status, std::nullopt);
  EXPECT_EQ(edge.value.tags, (Strings{"edge", "lab"}));
  EXPECT_EQ(edge.fieldLines.at("area"), 25);

  ASSERT_EQ(doc.vlans.size(), 1u);
  EXPECT_EQ(doc.vlans[0].value.area, "emea/ams1");
  EXPECT_EQ(doc.vlans[0].value.vid, 100);
  EXPECT_EQ(doc.vlans[0].value.name, "users");
  EXPECT_EQ(doc.vlans[0].value.description, "office users");
  EXPECT_EQ(doc.vlans[0].at.line, 28);
  EXPECT_EQ(doc.vlans[0].fieldLines.at("vid"), 29);
}

TEST_F(InventoryReaderTest, ReadsJsonWithLines) {
  auto doc = read("inventory.json", R"({
  "areas": [{"name": "emea"}],
  "devices": [
    {
      "name": "r1",
      "address": "10.0.0.1",
      "platform": "cisco_ios",
      "area": "emea",
      "status": "PLANNED",
      "tags": ["a", "b"],
      "ssh_port": 22,
      "snmp_port": null,
      "serial": ""
    }
  ],
  "vlans": [{"area": "emea", "vid": 10, "name": "mgmt"}]
}
)");
  ASSERT_EQ(doc.areas.size(), 1u);
  EXPECT_EQ(doc.areas[0].at.line, 2);
  ASSERT_EQ(doc.devices.size(), 1u);
  const auto& d = doc.devices[0];
  EXPECT_EQ(d.at.line, 4);
  EXPECT_EQ(d.value.status, DeviceStatus::Planned);
  EXPECT_EQ(d.value.tags, (Strings{"a", "b"}));
  EXPECT_EQ(d.value.sshPort, 22);
  EXPECT_EQ(d.value.snmpPort, std::nullopt);  // null: not given
  EXPECT_EQ(d.fieldLines, (Lines{{"name", 5},
                                 {"address", 6},
                                 {"platform", 7},
                                 {"area", 8},
                                 {"status", 9},
                                 {"tags", 10},
                                 {"ssh_port", 11}}));
  ASSERT_EQ(doc.vlans.size(), 1u);
  EXPECT_EQ(doc.vlans[0].value.vid, 10);
  EXPECT_EQ(doc.vlans[0].at.line, 16);
}

TEST_F(InventoryReaderTest, ReadsJsonWithTabsAndAByteOrderMark) {
  auto doc = read("inventory.json",
                  "\xEF\xBB\xBF[\n\t{\"name\": \"r1\",\n\t \"address\": \"10.0.0.1\"}\n]\n");
  ASSERT_EQ(doc.devices.size(), 1u);
  EXPECT_EQ(doc.devices[0].value.name, "r1");
  EXPECT_EQ(doc.devices[0].fieldLines.at("address"), 3);
}

TEST_F(InventoryReaderTest, ReadsAPlainListOfDevices) {
  auto doc = read("devices.yml", R"(- name: r1
  address: 10.0.0.1
  platform: cisco_ios
  area: emea
- name: r2
  ip: 10.0.0.2
  platform: juniper-junos
  location: emea
  device_role: edge
  serial_number: S2
  credentials_ref: lab
)");
  ASSERT_EQ(doc.devices.size(), 2u);
  EXPECT_EQ(doc.devices[0].at.line, 1);
  EXPECT_EQ(doc.devices[1].at.line, 5);
  const auto& d = doc.devices[1].value;
  EXPECT_EQ(d.address, "10.0.0.2");
  EXPECT_EQ(d.platform, "juniper_junos");
  EXPECT_EQ(d.area, "emea");
  EXPECT_EQ(d.role, "edge");
  EXPECT_EQ(d.serial, "S2");
  EXPECT_EQ(d.credentialsRef, "lab");
  EXPECT_EQ(doc.devices[1].fieldLines.at("address"), 6);
  EXPECT_TRUE(doc.areas.empty());
}

TEST_F(InventoryReaderTest, SkipsTheKeysNetspineItselfWritesSoItsOutputImportsBack) {
  auto doc = read("devices.json", R"([{"id": 7, "name": "r1", "address": "10.0.0.1",
    "platform": "cisco_ios", "area": "emea/ams1", "status": "ACTIVE", "role": "", "serial": "",
    "os_version": "15.2(4)M7", "tags": [], "credentials": "", "ssh_port": null, "snmp_port": null, "version": 3,
    "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-02T00:00:00Z"}])");
  ASSERT_EQ(doc.devices.size(), 1u);
  EXPECT_EQ(doc.devices[0].value.name, "r1");
  EXPECT_EQ(doc.devices[0].value.status, DeviceStatus::Active);
  EXPECT_EQ(doc.devices[0].value.osVersion, "15.2(4)M7");
}

TEST_F(InventoryReaderTest, ReadsTheOsVersionFromYamlWithItsLine) {
  auto doc = read("inventory.yaml", R"(devices:
  - name: r1
    address: 10.0.0.1
    platform: cisco_ios
    area: emea
    os_version: 15.2(4)M7
  - name: r2
    address: 10.0.0.2
    platform: juniper_junos
    area: emea
    os_version: "20.4R3-S1.3"
  - name: r3
    address: 10.0.0.3
    platform: arista_eos
    area: emea
    software_version: 4.28.3M
  - name: r4
    address: 10.0.0.4
    platform: arista_eos
    area: emea
)");
  ASSERT_EQ(doc.devices.size(), 4u);
  EXPECT_EQ(doc.devices[0].value.osVersion, "15.2(4)M7");
  EXPECT_EQ(doc.devices[0].fieldLines.at("os_version"), 6);
  EXPECT_EQ(doc.devices[0].fieldAt("os_version").where(), path_ + ":6");
  EXPECT_EQ(doc.devices[1].value.osVersion, "20.4R3-S1.3");
  EXPECT_EQ(doc.devices[2].value.osVersion, "4.28.3M");
  EXPECT_EQ(doc.devices[3].value.osVersion, "");
  EXPECT_EQ(doc.devices[3].fieldLines.count("os_version"), 0u);
}

TEST_F(InventoryReaderTest, ImportStoresTheOsVersionAndABadOneNamesItsLine) {
  Database db(dir_.path("netspine.db"));
  Migrator(db).migrate();
  SqlStore store(db);
  app::InventoryImporter importer(store);
  const app::ChangeContext ctx{"test", ""};
  importer.run(read("inventory.yaml", R"(areas:
  - name: emea
devices:
  - name: r1
    address: 10.0.0.1
    platform: cisco_ios
    area: emea
    os_version: 15.2(4)M7
)"),
               ctx);
  auto uow = store.read();
  EXPECT_EQ(uow->devices().findByName("r1")->osVersion, "15.2(4)M7");
  uow.reset();

  // An upsert: a record that gives it replaces it, one that does not leaves it.
  importer.run(read("devices.csv",
                    "name,address,platform,area,os_version\n"
                    "r1,10.0.0.1,cisco_ios,emea,15.2(7)E8\n"),
               ctx, app::ImportMode::Upsert);
  EXPECT_EQ(store.read()->devices().findByName("r1")->osVersion, "15.2(7)E8");
  importer.run(read("devices.csv",
                    "name,address,platform,area\n"
                    "r1,10.0.0.1,cisco_ios,emea\n"),
               ctx, app::ImportMode::Upsert);
  EXPECT_EQ(store.read()->devices().findByName("r1")->osVersion, "15.2(7)E8");

  try {
    importer.run(read("devices.csv",
                      "name,address,platform,area,os_version\n"
                      "r2,10.0.0.2,cisco_ios,emea," +
                          std::string(129, '9') + "\n"),
                 ctx);
    FAIL() << "expected an ImportError";
  } catch (const app::ImportError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0], path_ + ":2: os_version: 129 characters (at most 128)");
  }
}

TEST_F(InventoryReaderTest, AnEmptyListIsAnEmptyDocument) {
  auto doc = read("inventory.yaml", "areas: []\ndevices:\nvlans: []\n");
  EXPECT_TRUE(doc.areas.empty());
  EXPECT_TRUE(doc.devices.empty());
  EXPECT_TRUE(doc.vlans.empty());
}

TEST_F(InventoryReaderTest, ReadsANetboxApiExport) {
  const auto fixture = (test::sourceDir() / "tests/fixtures/netbox_devices.json").string();
  auto doc = readInventoryFile(fixture);
  EXPECT_TRUE(doc.areas.empty());
  ASSERT_EQ(doc.devices.size(), 3u);

  const auto& core = doc.devices[0];
  EXPECT_EQ(core.at.file, fixture);
  EXPECT_EQ(core.at.line, 6);
  EXPECT_EQ(core.value.name, "ams1-core-01");
  EXPECT_EQ(core.value.role, "core-switch");
  EXPECT_EQ(core.value.platform, "cisco_ios");
  EXPECT_EQ(core.value.serial, "FOC2231X0AB");
  EXPECT_EQ(core.value.area, "ams1");  // site (slug), not location
  EXPECT_EQ(core.value.status, DeviceStatus::Active);
  EXPECT_EQ(core.value.address, "10.1.0.1");
  EXPECT_EQ(core.value.tags, (Strings{"core", "dc"}));
  EXPECT_EQ(core.fieldLines, (Lines{{"name", 10},
                                    {"role", 12},
                                    {"platform", 14},
                                    {"serial", 15},
                                    {"area", 17},
                                    {"status", 27},
                                    {"address", 29},
                                    {"tags", 40}}));

  const auto& edge = doc.devices[1];  // NetBox 3 names, status as a string, IPv6 only
  EXPECT_EQ(edge.value.role, "edge-router");
  EXPECT_EQ(edge.value.platform, "juniper_junos");
  EXPECT_EQ(edge.value.area, "fra1");
  EXPECT_EQ(edge.value.status, DeviceStatus::Planned);
  EXPECT_EQ(edge.value.address, "2001:db8:20::1");
  EXPECT_EQ(edge.value.serial, "");
  EXPECT_TRUE(edge.value.tags.empty());

  const auto& leaf = doc.devices[2];  // names where slugs are missing
  EXPECT_EQ(leaf.value.role, "Leaf");
  EXPECT_EQ(leaf.value.platform, "arista_eos");
  EXPECT_EQ(leaf.value.area, "nyc1");
  EXPECT_EQ(leaf.value.status, DeviceStatus::Staged);
  EXPECT_EQ(leaf.value.address, "10.3.0.11");
  EXPECT_EQ(leaf.value.tags, (Strings{"leaf"}));
}

TEST_F(InventoryReaderTest, NetboxExportProblemsNameTheLine) {
  EXPECT_EQ(problems("netbox.json", R"({"count": 2, "results": [
  {"name": "r1", "site": {"id": 3}, "status": {"value": "offline", "label": "Offline"}},
  {"name": "r2", "site": ["ams1"], "tags": "core"},
  "r3"
]})"),
            (Strings{"netbox.json:2: site: expected an object with slug or name",
                     "netbox.json:2: status: unknown status 'offline' (expected one of INVENTORY, "
                     "PLANNED, STAGED, ACTIVE, FAILED, DECOMMISSIONING)",
                     "netbox.json:3: site: expected a string, got a list",
                     "netbox.json:4: results[2]: expected an object, got 'r3'"}));
  EXPECT_EQ(problems("netbox.json", "{\"count\": 0, \"results\": 5}"),
            (Strings{"netbox.json:1: results: expected a list, got '5'"}));
}

TEST_F(InventoryReaderTest, AnUnknownKeyIsAProblemWithASuggestion) {
  EXPECT_EQ(problems("inventory.yaml", R"(devices:
  - name: r1
    adress: 10.0.0.1
    platfrom: cisco_ios
    colour: red
areas:
  - name: emea
    parnet: root
vlan:
  - vid: 1
)"),
            (Strings{"inventory.yaml:3: unknown key 'adress' (did you mean 'address'?)",
                     "inventory.yaml:4: unknown key 'platfrom' (did you mean 'platform'?)",
                     "inventory.yaml:5: unknown key 'colour' (known keys: name, address, "
                     "platform, area, status, role, serial, os_version, tags, credentials, "
                     "ssh_port, snmp_port)",
                     "inventory.yaml:8: unknown key 'parnet' (did you mean 'parent'?)",
                     "inventory.yaml:9: unknown key 'vlan' (did you mean 'vlans'?)"}));
}

TEST_F(InventoryReaderTest, WrongTypesNameTheLineAndField) {
  EXPECT_EQ(problems("inventory.yaml", R"(areas: 5
devices:
  - name: r1
    address: [10.0.0.1]
    tags: {core: true}
    ssh_port: twenty-two
    snmp_port: [161]
  - r2
vlans:
  - area: emea
    vid: ten
  - area: emea
    vid: 11
    name: {x: 1}
)"),
            (Strings{"inventory.yaml:1: areas: expected a list, got '5'",
                     "inventory.yaml:4: address: expected a string, got a list",
                     "inventory.yaml:5: tags: expected a list or a string, got an object",
                     "inventory.yaml:7: snmp_port: expected a string, got a list",
                     "inventory.yaml:6: ssh_port: expected an integer, got 'twenty-two'",
                     "inventory.yaml:8: devices[1]: expected an object, got 'r2'",
                     "inventory.yaml:11: vid: expected an integer, got 'ten'",
                     "inventory.yaml:14: name: expected a string, got an object"}));
}

TEST_F(InventoryReaderTest, TagListsHoldOnlyNames) {
  EXPECT_EQ(problems("devices.yaml", "- name: r1\n  tags:\n    - core\n    - [a, b]\n"),
            (Strings{"devices.yaml:4: tags[1]: expected a string, got a list"}));
}

TEST_F(InventoryReaderTest, ABadStatusNamesTheAllowedValues) {
  EXPECT_EQ(problems("devices.yaml", "- name: r1\n  status: offline\n"),
            (Strings{"devices.yaml:2: status: unknown status 'offline' (expected one of "
                     "INVENTORY, PLANNED, STAGED, ACTIVE, FAILED, DECOMMISSIONING)"}));
}

TEST_F(InventoryReaderTest, ADuplicateKeyIsAProblem) {
  EXPECT_EQ(problems("devices.yaml", "- name: r1\n  address: 10.0.0.1\n  name: r2\n"),
            (Strings{"devices.yaml:3: duplicate key 'name' (first at line 1)"}));
  EXPECT_EQ(problems("devices.yaml", "- name: r1\n  Name: r2\n"),
            (Strings{"devices.yaml:2: duplicate key 'Name' (first at line 1)"}));
}

TEST_F(InventoryReaderTest, ASyntaxErrorNamesLineAndColumn) {
  auto json = problems("inventory.json", "{\n  \"devices\": [\n    {\"name\": \"r1\"\n  ]\n}\n");
  ASSERT_EQ(json.size(), 1u);
  EXPECT_TRUE(json[0].starts_with("inventory.json:4:3: syntax error: ")) << json[0];
  auto yaml = problems("inventory.yaml", "devices:\n  - name: r1\n  address: [1\n");
  ASSERT_EQ(yaml.size(), 1u);
  EXPECT_TRUE(yaml[0].starts_with("inventory.yaml:3:3: syntax error: ")) << yaml[0];
}

TEST_F(InventoryReaderTest, TheRootMustBeAnObjectOrAList) {
  EXPECT_EQ(problems("inventory.yaml", ""),
            (Strings{"inventory.yaml:1: expected an object with areas, platforms, devices, "
                     "vlans, a list of devices, or a NetBox export {\"results\": [...]}; got an "
                     "empty file"}));
  EXPECT_EQ(problems("inventory.json", "\n\"devices\"\n"),
            (Strings{"inventory.json:2: expected an object with areas, platforms, devices, "
                     "vlans, a list of devices, or a NetBox export {\"results\": [...]}; got "
                     "'devices'"}));
}

TEST_F(InventoryReaderTest, CollectsProblemsOfEveryRecord) {
  std::string text = "devices:\n";
  for (int i = 0; i < 25; ++i) text += "  - {name: r, ssh_port: x}\n";
  auto found = problems("inventory.yaml", text);
  ASSERT_EQ(found.size(), 21u);
  EXPECT_EQ(found[0], "inventory.yaml:2: ssh_port: expected an integer, got 'x'");
  EXPECT_EQ(found[19], "inventory.yaml:21: ssh_port: expected an integer, got 'x'");
  EXPECT_EQ(found[20], "inventory.yaml: stopped after 20 problems");
}

TEST_F(InventoryReaderTest, DispatchesOnTheExtension) {
  EXPECT_EQ(read("a.csv", "name,address,platform,area\nr1,10.0.0.1,cisco_ios,a\n").devices.size(),
            1u);
  EXPECT_EQ(read("a.json", "[{\"name\": \"r1\"}]").devices.size(), 1u);
  EXPECT_EQ(read("a.yaml", "- name: r1\n").devices.size(), 1u);
  EXPECT_EQ(read("a.yml", "- name: r1\n").devices.size(), 1u);
  EXPECT_EQ(read("A.YML", "- name: r1\n").devices.size(), 1u);
  EXPECT_EQ(problems("a.txt", "name\n"),
            (Strings{"a.txt: unsupported file type '.txt' (supported: .csv, .json, .yaml, "
                     ".yml)"}));
  EXPECT_EQ(problems("inventory", "name\n"),
            (Strings{"inventory: unsupported file type (no extension) (supported: .csv, "
                     ".json, .yaml, .yml)"}));
}

TEST_F(InventoryReaderTest, AFileThatCannotBeOpenedNamesTheReason) {
  const auto missing = dir_.path("missing.yaml");
  try {
    readInventoryFile(missing);
    FAIL() << "expected an ImportError";
  } catch (const app::ImportError& e) {
    EXPECT_EQ(e.problems(), (Strings{"cannot open " + missing + ": No such file or directory"}));
  }
  dir_.write("folder.json/x", "");
  try {
    readInventoryFile(dir_.path("folder.json"));
    FAIL() << "expected an ImportError";
  } catch (const app::ImportError& e) {
    EXPECT_EQ(e.problems(),
              (Strings{"cannot open " + dir_.path("folder.json") + ": Is a directory"}));
  }
}

TEST(InventoryExamplesTest, ImportIntoAMigratedDatabase) {
  // The README demo: the example inventory, then the NetBox-style CSV into the same database.
  test::TempFolder dir;
  Database db(dir.path("netspine.db"));
  Migrator(db).migrate();
  SqlStore store(db);
  app::InventoryImporter importer(store);
  const app::ChangeContext ctx{"test", "examples"};

  auto inventory = importer.run(
      readInventoryFile((test::sourceDir() / "examples/inventory.json").string()), ctx);
  EXPECT_EQ(inventory.areas, 5);
  EXPECT_EQ(inventory.platforms, 0);
  EXPECT_EQ(inventory.devicesCreated, 12);
  EXPECT_EQ(inventory.vlans, 5);

  auto csv =
      importer.run(readInventoryFile((test::sourceDir() / "examples/devices.csv").string()), ctx);
  EXPECT_EQ(csv.devicesCreated, 10);
  EXPECT_EQ(csv.areas, 0);
}

}  // namespace
}  // namespace netspine::infra
