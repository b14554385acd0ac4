// The device file, generated device sets, and the inventory CSV of netspine-sim.

#include "netspine/sim/device_spec.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "netspine/sim/inventory_file.hpp"
#include "netspine/sim/ssh_server.hpp"
#include "support/temp_folder.hpp"

namespace netspine::sim {
namespace {

using netspine::test::TempFolder;

std::string errorOf(const std::string& path) {
  try {
    readDeviceFile(path);
  } catch (const DeviceFileError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(DeviceFile, DefaultsApplyToEveryDeviceAndDevicesOverrideThem) {
  TempFolder dir;
  const auto path = dir.write("devices.yaml", R"(defaults:
  platform: arista_eos
  port: 2201
  password: s3cret
  faults: [trickle]
  trickle_bytes: 4
devices:
  - name: leaf1
    address: 127.2.0.1
  - name: core1
    platform: juniper_junos
    address: 127.2.0.2
    faults: [slow_banner, max_sessions]
    banner_delay_ms: 1500
    max_sessions: 3
    start_privileged: false
    config_lines: 2000
)");
  const auto specs = readDeviceFile(path);
  ASSERT_EQ(specs.size(), 2u);
  EXPECT_EQ(specs[0].profile.name, "leaf1");
  EXPECT_EQ(specs[0].profile.os, OsKind::AristaEos);
  EXPECT_EQ(specs[0].profile.password, "s3cret");
  EXPECT_EQ(specs[0].port, 2201);
  EXPECT_EQ(specs[0].profile.faults, std::set<Fault>{Fault::Trickle});
  EXPECT_EQ(specs[0].transport.trickleBytes, 4u);
  EXPECT_EQ(specs[1].profile.os, OsKind::JuniperJunos);
  EXPECT_EQ(specs[1].profile.faults, (std::set<Fault>{Fault::SlowBanner, Fault::MaxSessions}));
  EXPECT_EQ(specs[1].transport.bannerDelay, std::chrono::milliseconds(1500));
  EXPECT_EQ(specs[1].profile.maxSessions, 3u);
  EXPECT_FALSE(specs[1].profile.startPrivileged);
  EXPECT_EQ(specs[1].profile.configLines, 2000u);
}

TEST(DeviceFile, EveryProblemIsNamedWithFileLineAndField) {
  TempFolder dir;
  const auto path = dir.write("devices.yaml", R"(devices:
  - name: r1
    platform: cisco_xr
  - name: r1
    platform: cisco_ios
    address: 10.0.0.1
  - name: r3
    platform: cisco_ios
    port: 70000
    faults: [slow_banner, typo_fault]
    colour: blue
  - platform: cisco_ios
)");
  const auto error = errorOf(path);
  EXPECT_NE(error.find(path + ":3: devices[0].platform: unknown platform 'cisco_xr'"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find(path + ":4: devices[1].name: device 'r1' appears twice (first at line 2)"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find(path + ":6: devices[1].address: '10.0.0.1' is not a loopback address"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find(path + ":9: devices[2].port: expected a whole number from 0 to 65535"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find(path + ":10: devices[2].faults[1]: unknown fault 'typo_fault'"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find(path + ":11: devices[2]: unknown key 'colour'"), std::string::npos) << error;
  EXPECT_NE(error.find(path + ":12: devices[3].name: missing"), std::string::npos) << error;
}

TEST(DeviceFile, SyntaxErrorsAndWrongShapesAreErrorsNotCrashes) {
  TempFolder dir;
  EXPECT_NE(errorOf(dir.write("a.yaml", "devices: [\n")).find("a.yaml:2: syntax error"),
            std::string::npos);
  EXPECT_NE(errorOf(dir.write("b.yaml", "- r1\n")).find("expected an object with 'devices'"),
            std::string::npos);
  EXPECT_NE(errorOf(dir.write("c.yaml", "devices: 3\n")).find("devices: expected a list"),
            std::string::npos);
  EXPECT_NE(errorOf(dir.write("d.yaml", "devices:\n  - name: [1, 2]\n    platform: cisco_ios\n"))
                .find("d.yaml:2: devices[0].name: expected a string"),
            std::string::npos);
  EXPECT_NE(errorOf(dir.path("missing.yaml")).find("cannot read the device file"),
            std::string::npos);
}

TEST(GeneratedDevices, AddressesCountUpSkippingNetworkAndBroadcastOctets) {
  EXPECT_EQ(nextLoopbackAddress("127.1.0.1", 0), "127.1.0.1");
  EXPECT_EQ(nextLoopbackAddress("127.1.0.254", 1), "127.1.1.1");
  EXPECT_EQ(nextLoopbackAddress("127.1.0.1", 1000), "127.1.3.239");
  EXPECT_THROW(nextLoopbackAddress("127.255.255.254", 1), std::invalid_argument);

  GeneratedDevices what;
  what.count = 4;
  what.platforms = {OsKind::CiscoIos, OsKind::JuniperJunos};
  const auto byAddress = generateDevices(what);
  ASSERT_EQ(byAddress.size(), 4u);
  EXPECT_EQ(byAddress[0].profile.name, "sim-ios-0001");
  EXPECT_EQ(byAddress[1].profile.name, "sim-junos-0002");
  EXPECT_EQ(byAddress[3].address, "127.1.0.4");
  EXPECT_EQ(byAddress[3].port, 2222);

  what.basePort = 30000;
  what.baseAddress = "127.0.0.1";
  const auto byPort = generateDevices(what);
  EXPECT_EQ(byPort[3].address, "127.0.0.1");
  EXPECT_EQ(byPort[3].port, 30003);
}

TEST(InventoryFile, OneRowPerDeviceWithItsPortAndFaultTags) {
  SshServer server;
  DeviceSpec spec;
  spec.profile.name = "edge1";
  spec.profile.os = OsKind::JuniperJunos;
  spec.profile.faults = {Fault::ConnectionRefused};
  const auto served = server.add(spec);
  std::ostringstream out;
  writeInventoryCsv(out, server.devices(), {.area = "lab", .credentials = "lab-admin"});
  EXPECT_EQ(out.str(),
            "name,address,platform,status,area,ssh_port,credentials,tags\n"
            "edge1,127.0.0.1,juniper_junos,active,lab," +
                std::to_string(served.port) + ",lab-admin,sim;fault:connection_refused\n");
  EXPECT_FALSE(served.listening);
  EXPECT_NE(served.port, 0);
}

}  // namespace
}  // namespace netspine::sim
