// DiscoveryService: facts applied through DeviceService with the run as the actor, only to
// devices whose status allows discovery, and the sysObjectID -> platform mapping.

#include "application/discovery_service.hpp"
#include "service_fixture.hpp"

namespace netspine::test {
namespace {

using domain::DeviceStatus;

const std::vector<app::SnmpIdentity> kPlatforms = {
    {"cisco_ios", {"1.3.6.1.4.1.9."}, R"(Cisco IOS|IOS-XE)"},
    {"juniper_junos", {"1.3.6.1.4.1.2636."}, "JUNOS"},
    {"arista_eos", {"1.3.6.1.4.1.30065."}, "Arista Networks EOS"},
    {"vendor_special", {"1.3.6.1.4.1.9.1.1208"}, ""},  // a longer prefix wins
};

TEST(PlatformFor, LongestPrefixOfWholeArcsConfirmedBySysDescr) {
  EXPECT_EQ(app::platformFor(kPlatforms, "1.3.6.1.4.1.9.1.516", "Cisco IOS Software, Version 15"),
            "cisco_ios");
  EXPECT_EQ(app::platformFor(kPlatforms, ".1.3.6.1.4.1.2636.1.1.1.2.21", "kernel JUNOS 20.4R3"),
            "juniper_junos");
  EXPECT_EQ(app::platformFor(kPlatforms, "1.3.6.1.4.1.9.1.1208", "anything"), "vendor_special");
  EXPECT_EQ(app::platformFor(kPlatforms, "1.3.6.1.4.1.9.1.12080", "Cisco IOS Software"),
            "cisco_ios")
      << "1208 is not a prefix of the arc 12080";
  EXPECT_EQ(app::platformFor(kPlatforms, "1.3.6.1.4.1.9.1.516", "Linux box"), std::nullopt)
      << "the sysDescr pattern must confirm";
  EXPECT_EQ(app::platformFor(kPlatforms, "1.3.6.1.4.1.8072.3.2.10", "Linux"), std::nullopt);
  EXPECT_EQ(app::platformFor(kPlatforms, "", "Cisco IOS"), std::nullopt);
}

class DiscoveryServiceTest : public ServiceTest {
 protected:
  app::DiscoveryService discovery() {
    return app::DiscoveryService(store, kPlatforms, domain::AutomationPolicy::defaults(),
                                 domain::OperationClasses::defaults());
  }

  domain::Device add(const std::string& name, DeviceStatus status) {
    auto in = device(name);
    in.status = status;
    in.platform = "arista_eos";
    return devices.create(in, ctx);
  }

  const std::map<std::string, std::string> facts = {
      {"fact.sys_object_id", "1.3.6.1.4.1.9.1.516"},
      {"fact.sys_descr", "Cisco IOS Software, C3750 Software, Version 15.0(2)SE11"},
      {"fact.os_version", "15.0(2)SE11"},
      {"fact.serial", "FOC1234X"},
      {"fact.hostname", "sw1.lab"},
  };
};

TEST_P(DiscoveryServiceTest, StagedAndActiveDevicesGetTheFactsWithTheRunAsActor) {
  for (auto status : {DeviceStatus::Staged, DeviceStatus::Active}) {
    const std::string name = std::string("d-") + std::string(domain::toString(status));
    const auto before = add(name, status);
    auto out = discovery().apply(before.id, 42, facts);
    EXPECT_TRUE(out.refused.empty()) << out.refused;
    EXPECT_EQ(out.changes.size(), 3u);
    const auto after = devices.get(name);
    EXPECT_EQ(after.serial, "FOC1234X");
    EXPECT_EQ(after.osVersion, "15.0(2)SE11");
    EXPECT_EQ(after.platform, "cisco_ios");
    EXPECT_EQ(after.status, status);
    auto log = changes.list("device:" + name);
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].actor, "run:42");
    EXPECT_EQ(log[0].action, "update");
    EXPECT_NE(log[0].after.find("FOC1234X"), std::string::npos) << log[0].after;
    ASSERT_EQ(out.notes.size(), 1u);
    EXPECT_NE(out.notes[0].find("sysName is 'sw1.lab'"), std::string::npos) << out.notes[0];

    // The same facts again: nothing changes, nothing is logged.
    auto again = discovery().apply(before.id, 43, facts);
    EXPECT_TRUE(again.changes.empty());
    EXPECT_EQ(changes.list("device:" + name).size(), 2u);
  }
}

TEST_P(DiscoveryServiceTest, OtherStatusesAreNeverUpdated) {
  for (auto status : {DeviceStatus::Inventory, DeviceStatus::Planned, DeviceStatus::Failed,
                      DeviceStatus::Decommissioning}) {
    const std::string name = std::string("d-") + std::string(domain::toString(status));
    const auto before = add(name, status);
    auto out = discovery().apply(before.id, 42, facts);
    EXPECT_NE(out.refused.find("allows no discover"), std::string::npos) << out.refused;
    EXPECT_TRUE(out.changes.empty());
    EXPECT_EQ(devices.get(name), before);
    EXPECT_EQ(changes.list("device:" + name).size(), 1u) << "only its creation";
  }
}

TEST_P(DiscoveryServiceTest, TheStatusIsCheckedInsideTheUpdate) {
  // The guard DiscoveryService relies on: a status that changed after its read refuses the
  // update whole.
  const auto before = add("moved", DeviceStatus::Active);
  devices.setStatus("moved", DeviceStatus::Failed, ctx);
  const auto failed = devices.get("moved");
  app::DevicePatch patch;
  patch.serial = "X";
  patch.ifStatusIn = std::vector<DeviceStatus>{DeviceStatus::Staged, DeviceStatus::Active};
  EXPECT_THROW(devices.update("moved", patch, {"run:1", ""}), domain::PolicyRefusedError);
  EXPECT_EQ(devices.get("moved"), failed);
  (void)before;
}

TEST_P(DiscoveryServiceTest, AnUnknownOrMissingPlatformIsANoteNotAChange) {
  const auto d = add("odd", DeviceStatus::Active);
  auto linux = facts;
  linux["fact.sys_object_id"] = "1.3.6.1.4.1.8072.3.2.10";
  auto out = discovery().apply(d.id, 7, linux);
  EXPECT_EQ(devices.get("odd").platform, "arista_eos");
  EXPECT_EQ(devices.get("odd").serial, "FOC1234X");
  bool noted = false;
  for (const auto& n : out.notes) noted = noted || n.find("matches no loaded platform") != n.npos;
  EXPECT_TRUE(noted);

  auto special = facts;
  special["fact.sys_object_id"] = "1.3.6.1.4.1.9.1.1208";  // vendor_special: not in inventory
  out = discovery().apply(d.id, 8, special);
  EXPECT_EQ(devices.get("odd").platform, "arista_eos");
  noted = false;
  for (const auto& n : out.notes) noted = noted || n.find("not in the inventory") != n.npos;
  EXPECT_TRUE(noted);
}

NETSPINE_SERVICE_SUITE(DiscoveryServiceTest);

}  // namespace
}  // namespace netspine::test
