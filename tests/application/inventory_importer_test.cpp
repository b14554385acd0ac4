#include "application/inventory_importer.hpp"

#include "service_fixture.hpp"

namespace netspine::test {
namespace {

using app::ImportError;
using app::ImportMode;
using app::InventoryDocument;
using domain::DeviceStatus;

class InventoryImporterTest : public ServiceTest {
 protected:
  /// `n` good device rows from "devices.csv", line i+2 for row i (after the header).
  InventoryDocument goodRows(int n) {
    InventoryDocument doc;
    for (int i = 0; i < n; ++i) {
      auto in = device("dev" + std::to_string(i), i % 2 ? "emea/ams1" : "emea/fra1");
      in.tags = {"bulk"};
      doc.devices.push_back({in, {"devices.csv", i + 2}, {}});
    }
    return doc;
  }
  app::InventoryImporter importer{store, clock};
};

TEST_P(InventoryImporterTest, ImportsEverythingInOneGoWithChangeEntries) {
  auto before = changes.list("").size();
  auto summary = importer.run(goodRows(500), ctx);
  EXPECT_EQ(summary.devicesCreated, 500);
  EXPECT_EQ(devices.count({}), 500);
  EXPECT_EQ(devices.get("dev7").tags, (std::vector<std::string>{"bulk"}));
  EXPECT_EQ(devices.get("dev7").areaId, areas.get("emea/ams1").id);
  EXPECT_EQ(changes.list("").size(), before + 500);
  auto log = changes.list("device:dev7");
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].actor, "test:alice");
  EXPECT_NE(log[0].after.find("\"area\":\"emea/ams1\""), std::string::npos);
}

TEST_P(InventoryImporterTest, OneBadRowWritesNothingAndNamesFileLineAndField) {
  auto doc = goodRows(1000);
  doc.devices[736].value.address = "10.0.0.300";
  auto before = snapshot();
  try {
    importer.run(doc, ctx);
    FAIL() << "the import must be refused";
  } catch (const ImportError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0],
              "devices.csv:738: address: '10.0.0.300' is not a valid IPv4 address (four numbers "
              "0-255 without leading zeros)");
  }
  EXPECT_EQ(snapshot(), before);
}

TEST_P(InventoryImporterTest, FieldLinesAreUsedWhenKnown) {
  InventoryDocument doc;
  auto in = device("r1");
  in.platform = "nokia_sros";
  doc.devices.push_back({in, {"inv.json", 10}, {{"name", 11}, {"platform", 13}}});
  try {
    importer.run(doc, ctx);
    FAIL();
  } catch (const ImportError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].rfind("inv.json:13: platform: unknown platform 'nokia_sros'", 0), 0u)
        << e.problems()[0];
  }
}

TEST_P(InventoryImporterTest, DuplicatesInFileAndInDatabase) {
  devices.create(device("existing"), ctx);
  auto doc = goodRows(3);
  doc.devices[2].value.name = "dev0";
  doc.devices.push_back({device("existing"), {"devices.csv", 5}, {}});
  auto before = snapshot();
  try {
    importer.run(doc, ctx);
    FAIL();
  } catch (const ImportError& e) {
    ASSERT_EQ(e.problems().size(), 2u);
    EXPECT_EQ(e.problems()[0],
              "devices.csv:4: name: device 'dev0' appears twice (first at devices.csv:2)");
    EXPECT_EQ(e.problems()[1],
              "devices.csv:5: name: device 'existing' already exists (import with upsert to "
              "update it)");
  }
  EXPECT_EQ(snapshot(), before);
}

TEST_P(InventoryImporterTest, ProblemsAreCappedButAllRowsAreChecked) {
  auto doc = goodRows(100);
  for (auto& r : doc.devices) r.value.address = "bad address";
  try {
    importer.run(doc, ctx, ImportMode::Create, 5);
    FAIL();
  } catch (const ImportError& e) {
    EXPECT_EQ(e.problems().size(), 5u);
  }
  EXPECT_EQ(devices.count({}), 0);
}

TEST_P(InventoryImporterTest, UpsertUpdatesExistingDevicesThroughTheStatusRules) {
  auto in = device("r1");
  in.status = DeviceStatus::Active;
  devices.create(in, ctx);
  InventoryDocument doc;
  auto update = device("r1");
  update.address = "198.51.100.1";
  update.status = DeviceStatus::Failed;
  doc.devices.push_back({update, {"d.csv", 2}, {}});
  doc.devices.push_back({device("r2"), {"d.csv", 3}, {}});
  auto summary = importer.run(doc, ctx, ImportMode::Upsert);
  EXPECT_EQ(summary.devicesCreated, 1);
  EXPECT_EQ(summary.devicesUpdated, 1);
  EXPECT_EQ(devices.get("r1").address, "198.51.100.1");
  EXPECT_EQ(devices.get("r1").status, DeviceStatus::Failed);

  // FAILED -> PLANNED is not in the graph: the whole import is refused.
  doc.devices[0].value.status = DeviceStatus::Planned;
  doc.devices[1].value.name = "r3";
  auto before = snapshot();
  try {
    importer.run(doc, ctx, ImportMode::Upsert);
    FAIL();
  } catch (const ImportError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].rfind("d.csv:2: device 'r1': status FAILED cannot change", 0), 0u)
        << e.problems()[0];
  }
  EXPECT_EQ(snapshot(), before);
}

TEST_P(InventoryImporterTest, WholeDocumentInOrderAndAllOrNothing) {
  InventoryDocument doc;
  doc.areas.push_back({{"apac", "", ""}, {"inv.yaml", 2}, {}});
  doc.areas.push_back({{"sin1", "apac", ""}, {"inv.yaml", 4}, {}});
  doc.platforms.push_back({{"nokia_sros", "Nokia SR OS", "Nokia"}, {"inv.yaml", 7}, {}});
  auto in = device("sw1", "apac/sin1");
  in.platform = "nokia_sros";
  doc.devices.push_back({in, {"inv.yaml", 10}, {}});
  doc.vlans.push_back({{"apac/sin1", 10, "users", ""}, {"inv.yaml", 15}, {}});
  doc.vlans.push_back({{"apac/sin1", 10, "dup", ""}, {"inv.yaml", 17}, {}});
  auto before = snapshot();
  try {
    importer.run(doc, ctx);
    FAIL();
  } catch (const ImportError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].rfind("inv.yaml:17: vid: vlan 10 already exists", 0), 0u)
        << e.problems()[0];
  }
  EXPECT_EQ(snapshot(), before);

  doc.vlans.pop_back();
  auto summary = importer.run(doc, ctx);
  EXPECT_EQ(summary.areas, 2);
  EXPECT_EQ(summary.platforms, 1);
  EXPECT_EQ(summary.devicesCreated, 1);
  EXPECT_EQ(summary.vlans, 1);
  EXPECT_EQ(devices.get("sw1").areaId, areas.get("apac/sin1").id);
}

NETSPINE_SERVICE_SUITE(InventoryImporterTest);

}  // namespace
}  // namespace netspine::test
