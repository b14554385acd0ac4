#include "domain/validation.hpp"

#include <gtest/gtest.h>

#include "domain/errors.hpp"

namespace netspine::domain {
namespace {

/// The field a rule names when it refuses, or "" when it accepts.
template <class F>
std::string refusedField(F&& f) {
  try {
    f();
  } catch (const ValidationError& e) {
    return e.field();
  }
  return "";
}

TEST(Validation, DeviceNames) {
  for (const std::string& ok :
       std::vector<std::string>{"r1", "core-sw.ams1", "A_b-9", std::string(64, 'x')}) {
    EXPECT_EQ(refusedField([&] { validateDeviceName(ok); }), "") << ok;
  }
  for (const std::string& bad :
       std::vector<std::string>{"", ".", "..", "a b", "a/b", "r1\n", "é", std::string(65, 'x')}) {
    EXPECT_EQ(refusedField([&] { validateDeviceName(bad); }), "name") << bad;
  }
}

TEST(Validation, DeviceNameMessageNamesTheCharacter) {
  try {
    validateDeviceName("core/1");
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_EQ(std::string(e.what()),
              "name: device name 'core/1' contains '/' (allowed: letters, digits, '.', '_', '-')");
  }
}

TEST(Validation, Addresses) {
  for (auto ok : {"10.0.0.1", "0.0.0.0", "255.255.255.255", "2001:db8::1", "::1", "fe80::1:2",
                  "::ffff:192.0.2.1", "router1.example.net", "r1", "r1.example.net.", "a-b.c"}) {
    EXPECT_TRUE(isIpv4(ok) || isIpv6(ok) || isDnsName(ok)) << ok;
    EXPECT_EQ(refusedField([&] { validateAddress(ok); }), "") << ok;
  }
  for (auto bad :
       {"", "999.1.1.1", "10.0.0", "10.0.0.1.2", "010.0.0.1", "10.0.0.256", "1.2.3.4/24",
        "2001:db8:::1", "gggg::1", "-r1", "r1-", "a..b", "bad host", "r1_x", "[::1]", "1.2.3.4 "}) {
    EXPECT_EQ(refusedField([&] { validateAddress(bad); }), "address") << bad;
  }
  EXPECT_FALSE(isDnsName(std::string(64, 'a') + ".net"));
  EXPECT_TRUE(isDnsName(std::string(63, 'a') + ".net"));
}

TEST(Validation, AddressMessages) {
  try {
    validateAddress("999.1.1.1");
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_EQ(std::string(e.what()),
              "address: '999.1.1.1' is not a valid IPv4 address (four numbers 0-255 without "
              "leading zeros)");
  }
}

TEST(Validation, VidRange) {
  EXPECT_EQ(refusedField([] { validateVid(1); }), "");
  EXPECT_EQ(refusedField([] { validateVid(4094); }), "");
  EXPECT_EQ(refusedField([] { validateVid(0); }), "vid");
  EXPECT_EQ(refusedField([] { validateVid(4095); }), "vid");
  EXPECT_EQ(refusedField([] { validateVid(-1); }), "vid");
  try {
    validateVid(4095);
  } catch (const ValidationError& e) {
    EXPECT_EQ(std::string(e.what()), "vid: vlan 4095 out of range 1-4094");
  }
}

TEST(Validation, PlatformIds) {
  for (auto ok : {"cisco_ios", "juniper_junos", "arista_eos", "nxos9k"}) {
    EXPECT_EQ(refusedField([&] { validatePlatformId(ok); }), "") << ok;
  }
  for (auto bad : {"", "Cisco_IOS", "cisco-ios", "9k", "_x", "cisco ios"}) {
    EXPECT_EQ(refusedField([&] { validatePlatformId(bad); }), "id") << bad;
  }
}

TEST(Validation, PortsTagsTextAndCredentials) {
  EXPECT_EQ(refusedField([] { validatePort(22, "ssh_port"); }), "");
  EXPECT_EQ(refusedField([] { validatePort(0, "ssh_port"); }), "ssh_port");
  EXPECT_EQ(refusedField([] { validatePort(65536, "snmp_port"); }), "snmp_port");
  EXPECT_EQ(refusedField([] { validateTag("site:ams1"); }), "");
  EXPECT_EQ(refusedField([] { validateTag("two words"); }), "tags");
  EXPECT_EQ(refusedField([] { validateTag(""); }), "tags");
  EXPECT_EQ(refusedField([] { validateText("core", "role", 64); }), "");
  EXPECT_EQ(refusedField([] { validateText(std::string(65, 'x'), "role", 64); }), "role");
  EXPECT_EQ(refusedField([] { validateText("a\tb", "serial", 64); }), "serial");
  EXPECT_EQ(refusedField([] { validateText("Zürich core", "description", 64); }), "");
  EXPECT_EQ(refusedField([] { validateText("bad \xff byte", "description", 64); }), "description");
  EXPECT_EQ(refusedField([] { validateText("cut \xc3", "description", 64); }), "description");
  EXPECT_EQ(refusedField([] { validateCredentialsRef(""); }), "");
  EXPECT_EQ(refusedField([] { validateCredentialsRef("lab-default"); }), "");
  EXPECT_EQ(refusedField([] { validateCredentialsRef("pass word!"); }), "credentials");
}

TEST(Validation, TagsAreSortedAndUnique) {
  EXPECT_EQ(normalizeTags({"b", "a", "b"}), (std::vector<std::string>{"a", "b"}));
  EXPECT_THROW(normalizeTags({"ok", "not ok"}), ValidationError);
}

TEST(Validation, WholeDeviceNamesTheFirstBadField) {
  Device d;
  d.name = "r1";
  d.address = "10.0.0.1";
  d.platform = "cisco_ios";
  EXPECT_EQ(refusedField([&] { validate(d); }), "");
  d.snmpPort = 70000;
  EXPECT_EQ(refusedField([&] { validate(d); }), "snmp_port");
  d.snmpPort.reset();
  d.platform.clear();
  EXPECT_EQ(refusedField([&] { validate(d); }), "platform");
}

TEST(Validation, VlanAndAreaAndPlatform) {
  EXPECT_EQ(refusedField([] { validate(Vlan{0, 1, 100, "users", ""}); }), "");
  EXPECT_EQ(refusedField([] { validate(Vlan{0, 1, 100, std::string(33, 'v'), ""}); }), "name");
  EXPECT_EQ(refusedField([] { validate(Area{0, "emea/dc1", std::nullopt, ""}); }), "name");
  EXPECT_EQ(refusedField([] { validate(Platform{"cisco_ios", "", "Cisco"}); }), "name");
  EXPECT_EQ(refusedField([] { validate(Platform{"cisco_ios", "Cisco IOS", ""}); }), "vendor");
}

TEST(Validation, AreaCycleRefused) {
  // 1 <- 2 <- 3 (3 is below 2, which is below 1)
  auto parentOf = [](Id id) -> std::optional<Id> {
    if (id == 2) return 1;
    if (id == 3) return 2;
    return std::nullopt;
  };
  Area one{1, "emea", std::nullopt, ""};
  EXPECT_EQ(refusedField([&] { checkNoCycle(one, 3, parentOf); }), "parent");
  EXPECT_EQ(refusedField([&] { checkNoCycle(one, 1, parentOf); }), "parent");
  Area three{3, "dc1", 2, ""};
  EXPECT_EQ(refusedField([&] { checkNoCycle(three, 1, parentOf); }), "");
  EXPECT_EQ(refusedField([&] { checkNoCycle(three, std::nullopt, parentOf); }), "");
}

}  // namespace
}  // namespace netspine::domain
