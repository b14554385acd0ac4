#include "juniper_junos_platform.hpp"
#include "platform_test_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace netspine::platforms::juniper_junos {
namespace {

using plugin::SecretMode;
using test::contains;
using test::promptsMatched;
using test::readFixture;
using test::replaceOnce;

std::vector<std::string> backupOutputs() {
  return {readFixture("juniper_junos", "show_version.txt"),
          readFixture("juniper_junos", "show_chassis_hardware.txt"),
          readFixture("juniper_junos", "configuration.txt")};
}

TEST(JuniperJunos, ManifestNamesThePlatform) {
  const auto m = manifest();
  EXPECT_EQ(m.id, "juniper_junos");
  EXPECT_EQ(m.kind, plugin::PluginKind::Platform);
  EXPECT_EQ(m.provides, std::vector<std::string>{"juniper_junos"});
  EXPECT_EQ(m.version, "1.0.0");
  EXPECT_EQ(m.minHostVersion, "0.1.0");
  EXPECT_EQ(JuniperJunosPlatform().spec().id, m.id);
}

TEST(JuniperJunos, SessionAndCommitCommands) {
  const JuniperJunosPlatform platform;
  const auto& s = platform.spec();
  ASSERT_GE(s.session.prepare.size(), 2u);
  EXPECT_EQ(s.session.prepare[0], "set cli screen-length 0");
  EXPECT_EQ(s.session.prepare[1], "set cli screen-width 0");
  EXPECT_EQ(s.session.enable, "");
  EXPECT_EQ(s.backup.back().command, "show configuration | display omit");
  EXPECT_EQ(s.commentPrefix, "# ");
  const auto& c = s.configuration;
  EXPECT_EQ(c.enter, "configure private");
  EXPECT_EQ(c.leave, "exit configuration-mode");
  EXPECT_EQ(c.check, "commit check");
  EXPECT_EQ(c.compare, "show | compare");
  EXPECT_EQ(c.commit, "commit");
  EXPECT_EQ(c.commitConfirmed, "commit confirmed {minutes}");
  EXPECT_EQ(c.confirm, "commit");
  EXPECT_EQ(c.abort, "rollback 0");
  EXPECT_EQ(c.rollback, "rollback 1");
  EXPECT_EQ(s.snmp.sysObjectIdPrefixes, std::vector<std::string>{"1.3.6.1.4.1.2636."});
}

TEST(JuniperJunos, PromptsInEachModeAfterBannersAndAnsiCodes) {
  const JuniperJunosPlatform platform;
  const auto& p = platform.spec().prompts;
  const std::string banner =
      "--- JUNOS 21.4R3-S1.5 Kernel 64-bit  JNPR-12.1-20221102.3f2b48a_buil\r\n"
      "\x1b[1m*** Authorized use only #\x1b[0m\r\n\r\n";
  EXPECT_EQ(promptsMatched(p, banner), "");
  EXPECT_EQ(promptsMatched(p, banner + "netadmin@mx1-pe> "), "user,privileged");
  EXPECT_EQ(promptsMatched(p, "\r\n{master:0}\r\n\x1b[32mnetadmin@ex1.lab>\x1b[0m "),
            "user,privileged");
  EXPECT_EQ(promptsMatched(p,
                           "configure private \r\nwarning: uncommitted changes will be "
                           "discarded on exit\r\nEntering configuration mode\r\n\r\n"
                           "[edit]\r\nnetadmin@mx1-pe# "),
            "config");
  EXPECT_EQ(promptsMatched(p, "\r\n[edit interfaces ge-0/0/0 unit 0]\r\nnetadmin@mx1-pe# "),
            "config");
  EXPECT_EQ(promptsMatched(p, "\r\n{master:0}[edit]\r\nnetadmin@ex1# "), "config");
  EXPECT_EQ(promptsMatched(p, "netadmin@mx1-pe# "), "");  // '#' without "[edit]": a shell line
  EXPECT_EQ(promptsMatched(p, "ge-0/0/0 up up\r\n---(more 45%)---"), "pager");
}

TEST(JuniperJunos, BackupHasHashCommentsThenTheConfiguration) {
  const JuniperJunosPlatform platform;
  const auto backup = platform.assembleBackup(backupOutputs(), SecretMode::Mask);
  EXPECT_FALSE(backup.incomplete.has_value()) << *backup.incomplete;
  const auto& c = backup.config;
  EXPECT_TRUE(c.starts_with("# Hostname: mx1-pe\n# Model: mx480\n# Junos: 21.4R3-S1.5\n"));
  EXPECT_TRUE(contains(c, "\n# Chassis                                JN11F2C5EAFA      MX480\n"));
  EXPECT_TRUE(contains(c, "\n#\nversion 21.4R3-S1.5;\nsystem {\n"));
  EXPECT_FALSE(contains(c, "Last commit"));
  EXPECT_TRUE(
      c.ends_with("        description \"management\";\n    }\n    CUST-A {\n"
                  "        instance-type vrf;\n    }\n}\n"));
}

TEST(JuniperJunos, EachVolatileLineChangingLeavesTheBackupIdentical) {
  const JuniperJunosPlatform platform;
  const auto outputs = backupOutputs();
  const auto base = platform.assembleBackup(outputs, SecretMode::Mask).config;
  auto edited = outputs;
  edited[2] = replaceOnce(edited[2], "## Last commit: 2024-03-05 14:02:11 UTC by netadmin",
                          "## Last commit: 2024-03-09 08:00:00 UTC by automation");
  EXPECT_EQ(platform.assembleBackup(edited, SecretMode::Mask).config, base);
  edited[2] = replaceOnce(edited[2], "version 21.4R3-S1.5;\n",
                          "## Last changed: 2024-03-09 08:00:00 UTC\nversion 21.4R3-S1.5;\n");
  EXPECT_EQ(platform.assembleBackup(edited, SecretMode::Mask).config, base);
  // Output of a routing engine in a virtual chassis ends with its role.
  edited[2] += "\n{master:0}\n";
  edited[0] = "{backup:1}\n" + edited[0];
  EXPECT_EQ(platform.assembleBackup(edited, SecretMode::Mask).config, base);
  edited[0] += "System booted: 2024-01-08 09:14:55 UTC (8w1d 04:47 ago)\n";
  EXPECT_EQ(platform.assembleBackup(edited, SecretMode::Mask).config, base);
  edited[2] = replaceOnce(edited[2], "host-name mx1-pe;", "host-name mx2-pe;");
  EXPECT_NE(platform.assembleBackup(edited, SecretMode::Mask).config, base);
}

struct SecretCase {
  const char* line;
  const char* masked;
};

const std::vector<SecretCase> kSecretCases{
    {R"(        encrypted-password "$6$Uh1e4/Ja$Gd3d9xV1Q1bN8W3z"; ## SECRET-DATA)",
     R"(        encrypted-password "<secret hidden>"; ## SECRET-DATA)"},
    {R"(                encrypted-password "$1$Vx9c/abc$8fQ2bYk1zVw9S0T3a1b2c.";)",
     R"(                encrypted-password "<secret hidden>";)"},
    {R"(            secret "$9$kqfz6CA0BEhrv1hwYoZUik.5F/9"; ## SECRET-DATA)",
     R"(            secret "<secret hidden>"; ## SECRET-DATA)"},
    {R"(            authentication-key "$9$dLbYoaJUiHm5FnCu0O";)",
     R"(            authentication-key "<secret hidden>";)"},
    {R"(                    md5 1 key "$9$5nz6Cp0IhrvMXIEs4o";)",
     R"(                    md5 1 key "<secret hidden>";)"},
    {R"(            pre-shared-key ascii-text "$9$HkmTzCu1EyKMX-bs4aUDjq.5F3";)",
     R"(            pre-shared-key ascii-text "<secret hidden>";)"},
    {R"(            pre-shared-key hexadecimal "0a1b2c3d4e5f";)",
     R"(            pre-shared-key hexadecimal "<secret hidden>";)"},
    {R"(                    simple-password "$9$Ap0ICtu1hr";)",
     R"(                    simple-password "<secret hidden>";)"},
    {R"(        hash "$9$LEz7-wg4Z";)", R"(        hash "<secret hidden>";)"},
    {R"(    community n3tR34d {)", R"(    community <secret hidden> {)"},
    {R"(    community "read only" {)", R"(    community <secret hidden> {)"},
    {R"(    community tr4p;)", R"(    community <secret hidden>;)"},
    {R"(                description "$9$QF3/9pBEcyKMX";)",
     R"(                description "<secret hidden>";)"},
    {R"(    ike-key "$6$abc$defghijk";)", R"(    ike-key "<secret hidden>";)"},
    {R"(    psk "unknown-kind"; ## SECRET-DATA)", R"(    psk "<secret hidden>"; ## SECRET-DATA)"},
    {R"(set system root-authentication encrypted-password "$6$Uh1e4/Ja$Gd3d9")",
     R"(set system root-authentication encrypted-password "<secret hidden>")"},
    {R"(set snmp community n3tR34d authorization read-only)",
     R"(set snmp community <secret hidden> authorization read-only)"},
};

TEST(JuniperJunos, EverySecretKindInEveryMode) {
  const JuniperJunosPlatform platform;
  for (const auto& c : kSecretCases) {
    const std::string line = std::string(c.line) + "\n";
    EXPECT_EQ(platform.normalize(line, SecretMode::Mask), std::string(c.masked) + "\n") << c.line;
    EXPECT_EQ(platform.normalize(line, SecretMode::Remove), "") << c.line;
    EXPECT_EQ(platform.normalize(line, SecretMode::Keep), line) << c.line;
  }
}

TEST(JuniperJunos, BgpCommunitiesAndPublicKeysAreNotSecrets) {
  const JuniperJunosPlatform platform;
  const std::string config =
      "policy-options {\n    community CUST-A members 65010:100;\n"
      "    policy-statement OUT {\n        from community CUST-A;\n    }\n}\n"
      "                ssh-ed25519 \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 ops\";\n"
      "    description \"secret lab\";\n";
  EXPECT_EQ(platform.normalize(config, SecretMode::Mask), config);
  EXPECT_EQ(platform.normalize(config, SecretMode::Remove), config);
}

TEST(JuniperJunos, NoSecretOfTheFixtureSurvivesMasking) {
  const JuniperJunosPlatform platform;
  const auto backup = platform.assembleBackup(backupOutputs(), SecretMode::Mask);
  EXPECT_FALSE(contains(backup.config, "$9$"));
  EXPECT_FALSE(contains(backup.config, "$6$"));
  EXPECT_FALSE(contains(backup.config, "$1$"));
  EXPECT_FALSE(contains(backup.config, "n3tR34d"));
  EXPECT_TRUE(contains(backup.config, "    community CUST-A members 65010:100;\n"));
  const auto removed = platform.assembleBackup(backupOutputs(), SecretMode::Remove);
  EXPECT_FALSE(contains(removed.config, "SECRET-DATA"));
  EXPECT_TRUE(contains(removed.config, "        10.0.0.50 {\n        }\n"));
}

TEST(JuniperJunos, TruncatedConfigurationsAreDetected) {
  const JuniperJunosPlatform platform;
  const auto full = readFixture("juniper_junos", "configuration.txt");
  EXPECT_FALSE(platform.incompleteReason(full).has_value());

  const auto cut = full.substr(0, full.find("routing-instances {"));
  auto outputs = backupOutputs();
  outputs[2] = full.substr(0, full.find("    lldp {"));
  const auto backup = platform.assembleBackup(outputs, SecretMode::Mask);
  ASSERT_TRUE(backup.incomplete.has_value());
  EXPECT_TRUE(contains(*backup.incomplete, "'{' not closed")) << *backup.incomplete;
  // Cut between two top-level sections: balanced, but the last line is not a statement's end.
  const auto midStatement = cut + "routing-inst";
  EXPECT_TRUE(contains(platform.incompleteReason(midStatement).value_or(""), "cut short"));
  EXPECT_TRUE(contains(platform.incompleteReason(full + "}\n").value_or(""), "without its '{'"));
  EXPECT_TRUE(contains(platform.incompleteReason("system {\n    host-name \"r1\n").value_or(""),
                       "quoted string"));
  EXPECT_TRUE(platform.incompleteReason("## Last commit: x\n").has_value());
}

TEST(JuniperJunos, BracesInStringsAndCommentsDoNotCount) {
  const JuniperJunosPlatform platform;
  EXPECT_FALSE(platform
                   .incompleteReason("system {\n    host-name r1; /* a { comment\n spanning } { "
                                     "lines */\n    login {\n        message \"}} {\";\n    }\n}\n")
                   .has_value());
  EXPECT_FALSE(
      platform.incompleteReason("system {\n    # a { comment\n    host-name r1;\n}\n").has_value());
  EXPECT_FALSE(
      platform.incompleteReason("set system host-name r1\nset interfaces ge-0/0/0 disable\n")
          .has_value());
}

TEST(JuniperJunos, CliErrorsAreFound) {
  const JuniperJunosPlatform platform;
  EXPECT_EQ(
      platform.findError("show foo \r\n           ^\r\nsyntax error, expecting <command>.\r\n"),
      "syntax error, expecting <command>.");
  EXPECT_EQ(platform.findError("[edit]\r\n  'interfaces ge-0/0/0 unit 0 family inet'\r\n"
                               "    missing argument\r\nerror: configuration check-out failed\r\n"),
            "missing argument");
  EXPECT_EQ(platform.findError("error: commit failed: (statements constraint check failed)\r\n"),
            "error: commit failed: (statements constraint check failed)");
  EXPECT_EQ(platform.findError("       ^\r\nunknown command.\r\n"), "unknown command.");
  EXPECT_EQ(platform.findError("'s' is ambiguous.\r\nPossible completions:\r\n"),
            "'s' is ambiguous.");
  EXPECT_FALSE(platform.findError("commit complete\r\n"));
  EXPECT_FALSE(platform.findError(readFixture("juniper_junos", "configuration.txt")));
}

TEST(JuniperJunos, FactsFromShowVersionAndChassisHardware) {
  const JuniperJunosPlatform platform;
  const auto facts = platform.parseFacts(readFixture("juniper_junos", "show_version.txt") + "\n" +
                                         readFixture("juniper_junos", "show_chassis_hardware.txt"));
  EXPECT_EQ(facts.hostname, "mx1-pe");
  EXPECT_EQ(facts.model, "mx480");
  EXPECT_EQ(facts.osVersion, "21.4R3-S1.5");
  EXPECT_EQ(facts.serial, "JN11F2C5EAFA");
  const auto versionOnly = platform.parseFacts(readFixture("juniper_junos", "show_version.txt"));
  EXPECT_EQ(versionOnly.serial, "");
  const auto old = platform.parseFacts(
      "Hostname: ex1\nModel: ex4200-48t\nJUNOS Base OS boot [12.3R12.4]\n"
      "JUNOS Base OS Software Suite [12.3R12.4]\n");
  EXPECT_EQ(old.osVersion, "12.3R12.4");
  EXPECT_EQ(old.model, "ex4200-48t");
}

TEST(JuniperJunos, TeardownDisablesDataInterfacesAndDeletesRouting) {
  const JuniperJunosPlatform platform;
  const auto lines = platform.teardownLines(readFixture("juniper_junos", "configuration.txt"));
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "set interfaces ge-0/0/0 disable", "set interfaces ge-0/0/1 disable",
                       "set interfaces ge-0/0/2 disable", "set interfaces lo0 disable",
                       "delete protocols ospf", "delete protocols isis", "delete protocols bgp",
                       "delete routing-instances CUST-A"}));
}

TEST(JuniperJunos, TeardownReadsSetFormatToo) {
  const JuniperJunosPlatform platform;
  const auto lines = platform.teardownLines(
      "set interfaces xe-0/0/0 unit 0 family inet address 192.0.2.1/31\n"
      "set interfaces xe-0/0/0 description core\n"
      "set interfaces em0 unit 0 family inet address 10.255.0.5/24\n"
      "set protocols bgp group EBGP neighbor 192.0.2.0\nset protocols lldp interface all\n");
  EXPECT_EQ(lines,
            (std::vector<std::string>{"set interfaces xe-0/0/0 disable", "delete protocols bgp"}));
}

}  // namespace
}  // namespace netspine::platforms::juniper_junos
