#include "service_fixture.hpp"

namespace netspine::test {
namespace {

using domain::ConflictError;
using domain::NotFoundError;
using domain::ValidationError;

class PlatformServiceTest : public ServiceTest {};
class VlanServiceTest : public ServiceTest {};

TEST_P(PlatformServiceTest, RulesAndDuplicates) {
  expectRefused<ValidationError>([&] { platforms.create({"Cisco-IOS", "x", "y"}, ctx); }, "id");
  expectRefused<ValidationError>(
      [&] {
        platforms.create({"nokia_sros", "", "Nokia"}, ctx);
      },
      "name");
  expectRefused<ValidationError>(
      [&] {
        platforms.create({"nokia_sros", "Nokia SR OS", ""}, ctx);
      },
      "vendor");
  expectRefused<ConflictError>(
      [&] {
        platforms.create({"cisco_ios", "IOS", "Cisco"}, ctx);
      },
      "id", "platform 'cisco_ios' already exists");
  platforms.create({"nokia_sros", "Nokia SR OS", "Nokia"}, ctx);
  EXPECT_EQ(platforms.get("nokia_sros").vendor, "Nokia");
  EXPECT_EQ(platforms.update("nokia_sros", {.name = "SR OS"}, ctx).name, "SR OS");
  EXPECT_THROW(platforms.get("nope"), NotFoundError);
}

TEST_P(PlatformServiceTest, DeleteInUseRefusedWithCount) {
  devices.create(device("r1"), ctx);
  devices.create(device("r2"), ctx);
  expectRefused<ConflictError>([&] { platforms.remove("cisco_ios", ctx); }, "",
                               "platform 'cisco_ios' is used by 2 device(s)");
  platforms.remove("juniper_junos", ctx);
  EXPECT_EQ(platforms.list().size(), 2u);
  EXPECT_EQ(changes.list("platform:juniper_junos")[0].action, "delete");
}

TEST_P(VlanServiceTest, VidRangeAndNameRules) {
  expectRefused<ValidationError>([&] { vlans.create({"emea/ams1", 0, "x", ""}, ctx); }, "vid");
  expectRefused<ValidationError>(
      [&] {
        vlans.create({"emea/ams1", 4095, "x", ""}, ctx);
      },
      "vid", "vlan 4095 out of range 1-4094");
  expectRefused<ValidationError>(
      [&] {
        vlans.create({"emea/ams1", 10, "two words", ""}, ctx);
      },
      "name");
  expectRefused<ValidationError>([&] { vlans.create({"nowhere", 10, "x", ""}, ctx); }, "area");
  EXPECT_EQ(vlans.create({"emea/ams1", 1, "default", ""}, ctx).vid, 1);
  EXPECT_EQ(vlans.create({"emea/ams1", 4094, "last", ""}, ctx).vid, 4094);
}

TEST_P(VlanServiceTest, VidAndNameUniqueWithinTheArea) {
  vlans.create({"emea/ams1", 100, "users", ""}, ctx);
  expectRefused<ConflictError>(
      [&] {
        vlans.create({"emea/ams1", 100, "voice", ""}, ctx);
      },
      "vid", "vlan 100 already exists in area 'emea/ams1' (named 'users')");
  expectRefused<ConflictError>(
      [&] {
        vlans.create({"emea/ams1", 200, "users", ""}, ctx);
      },
      "name", "vlan name 'users' is already used by vlan 100");
  EXPECT_NO_THROW(vlans.create({"emea/fra1", 100, "users", ""}, ctx));  // another area
  vlans.create({"emea/ams1", 200, "voice", ""}, ctx);
  expectRefused<ConflictError>([&] { vlans.update("emea/ams1", 200, {.vid = 100}, ctx); }, "vid");
  EXPECT_EQ(vlans.update("emea/ams1", 200, {.vid = 201}, ctx).vid, 201);
  EXPECT_EQ(vlans.list("emea/ams1").size(), 2u);
  EXPECT_EQ(vlans.list().size(), 3u);
}

TEST_P(VlanServiceTest, DeleteAndNotFound) {
  vlans.create({"emea/ams1", 100, "users", ""}, ctx);
  vlans.remove("emea/ams1", 100, ctx);
  EXPECT_THROW(vlans.get("emea/ams1", 100), NotFoundError);
  EXPECT_THROW(vlans.remove("emea/ams1", 100, ctx), NotFoundError);
  auto log = changes.list("vlan:emea/ams1:100");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].action, "delete");
  EXPECT_EQ(log[1].action, "create");
}

TEST_P(VlanServiceTest, ChangeLogObjectFilterValidated) {
  EXPECT_THROW(changes.list("router:r1"), ValidationError);
  EXPECT_GT(changes.list("").size(), 0u);
}

NETSPINE_SERVICE_SUITE(PlatformServiceTest);
NETSPINE_SERVICE_SUITE(VlanServiceTest);

}  // namespace
}  // namespace netspine::test
