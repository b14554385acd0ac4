#include "cisco_ios_platform.hpp"
#include "platform_test_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace netspine::platforms::cisco_ios {
namespace {

using plugin::SecretMode;
using test::contains;
using test::promptsMatched;
using test::readFixture;
using test::replaceOnce;

std::vector<std::string> backupOutputs() {
  return {readFixture("cisco_ios", "show_version.txt"),
          readFixture("cisco_ios", "show_inventory.txt"),
          readFixture("cisco_ios", "running_config.txt")};
}

TEST(CiscoIos, ManifestNamesThePlatform) {
  const auto m = manifest();
  EXPECT_EQ(m.id, "cisco_ios");
  EXPECT_EQ(m.kind, plugin::PluginKind::Platform);
  EXPECT_EQ(m.provides, std::vector<std::string>{"cisco_ios"});
  EXPECT_EQ(m.version, "1.0.0");
  EXPECT_EQ(m.minHostVersion, "0.1.0");
  EXPECT_EQ(CiscoIosPlatform().spec().id, m.id);
}

TEST(CiscoIos, SessionAndConfigurationCommands) {
  const CiscoIosPlatform platform;
  const auto& s = platform.spec();
  EXPECT_EQ(s.session.prepare, (std::vector<std::string>{"terminal length 0", "terminal width 0"}));
  EXPECT_EQ(s.session.enable, "enable");
  ASSERT_EQ(s.backup.size(), 3u);
  EXPECT_EQ(s.backup.back().command, "show running-config");
  EXPECT_FALSE(s.backup.back().asComment);
  EXPECT_EQ(s.configuration.enter, "configure terminal");
  EXPECT_EQ(s.configuration.commit, "");
  EXPECT_EQ(s.configuration.save, "write memory");
  EXPECT_EQ(s.configuration.replace, "configure replace {file} force");
  EXPECT_EQ(s.snmp.sysObjectIdPrefixes, std::vector<std::string>{"1.3.6.1.4.1.9."});
}

TEST(CiscoIos, PromptsAfterABannerWithAnsiCodes) {
  const CiscoIosPlatform platform;
  const auto& p = platform.spec().prompts;
  const std::string banner =
      "\r\n\x1b[1;31m###########################################\r\n"
      "#  Authorized access only. Disconnect now! #\r\n"
      "###########################################\x1b[0m\r\n\r\n";
  EXPECT_EQ(promptsMatched(p, banner), "");  // the banner alone ends in '#': no prompt
  EXPECT_EQ(promptsMatched(p, banner + "access-sw1>"), "user");
  EXPECT_EQ(promptsMatched(p, banner + "\x1b[1maccess-sw1#\x1b[0m "), "privileged");
  EXPECT_EQ(promptsMatched(p, "enable\r\nPassword: "), "password");
  EXPECT_EQ(promptsMatched(p,
                           "configure terminal\r\nEnter configuration commands, one per "
                           "line.  End with CNTL/Z.\r\naccess-sw1(config)#"),
            "config");
  EXPECT_EQ(promptsMatched(p, "interface Gi1/0/1\r\naccess-sw1(config-if)#"), "config");
  EXPECT_EQ(promptsMatched(p, "crypto pki trustpoint TP\r\nr1.lab(ca-trustpoint)#"), "config");
  EXPECT_EQ(promptsMatched(p, "interface GigabitEthernet1/0/1\r\n --More-- "), "pager");
  EXPECT_EQ(promptsMatched(p, "Last login from 10.0.0.1 at 10:00 #\r\n"), "");
}

TEST(CiscoIos, BackupHasCommentsThenTheConfigurationWithoutVolatileLines) {
  const CiscoIosPlatform platform;
  const auto backup = platform.assembleBackup(backupOutputs(), SecretMode::Mask);
  EXPECT_FALSE(backup.incomplete.has_value()) << *backup.incomplete;
  const auto& c = backup.config;
  EXPECT_TRUE(c.starts_with("! Cisco IOS Software, C2960X Software")) << c.substr(0, 200);
  EXPECT_TRUE(contains(c, "! PID: WS-C2960X-48FPD-L , VID: V05  , SN: FOC2048X1AB\n"));
  EXPECT_TRUE(contains(c, "!\n!\nversion 15.2\n"));  // comments, then the body's first "!"
  EXPECT_TRUE(c.ends_with("\nend\n"));
  for (const char* gone :
       {"uptime is", "System returned to ROM", "System restarted at", "Building configuration",
        "Current configuration :", "Last configuration change", "NVRAM config last updated",
        "ntp clock-period"}) {
    EXPECT_FALSE(contains(c, gone)) << gone;
  }
  EXPECT_TRUE(contains(c, "! System image file is \"flash:c2960x-universalk9-mz.152-7.E3.bin\""));
  EXPECT_TRUE(contains(c, "\nntp server 10.0.0.123\n"));
}

TEST(CiscoIos, EachVolatileLineChangingLeavesTheBackupIdentical) {
  const CiscoIosPlatform platform;
  const auto outputs = backupOutputs();
  const auto base = platform.assembleBackup(outputs, SecretMode::Mask).config;
  struct Edit {
    std::size_t output;
    const char* from;
    const char* to;
  };
  const std::vector<Edit> edits{
      {0, "uptime is 23 weeks, 4 days, 7 hours, 12 minutes", "uptime is 23 weeks, 4 days, 9 hours"},
      {0, "System returned to ROM by power-on", "System returned to ROM by reload"},
      {0, "System restarted at 09:14:55 UTC Mon Jan 8 2024", "System restarted at 11:00:00 UTC"},
      {2, "Current configuration : 4817 bytes", "Current configuration : 4903 bytes"},
      {2, "change at 14:02:11 UTC Tue Mar 5 2024 by netadmin", "change at 09:00:00 UTC by x"},
      {2, "updated at 14:02:15 UTC Tue Mar 5 2024", "updated at 09:00:05 UTC Wed Mar 6 2024"},
      {2, "ntp clock-period 36028797018963968", "ntp clock-period 36028797018963001"},
      {2, "Building configuration...\n", "Building configuration...\n\n"},
  };
  for (const auto& e : edits) {
    auto changed = outputs;
    changed[e.output] = replaceOnce(changed[e.output], e.from, e.to);
    EXPECT_EQ(platform.assembleBackup(changed, SecretMode::Mask).config, base) << e.from;
  }
  auto real = outputs;
  real[2] = replaceOnce(real[2], "ntp server 10.0.0.123", "ntp server 10.0.0.124");
  EXPECT_NE(platform.assembleBackup(real, SecretMode::Mask).config, base);
}

TEST(CiscoIos, IosXeVolatileLinesIncludingTheNextReloadRegister) {
  const CiscoIosPlatform platform;
  const auto xe = readFixture("cisco_ios", "show_version_xe.txt");
  const auto config = readFixture("cisco_ios", "running_config.txt");
  const auto base = platform.assembleBackup({xe, "", config}, SecretMode::Mask).config;
  EXPECT_FALSE(contains(base, "Uptime for this control processor"));
  EXPECT_FALSE(contains(base, "Switch uptime"));
  EXPECT_TRUE(contains(base, "! Configuration register is 0x102<volatile>\n"));
  auto later = replaceOnce(xe, "2 hours, 44 minutes", "5 hours, 1 minute");
  later = replaceOnce(later, "3 days, 2 hours, 40 minutes", "3 days, 5 hours");
  later = replaceOnce(later, "(will be 0x142 at next reload)", "(will be 0x2102 at next reload)");
  EXPECT_EQ(platform.assembleBackup({later, "", config}, SecretMode::Mask).config, base);
}

struct SecretCase {
  const char* line;
  const char* masked;
};

// One line per secret kind, as IOS prints it, and the same line masked.
const std::vector<SecretCase> kSecretCases{
    {"enable secret 9 $9$nhEmQVczB7dqsO$X.HsgL6x1il0R", "enable secret 9 <secret hidden>"},
    {"enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0", "enable secret 5 <secret hidden>"},
    {"enable password 7 0822455D0A16", "enable password 7 <secret hidden>"},
    {"enable password cisco", "enable password <secret hidden>"},
    {"username netadmin privilege 15 secret 9 $9$B9gFbcT",
     "username netadmin privilege 15 secret 9 <secret hidden>"},
    {"username backup password 7 0822455D0A16544541", "username backup password 7 <secret hidden>"},
    {"snmp-server community n3tR34d RO 10", "snmp-server community <secret hidden> RO 10"},
    {"snmp-server host 10.0.0.162 version 2c tr4pC0mm",
     "snmp-server host 10.0.0.162 version 2c <secret hidden>"},
    {"snmp-server host 10.0.0.163 vrf MGMT informs version 2c inf0rm udp-port 162",
     "snmp-server host 10.0.0.163 vrf MGMT informs version 2c <secret hidden> udp-port 162"},
    {"snmp-server host 10.0.0.164 l3g4cy", "snmp-server host 10.0.0.164 <secret hidden>"},
    {"tacacs-server key 7 045802150C2E1D1C5A", "tacacs-server key 7 <secret hidden>"},
    {"tacacs-server host 10.0.0.49 key Pl41nK3y",
     "tacacs-server host 10.0.0.49 key <secret hidden>"},
    {" key 7 02050D480809", " key 7 <secret hidden>"},
    {" key Pl41nServerKey", " key <secret hidden>"},
    {"radius-server key 7 1511021F07257A767B", "radius-server key 7 <secret hidden>"},
    {"radius-server host 10.0.0.50 auth-port 1812 acct-port 1813 key 7 1511021F07",
     "radius-server host 10.0.0.50 auth-port 1812 acct-port 1813 key 7 <secret hidden>"},
    {"  key-string 7 104D000A0618", "  key-string 7 <secret hidden>"},
    {" standby 1 authentication md5 key-string 7 0822455D0A16",
     " standby 1 authentication md5 key-string 7 <secret hidden>"},
    {"crypto isakmp key 6 XbcQ]YRWXBbhIOPE address 198.51.100.7",
     "crypto isakmp key 6 <secret hidden> address 198.51.100.7"},
    {"crypto isakmp key cisco123 address 0.0.0.0",
     "crypto isakmp key <secret hidden> address 0.0.0.0"},
    {"  pre-shared-key address 203.0.113.9 key 6 aFGDJfHTdRQP",
     "  pre-shared-key address 203.0.113.9 key 6 <secret hidden>"},
    {"  pre-shared-key local 6 bEgSXYCZ]hVhSZha", "  pre-shared-key local 6 <secret hidden>"},
    {"  pre-shared-key Sup3rS3cret", "  pre-shared-key <secret hidden>"},
    {" ppp chap password 7 05080F1C22431F5B4A", " ppp chap password 7 <secret hidden>"},
    {" ppp pap sent-username isp password 7 1511021F07",
     " ppp pap sent-username isp password 7 <secret hidden>"},
    {" ip ospf authentication-key 7 0130131D5E150A",
     " ip ospf authentication-key 7 <secret hidden>"},
    {" ip ospf message-digest-key 1 md5 7 13061E0108035578",
     " ip ospf message-digest-key 1 md5 7 <secret hidden>"},
    {" ip ospf message-digest-key 2 md5 Cl34rT3xt",
     " ip ospf message-digest-key 2 md5 <secret hidden>"},
    {" neighbor 192.0.2.1 password 7 110A1016141D5A5E57",
     " neighbor 192.0.2.1 password 7 <secret hidden>"},
    {"  authentication open wpa-psk ascii 7 0822455D0A16",
     "  authentication open wpa-psk ascii 7 <secret hidden>"},
    {" wpa-psk hex 0 0123456789abcdef", " wpa-psk hex 0 <secret hidden>"},
    {" password 7 030752180500", " password 7 <secret hidden>"},
    {" password linepass", " password <secret hidden>"},
    {"ntp authentication-key 1 md5 121A0C0411045D5679 7",
     "ntp authentication-key 1 md5 <secret hidden> 7"},
};

TEST(CiscoIos, EverySecretKindInEveryMode) {
  const CiscoIosPlatform platform;
  for (const auto& c : kSecretCases) {
    const std::string line = std::string(c.line) + "\n";
    EXPECT_EQ(platform.normalize(line, SecretMode::Mask), std::string(c.masked) + "\n") << c.line;
    EXPECT_EQ(platform.normalize(line, SecretMode::Remove), "") << c.line;
    EXPECT_EQ(platform.normalize(line, SecretMode::Keep), line) << c.line;
  }
}

TEST(CiscoIos, LinesThatOnlyLookLikeSecretsAreLeftAlone) {
  const CiscoIosPlatform platform;
  const std::string config =
      "key chain OSPF-KEYS\n key 1\n key 12\n"
      "snmp-server location dc1 rack 4\n"
      "aaa authentication login default group tacacs+ local\n"
      "crypto keyring SITE-B\n"
      "service password-encryption\n"
      "username ops privilege 1 nopassword\n"
      " description password rotation owner\n";
  EXPECT_EQ(platform.normalize(config, SecretMode::Mask), config);
  EXPECT_EQ(platform.normalize(config, SecretMode::Remove), config);
}

TEST(CiscoIos, NoSecretOfTheFixtureSurvivesMasking) {
  const CiscoIosPlatform platform;
  const auto backup = platform.assembleBackup(backupOutputs(), SecretMode::Mask);
  for (const char* secret :
       {"$9$nhEmQVczB7dqsO",  "$9$B9gFbcTrLhq5nE",  "0822455D0A16544541", "XbcQ]YRWXBbhIOPEJ",
        "aFGDJfHTdRQPCNaX",   "bEgSXYCZ]hVhSZha",   "104D000A0618",       "0130131D5E150A",
        "13061E010803557878", "05080F1C22431F5B4A", "110A1016141D5A5E57", "n3tR34d",
        "n3tWr1te",           "tr4pC0mm",           "045802150C2E1D1C5A", "02050D480809",
        "1511021F07257A767B", "121A0C0411045D5679", "030752180500",       "13061E010803\n"}) {
    EXPECT_FALSE(contains(backup.config, secret)) << secret;
  }
  EXPECT_TRUE(
      contains(backup.config, "\nkey chain OSPF-KEYS\n key 1\n  key-string 7 <secret hidden>\n"));
  const auto removed = platform.assembleBackup(backupOutputs(), SecretMode::Remove);
  EXPECT_FALSE(contains(removed.config, plugin::kSecretMask));
  EXPECT_FALSE(contains(removed.config, "snmp-server community"));
  EXPECT_TRUE(contains(removed.config, "\nline vty 0 4\n transport input ssh\n"));
}

TEST(CiscoIos, TruncatedConfigurationsAreDetected) {
  const CiscoIosPlatform platform;
  auto outputs = backupOutputs();
  const auto full = outputs[2];
  outputs[2] = full.substr(0, full.find("line con 0"));
  const auto cut = platform.assembleBackup(outputs, SecretMode::Mask);
  ASSERT_TRUE(cut.incomplete.has_value());
  EXPECT_TRUE(contains(*cut.incomplete, "does not end with 'end'")) << *cut.incomplete;
  EXPECT_TRUE(platform.incompleteReason(full.substr(0, full.size() - 2)).has_value());  // "en"
  EXPECT_FALSE(platform.incompleteReason(full).has_value());
  EXPECT_TRUE(platform.incompleteReason("\n\n").has_value());
}

TEST(CiscoIos, CliErrorsAreFound) {
  const CiscoIosPlatform platform;
  EXPECT_EQ(
      platform.findError("show foo\r\n        ^\r\n% Invalid input detected at '^' marker.\r\n"),
      "% Invalid input detected at '^' marker.");
  EXPECT_EQ(platform.findError("show ip\r\n% Incomplete command.\r\n"), "% Incomplete command.");
  EXPECT_EQ(platform.findError("% Ambiguous command:  \"sh i\"\r\n"),
            "% Ambiguous command:  \"sh i\"");
  EXPECT_EQ(platform.findError("% Unknown command or computer name, or unable to find computer "
                               "address\r\n"),
            "% Unknown command or computer name, or unable to find computer address");
  EXPECT_EQ(platform.findError("% Bad IP address or host name\r\n"),
            "% Bad IP address or host name");
  EXPECT_EQ(platform.findError("%Error opening tftp://10.0.0.1/x (Timed out)\r\n"),
            "%Error opening tftp://10.0.0.1/x (Timed out)");
  EXPECT_EQ(platform.findError("% Authorization failed.\r\n"), "% Authorization failed.");
  EXPECT_FALSE(platform.findError(readFixture("cisco_ios", "running_config.txt")));
  EXPECT_FALSE(
      platform.findError("*Mar  1 00:01:02: %LINK-3-UPDOWN: Interface Gi1/0/1, changed "
                         "state to up\r\n"));
}

TEST(CiscoIos, FactsFromShowVersion) {
  const CiscoIosPlatform platform;
  const auto classic = platform.parseFacts(readFixture("cisco_ios", "show_version.txt"));
  EXPECT_EQ(classic.hostname, "access-sw1");
  EXPECT_EQ(classic.osVersion, "15.2(7)E3");
  EXPECT_EQ(classic.model, "WS-C2960X-48FPD-L");
  EXPECT_EQ(classic.serial, "FOC2048X1AB");
  const auto xe = platform.parseFacts(readFixture("cisco_ios", "show_version_xe.txt"));
  EXPECT_EQ(xe.hostname, "core-sw1");
  EXPECT_EQ(xe.osVersion, "17.03.04a");
  EXPECT_EQ(xe.model, "C9300-48P");
  EXPECT_EQ(xe.serial, "FOC2345A6BC");
  const auto isr = platform.parseFacts(
      "Cisco IOS Software, C2900 Software (C2900-UNIVERSALK9-M), Version 15.7(3)M8, RELEASE "
      "SOFTWARE (fc1)\nbr1 uptime is 1 day\nCisco CISCO2911/K9 (revision 1.0) with "
      "479232K/45056K bytes of memory.\nProcessor board ID FTX1234ABCD\n");
  EXPECT_EQ(isr.osVersion, "15.7(3)M8");
  EXPECT_EQ(isr.model, "CISCO2911/K9");
  EXPECT_EQ(isr.serial, "FTX1234ABCD");
}

TEST(CiscoIos, TeardownShutsDataInterfacesAndRemovesRoutingButNotManagement) {
  const CiscoIosPlatform platform;
  const auto lines = platform.teardownLines(readFixture("cisco_ios", "running_config.txt"));
  const std::vector<std::string> expected{
      "interface GigabitEthernet1/0/1",
      " shutdown",
      " exit",
      "interface GigabitEthernet1/0/2",
      " shutdown",
      " exit",
      "interface Vlan10",
      " shutdown",
      " exit",
      "interface Dialer1",
      " shutdown",
      " exit",
      "no router ospf 1",
      "no router bgp 65010",
      "no ip dhcp pool USERS",
      "no ip route 0.0.0.0 0.0.0.0 192.0.2.1",
  };
  EXPECT_EQ(lines, expected);
}

}  // namespace
}  // namespace netspine::platforms::cisco_ios
