#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <thread>

#include "cli_test_support.hpp"

namespace netspine::sim::test {
namespace {

constexpr OsKind kAllOs[] = {OsKind::CiscoIos, OsKind::JuniperJunos, OsKind::AristaEos};

std::shared_ptr<DeviceState> deviceWith(OsKind os, std::set<Fault> faults,
                                        const FakeClock& clock = FakeClock()) {
  auto profile = profileFor(os, "dev-1");
  profile.faults = std::move(faults);
  return DeviceState::create(profile, clock.clock());
}

TEST(Device, NamesRoundTrip) {
  for (OsKind os : kAllOs) EXPECT_EQ(parseOsKind(platformId(os)), os);
  EXPECT_STREQ(platformId(OsKind::JuniperJunos), "juniper_junos");
  EXPECT_FALSE(parseOsKind("cisco_nxos"));
  for (int f = 0; f <= static_cast<int>(kLastFault); ++f)
    EXPECT_EQ(parseFault(toString(static_cast<Fault>(f))), static_cast<Fault>(f));
  EXPECT_STREQ(toString(Fault::EndlessPaging), "endless_paging");
  EXPECT_FALSE(parseFault("EndlessPaging"));
}

TEST(Device, ConfigIsDeterministicPerNameAndSized) {
  FakeClock clock;
  for (OsKind os : kAllOs) {
    auto a = DeviceState::create(profileFor(os, "edge-17"), clock.clock());
    auto b = DeviceState::create(profileFor(os, "edge-17"), clock.clock());
    auto c = DeviceState::create(profileFor(os, "edge-18"), clock.clock());
    EXPECT_EQ(a->runningConfig(), b->runningConfig());
    EXPECT_NE(a->runningConfig(), c->runningConfig());
    auto big = profileFor(os, "edge-17");
    big.configLines = 4000;
    const std::string config = a->runningConfig();
    const std::size_t lines = std::count(config.begin(), config.end(), '\n');
    const std::string bigConfig = DeviceState::create(big, clock.clock())->runningConfig();
    const std::size_t bigLines = std::count(bigConfig.begin(), bigConfig.end(), '\n');
    EXPECT_GT(lines, 300u) << platformId(os);
    EXPECT_LT(lines, 1000u) << platformId(os);
    EXPECT_GT(bigLines, 3000u) << platformId(os);
  }
}

TEST(Device, ConfigHoldsEverySecretKind) {
  auto ios = deviceWith(OsKind::CiscoIos, {})->runningConfig();
  for (const char* secret :
       {"enable secret 9 $9$", "secret 5 $1$", "password 7 ", "snmp-server community ",
        "tacacs-server host ", " key 7 ", "radius-server key 7 ", "crypto isakmp key ",
        " password 7 ", "ip ospf message-digest-key 1 md5 7 ", "ntp authentication-key 1 md5 "})
    EXPECT_TRUE(contains(ios, secret)) << secret;
  auto junos = deviceWith(OsKind::JuniperJunos, {})->runningConfig();
  for (const char* secret :
       {"encrypted-password \"$6$", "secret \"$9$", "authentication-key \"$9$",
        "pre-shared-key ascii-text \"$9$", "snmp {", "community ", "md5 1 key \"$9$"})
    EXPECT_TRUE(contains(junos, secret)) << secret;
  auto eos = deviceWith(OsKind::AristaEos, {})->runningConfig();
  for (const char* secret :
       {"secret sha512 $6$", "enable secret sha512 $6$", "snmp-server community ",
        "tacacs-server host ", " key 7 ", " password 7 "})
    EXPECT_TRUE(contains(eos, secret)) << secret;
}

TEST(Device, VolatileLinesFollowTheClock) {
  for (OsKind os : kAllOs) {
    FakeClock clock;
    auto device = DeviceState::create(profileFor(os, "dev-1"), clock.clock());
    const std::string before = device->runningConfig();
    clock.advance(std::chrono::seconds(61));
    const std::string after = device->runningConfig();
    EXPECT_NE(before, after) << platformId(os);
    // Only the time stamp lines differ.
    std::size_t differing = 0;
    std::istringstream a(before), b(after);
    for (std::string la, lb; std::getline(a, la) && std::getline(b, lb);) {
      if (la == lb) continue;
      ++differing;
      EXPECT_TRUE(contains(la, "Last configuration change at") || contains(la, "! Time:") ||
                  contains(la, "## Last commit:"))
          << la;
    }
    EXPECT_EQ(differing, 1u) << platformId(os);
  }
  auto ios = deviceWith(OsKind::CiscoIos, {})->runningConfig();
  EXPECT_TRUE(
      contains(ios, "! Last configuration change at 10:00:00 UTC Mon Mar 4 2024 by admin\n"));
  EXPECT_TRUE(contains(ios, "! NVRAM config last updated at "));
}

// Its generation time (well under a second) is measured in bench/, not asserted here.
TEST(Device, HugeConfigIsAbout20Megabytes) {
  for (OsKind os : kAllOs) {
    const std::string config = deviceWith(os, {Fault::HugeConfig})->runningConfig();
    EXPECT_GT(config.size(), 18'000'000u) << platformId(os);
    EXPECT_LT(config.size(), 23'000'000u) << platformId(os);
  }
}

TEST(Device, TruncatedConfigIsCutShort) {
  const std::string ios = deviceWith(OsKind::CiscoIos, {Fault::TruncatedConfig})->runningConfig();
  EXPECT_FALSE(endsWith(ios, "end\n"));
  EXPECT_LT(ios.size(), deviceWith(OsKind::CiscoIos, {})->runningConfig().size());
  const std::string junos =
      deviceWith(OsKind::JuniperJunos, {Fault::TruncatedConfig})->runningConfig();
  EXPECT_GT(std::count(junos.begin(), junos.end(), '{'),
            std::count(junos.begin(), junos.end(), '}'));
  const std::string eos = deviceWith(OsKind::AristaEos, {Fault::TruncatedConfig})->runningConfig();
  EXPECT_FALSE(contains(eos, "\nend\n"));
}

TEST(Device, GarbageFaultPutsBinaryBytesInShowOutput) {
  for (OsKind os : kAllOs) {
    auto clean = runExec(*deviceWith(os, {}), "show version");
    auto dirty = runExec(*deviceWith(os, {Fault::Garbage}), "show version");
    auto binary = [](const std::string& text) {
      return std::count_if(text.begin(), text.end(), [](char c) {
        auto b = static_cast<unsigned char>(c);
        return b >= 0x80 || (b < 0x20 && c != '\n' && c != '\r');
      });
    };
    EXPECT_EQ(binary(clean.output), 0) << platformId(os);
    EXPECT_GT(binary(dirty.output), 10) << platformId(os);
  }
}

TEST(Device, CommandErrorsFaultFailsEveryShowCommand) {
  for (OsKind os : kAllOs) {
    auto device = deviceWith(os, {Fault::CommandErrors});
    auto result = runExec(*device, "show version");
    EXPECT_NE(result.exitStatus, 0) << platformId(os);
    EXPECT_FALSE(contains(result.output, "serial")) << result.output;
    Terminal term(device);
    const std::string shown =
        term.type(os == OsKind::JuniperJunos ? "show configuration" : "show running-config");
    EXPECT_TRUE(contains(shown, os == OsKind::CiscoIos    ? "% Invalid input detected"
                                : os == OsKind::AristaEos ? "% Invalid input"
                                                          : "syntax error"))
        << shown;
  }
}

TEST(Device, EndlessPagingNeverReachesThePrompt) {
  for (OsKind os : kAllOs) {
    Terminal term(deviceWith(os, {Fault::EndlessPaging}));
    term.type(os == OsKind::JuniperJunos ? "set cli screen-length 0" : "terminal length 0");
    const std::string marker = os == OsKind::JuniperJunos ? "---(more)---" : " --More-- ";
    std::string out = term.type("show version");
    EXPECT_TRUE(endsWith(out, marker)) << platformId(os);
    for (int i = 0; i < 50; ++i) {
      out = term.raw(" ");
      ASSERT_TRUE(endsWith(out, marker)) << platformId(os);
    }
    EXPECT_FALSE(endsWith(term.raw("q"), marker));
  }
}

TEST(Device, ExecRunsOneCommandWithoutPagerOrPrompt) {
  for (OsKind os : kAllOs) {
    auto device = deviceWith(os, {});
    const char* show = os == OsKind::JuniperJunos ? "show configuration" : "show running-config";
    auto result = runExec(*device, show);
    EXPECT_EQ(result.exitStatus, 0);
    EXPECT_FALSE(contains(result.output, "More")) << platformId(os);
    EXPECT_FALSE(contains(result.output, "\r")) << platformId(os);
    EXPECT_EQ(result.output, device->runningConfig()) << platformId(os);
    auto unknown = runExec(*device, "frobnicate the device");
    EXPECT_NE(unknown.exitStatus, 0) << platformId(os);
    EXPECT_FALSE(unknown.output.empty()) << platformId(os);
  }
  auto piped =
      runExec(*deviceWith(OsKind::CiscoIos, {}), "show running-config | include ^hostname");
  EXPECT_EQ(piped.output, "hostname dev-1\n");
}

TEST(Device, NetconfHelloAndLoginBanner) {
  for (OsKind os : kAllOs) {
    auto device = deviceWith(os, {});
    const std::string hello = netconfHello(*device, 4242);
    EXPECT_TRUE(contains(hello, "<hello xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">"));
    EXPECT_TRUE(contains(hello, "<capability>urn:ietf:params:netconf:base:1.0</capability>"));
    EXPECT_TRUE(contains(hello, "<capability>urn:ietf:params:netconf:base:1.1</capability>"));
    EXPECT_TRUE(contains(hello, "<session-id>4242</session-id>"));
    EXPECT_TRUE(endsWith(hello, "</hello>\n]]>]]>"));
    EXPECT_TRUE(contains(loginBanner(device->profile()), "Unauthorized access"));
  }
  EXPECT_TRUE(contains(netconfHello(*deviceWith(OsKind::JuniperJunos, {}), 1),
                       "http://xml.juniper.net/netconf/junos/1.0"));
}

TEST(Device, AThousandDevicesStaySmallUntilChanged) {
  std::vector<std::shared_ptr<DeviceState>> devices;
  for (int i = 0; i < 1000; ++i)
    devices.push_back(DeviceState::create(profileFor(kAllOs[i % 3], "dev-" + std::to_string(i))));
  std::size_t total = 0;
  for (auto& device : devices) total += device->runningConfig().size();
  EXPECT_GT(total, 1000u * 8000u);  // each one answers with a full configuration
  auto session = openShell(devices[7]);
  session->start();
  EXPECT_FALSE(session->finished());
}

TEST(Device, ConcurrentSessionsEditOneDeviceSafely) {
  auto device = deviceWith(OsKind::CiscoIos, {});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([device, t] {
      Terminal term(device);
      term.type("configure terminal");
      for (int i = 0; i < 25; ++i)
        term.type("ip route 192.168." + std::to_string(t) + "." + std::to_string(i) +
                  " 255.255.255.255 Null0");
      term.type("end");
      for (int i = 0; i < 5; ++i) runExec(*device, "show running-config");
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t)
    for (int i = 0; i < 25; ++i)
      EXPECT_TRUE(device->runningHasLine("ip route 192.168." + std::to_string(t) + "." +
                                         std::to_string(i) + " 255.255.255.255 Null0"));
}

}  // namespace
}  // namespace netspine::sim::test
