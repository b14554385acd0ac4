#include <netspine/plugin/declarative_platform.hpp>

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace netspine::plugin {
namespace {

// A small OS: two comment outputs, then the configuration.
PlatformSpec testSpec() {
  PlatformSpec s;
  s.id = "test_os";
  s.backup = {{"show version", true}, {"show inventory", true}, {"show config", false}};
  s.commentPrefix = "! ";
  s.volatileLines = {{"uptime", R"(^\S+ uptime is )"},
                     {"clock", R"(^! Time: )"},
                     {"register", R"(^Register \S+( \(next \S+\)))", 1}};
  s.secrets = {{"password", R"(^\s*password (\S+))", 1},
               {"community", R"(^snmp community (\S+))", 1},
               {"whole line", R"(^\s*private-key-blob )"}};
  s.errors = {{"invalid", R"(^% Invalid)"}, {"error", R"(^error: )"}};
  return s;
}

TEST(DeclarativePlatform, CommentOutputsComeFirstBehindThePrefixThenTheBody) {
  const DeclarativePlatform platform(testSpec());
  const auto backup = platform.assembleBackup(
      {"TestOS 1.0\n\nModel X\n", "\nslot 1: card\n", "hostname r1\n!\nend\n"}, SecretMode::Keep);
  EXPECT_EQ(backup.config,
            "! TestOS 1.0\n!\n! Model X\n!\n"
            "! slot 1: card\n!\n"
            "hostname r1\n!\nend\n");
  EXPECT_FALSE(backup.incomplete.has_value());
}

TEST(DeclarativePlatform, TerminalArtefactsAreCleanedFromEveryOutput) {
  const DeclarativePlatform platform(testSpec());
  const auto backup = platform.assembleBackup(
      {"\x1b[1mTestOS\x1b[0m\r\n", "", "hostname r1\r\n --More-- \r          \rend\r\n"},
      SecretMode::Keep);
  EXPECT_EQ(backup.config, "! TestOS\n!\nhostname r1\nend\n");
}

TEST(DeclarativePlatform, VolatileLinesAreDroppedOrTheirPartMasked) {
  const DeclarativePlatform platform(testSpec());
  const auto backup = platform.assembleBackup(
      {"r1 uptime is 3 days\nRegister 0x2102 (next 0x2142)\n", "", "! Time: 10:00\nend\n"},
      SecretMode::Keep);
  EXPECT_EQ(backup.config, "! Register 0x2102<volatile>\n!\nend\n");
}

TEST(DeclarativePlatform, BackupsDifferingInVolatileLinesOnlyAreIdentical) {
  const DeclarativePlatform platform(testSpec());
  const auto a = platform.assembleBackup({"r1 uptime is 3 days\n", "", "! Time: 10:00\nend\n"},
                                         SecretMode::Mask);
  const auto b = platform.assembleBackup({"r1 uptime is 9 weeks\n", "", "! Time: 23:59\nend\n"},
                                         SecretMode::Mask);
  EXPECT_EQ(a.config, b.config);
  const auto c = platform.assembleBackup({"r1 uptime is 3 days\n", "", "hostname r2\nend\n"},
                                         SecretMode::Mask);
  EXPECT_NE(a.config, c.config);
}

TEST(DeclarativePlatform, SecretModes) {
  const DeclarativePlatform platform(testSpec());
  const std::string config =
      "snmp community s3cret RO\nline vty\n password hunter2\n private-key-blob AAAA\nend\n";
  EXPECT_EQ(platform.normalize(config, SecretMode::Keep), config);
  EXPECT_EQ(platform.normalize(config, SecretMode::Mask),
            "snmp community <secret hidden> RO\nline vty\n password <secret hidden>\n"
            " <secret hidden>\nend\n");
  EXPECT_EQ(platform.normalize(config, SecretMode::Remove), "line vty\nend\n");
}

TEST(DeclarativePlatform, NormalizingAStoredBackupChangesNothing) {
  const DeclarativePlatform platform(testSpec());
  for (auto mode : {SecretMode::Mask, SecretMode::Keep, SecretMode::Remove}) {
    const auto backup =
        platform.assembleBackup({"r1 uptime is 1 day\nRegister 0x1 (next 0x2)\n", "",
                                 "snmp community abc RO\n password pw\n private-key-blob X\nend\n"},
                                mode);
    EXPECT_EQ(platform.normalize(backup.config, mode), backup.config) << toString(mode);
  }
}

TEST(DeclarativePlatform, MissingOutputsMakeTheBackupIncomplete) {
  const DeclarativePlatform platform(testSpec());
  const auto backup = platform.assembleBackup({"TestOS\n", "slot\n"}, SecretMode::Mask);
  ASSERT_TRUE(backup.incomplete.has_value());
  EXPECT_NE(backup.incomplete->find("expected 3"), std::string::npos) << *backup.incomplete;
}

TEST(DeclarativePlatform, AnEmptyBodyIsIncompleteByDefault) {
  const DeclarativePlatform platform(testSpec());
  EXPECT_TRUE(platform.assembleBackup({"v\n", "i\n", "\n  \n"}, SecretMode::Mask).incomplete);
  EXPECT_TRUE(platform.incompleteReason(""));
  EXPECT_FALSE(platform.incompleteReason("hostname r1\n"));
}

TEST(DeclarativePlatform, FindErrorReturnsTheFirstErrorLineCleaned) {
  const DeclarativePlatform platform(testSpec());
  EXPECT_EQ(platform.findError("show foo\n      ^\n\x1b[31m% Invalid input\x1b[0m\r\nerror: x\n"),
            "% Invalid input");
  EXPECT_EQ(platform.findError("ok\nerror: commit failed\n"), "error: commit failed");
  EXPECT_FALSE(platform.findError("description % Invalid is fine inside a line\n"));
}

TEST(DeclarativePlatform, DefaultsForFactsAndTeardownAreEmpty) {
  const DeclarativePlatform platform(testSpec());
  const auto facts = platform.parseFacts("TestOS 1.0\n");
  EXPECT_EQ(facts.osVersion, "");
  EXPECT_TRUE(platform.teardownLines("interface x\n").empty());
  EXPECT_EQ(platform.spec().id, "test_os");
}

TEST(DeclarativePlatform, AnInvalidPatternFailsInTheConstructor) {
  auto spec = testSpec();
  spec.secrets.push_back({"broken", "(unclosed", 1});
  EXPECT_THROW(DeclarativePlatform{spec}, std::regex_error);
}

// Overrides that record or throw, to see what the public methods do with them.
class ProbePlatform : public DeclarativePlatform {
 public:
  explicit ProbePlatform(bool fail) : DeclarativePlatform(testSpec()), fail_(fail) {}
  mutable std::string checked;

 protected:
  std::optional<std::string> checkComplete(std::string_view config) const override {
    if (fail_) throw std::runtime_error("check exploded");
    checked = std::string(config);
    return requireLastLine(config, "end");
  }
  Facts readFacts(std::string_view output) const override {
    if (fail_) throw std::runtime_error("facts exploded");
    return {.osVersion = std::string(output)};
  }
  std::vector<std::string> teardownFor(std::string_view) const override {
    if (fail_) throw std::runtime_error("teardown exploded");
    return {"shutdown"};
  }

 private:
  bool fail_;
};

TEST(DeclarativePlatform, CompletenessIsJudgedOnTheBodyBeforeSecretsAreHandled) {
  const ProbePlatform platform(false);
  const auto backup = platform.assembleBackup(
      {"v\n", "i\n", "! Time: 1\nsnmp community abc RO\nhostname r1\n"}, SecretMode::Remove);
  EXPECT_EQ(platform.checked, "snmp community abc RO\nhostname r1\n");
  ASSERT_TRUE(backup.incomplete.has_value());
  EXPECT_NE(backup.incomplete->find("does not end with 'end'"), std::string::npos);
  EXPECT_EQ(backup.config.find("abc"), std::string::npos);
}

TEST(DeclarativePlatform, OverridesAreCalledWithCleanedText) {
  const ProbePlatform platform(false);
  EXPECT_EQ(platform.parseFacts("\x1b[1mV 1.0\x1b[0m\r\n").osVersion, "V 1.0\n");
  EXPECT_EQ(platform.teardownLines("x"), std::vector<std::string>{"shutdown"});
}

TEST(DeclarativePlatform, NothingAnOverrideThrowsLeavesThePlatform) {
  const ProbePlatform platform(true);
  EXPECT_EQ(platform.parseFacts("x").osVersion, "");
  EXPECT_TRUE(platform.teardownLines("x").empty());
  const auto reason = platform.incompleteReason("end\n");
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("check exploded"), std::string::npos);
  const auto backup = platform.assembleBackup({"v\n", "i\n", "end\n"}, SecretMode::Mask);
  EXPECT_EQ(backup.config, "");
  ASSERT_TRUE(backup.incomplete.has_value());
  EXPECT_NE(backup.incomplete->find("check exploded"), std::string::npos);
}

TEST(IndentedTeardown, ShutsAllButManagementAndRemovesRoutingOutsideTheManagementVrf) {
  const std::string config =
      "interface Eth1\n description x\n!\ninterface Mgmt0\n vrf forwarding OOB\n!\n"
      "interface Null0\n!\nrouter bgp 1\n neighbor x\n"
      "ip route 0.0.0.0 0.0.0.0 10.0.0.1\nip route vrf OOB 0.0.0.0 0.0.0.0 10.9.0.1\n";
  const auto lines = indentedTeardown(config, {.keptInterfaces = {"Null"},
                                               .removedStatements = {"router "},
                                               .staticRoutes = {"ip route "}});
  EXPECT_EQ(lines,
            (std::vector<std::string>{"interface Eth1", " shutdown", " exit", "no router bgp 1",
                                      "no ip route 0.0.0.0 0.0.0.0 10.0.0.1"}));
}

TEST(IndentedTeardown, KeepsStaticRoutesWhenManagementIsInTheGlobalTable) {
  const std::string config =
      "interface Port1\n!\ninterface Port9\n ip address 10.0.0.5 255.255.255.0\n!\n"
      "ip route 0.0.0.0 0.0.0.0 10.0.0.1\n";
  const auto lines =
      indentedTeardown(config, {.managementInterfaces = {"Port9"}, .staticRoutes = {"ip route "}});
  EXPECT_EQ(lines, (std::vector<std::string>{"interface Port1", " shutdown", " exit"}));
}

}  // namespace
}  // namespace netspine::plugin
