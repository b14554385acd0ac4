#include "arista_eos_platform.hpp"
#include "platform_test_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace netspine::platforms::arista_eos {
namespace {

using plugin::SecretMode;
using test::contains;
using test::promptsMatched;
using test::readFixture;
using test::replaceOnce;

std::vector<std::string> backupOutputs() {
  return {readFixture("arista_eos", "show_version.txt"),
          readFixture("arista_eos", "running_config.txt")};
}

TEST(AristaEos, ManifestNamesThePlatform) {
  const auto m = manifest();
  EXPECT_EQ(m.id, "arista_eos");
  EXPECT_EQ(m.kind, plugin::PluginKind::Platform);
  EXPECT_EQ(m.provides, std::vector<std::string>{"arista_eos"});
  EXPECT_EQ(m.version, "1.0.0");
  EXPECT_EQ(m.minHostVersion, "0.1.0");
  EXPECT_EQ(AristaEosPlatform().spec().id, m.id);
}

TEST(AristaEos, SessionAndConfigurationSessionCommands) {
  const AristaEosPlatform platform;
  const auto& s = platform.spec();
  EXPECT_EQ(s.session.prepare,
            (std::vector<std::string>{"terminal length 0", "terminal width 32767"}));
  EXPECT_EQ(s.session.enable, "enable");
  const auto& c = s.configuration;
  EXPECT_EQ(c.enter, "configure session {session}");
  EXPECT_EQ(c.compare, "show session-config diffs");
  EXPECT_EQ(c.commit, "commit");
  EXPECT_EQ(c.commitConfirmed, "commit timer {hh:mm:ss}");
  EXPECT_EQ(c.confirm, "configure session {session} commit");
  EXPECT_EQ(c.abort, "abort");
  EXPECT_EQ(c.save, "write memory");
  EXPECT_EQ(c.replace, "configure replace {file}");
  EXPECT_EQ(s.snmp.sysObjectIdPrefixes, std::vector<std::string>{"1.3.6.1.4.1.30065."});
}

TEST(AristaEos, PromptsAfterABannerWithAnsiCodes) {
  const AristaEosPlatform platform;
  const auto& p = platform.spec().prompts;
  const std::string banner =
      "Last login: Tue Mar  5 14:00:01 2024 from 10.0.0.9\r\n"
      "\x1b[33m# managed by netspine - changes are overwritten #\x1b[0m\r\n";
  EXPECT_EQ(promptsMatched(p, banner), "");
  EXPECT_EQ(promptsMatched(p, banner + "leaf1>"), "user");
  EXPECT_EQ(promptsMatched(p, banner + "\x1b]0;leaf1\x07leaf1#"), "privileged");
  EXPECT_EQ(promptsMatched(p, "enable\r\nPassword: "), "password");
  EXPECT_EQ(promptsMatched(p, "configure session netspine-42\r\nleaf1(config-s-netspine-42)#"),
            "config");
  EXPECT_EQ(promptsMatched(p, "interface Ethernet1\r\nleaf1(config-s-netspine-42-if-Et1)#"),
            "config");
  EXPECT_EQ(promptsMatched(p, "leaf1(config)#"), "config");
  EXPECT_EQ(promptsMatched(p, "Ethernet1 is up\r\n --More-- "), "pager");
}

TEST(AristaEos, BackupHasCommentsThenTheConfigurationWithoutVolatileLines) {
  const AristaEosPlatform platform;
  const auto backup = platform.assembleBackup(backupOutputs(), SecretMode::Mask);
  EXPECT_FALSE(backup.incomplete.has_value()) << *backup.incomplete;
  const auto& c = backup.config;
  EXPECT_TRUE(c.starts_with("! Arista DCS-7050TX-64-R\n! Hardware version:    01.11\n"));
  EXPECT_TRUE(contains(c, "! Total memory:           3982408 kB\n!\n!\n! boot system flash:"));
  for (const char* gone : {"Uptime:", "Free memory",
                           "! Command:", "! device:", "! Time:", "Startup-config last modified"}) {
    EXPECT_FALSE(contains(c, gone)) << gone;
  }
  EXPECT_TRUE(c.ends_with("!\nend\n"));
}

TEST(AristaEos, EachVolatileLineChangingLeavesTheBackupIdentical) {
  const AristaEosPlatform platform;
  const auto outputs = backupOutputs();
  const auto base = platform.assembleBackup(outputs, SecretMode::Mask).config;
  struct Edit {
    std::size_t output;
    const char* from;
    const char* to;
  };
  const std::vector<Edit> edits{
      {0, "5 weeks, 1 day, 3 hours and 14 minutes", "5 weeks, 2 days, 1 hour and 2 minutes"},
      {0, "Free memory:            2580188 kB", "Free memory:            2579004 kB"},
      {1, "! Command: show running-config", "! Command: show running-config | no-more"},
      {1, "! device: leaf1 (DCS-7050TX-64, EOS-4.27.3F)",
       "! device: leaf1 (DCS-7050TX-64, EOS-4.28.1F)"},
      {1, "! Time: Tue Mar  5 14:02:11 2024", "! Time: Wed Mar  6 09:00:00 2024"},
      {1, "last modified at Tue Mar  5 14:00:02 2024 by netadmin",
       "last modified at Wed Mar  6 by x"},
  };
  for (const auto& e : edits) {
    auto changed = outputs;
    changed[e.output] = replaceOnce(changed[e.output], e.from, e.to);
    EXPECT_EQ(platform.assembleBackup(changed, SecretMode::Mask).config, base) << e.from;
  }
  auto real = outputs;
  real[1] = replaceOnce(real[1], "   description uplink spine1", "   description uplink spine2");
  EXPECT_NE(platform.assembleBackup(real, SecretMode::Mask).config, base);
}

struct SecretCase {
  const char* line;
  const char* masked;
};

const std::vector<SecretCase> kSecretCases{
    {"username admin privilege 15 role network-admin secret sha512 $6$Wq2eZ.r1B0zq3JzK$0qv3g8",
     "username admin privilege 15 role network-admin secret sha512 <secret hidden>"},
    {"username ops privilege 1 secret 5 $1$s4lT$Q1w2e3r4t5y6u7i8o9p0a.",
     "username ops privilege 1 secret 5 <secret hidden>"},
    {"username lab secret 0 Cl34rT3xt", "username lab secret 0 <secret hidden>"},
    {"enable password sha512 $6$k1Lm.Op9Qr$yH3j6TzKcP1m4",
     "enable password sha512 <secret hidden>"},
    {"enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0", "enable secret 5 <secret hidden>"},
    {"   secret sha512 $6$abc$def", "   secret sha512 <secret hidden>"},
    {"snmp-server community n3tR34d ro", "snmp-server community <secret hidden> ro"},
    {"snmp-server host 10.0.0.162 vrf MGMT version 2c tr4pC0mm",
     "snmp-server host 10.0.0.162 vrf MGMT version 2c <secret hidden>"},
    {"tacacs-server host 10.0.0.49 vrf MGMT key 7 070C285F4D06",
     "tacacs-server host 10.0.0.49 vrf MGMT key 7 <secret hidden>"},
    {"tacacs-server key 7 070C285F4D06", "tacacs-server key 7 <secret hidden>"},
    {"radius-server key 7 0207165218120E", "radius-server key 7 <secret hidden>"},
    {"radius-server host 10.0.0.50 key 7 0207165218120E",
     "radius-server host 10.0.0.50 key 7 <secret hidden>"},
    {"   neighbor 192.0.2.0 password 7 AQQVJ0ccPqyB+QoSx7hXRw==",
     "   neighbor 192.0.2.0 password 7 <secret hidden>"},
    {"   neighbor SPINES password 0 plainBgp", "   neighbor SPINES password 0 <secret hidden>"},
    {"   pre-shared-key 7 0207165218120E", "   pre-shared-key 7 <secret hidden>"},
    {"   ip ospf authentication-key 7 0822455D0A16",
     "   ip ospf authentication-key 7 <secret hidden>"},
    {"   ip ospf message-digest-key 1 md5 7 0822455D0A16",
     "   ip ospf message-digest-key 1 md5 7 <secret hidden>"},
    {"   isis authentication key 7 0508571C22431F", "   isis authentication key 7 <secret hidden>"},
    {"ntp authentication-key 1 md5 7 060506324F41",
     "ntp authentication-key 1 md5 7 <secret hidden>"},
    {"   vrrp 1 authentication text password 7 0822455D0A16",
     "   vrrp 1 authentication text password 7 <secret hidden>"},
};

TEST(AristaEos, EverySecretKindInEveryMode) {
  const AristaEosPlatform platform;
  for (const auto& c : kSecretCases) {
    const std::string line = std::string(c.line) + "\n";
    EXPECT_EQ(platform.normalize(line, SecretMode::Mask), std::string(c.masked) + "\n") << c.line;
    EXPECT_EQ(platform.normalize(line, SecretMode::Remove), "") << c.line;
    EXPECT_EQ(platform.normalize(line, SecretMode::Keep), line) << c.line;
  }
}

TEST(AristaEos, LinesThatOnlyLookLikeSecretsAreLeftAlone) {
  const AristaEosPlatform platform;
  const std::string config =
      "username admin nopassword\nno aaa root\nsnmp-server location dc1\n"
      "   description password rotation\nmanagement security\n";
  EXPECT_EQ(platform.normalize(config, SecretMode::Mask), config);
}

TEST(AristaEos, NoSecretOfTheFixtureSurvivesMasking) {
  const AristaEosPlatform platform;
  const auto backup = platform.assembleBackup(backupOutputs(), SecretMode::Mask);
  for (const char* secret : {"$6$", "$1$", "n3tR34d", "tr4pC0mm", "070C285F4D06", "0207165218120E",
                             "060506324F41", "0822455D0A16", "0508571C22431F", "AQQVJ0ccPqyB"}) {
    EXPECT_FALSE(contains(backup.config, secret)) << secret;
  }
  const auto removed = platform.assembleBackup(backupOutputs(), SecretMode::Remove);
  EXPECT_FALSE(contains(removed.config, "username admin"));
  EXPECT_TRUE(contains(removed.config,
                       "\nrouter bgp 65011\n   router-id 10.10.255.11\n"
                       "   neighbor 192.0.2.0 remote-as 65000\n!\n"));
}

TEST(AristaEos, TruncatedConfigurationsAreDetected) {
  const AristaEosPlatform platform;
  auto outputs = backupOutputs();
  const auto full = outputs[1];
  outputs[1] = full.substr(0, full.find("router ospf 1"));
  const auto cut = platform.assembleBackup(outputs, SecretMode::Mask);
  ASSERT_TRUE(cut.incomplete.has_value());
  EXPECT_TRUE(contains(*cut.incomplete, "does not end with 'end'")) << *cut.incomplete;
  EXPECT_FALSE(platform.incompleteReason(full).has_value());
  EXPECT_TRUE(platform.incompleteReason("").has_value());
}

TEST(AristaEos, CliErrorsAreFound) {
  const AristaEosPlatform platform;
  EXPECT_EQ(platform.findError("show foo\r\n% Invalid input (at token 1: 'foo')\r\n"),
            "% Invalid input (at token 1: 'foo')");
  EXPECT_EQ(platform.findError("% Incomplete command\r\n"), "% Incomplete command");
  EXPECT_EQ(platform.findError("% Ambiguous command\r\n"), "% Ambiguous command");
  EXPECT_EQ(platform.findError("% Error: session is already committed\r\n"),
            "% Error: session is already committed");
  EXPECT_EQ(
      platform.findError("% Unavailable command (not supported on this hardware platform)\r\n"),
      "% Unavailable command (not supported on this hardware platform)");
  EXPECT_FALSE(platform.findError(readFixture("arista_eos", "running_config.txt")));
}

TEST(AristaEos, FactsFromShowVersionAndShowHostname) {
  const AristaEosPlatform platform;
  const auto facts = platform.parseFacts(readFixture("arista_eos", "show_version.txt") + "\n" +
                                         readFixture("arista_eos", "show_hostname.txt"));
  EXPECT_EQ(facts.hostname, "leaf1");
  EXPECT_EQ(facts.model, "DCS-7050TX-64-R");
  EXPECT_EQ(facts.serial, "JPE15123456");
  EXPECT_EQ(facts.osVersion, "4.27.3F");
  const auto veos = platform.parseFacts(
      "Arista vEOS-lab\nHardware version:\nSerial number:\nSystem MAC address:  5254.0012.3456\n\n"
      "Software image version: 4.29.2F\n");
  EXPECT_EQ(veos.model, "vEOS-lab");
  EXPECT_EQ(veos.serial, "");
  EXPECT_EQ(veos.osVersion, "4.29.2F");
}

TEST(AristaEos, TeardownShutsDataInterfacesAndRemovesRoutingButNotManagement) {
  const AristaEosPlatform platform;
  const auto lines = platform.teardownLines(readFixture("arista_eos", "running_config.txt"));
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "interface Ethernet1", " shutdown", " exit", "interface Ethernet2",
                       " shutdown", " exit", "interface Loopback0", " shutdown", " exit",
                       "interface Vlan10", " shutdown", " exit", "no ip route 0.0.0.0/0 192.0.2.0",
                       "no router bgp 65011", "no router ospf 1"}));
}

}  // namespace
}  // namespace netspine::platforms::arista_eos
