// The ssh_cli change operations (push, provision, teardown) against simulated devices over real
// SSH on 127.0.0.1, and the pure diff and verification functions they use.
#include <gtest/gtest.h>
#include <netspine/plugin/text.hpp>
#include <netspine/sim/test_device.hpp>

#include <arista_eos_platform.hpp>
#include <atomic>
#include <chrono>
#include <cisco_ios_platform.hpp>
#include <juniper_junos_platform.hpp>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config_diff.hpp"
#include "engine_test_support.hpp"
#include "ssh_cli_engine.hpp"

namespace netspine::plugins::ssh_cli {
namespace {

using namespace std::chrono_literals;
using plugin::DeviceResult;
using plugin::DeviceTarget;
using plugin::ErrorCategory;
using sim::Fault;
using sim::OsKind;
using sim::TestDevice;

// Records results and what the engine asked: refusal() answers `refuse`, keep() records the
// configuration (and the results reported so far, to prove it came before any change).
class ChangeContext : public test_support::RecordingContext {
 public:
  std::optional<std::string> refusal(const DeviceTarget&) override {
    ++refusals;
    return refuse;
  }
  plugin::KeptConfig keep(const DeviceTarget&, const std::string& config,
                          const std::string& why) override {
    kept.push_back(config);
    keptWhy.push_back(why);
    if (runningAtKeep) runningWhenKept = runningAtKeep();
    if (keepFails) return {.ok = false, .problem = "the archive is read-only"};
    return {.ok = true, .revision = "abc123"};
  }

