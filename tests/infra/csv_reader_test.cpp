#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "application/inventory_importer.hpp"
#include "infra/inventory_reader.hpp"
#include "support/temp_folder.hpp"

namespace netspine::infra {
namespace {

using app::DeviceInput;
using domain::DeviceStatus;
using Strings = std::vector<std::string>;

class CsvReaderTest : public ::testing::Test {
 protected:
  /// Reads `text` as devices.csv.
  app::InventoryDocument read(std::string_view text) {
    path_ = dir_.write("devices.csv", text);
    return readDevicesCsv(path_);
  }

  DeviceInput readOne(std::string_view text) {
    auto doc = read(text);
    EXPECT_EQ(doc.devices.size(), 1u);
    return doc.devices.empty() ? DeviceInput{} : doc.devices.front().value;
  }

  /// The problems reading `text` gives, with the temp folder left out of the file name.
  Strings problems(std::string_view text) {
    try {
      read(text);
    } catch (const app::ImportError& e) {
      Strings out;
      for (auto p : e.problems()) {
        if (p.starts_with(path_)) p.replace(0, path_.size(), "devices.csv");
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

constexpr std::string_view kKnown =
    "known columns: name, address, platform, area, status, role, serial, os_version, tags, "
    "credentials, ssh_port, snmp_port";

TEST_F(CsvReaderTest, ReadsEveryFieldOfTheCanonicalColumns) {
  auto doc = read(
      "name,address,platform,area,status,role,serial,os_version,tags,credentials,ssh_port,"
      "snmp_port\n"
      "ams1-core-01,10.1.0.1,cisco_ios,emea/ams1,active,core,FOC123,15.2(4)M7,\"core,dc\",lab,"
      "2222,1161\n"
      "ams1-edge-01,10.1.0.2,arista_eos,emea/ams1,,,,,,,,\n");
  ASSERT_EQ(doc.devices.size(), 2u);
  const auto& first = doc.devices[0];
  EXPECT_EQ(first.value.name, "ams1-core-01");
  EXPECT_EQ(first.value.address, "10.1.0.1");
  EXPECT_EQ(first.value.platform, "cisco_ios");
  EXPECT_EQ(first.value.area, "emea/ams1");
  EXPECT_EQ(first.value.status, DeviceStatus::Active);
  EXPECT_EQ(first.value.role, "core");
  EXPECT_EQ(first.value.serial, "FOC123");
  EXPECT_EQ(first.value.osVersion, "15.2(4)M7");
  EXPECT_EQ(first.value.tags, (Strings{"core", "dc"}));
  EXPECT_EQ(first.value.credentialsRef, "lab");
  EXPECT_EQ(first.value.sshPort, 2222);
  EXPECT_EQ(first.value.snmpPort, 1161);
  EXPECT_EQ(first.at.file, path_);
  EXPECT_EQ(first.at.line, 2);
  EXPECT_EQ(first.fieldLines.size(), 12u);
  EXPECT_EQ(first.fieldAt("ssh_port").where(), path_ + ":2");

  // Empty cells are fields not given.
  const auto& second = doc.devices[1];
  EXPECT_EQ(second.at.line, 3);
  EXPECT_EQ(second.value.status, std::nullopt);
  EXPECT_EQ(second.value.role, "");
  EXPECT_TRUE(second.value.tags.empty());
  EXPECT_EQ(second.value.sshPort, std::nullopt);
  EXPECT_EQ(second.value.snmpPort, std::nullopt);
  EXPECT_EQ(second.fieldLines.size(), 4u);
  EXPECT_EQ(second.fieldLines.count("status"), 0u);
}

TEST_F(CsvReaderTest, ColumnNamesIgnoreCaseAndSurroundingSpace) {
  auto d = readOne(" NAME , Address,PLATFORM,Area\nr1,10.0.0.1,cisco_ios,ams1\n");
  EXPECT_EQ(d.name, "r1");
  EXPECT_EQ(d.address, "10.0.0.1");
  EXPECT_EQ(d.platform, "cisco_ios");
  EXPECT_EQ(d.area, "ams1");
}

struct AliasCase {
  std::string column;
  std::string cell;
  std::function<std::string(const DeviceInput&)> field;
  std::string expected;
  std::string replaces;  // the required column the alias stands in for, if any
};

class CsvAliasTest : public CsvReaderTest, public ::testing::WithParamInterface<AliasCase> {};

TEST_P(CsvAliasTest, AliasFillsItsField) {
  const auto& c = GetParam();
  std::string header, row;
  for (auto [column, cell] : {std::pair{"name", "r1"},
                              {"address", "10.0.0.1"},
                              {"platform", "cisco_ios"},
                              {"area", "ams1"}}) {
    if (column == c.replaces) continue;
    header += std::string(column) + ",";
    row += std::string(cell) + ",";
  }
  const auto text = header + c.column + "\n" + row + "\"" + c.cell + "\"\n";
  EXPECT_EQ(c.field(readOne(text)), c.expected) << text;
}

std::string addressOf(const DeviceInput& d) {
  return d.address;
}
std::string areaOf(const DeviceInput& d) {
  return d.area;
}
std::string roleOf(const DeviceInput& d) {
  return d.role;
}
std::string serialOf(const DeviceInput& d) {
  return d.serial;
}
std::string osVersionOf(const DeviceInput& d) {
  return d.osVersion;
}
std::string credentialsOf(const DeviceInput& d) {
  return d.credentialsRef;
}

INSTANTIATE_TEST_SUITE_P(
    CsvEveryAlias, CsvAliasTest,
    ::testing::Values(
        AliasCase{"ip", "192.0.2.1", addressOf, "192.0.2.1", "address"},
        AliasCase{"IP Address", "192.0.2.1/24", addressOf, "192.0.2.1", "address"},
        AliasCase{"Primary IP", "192.0.2.1/24", addressOf, "192.0.2.1", "address"},
        AliasCase{"primary_ip", "192.0.2.1", addressOf, "192.0.2.1", "address"},
        AliasCase{"primary_ip4", "192.0.2.1/32", addressOf, "192.0.2.1", "address"},
        AliasCase{"primary_ip6", "2001:db8::1/64", addressOf, "2001:db8::1", "address"},
        AliasCase{"IPv4 Address", "192.0.2.1/24", addressOf, "192.0.2.1", "address"},
        AliasCase{"IPv6 Address", "2001:db8::1/64", addressOf, "2001:db8::1", "address"},
        AliasCase{"mgmt_address", "r1.example.net", addressOf, "r1.example.net", "address"},
        AliasCase{"Management Address", "192.0.2.1", addressOf, "192.0.2.1", "address"},
        AliasCase{"site", "ams1", areaOf, "ams1", "area"},
        AliasCase{"Location", "emea/ams1", areaOf, "emea/ams1", "area"},
        AliasCase{"Device Role", "core", roleOf, "core", ""},
        AliasCase{"device_role", "edge", roleOf, "edge", ""},
        AliasCase{"Serial Number", "SN1", serialOf, "SN1", ""},
        AliasCase{"serial_number", "SN1", serialOf, "SN1", ""},
        AliasCase{"os_version", "4.28.3M", osVersionOf, "4.28.3M", ""},
        AliasCase{"OS Version", " 20.4R3-S1.3 ", osVersionOf, "20.4R3-S1.3", ""},
        AliasCase{"Software Version", "15.2(4)M7", osVersionOf, "15.2(4)M7", ""},
        AliasCase{"credentials_ref", "lab", credentialsOf, "lab", ""},
        AliasCase{"Credentials", "lab", credentialsOf, "lab", ""}));

TEST_F(CsvReaderTest, NormalisesNetboxPlatformNames) {
  auto doc = read(
      "name,address,platform,area\n"
      "r1,10.0.0.1,Cisco IOS,ams1\n"
      "r2,10.0.0.2,cisco-ios,ams1\n"
      "r3,10.0.0.3,Juniper-Junos,ams1\n"
      "r4,10.0.0.4, Arista EOS ,ams1\n");
  ASSERT_EQ(doc.devices.size(), 4u);
  EXPECT_EQ(doc.devices[0].value.platform, "cisco_ios");
  EXPECT_EQ(doc.devices[1].value.platform, "cisco_ios");
  EXPECT_EQ(doc.devices[2].value.platform, "juniper_junos");
  EXPECT_EQ(doc.devices[3].value.platform, "arista_eos");
}

TEST_F(CsvReaderTest, DropsThePrefixLengthOfAddressesOnly) {
  auto doc = read(
      "name,address,platform,area\n"
      "r1,10.0.0.1/24,cisco_ios,ams1\n"
      "r2,2001:db8::1/64,cisco_ios,ams1\n"
      "r3,r3.example.net/24,cisco_ios,ams1\n"
      "r4,10.0.0.300/24,cisco_ios,ams1\n");
  ASSERT_EQ(doc.devices.size(), 4u);
  EXPECT_EQ(doc.devices[0].value.address, "10.0.0.1");
  EXPECT_EQ(doc.devices[1].value.address, "2001:db8::1");
  // Not an IP address before the '/': left whole for the importer to refuse.
  EXPECT_EQ(doc.devices[2].value.address, "r3.example.net/24");
  EXPECT_EQ(doc.devices[3].value.address, "10.0.0.300/24");
}

TEST_F(CsvReaderTest, AcceptsNetboxStatusesInAnyCase) {
  auto doc = read(
      "name,address,platform,area,status\n"
      "r1,10.0.0.1,cisco_ios,a,active\n"
      "r2,10.0.0.1,cisco_ios,a,Planned\n"
      "r3,10.0.0.1,cisco_ios,a,STAGED\n"
      "r4,10.0.0.1,cisco_ios,a,failed\n"
      "r5,10.0.0.1,cisco_ios,a,Inventory\n"
      "r6,10.0.0.1,cisco_ios,a,decommissioning\n");
  ASSERT_EQ(doc.devices.size(), 6u);
  EXPECT_EQ(doc.devices[0].value.status, DeviceStatus::Active);
  EXPECT_EQ(doc.devices[1].value.status, DeviceStatus::Planned);
  EXPECT_EQ(doc.devices[2].value.status, DeviceStatus::Staged);
  EXPECT_EQ(doc.devices[3].value.status, DeviceStatus::Failed);
  EXPECT_EQ(doc.devices[4].value.status, DeviceStatus::Inventory);
  EXPECT_EQ(doc.devices[5].value.status, DeviceStatus::Decommissioning);
}

TEST_F(CsvReaderTest, SplitsTagsOnCommasAndSemicolons) {
  auto d =
      readOne("name,address,platform,area,tags\nr1,10.0.0.1,cisco_ios,a,\"core, dc ;lab;;\"\n");
  EXPECT_EQ(d.tags, (Strings{"core", "dc", "lab"}));
}

TEST_F(CsvReaderTest, ReadsANetboxDeviceExport) {
  auto doc = read(
      "ID,Name,Status,Tenant,Site,Location,Rack,Role,Manufacturer,Type,Platform,IP Address,"
      "IPv4 Address,IPv6 Address,Serial number,Asset tag,Position (U),Rack face,Airflow,Cluster,"
      "Virtual Chassis,Tags,Comments,Description,Created,Last updated\n"
      "17,ams1-core-01,Active,Acme,ams1,Row 3,R1,Core Switch,Cisco,C9500,Cisco IOS,"
      "10.1.0.1/24,10.1.0.1/24,,FOC1,A-17,42,Front,front-to-rear,,,\"core,dc\",,main core,"
      "2024-01-01,2024-02-01 10:00\n"
      "18,ams1-lab-01,Planned,,ams1,,,,Juniper,MX204,Juniper Junos,,,2001:db8::1/64,,,,,,,,,,,"
      "2024-01-01,2024-02-01\n");
  ASSERT_EQ(doc.devices.size(), 2u);
  const auto& d = doc.devices[0].value;
  EXPECT_EQ(d.name, "ams1-core-01");
  EXPECT_EQ(d.status, DeviceStatus::Active);
  EXPECT_EQ(d.area, "ams1");  // Site wins over Location
  EXPECT_EQ(d.role, "Core Switch");
  EXPECT_EQ(d.platform, "cisco_ios");
  EXPECT_EQ(d.address, "10.1.0.1");
  EXPECT_EQ(d.serial, "FOC1");
  EXPECT_EQ(d.tags, (Strings{"core", "dc"}));
  // The IPv6 column fills the address when the primary IP is empty.
  EXPECT_EQ(doc.devices[1].value.address, "2001:db8::1");
  EXPECT_EQ(doc.devices[1].value.status, DeviceStatus::Planned);
}

TEST_F(CsvReaderTest, LocationFillsTheAreaWhenSiteIsEmpty) {
  auto d = readOne("name,address,platform,site,location\nr1,10.0.0.1,cisco_ios,,ams1\n");
  EXPECT_EQ(d.area, "ams1");
}

TEST_F(CsvReaderTest, QuotedFieldsFollowRfc4180) {
  auto doc = read(
      "name,address,platform,area,role,serial\n"
      "\"r1\",\"10.0.0.1\",cisco_ios,\"a,b\",\"the \"\"big\"\" one\",\"\"\n");
  ASSERT_EQ(doc.devices.size(), 1u);
  const auto& d = doc.devices[0].value;
  EXPECT_EQ(d.name, "r1");
  EXPECT_EQ(d.area, "a,b");
  EXPECT_EQ(d.role, "the \"big\" one");
  EXPECT_EQ(d.serial, "");
  EXPECT_EQ(doc.devices[0].fieldLines.count("serial"), 0u);
}

TEST_F(CsvReaderTest, AMultiLineRecordHasTheLineItStartsOn) {
  auto doc = read(
      "name,address,platform,area,role,ssh_port\n"
      "r1,10.0.0.1,cisco_ios,a,\"two\nlines\",22\n"
      "r2,10.0.0.2,cisco_ios,a,\"three\r\nlines\nhere\",22\n"
      "r3,10.0.0.3,cisco_ios,a,,22\n");
  ASSERT_EQ(doc.devices.size(), 3u);
  EXPECT_EQ(doc.devices[0].at.line, 2);
  EXPECT_EQ(doc.devices[0].value.role, "two\nlines");
  EXPECT_EQ(doc.devices[0].fieldLines.at("role"), 2);
  EXPECT_EQ(doc.devices[0].fieldLines.at("ssh_port"), 3);  // the cell starts on the next line
  EXPECT_EQ(doc.devices[1].at.line, 4);
  EXPECT_EQ(doc.devices[1].value.role, "three\r\nlines\nhere");
  EXPECT_EQ(doc.devices[2].at.line, 7);
}

TEST_F(CsvReaderTest, ProblemsInMultiLineRecordsNameTheRightLine) {
  EXPECT_EQ(problems("name,address,platform,area,role,ssh_port\n"
                     "r1,10.0.0.1,cisco_ios,a,\"two\nlines\",x\n"
                     "r2,10.0.0.1,cisco_ios,a,,y\n"),
            (Strings{"devices.csv:3: ssh_port: expected an integer, got 'x'",
                     "devices.csv:4: ssh_port: expected an integer, got 'y'"}));
}

TEST_F(CsvReaderTest, ReadsCrlfAndAByteOrderMark) {
  auto doc = read(
      "\xEF\xBB\xBFname,address,platform,area\r\n"
      "r1,10.0.0.1,cisco_ios,a\r\n"
      "r2,10.0.0.2,cisco_ios,a\r\n");
  ASSERT_EQ(doc.devices.size(), 2u);
  EXPECT_EQ(doc.devices[0].value.name, "r1");  // the BOM is not part of the first column's name
  EXPECT_EQ(doc.devices[1].value.area, "a");   // no '\r' left at the end of the last cell
  EXPECT_EQ(doc.devices[1].at.line, 3);
}

TEST_F(CsvReaderTest, ReadsALastRecordWithoutLineBreakAndSkipsBlankLines) {
  auto doc = read(
      "name,address,platform,area\n"
      "\n"
      "r1,10.0.0.1,cisco_ios,a\n"
      ",,,\n"
      "r2,10.0.0.2,cisco_ios,a");
  ASSERT_EQ(doc.devices.size(), 2u);
  EXPECT_EQ(doc.devices[0].at.line, 3);
  EXPECT_EQ(doc.devices[1].at.line, 5);
  EXPECT_EQ(doc.devices[1].value.area, "a");
  EXPECT_EQ(read("name,address,platform,area\nr1,10.0.0.1,cisco_ios,a\n\n\r\n\n").devices.size(),
            1u);
}

TEST_F(CsvReaderTest, AHeaderAloneIsNoDevices) {
  EXPECT_TRUE(read("name,address,platform,area\n").devices.empty());
}

TEST_F(CsvReaderTest, IgnoresNetboxColumnsNetspineHasNoFieldFor) {
  auto d = readOne(
      "name,address,platform,area,id,tenant,rack,position,face,manufacturer,device type,"
      "type,airflow,asset tag,cluster,virtual chassis,comments,description,created,"
      "last updated,region,site group,parent device,config template\n"
      "r1,10.0.0.1,cisco_ios,a,1,t,r,4,front,m,dt,ty,af,at,c,vc,co,de,cr,lu,re,sg,pd,ct\n");
  EXPECT_EQ(d.name, "r1");
  EXPECT_EQ(readOne("Name,IP Address,Platform,Site,device_type,asset_tag,Position (U),Rack face,"
                    "last_updated\nr1,10.0.0.1,cisco_ios,a,dt,at,4,Front,lu\n")
                .name,
            "r1");
}

TEST_F(CsvReaderTest, AnUnknownColumnIsAProblemWithASuggestion) {
  EXPECT_EQ(problems("name,adress,platform,area\nr1,10.0.0.1,cisco_ios,a\n"),
            (Strings{"devices.csv:1: unknown column 'adress' (did you mean 'address'?); " +
                         std::string(kKnown),
                     "devices.csv:1: missing column 'address' (required: name, address, "
                     "platform, area)"}));
  EXPECT_EQ(problems("name,address,platform,area,colour\nr1,10.0.0.1,cisco_ios,a,red\n"),
            (Strings{"devices.csv:1: unknown column 'colour'; " + std::string(kKnown)}));
}

TEST_F(CsvReaderTest, EveryMissingRequiredColumnIsAProblem) {
  EXPECT_EQ(problems("role\ncore\n"),
            (Strings{"devices.csv:1: missing column 'name' (required: name, address, platform, "
                     "area)",
                     "devices.csv:1: missing column 'address' (required: name, address, "
                     "platform, area)",
                     "devices.csv:1: missing column 'platform' (required: name, address, "
                     "platform, area)",
                     "devices.csv:1: missing column 'area' (required: name, address, platform, "
                     "area)"}));
}

TEST_F(CsvReaderTest, ADuplicateColumnIsAProblem) {
  EXPECT_EQ(problems("name,address,platform,area,Name\nr1,10.0.0.1,cisco_ios,a,r2\n"),
            (Strings{"devices.csv:1: duplicate column 'Name' (columns 1 and 5)"}));
}

TEST_F(CsvReaderTest, BadPortsAndStatusesNameTheLineAndField) {
  EXPECT_EQ(problems("name,address,platform,area,status,ssh_port,snmp_port\n"
                     "r1,10.0.0.1,cisco_ios,a,active,22,161\n"
                     "r2,10.0.0.2,cisco_ios,a,offline,twenty-two,161\n"
                     "r3,10.0.0.3,cisco_ios,a,active,22,16.1\n"
                     "r4,10.0.0.4,cisco_ios,a,active,99999999999,\n"),
            (Strings{"devices.csv:3: status: unknown status 'offline' (expected one of "
                     "INVENTORY, PLANNED, STAGED, ACTIVE, FAILED, DECOMMISSIONING)",
                     "devices.csv:3: ssh_port: expected an integer, got 'twenty-two'",
                     "devices.csv:4: snmp_port: expected an integer, got '16.1'",
                     "devices.csv:5: ssh_port: 99999999999 is out of range"}));
}

TEST_F(CsvReaderTest, ARowWithTheWrongNumberOfFieldsIsAProblem) {
  EXPECT_EQ(problems("name,address,platform,area,role\n"
                     "r1,10.0.0.1,cisco_ios,a\n"
                     "r2,10.0.0.2,cisco_ios,a,core,extra\n"
                     "r3,10.0.0.3,cisco_ios,a,core\n"),
            (Strings{"devices.csv:2: row has 4 fields, the header has 5",
                     "devices.csv:3: row has 6 fields, the header has 5"}));
}

TEST_F(CsvReaderTest, BrokenQuotingIsAProblem) {
  EXPECT_EQ(problems("name,address,platform,area\n"
                     "r1,10.0.0.1,cisco_ios,\"a\"b\n"),
            (Strings{"devices.csv:2: unexpected 'b' after a closing quote (a quote inside a "
                     "quoted field is written twice: \"\")"}));
  EXPECT_EQ(problems("name,address,platform,area\n"
                     "r1,10.0.0.1,cisco_ios,a\n"
                     "r2,\"10.0.0.2,cisco_ios,a\n"
                     "r3,10.0.0.3,cisco_ios,a\n"),
            (Strings{"devices.csv:3: unterminated quoted field (a '\"' opens here and never "
                     "closes)"}));
}

TEST_F(CsvReaderTest, AValueUnderAColumnWithoutNameIsAProblem) {
  EXPECT_EQ(read("name,address,platform,area,\nr1,10.0.0.1,cisco_ios,a,\n").devices.size(), 1u);
  EXPECT_EQ(problems("name,address,platform,area,\nr1,10.0.0.1,cisco_ios,a,x\n"
                     "r2,10.0.0.1,cisco_ios,a,y\n"),
            (Strings{"devices.csv:2: column 5 has no name in the header row but holds 'x'"}));
}

TEST_F(CsvReaderTest, AnEmptyFileHasNoHeader) {
  EXPECT_EQ(problems(""), (Strings{"devices.csv:1: no header row (expected columns: name, "
                                   "address, platform, area, status, role, serial, os_version, "
                                   "tags, credentials, ssh_port, snmp_port)"}));
  EXPECT_EQ(problems("\n\n").size(), 1u);
}

TEST_F(CsvReaderTest, StopsAfterTwentyProblems) {
  std::string text = "name,address,platform,area,ssh_port\n";
  for (int i = 0; i < 30; ++i) text += "r,10.0.0.1,cisco_ios,a,x\n";
  auto found = problems(text);
  ASSERT_EQ(found.size(), 21u);
  EXPECT_EQ(found[19], "devices.csv:21: ssh_port: expected an integer, got 'x'");
  EXPECT_EQ(found[20], "devices.csv: stopped after 20 problems");
}

TEST_F(CsvReaderTest, AFileThatCannotBeOpenedNamesTheReason) {
  const auto missing = dir_.path("missing.csv");
  try {
    readDevicesCsv(missing);
    FAIL() << "expected an ImportError";
  } catch (const app::ImportError& e) {
    EXPECT_EQ(e.problems(), (Strings{"cannot open " + missing + ": No such file or directory"}));
  }
}

}  // namespace
}  // namespace netspine::infra
