// Clients written by others against the simulator: Debian's Netmiko and OpenSSH's ssh, unmodified,
// and netspine's own import of the inventory file netspine-sim writes.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <future>
#include <thread>

#include "netspine/sim/inventory_file.hpp"
#include "netspine/sim/ssh_server.hpp"
#include "netspine/sim/test_device.hpp"
#include "sim_process.hpp"
#include "support/temp_folder.hpp"

namespace netspine::sim {
namespace {

using test::inventoryRow;
using test::readFile;
using test::runProcess;
using test::SimProcess;

TEST(NetspineSim, HelpAndBadDeviceFile) {
  auto help = runProcess(NETSPINE_SIM_BINARY, {"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("--devices FILE"), std::string::npos);

  netspine::test::TempFolder dir;
  const auto file = dir.write("devices.yaml", "devices:\n  - name: r1\n    platform: cisco_xr\n");
  auto bad = runProcess(NETSPINE_SIM_BINARY, {"--devices", file, "--state-dir", dir.path("s")});
  EXPECT_EQ(bad.code, 3) << bad;
  EXPECT_NE(bad.err.find(file + ":3: devices[0].platform: unknown platform 'cisco_xr'"),
            std::string::npos)
      << bad;

  auto usage = runProcess(NETSPINE_SIM_BINARY, {"--count", "many"});
  EXPECT_EQ(usage.code, 2) << usage;
}

TEST(NetspineSim, NetmikoDrivesEachPlatformUnmodified) {
  netspine::test::TempFolder dir;
  const auto devices = dir.write("devices.yaml", R"(defaults:
  address: 127.0.0.1
  port: 0
  password: lab-pass
  enable_secret: lab-enable
devices:
  - {name: nm-ios, platform: cisco_ios, start_privileged: false}
  - {name: nm-junos, platform: juniper_junos}
  - {name: nm-eos, platform: arista_eos}
)");
  const auto inventory = dir.path("inventory.csv");
  SimProcess sim({"--devices", devices, "--inventory", inventory, "--state-dir", dir.path("state"),
                  "--threads", "1"});
  ASSERT_TRUE(sim.ready()) << sim.banner();
  const auto csv = readFile(inventory);

  std::vector<std::future<test::ProcessResult>> runs;
  for (const char* name : {"nm-ios", "nm-junos", "nm-eos"}) {
    const auto row = inventoryRow(csv, name);
    ASSERT_EQ(row.size(), 8u) << csv;
    // name,address,platform,status,area,ssh_port,credentials,tags
    runs.push_back(std::async(std::launch::async, [row] {
      return runProcess(NETSPINE_SYSTEM_PYTHON,
                        {NETSPINE_SIM_NETMIKO_SCRIPT, row[2], row[1], row[5], "admin", "lab-pass",
                         "lab-enable", row[0]});
    }));
  }
  for (auto& run : runs) {
    const auto result = run.get();
    EXPECT_EQ(result.code, 0) << result;
  }
  EXPECT_EQ(sim.stop(), 0);
}

TEST(NetspineSim, OpenSshClientExecAndInteractiveShell) {
  netspine::test::TempFolder dir;
  const auto key = dir.path("id_ed25519");
  auto keygen = runProcess("/usr/bin/ssh-keygen", {"-q", "-t", "ed25519", "-N", "", "-f", key});
  ASSERT_EQ(keygen.code, 0) << keygen;
  auto publicLine = readFile(key + ".pub");
  publicLine.erase(publicLine.find_last_not_of("\r\n") + 1);

  DeviceProfile profile;
  profile.name = "r1";
  profile.authorizedKey = publicLine;
  TestDevice device(profile);
  const std::vector<std::string> options = {"-F",
                                            "/dev/null",
                                            "-o",
                                            "StrictHostKeyChecking=no",
                                            "-o",
                                            "UserKnownHostsFile=/dev/null",
                                            "-o",
                                            "BatchMode=yes",
                                            "-o",
                                            "IdentitiesOnly=yes",
                                            "-o",
                                            "LogLevel=ERROR",
                                            "-i",
                                            key,
                                            "-p",
                                            std::to_string(device.port()),
                                            "admin@" + device.address()};

  auto args = options;
  args.push_back("show running-config");
  auto exec = runProcess("/usr/bin/ssh", args);
  EXPECT_EQ(exec.code, 0) << exec;
  EXPECT_NE(exec.out.find("hostname r1"), std::string::npos) << exec;
  EXPECT_EQ(exec.out.find("r1#"), std::string::npos) << "no prompt on an exec channel";

  args = options;
  args.insert(args.begin(), "-tt");
  auto shell = runProcess("/usr/bin/ssh", args, "terminal length 0\nshow running-config\nexit\n");
  EXPECT_EQ(shell.code, 0) << shell;
  EXPECT_NE(shell.out.find("r1#"), std::string::npos) << shell;
  EXPECT_NE(shell.out.find("hostname r1"), std::string::npos) << shell;
}

TEST(NetspineSim, NetspineImportsTheInventoryAsIs) {
  const char* netspine = std::getenv("NETSPINE_BINARY");
  if (!netspine || !std::filesystem::exists(netspine)) {
    GTEST_SKIP() << "NETSPINE_BINARY is not set (ctest sets it)";
  }
  netspine::test::TempFolder dir;
  SshServer server(SshServerOptions{.threads = 1});
  GeneratedDevices what;
  what.count = 3;
  what.baseAddress = "127.79.0.1";
  what.port = 0;
  auto specs = generateDevices(what);
  specs[2].profile.faults = {Fault::SlowBanner, Fault::Trickle};
  for (const auto& spec : specs) server.add(spec);
  const auto inventory = dir.path("sim-inventory.csv");
  writeInventoryCsv(inventory, server.devices());

  const std::string db = dir.path("netspine.db");
  const auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db});
    return runProcess(netspine, args);
  };
  ASSERT_EQ(run({"migrate"}).code, 0);
  auto area = run({"area", "add", "sim"});
  ASSERT_EQ(area.code, 0) << area;
  auto import = run({"import", inventory});
  ASSERT_EQ(import.code, 0) << import << "\n--- file\n" << readFile(inventory);
  auto list = run({"--json", "device", "list"});
  ASSERT_EQ(list.code, 0) << list;
  const auto port = std::to_string(server.devices()[2].port);
  EXPECT_NE(list.out.find("\"ssh_port\":" + port), std::string::npos) << list;
  EXPECT_NE(list.out.find("\"credentials\":\"sim\""), std::string::npos) << list;
  EXPECT_NE(list.out.find("fault:slow_banner"), std::string::npos) << list;
  EXPECT_NE(list.out.find("\"address\":\"127.79.0.3\""), std::string::npos) << list;
}

}  // namespace
}  // namespace netspine::sim