  std::optional<std::string> refuse;
  bool keepFails = false;
  int refusals = 0;
  std::vector<std::string> kept;
  std::vector<std::string> keptWhy;
  std::function<std::string()> runningAtKeep;
  std::string runningWhenKept;
};

using test_support::platformFor;

DeviceTarget targetFor(const TestDevice& device, const std::string& lines) {
  DeviceTarget t = test_support::simulatedTarget(device, 5s, 60s);
  if (!lines.empty()) t.attributes["change.lines"] = lines;
  return t;
}

sim::DeviceProfile profile(OsKind os, std::set<Fault> faults = {}) {
  sim::DeviceProfile p;
  p.name = "r1";
  p.os = os;
  p.configLines = 120;
  p.faults = std::move(faults);
  return p;
}

DeviceResult runOp(const DeviceTarget& target, const std::string& operation,
                   plugin::Parameters parameters, ChangeContext& context) {
  SshCliEngine engine;
  engine.run({.operation = operation, .parameters = std::move(parameters), .devices = {target}},
             context);
  EXPECT_EQ(context.results.size(), 1u);
  if (context.results.empty()) return {};
  return context.results.back();
}

DeviceResult push(const DeviceTarget& target, plugin::Parameters parameters = {},
                  ChangeContext* context = nullptr) {
  ChangeContext own;
  parameters.emplace("lines", "(rendered by the core)");
  return runOp(target, "push", std::move(parameters), context ? *context : own);
}

// The running configuration without its volatile lines (timestamps of the last change).
std::string stable(const TestDevice& device) {
  return platformFor(device.profile().os)
      .normalize(device.state().runningConfig(), plugin::SecretMode::Keep);
}

// Two valid lines per platform, one of them in a section, and how the device then shows them.
struct Lines {
  std::string text;
  std::vector<std::string> expected;  // runningHasLine
  std::string added;                  // a line the diff shows as added
};

Lines linesFor(OsKind os) {
  switch (os) {
    case OsKind::CiscoIos:
    case OsKind::AristaEos:
      return {"interface Loopback99\n description netspine-test\nntp server 10.9.9.9\n",
              {"description netspine-test", "ntp server 10.9.9.9"},
              "description netspine-test"};
    case OsKind::JuniperJunos:
      return {"set system domain-name netspine.test\nset snmp location lab-b1\n",
              {"set system domain-name netspine.test", "set snmp location lab-b1"},
              "domain-name netspine.test"};
  }
  return {};
}

std::string rejectedLine(OsKind os) {
  return os == OsKind::JuniperJunos ? "set frobnicate 1" : "frobnicate 1";
}

class ChangeTest : public testing::TestWithParam<OsKind> {};

TEST_P(ChangeTest, ADryRunShowsTheDiffAndChangesNothing) {
  TestDevice device(profile(GetParam()));
  const std::string before = stable(device);
  const Lines lines = linesFor(GetParam());
  const DeviceResult r = push(targetFor(device, lines.text), {{"dry_run", "true"}});
  ASSERT_EQ(r.category, ErrorCategory::Ok) << r.message;
  EXPECT_EQ(r.data.at("dry_run"), "true");
  EXPECT_EQ(r.data.at("changed"), "true");
  const std::string& diff = r.data.at("diff");
  bool added = false;
  for (auto line : plugin::splitLines(diff)) {
    if (line.starts_with('+') && line.find(lines.added) != std::string_view::npos) added = true;
  }
  EXPECT_TRUE(added) << diff;
  EXPECT_TRUE(r.artifact.empty());
  EXPECT_FALSE(r.data.contains("applied"));
  EXPECT_EQ(stable(device), before);
  for (const auto& line : lines.expected) EXPECT_FALSE(device.state().runningHasLine(line));
}

TEST_P(ChangeTest, AppliesTheLinesAndASecondPushChangesNothing) {
  TestDevice device(profile(GetParam()));
  const Lines lines = linesFor(GetParam());
  const DeviceTarget target = targetFor(device, lines.text);
  const DeviceResult r = push(target);
  ASSERT_EQ(r.category, ErrorCategory::Ok) << r.message;
  EXPECT_EQ(r.data.at("applied"), "true");
  EXPECT_EQ(r.data.at("changed"), "true");
  EXPECT_EQ(r.data.at("lines"), std::to_string(plugin::splitLines(lines.text).size()));
  EXPECT_EQ(r.data.at("backup_commit"), "abc123");
  EXPECT_NE(r.data.at("diff").find(lines.added), std::string::npos);
  for (const auto& line : lines.expected) {
    EXPECT_TRUE(device.state().runningHasLine(line)) << line;
  }
  // The artifact is the configuration after the change.
  EXPECT_NE(r.artifact.find(GetParam() == OsKind::JuniperJunos ? "domain-name netspine.test"
                                                               : "ntp server 10.9.9.9"),
            std::string::npos);
  if (GetParam() != OsKind::JuniperJunos) {  // saved
    EXPECT_EQ(r.data.at("saved"), "true");
    EXPECT_NE(device.state().startupConfig().find("ntp server 10.9.9.9"), std::string::npos);
  }

  const DeviceResult again = push(target);
  ASSERT_EQ(again.category, ErrorCategory::Ok) << again.message;
  EXPECT_EQ(again.data.at("changed"), "false");
  EXPECT_EQ(again.data.at("diff"), "");
  EXPECT_FALSE(again.data.contains("applied"));
}

TEST_P(ChangeTest, ARejectedLineLeavesTheDeviceAsItWas) {
  TestDevice device(profile(GetParam()));
  const std::string before = stable(device);
  const Lines lines = linesFor(GetParam());
  const DeviceResult r = push(targetFor(device, lines.text + rejectedLine(GetParam()) + "\n"));
  ASSERT_EQ(r.category, ErrorCategory::CommandError) << r.message;
  const std::string error = GetParam() == OsKind::JuniperJunos ? "syntax error"
                            : GetParam() == OsKind::CiscoIos   ? "% Invalid input detected"
                                                               : "% Invalid input";
  const std::size_t number = plugin::splitLines(lines.text).size() + 1;
  EXPECT_EQ(r.message.find("line " + std::to_string(number) + " '" + rejectedLine(GetParam()) +
                           "' rejected: " + error),
            0u)
      << r.message;
  EXPECT_TRUE(r.data.contains("rollback"));
  EXPECT_TRUE(r.artifact.empty());
  EXPECT_EQ(stable(device), before);
  for (const auto& line : lines.expected) EXPECT_FALSE(device.state().runningHasLine(line));
}

TEST_P(ChangeTest, TheGateRefusesBeforeAnyCommand) {
  TestDevice device(profile(GetParam()));
  const std::string before = stable(device);
  ChangeContext context;
  context.refuse = "status FAILED allows no push";
  const DeviceResult r = push(targetFor(device, linesFor(GetParam()).text), {}, &context);
  EXPECT_EQ(r.category, ErrorCategory::PolicySkipped);
  EXPECT_EQ(r.message, "skipped: status FAILED allows no push");
  EXPECT_EQ(context.refusals, 1);
  EXPECT_TRUE(context.kept.empty());  // not even the backup commands ran
  EXPECT_EQ(stable(device), before);
}

TEST_P(ChangeTest, KeepsTheConfigurationBeforeTheChange) {
  TestDevice device(profile(GetParam()));
  // The backup the backup operation makes of the untouched device.
  ChangeContext backupContext;
  const DeviceResult backup = runOp(targetFor(device, ""), "backup", {}, backupContext);
  ASSERT_EQ(backup.category, ErrorCategory::Ok) << backup.message;

  ChangeContext context;
  const std::string before = stable(device);
  context.runningAtKeep = [&] { return stable(device); };
  const DeviceResult r = push(targetFor(device, linesFor(GetParam()).text), {}, &context);
  ASSERT_EQ(r.category, ErrorCategory::Ok) << r.message;
  ASSERT_EQ(context.kept.size(), 1u);
  EXPECT_EQ(context.keptWhy.front(), "before push");
  EXPECT_EQ(platformFor(GetParam()).normalize(context.kept.front(), plugin::SecretMode::Keep),
            platformFor(GetParam()).normalize(backup.artifact, plugin::SecretMode::Keep));
  EXPECT_EQ(context.runningWhenKept, before);  // nothing was changed before keep()
}

TEST_P(ChangeTest, AFailedKeepChangesNothing) {
  TestDevice device(profile(GetParam()));
  const std::string before = stable(device);
  ChangeContext context;
  context.keepFails = true;
  const DeviceResult r = push(targetFor(device, linesFor(GetParam()).text), {}, &context);
  EXPECT_EQ(r.category, ErrorCategory::PluginError);
  EXPECT_EQ(r.message,
            "the configuration before the change could not be stored: the archive is read-only");
  EXPECT_EQ(stable(device), before);
}

INSTANTIATE_TEST_SUITE_P(Platforms, ChangeTest,
                         testing::Values(OsKind::CiscoIos, OsKind::JuniperJunos, OsKind::AristaEos),
                         [](const auto& info) { return std::string(sim::platformId(info.param)); });

// The confirmation holds: long after the commit-confirmed timeout the change is still there.
class ConfirmTest : public testing::TestWithParam<OsKind> {};

TEST_P(ConfirmTest, TheConfirmedChangeOutlivesTheTimeout) {
  std::atomic<std::int64_t> offsetMinutes{0};
  const auto base = std::chrono::system_clock::now();
  sim::Clock clock = [&] { return base + std::chrono::minutes(offsetMinutes.load()); };
  TestDevice device(profile(GetParam()), {}, clock);
  const Lines lines = linesFor(GetParam());
  const DeviceResult r = push(targetFor(device, lines.text), {{"confirm_minutes", "1"}});
  ASSERT_EQ(r.category, ErrorCategory::Ok) << r.message;
  offsetMinutes = 30;
  for (const auto& line : lines.expected) {
    EXPECT_TRUE(device.state().runningHasLine(line)) << line;
  }
}

INSTANTIATE_TEST_SUITE_P(Platforms, ConfirmTest,
                         testing::Values(OsKind::JuniperJunos, OsKind::AristaEos),
                         [](const auto& info) { return std::string(sim::platformId(info.param)); });

// A line the device accepts but prints otherwise ("lo98" is shown as "Loopback98") cannot be
// verified: the change is rolled back.
class VerifyTest : public testing::TestWithParam<OsKind> {};

TEST_P(VerifyTest, AnUnverifiedChangeIsRolledBack) {
  TestDevice device(profile(GetParam()));
  const std::string before = stable(device);
  const DeviceResult r = push(targetFor(device, "interface lo98\n description abbreviated\n"));
  ASSERT_EQ(r.category, ErrorCategory::CommandError) << r.message;
  EXPECT_EQ(r.message.find("verification failed: the running configuration does not reflect "
                           "'interface lo98'"),
            0u)
      << r.message;
  EXPECT_EQ(r.data.at("rollback"), "done");
  EXPECT_TRUE(r.artifact.empty());
  EXPECT_EQ(stable(device), before);
}

INSTANTIATE_TEST_SUITE_P(Platforms, VerifyTest,
                         testing::Values(OsKind::CiscoIos, OsKind::AristaEos),
                         [](const auto& info) { return std::string(sim::platformId(info.param)); });

// Junos verifies after `commit confirmed`. Lines that contradict each other (a `set` undone by a
// later `delete`) commit a change, but not the one asked for: the `set` line is not in
// `| display set`, so the commit is rolled back (`rollback 1`, `commit`) and the device ends as
// it began.
TEST(ChangeTest, JunosRollsBackACommittedChangeItCannotVerify) {
  std::atomic<std::int64_t> offsetMinutes{0};
  const auto base = std::chrono::system_clock::now();
  sim::Clock clock = [&] { return base + std::chrono::minutes(offsetMinutes.load()); };
  TestDevice device(profile(OsKind::JuniperJunos), {}, clock);
  const std::string before = stable(device);
  const DeviceResult r =
      push(targetFor(device, "set snmp location contradicted\ndelete snmp location\n"));
  ASSERT_EQ(r.category, ErrorCategory::CommandError) << r.message;
  EXPECT_EQ(r.message,
            "verification failed: the running configuration does not reflect "
            "'set snmp location contradicted'");
  EXPECT_EQ(r.data.at("rollback"), "done");  // not "candidate discarded": it had been committed
  EXPECT_TRUE(r.artifact.empty());
  EXPECT_EQ(stable(device), before);
  // The rollback is committed for good: nothing changes when the confirm timer would have run out.
  offsetMinutes = 30;
  EXPECT_EQ(stable(device), before);
}

TEST(ChangeTest, ACancelledRunChangesNothing) {
  TestDevice device(profile(OsKind::JuniperJunos));
  const std::string before = stable(device);
  ChangeContext context;
  context.cancel = true;
  const DeviceResult r = push(targetFor(device, linesFor(OsKind::JuniperJunos).text), {}, &context);
  EXPECT_EQ(r.category, ErrorCategory::Cancelled);
  EXPECT_EQ(stable(device), before);
}

TEST(ChangeTest, NoLinesIsAPluginErrorNamingTheAttribute) {
  TestDevice device(profile(OsKind::AristaEos));
  const DeviceResult r = push(targetFor(device, ""));
  EXPECT_EQ(r.category, ErrorCategory::PluginError);
  EXPECT_NE(r.message.find("change.lines"), std::string::npos) << r.message;
}

TEST(ChangeTest, JunosCommitConfirmedExpiresAfterTheSessionDrops) {
  std::atomic<std::int64_t> offsetMinutes{0};
  const auto base = std::chrono::system_clock::now();
  sim::Clock clock = [&] { return base + std::chrono::minutes(offsetMinutes.load()); };
  TestDevice device(profile(OsKind::JuniperJunos, {Fault::DropAfterCommitConfirmed}), {}, clock);
  const std::string before = stable(device);
  const DeviceResult r =
      push(targetFor(device, linesFor(OsKind::JuniperJunos).text), {{"confirm_minutes", "3"}});
  EXPECT_EQ(r.category, ErrorCategory::ProtocolError);
  EXPECT_EQ(r.message,
            "the session dropped after 'commit confirmed 3': the device restores the previous "
            "configuration by itself in 3 min unless someone confirms");
  EXPECT_EQ(r.data.at("rollback"), "commit confirmed expires");
  EXPECT_TRUE(device.state().runningHasLine("set system domain-name netspine.test"));
  offsetMinutes = 4;
  EXPECT_FALSE(device.state().runningHasLine("set system domain-name netspine.test"));
  EXPECT_EQ(stable(device), before);
}

TEST(ChangeTest, TeardownShutsTheInterfaces) {
  TestDevice device(profile(OsKind::AristaEos));
  const auto expected =
      platformFor(OsKind::AristaEos).teardownLines(device.state().runningConfig());
  ASSERT_FALSE(expected.empty());
  ChangeContext context;
  const DeviceResult r = runOp(targetFor(device, ""), "teardown", {{"confirm", "yes"}}, context);
  ASSERT_EQ(r.category, ErrorCategory::Ok) << r.message;
  EXPECT_EQ(context.keptWhy.at(0), "before teardown");
  EXPECT_EQ(r.data.at("lines"), std::to_string(expected.size()));
  EXPECT_TRUE(missingIndented(device.state().runningConfig(), expected).empty());
  EXPECT_NE(r.data.at("diff").find("shutdown"), std::string::npos);
}

TEST(ChangeValidateTest, NamesEachBadParameter) {
  SshCliEngine engine;
  const auto problem = [&](const std::string& op, plugin::Parameters p) {
    return engine.validate(op, p).value_or("");
  };
  EXPECT_EQ(problem("push", {{"lines", "x"}}), "");
  EXPECT_EQ(problem("push", {{"template", "t"}, {"vlan", "10"}}), "");
  EXPECT_EQ(problem("provision", {{"lines", "x"},
                                  {"dry_run", "true"},
                                  {"save", "false"},
                                  {"confirm_minutes", "60"},
                                  {"secret_mode", "remove"}}),
            "");
  EXPECT_NE(problem("push", {{"lines", "x"}, {"dry_run", "yes"}}).find("dry_run"),
            std::string::npos);
  EXPECT_NE(problem("push", {{"lines", "x"}, {"save", "1"}}).find("save"), std::string::npos);
  EXPECT_NE(problem("push", {{"lines", "x"}, {"confirm_minutes", "0"}}).find("confirm_minutes"),
            std::string::npos);
  EXPECT_NE(problem("push", {{"lines", "x"}, {"confirm_minutes", "61"}}).find("confirm_minutes"),
            std::string::npos);
  EXPECT_NE(problem("push", {{"lines", "x"}, {"secret_mode", "show"}}).find("secret_mode"),
            std::string::npos);
  EXPECT_EQ(problem("push", {{"lines", "x"}, {"vlan", "10"}}).find("unknown parameter 'vlan'"), 0u);
  EXPECT_NE(problem("push", {}).find("exactly one of lines and template"), std::string::npos);
  EXPECT_NE(problem("push", {{"lines", "x"}, {"template", "t"}}).find("exactly one"),
            std::string::npos);
  EXPECT_EQ(problem("teardown", {}),
            "teardown needs confirm=yes: it shuts the device's interfaces and removes its "
            "configuration");
  EXPECT_EQ(problem("teardown", {{"confirm", "no"}}), problem("teardown", {}));
  EXPECT_EQ(problem("teardown", {{"confirm", "yes"}}), "");
  EXPECT_NE(problem("reboot", {}).find("unknown operation 'reboot'"), std::string::npos);
}

TEST(ChangeValidateTest, TheManifestProvidesTheChangeOperations) {
  const auto m = manifest();
  for (const char* op : {"backup", "push", "provision", "teardown"}) {
    EXPECT_NE(std::find(m.provides.begin(), m.provides.end(), op), m.provides.end()) << op;
  }
}

TEST(ChangeValidateTest, AnInvalidRequestReportsEveryDevice) {
  TestDevice device(profile(OsKind::CiscoIos));
  ChangeContext context;
  const DeviceResult r = runOp(targetFor(device, "ntp server 10.9.9.9"), "teardown", {}, context);
  EXPECT_EQ(r.category, ErrorCategory::PluginError);
  EXPECT_EQ(context.refusals, 0);
}

const char* kRunning =
    "hostname r1\n"
    "!\n"
    "interface GigabitEthernet0/1\n"
    " description uplink\n"
    " shutdown\n"
    " ip address 10.0.0.1 255.255.255.0\n"
    "!\n"
    "interface GigabitEthernet0/2\n"
    " no ip address\n"
    "!\n"
    "ntp server 10.1.1.1\n"
    "end\n";

TEST(IndentedDiffTest, UnchangedLinesAreNotShown) {
  const auto diff = indentedDiff(kRunning, changeLines("interface GigabitEthernet0/1\n"
                                                       " description uplink\n"
                                                       "ntp server 10.1.1.1\n"));
  EXPECT_FALSE(diff.changed());
  EXPECT_EQ(diff.text, "");
}

TEST(IndentedDiffTest, AddedLinesComeWithTheirSection) {
  const auto diff = indentedDiff(kRunning, changeLines("interface GigabitEthernet0/1\n"
                                                       " description core\n"
                                                       "ntp server 10.2.2.2\n"));
  EXPECT_EQ(diff.added, 2u);
  EXPECT_EQ(diff.text,
            " interface GigabitEthernet0/1\n"
            "+ description core\n"
            "+ntp server 10.2.2.2\n");
}

TEST(IndentedDiffTest, ANewSectionIsAddedWhole) {
  const auto diff = indentedDiff(kRunning, changeLines("interface Loopback9\n"
                                                       " description lab\n"));
  EXPECT_EQ(diff.text, "+interface Loopback9\n+ description lab\n");
}

TEST(IndentedDiffTest, NoLinesRemoveWhatIsThere) {
  const auto diff = indentedDiff(kRunning, changeLines("interface GigabitEthernet0/1\n"
                                                       " no shutdown\n"
                                                       " no ip address\n"
                                                       "interface GigabitEthernet0/2\n"
                                                       " no shutdown\n"
                                                       "no ntp server 10.1.1.1\n"));
  EXPECT_EQ(diff.removed, 3u);
  EXPECT_EQ(diff.added, 0u);
  EXPECT_EQ(diff.text,
            " interface GigabitEthernet0/1\n"
            "- shutdown\n"
            "- ip address 10.0.0.1 255.255.255.0\n"
            "-ntp server 10.1.1.1\n");
}

TEST(IndentedDiffTest, TheSameLineInAnotherSectionIsNotPresent) {
  const auto diff = indentedDiff(kRunning, changeLines("interface GigabitEthernet0/2\n"
                                                       " shutdown\n"));
  EXPECT_EQ(diff.text, " interface GigabitEthernet0/2\n+ shutdown\n");
}

TEST(IndentedDiffTest, MissingLinesAreNamedWithTheirSection) {
  EXPECT_TRUE(missingIndented(kRunning, changeLines("interface GigabitEthernet0/2\n"
                                                    " no shutdown\n"))
                  .empty());
  EXPECT_EQ(missingIndented(kRunning, changeLines("interface GigabitEthernet0/1\n"
                                                  " no shutdown\n"
                                                  " mtu 9000\n")),
            (std::vector<std::string>{"no shutdown (in 'interface GigabitEthernet0/1')",
                                      "mtu 9000 (in 'interface GigabitEthernet0/1')"}));
}

TEST(SetLinesTest, SetAndDeleteAreCheckedAgainstDisplaySet) {
  const std::string displaySet =
      "set system host-name r1\n"
      "set interfaces ge-0/0/0 unit 0 family inet address 10.0.0.1/24\n"
      "set protocols lldp interface all\n";
  const auto lines = changeLines(
      "set system host-name \"r1\"\n"
      "set interfaces ge-0/0/0 unit 0\n"
      "delete protocols ospf\n"
      "set snmp location lab\n"
      "delete protocols lldp\n");
  EXPECT_TRUE(isSetStyle(lines));
  EXPECT_FALSE(isSetStyle(changeLines("interface Gi0/1\n")));
  EXPECT_EQ(missingSetLines(displaySet, lines),
            (std::vector<std::string>{"set snmp location lab", "delete protocols lldp"}));
}

}  // namespace
}  // namespace netspine::plugins::ssh_cli
