// Unit tests of the RouterOS platform on transcripts in the form of RouterOS 7's documentation:
// prompts, secrets in each mode, volatile lines, completeness, errors and facts.

#include <gtest/gtest.h>
#include <netspine/plugin/text.hpp>

#include <regex>
#include <string>

#include "routeros_platform.hpp"

namespace example::mikrotik_routeros {
namespace {

using plugin::SecretMode;

const std::string kRouterboard = R"(       routerboard: yes
             model: RB4011iGS+
     serial-number: D4F00C2E1A2B
     firmware-type: al2
  current-firmware: 7.13.2
)";

const std::string kExport = R"(# 2024-01-15 10:20:30 by RouterOS 7.13.2
# software id = ABCD-EFGH
#
# model = RB4011iGS+
# serial number = D4F00C2E1A2B
/interface bridge add name=bridge1
/interface wireguard add listen-port=13231 mtu=1420 name=wg1 private-key="yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="
/interface wifi security add authentication-types=wpa2-psk name=home passphrase="correct horse"
/ip address add address=192.0.2.1/24 interface=bridge1 network=192.0.2.0
/ppp secret add name=vpn1 password=Tr0ub4dor service=l2tp
/radius add address=192.0.2.10 secret=radius-key service=login
/snmp community set [ find default=yes ] name=s3cr3tcomm
/system identity set name=core-rtr1
)";

class RouterOsPlatformTest : public ::testing::Test {
 protected:
  plugin::BackupText backup(const std::string& config, SecretMode mode = SecretMode::Mask) const {
    return platform_.assembleBackup({kRouterboard, config}, mode);
  }

  RouterOsPlatform platform_;
};

bool promptMatches(const std::string& pattern, const std::string& received) {
  return std::regex_search(plugin::cleanTerminalText(received), plugin::compilePrompt(pattern));
}

TEST_F(RouterOsPlatformTest, ManifestNamesTheSpec) {
  EXPECT_EQ(manifest().id, platform_.spec().id);
  EXPECT_EQ(manifest().kind, plugin::PluginKind::Platform);
}

TEST_F(RouterOsPlatformTest, PromptAfterBannerAndColours) {
  const auto& p = platform_.spec().prompts.privileged;
  const std::string banner =
      "  MMM      MMM       KKK                          TTTTTTTTTTT      KKK\r\n"
      "  MikroTik RouterOS 7.13.2 (c) 1999-2023       https://www.mikrotik.com/\r\n\r\n";
  EXPECT_TRUE(promptMatches(p, banner + "\x1b[m\x1b[36m[admin@core-rtr1] > \x1b[m"));
  EXPECT_TRUE(promptMatches(p, "[admin@core-rtr1] /ip address> "));
  EXPECT_TRUE(promptMatches(p, "[admin@core-rtr1] <SAFE> "));
  EXPECT_TRUE(promptMatches(p, "[admin@core-rtr1] /interface<SAFE> "));
  EXPECT_FALSE(promptMatches(p, "[admin@core-rtr1] > /export\r\n# 2024-01-15 by RouterOS"));
  EXPECT_FALSE(promptMatches(p, "interface bridge> "));
}

TEST_F(RouterOsPlatformTest, SecretsMasked) {
  const auto text = backup(kExport).config;
  for (const char* secret : {"yAnz5TF", "correct horse", "Tr0ub4dor", "radius-key", "s3cr3tcomm"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in\n" << text;
  }
  EXPECT_NE(text.find("/ppp secret add name=vpn1 password=<secret hidden> service=l2tp"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("private-key=<secret hidden>"), std::string::npos) << text;
  EXPECT_NE(text.find("/snmp community set [ find default=yes ] name=<secret hidden>"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("/system identity set name=core-rtr1"), std::string::npos) << text;
}

TEST_F(RouterOsPlatformTest, SecretsKeptOrRemoved) {
  const auto kept = backup(kExport, SecretMode::Keep).config;
  EXPECT_NE(kept.find("password=Tr0ub4dor"), std::string::npos) << kept;
  const auto removed = backup(kExport, SecretMode::Remove).config;
  EXPECT_EQ(removed.find("/ppp secret"), std::string::npos) << removed;
  EXPECT_EQ(removed.find("/radius add"), std::string::npos) << removed;
  EXPECT_NE(removed.find("/ip address add address=192.0.2.1/24"), std::string::npos) << removed;
}

TEST_F(RouterOsPlatformTest, TimestampIsVolatile) {
  std::string later = kExport;
  later.replace(later.find("2024-01-15 10:20:30"), 19, "2024-02-01 08:00:01");
  EXPECT_EQ(backup(kExport).config, backup(later).config);
  EXPECT_NE(backup(kExport).config.find("by RouterOS 7.13.2"), std::string::npos);
}

TEST_F(RouterOsPlatformTest, CompleteExport) {
  const auto b = backup(kExport);
  EXPECT_FALSE(b.incomplete) << *b.incomplete;
  EXPECT_EQ(b.config.rfind("# ", 0), 0u) << b.config;  // routerboard facts as comments first
  EXPECT_NE(b.config.find("model: RB4011iGS+\n"), std::string::npos) << b.config;
}

TEST_F(RouterOsPlatformTest, TruncatedExports) {
  EXPECT_TRUE(backup("").incomplete);
  EXPECT_TRUE(backup("/ip address add address=192.0.2.1/24\n").incomplete);  // no header
  EXPECT_TRUE(backup("# 2024-01-15 10:20:30 by RouterOS 7.13.2\n").incomplete);
  auto cut = kExport.substr(0, kExport.find("correct horse") + 7);
  auto b = backup(cut);
  ASSERT_TRUE(b.incomplete);
  EXPECT_NE(b.incomplete->find("stops inside"), std::string::npos) << *b.incomplete;
  EXPECT_TRUE(backup(kExport + "/ip route add dst-address=0.0.0.0/0 \\\n").incomplete);
  EXPECT_TRUE(platform_.assembleBackup({kExport}, SecretMode::Mask).incomplete);  // one output
}

TEST_F(RouterOsPlatformTest, CliErrors) {
  EXPECT_EQ(platform_.findError("bad command name exprot (line 1 column 2)"),
            "bad command name exprot (line 1 column 2)");
  EXPECT_EQ(platform_.findError("expected end of command (line 1 column 20)"),
            "expected end of command (line 1 column 20)");
  EXPECT_EQ(platform_.findError("failure: already have such address"),
            "failure: already have such address");
  EXPECT_FALSE(platform_.findError(kExport));
}

TEST_F(RouterOsPlatformTest, Facts) {
  const auto facts = platform_.parseFacts(
      "  name: core-rtr1\n"
      "                   uptime: 3w2d4h\n"
      "                  version: 7.13.2 (stable)\n"
      "               board-name: RB4011iGS+\n" +
      kRouterboard);
  EXPECT_EQ(facts.hostname, "core-rtr1");
  EXPECT_EQ(facts.osVersion, "7.13.2");
  EXPECT_EQ(facts.model, "RB4011iGS+");
  EXPECT_EQ(facts.serial, "D4F00C2E1A2B");
}

}  // namespace
}  // namespace example::mikrotik_routeros
