#include <gtest/gtest.h>

#include "cli_test_support.hpp"

namespace netspine::sim::test {
namespace {

class JunosCliTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  std::shared_ptr<DeviceState> device_ =
      DeviceState::create(profileFor(OsKind::JuniperJunos, "mx-1"), clock_.clock());
};

constexpr const char* kEditPrompt = "\r\n[edit]\r\nadmin@mx-1# ";

TEST_F(JunosCliTest, OperationalPrompt) {
  Terminal term(device_);
  EXPECT_TRUE(contains(term.greeting(), "--- JUNOS 20.4R3.8"));
  EXPECT_TRUE(endsWith(term.greeting(), "\r\nadmin@mx-1> "));
  EXPECT_EQ(term.type(""), "\r\nadmin@mx-1> ");
}

TEST_F(JunosCliTest, ScreenLengthAndNoMoreTurnPagingOff) {
  Terminal term(device_);
  std::string page = term.type("show configuration");
  EXPECT_TRUE(endsWith(page, "---(more)---")) << page;
  EXPECT_EQ(term.raw("x"), "");  // Junos ignores other keys
  EXPECT_TRUE(endsWith(term.raw("q"), "admin@mx-1> "));
  EXPECT_FALSE(contains(term.type("show configuration | no-more"), "---(more)---"));
  EXPECT_EQ(term.type("set cli screen-length 0"),
            "set cli screen-length 0\r\nScreen length set to 0\r\n\r\nadmin@mx-1> ");
  EXPECT_EQ(term.type("set cli screen-width 511"),
            "set cli screen-width 511\r\nScreen width set to 511\r\n\r\nadmin@mx-1> ");
  std::string config = term.type("show configuration");
  EXPECT_FALSE(contains(config, "---(more)---"));
  EXPECT_TRUE(endsWith(config, "}\r\n\r\nadmin@mx-1> "));
}

TEST_F(JunosCliTest, ShowCommands) {
  Terminal term(device_);
  term.type("set cli screen-length 0");
  std::string version = term.type("show version");
  EXPECT_TRUE(contains(version, "Hostname: mx-1\r\nModel: mx480\r\nJunos: 20.4R3.8\r\n"));
  std::string hardware = term.type("show chassis hardware");
  EXPECT_TRUE(contains(hardware, "Hardware inventory:\r\n")) << hardware;
  EXPECT_TRUE(contains(hardware, "Chassis                                JN"));
  std::string config = term.type("show configuration");
  EXPECT_TRUE(contains(config, "## Last commit: 2024-03-04 10:00:00 UTC by admin\r\n"));
  EXPECT_TRUE(contains(config, "system {\r\n    host-name mx-1;\r\n"));
  EXPECT_TRUE(contains(config, "encrypted-password \"$6$"));
  EXPECT_TRUE(contains(config, "; ## SECRET-DATA\r\n"));
  EXPECT_EQ(term.type("show configuration | display set | match host-name"),
            "show configuration | display set | match host-name\r\nset system host-name mx-1"
            "\r\n\r\nadmin@mx-1> ");
  EXPECT_TRUE(contains(term.type("show configuration | display omit"), "version 20.4R3.8;"));
  EXPECT_EQ(term.type("show configuration system host-name"),
            "show configuration system host-name\r\nhost-name mx-1;\r\n\r\nadmin@mx-1> ");
}

TEST_F(JunosCliTest, UnknownCommandsGetJunosErrors) {
  Terminal term(device_);
  EXPECT_EQ(term.type("foo"), "foo\r\n            ^\r\nunknown command.\r\n\r\nadmin@mx-1> ");
  EXPECT_EQ(
      term.type("show foo"),
      "show foo\r\n                 ^\r\nsyntax error, expecting <command>.\r\n\r\nadmin@mx-1> ");
}

TEST_F(JunosCliTest, CandidateCompareCommit) {
  Terminal term(device_);
  EXPECT_EQ(term.type("configure"),
            std::string("configure\r\nEntering configuration mode\r\n") + kEditPrompt);
  EXPECT_EQ(term.type("set system host-name mx-2"),
            std::string("set system host-name mx-2\r\n") + kEditPrompt);
  term.type("set interfaces ge-0/0/0 unit 0 family inet address 10.77.0.1/24");
  term.type("delete snmp contact");
  EXPECT_TRUE(contains(term.type("delete snmp nothing-here"), "warning: statement not found"));
  EXPECT_TRUE(contains(term.type("set bogus thing"), "syntax error."));
  EXPECT_EQ(term.type("show | compare"),
            std::string("show | compare\r\n"
                        "[edit system]\r\n-   host-name mx-1;\r\n+   host-name mx-2;\r\n"
                        "[edit interfaces ge-0/0/0 unit 0 family inet]\r\n"
                        "+   address 10.77.0.1/24;\r\n"
                        "[edit snmp]\r\n-   contact \"noc@example.net\";\r\n") +
                kEditPrompt);
  // Not committed yet: the running configuration is unchanged.
  EXPECT_TRUE(device_->runningHasLine("host-name mx-1;"));
  EXPECT_TRUE(contains(term.type("commit check"), "configuration check succeeds"));
  EXPECT_TRUE(device_->runningHasLine("host-name mx-1;"));
  EXPECT_EQ(term.type("commit"), "commit\r\ncommit complete\r\n\r\n[edit]\r\nadmin@mx-2# ");
  EXPECT_TRUE(device_->runningHasLine("host-name mx-2;"));
  EXPECT_TRUE(device_->runningHasLine("set system host-name mx-2"));
  EXPECT_TRUE(
      device_->runningHasLine("set interfaces ge-0/0/0 unit 0 family inet address 10.77.0.1/24"));
  EXPECT_FALSE(device_->runningHasLine("contact \"noc@example.net\";"));

  Terminal other(device_);
  EXPECT_TRUE(
      contains(other.type("show configuration system host-name | no-more"), "host-name mx-2;"));

  EXPECT_EQ(term.type("rollback 1"),
            std::string("rollback 1\r\nload complete\r\n") + "\r\n[edit]\r\nadmin@mx-2# ");
  EXPECT_TRUE(contains(term.type("show | compare"), "+   host-name mx-1;"));
  term.type("commit");
  EXPECT_TRUE(device_->runningHasLine("host-name mx-1;"));
  EXPECT_TRUE(device_->runningHasLine("contact \"noc@example.net\";"));
}

TEST_F(JunosCliTest, CommitConfirmedRollsBackUnlessConfirmed) {
  Terminal term(device_);
  term.type("configure");
  term.type("set system host-name mx-2");
  std::string out = term.type("commit confirmed 5");
  EXPECT_TRUE(contains(out,
                       "commit confirmed will be automatically rolled back in 5 minutes "
                       "unless confirmed\r\ncommit complete\r\n"))
      << out;
  EXPECT_TRUE(device_->runningHasLine("host-name mx-2;"));
  clock_.advance(std::chrono::minutes(4));
  EXPECT_TRUE(device_->runningHasLine("host-name mx-2;"));
  clock_.advance(std::chrono::minutes(2));
  EXPECT_TRUE(device_->runningHasLine("host-name mx-1;"));
  EXPECT_FALSE(device_->runningHasLine("host-name mx-2;"));

  // Confirmed in time by a plain commit: it stays.
  term.type("set system host-name mx-3");
  term.type("commit confirmed 5");
  clock_.advance(std::chrono::minutes(3));
  term.type("commit");
  clock_.advance(std::chrono::minutes(10));
  EXPECT_TRUE(device_->runningHasLine("host-name mx-3;"));
}

TEST_F(JunosCliTest, ExitWarnsAboutUncommittedChanges) {
  Terminal term(device_);
  term.type("configure");
  term.type("set system location building 7");
  EXPECT_EQ(term.type("exit configuration-mode"),
            "exit configuration-mode\r\nThe configuration has been changed but not committed"
            "\r\nExit with uncommitted changes? [yes,no] (yes) ");
  EXPECT_EQ(term.type("yes"), "yes\r\nExiting configuration mode\r\n\r\nadmin@mx-1> ");
  // The shared candidate keeps the change; entering again says so.
  EXPECT_TRUE(
      contains(term.type("configure"), "The configuration has been changed but not committed"));
  term.type("rollback 0");
  EXPECT_EQ(term.type("exit"), "exit\r\nExiting configuration mode\r\n\r\nadmin@mx-1> ");
}

TEST_F(JunosCliTest, ConfigurePrivateHasItsOwnCandidate) {
  Terminal term(device_);
  EXPECT_TRUE(contains(term.type("configure private"),
                       "warning: uncommitted changes will be discarded on exit"));
  term.type("set system host-name private-1");
  Terminal other(device_);
  other.type("configure");
  EXPECT_EQ(other.type("show | compare"),
            std::string("show | compare\r\n") + kEditPrompt);  // the shared one is untouched
  term.type("commit and-quit");
  EXPECT_TRUE(device_->runningHasLine("host-name private-1;"));
  EXPECT_EQ(term.type(""), "\r\nadmin@private-1> ");
}

TEST_F(JunosCliTest, EditLevels) {
  Terminal term(device_);
  term.type("configure");
  EXPECT_EQ(term.type("edit interfaces ge-0/0/1"),
            "edit interfaces ge-0/0/1\r\n\r\n[edit interfaces ge-0/0/1]\r\nadmin@mx-1# ");
  term.type("set description \"edited at a level\"");
  EXPECT_TRUE(contains(term.type("show"), "description \"edited at a level\";"));
  EXPECT_TRUE(endsWith(term.type("top"), kEditPrompt));
  term.type("commit");
  EXPECT_TRUE(device_->runningHasLine("set interfaces ge-0/0/1 description \"edited at a level\""));
}

// The configuration without its '## Last commit' line, which follows the clock.
std::string withoutStamp(const std::string& config) {
  return config.substr(config.find('\n') + 1);
}

TEST_F(JunosCliTest, DropAfterCommitConfirmedEndsTheSessionAndTheCommitExpires) {
  auto profile = profileFor(OsKind::JuniperJunos, "mx-1");
  profile.faults = {Fault::DropAfterCommitConfirmed};
  auto device = DeviceState::create(profile, clock_.clock());
  const std::string before = device->runningConfig();
  Terminal term(device);
  term.type("configure private");
  term.type("set system host-name mx-2");
  // Only the echo: no 'commit complete', no prompt, and the session is over.
  EXPECT_EQ(term.type("commit confirmed 3"), "commit confirmed 3\r\n");
  EXPECT_TRUE(term.session().finished());
  EXPECT_TRUE(device->runningHasLine("host-name mx-2;"));
  clock_.advance(std::chrono::minutes(2));
  EXPECT_TRUE(device->runningHasLine("host-name mx-2;"));
  clock_.advance(std::chrono::minutes(2));
  EXPECT_EQ(withoutStamp(device->runningConfig()), withoutStamp(before));

  // A plain commit is not dropped.
  Terminal again(device);
  again.type("configure private");
  again.type("set system host-name mx-3");
  EXPECT_EQ(again.type("commit"), "commit\r\ncommit complete\r\n\r\n[edit]\r\nadmin@mx-3# ");
  EXPECT_FALSE(again.session().finished());
}

TEST_F(JunosCliTest, CommitConfirmedPrintsWhatJunosPrints) {
  Terminal term(device_);
  term.type("configure private");
  term.type("set system host-name mx-2");
  EXPECT_EQ(term.type("commit confirmed 4"),
            "commit confirmed 4\r\ncommit confirmed will be automatically rolled back in 4 "
            "minutes unless confirmed\r\ncommit complete\r\n\r\n# commit confirmed will be rolled "
            "back in 4 minutes\r\n\r\n[edit]\r\nadmin@mx-2# ");
  EXPECT_FALSE(term.session().finished());
  EXPECT_EQ(term.type("commit"), "commit\r\ncommit complete\r\n\r\n[edit]\r\nadmin@mx-2# ");
  clock_.advance(std::chrono::minutes(5));
  EXPECT_TRUE(device_->runningHasLine("host-name mx-2;"));
}

TEST_F(JunosCliTest, RollbackOneInConfigurePrivateRestoresThePreviousConfig) {
  Terminal term(device_);
  const std::string before = device_->runningConfig();
  term.type("configure private");
  term.type("set system host-name mx-2");
  term.type("delete snmp contact");
  term.type("set interfaces ge-0/0/0 unit 0 family inet address 10.77.0.1/24");
  term.type("commit");
  ASSERT_NE(device_->runningConfig(), before);
  EXPECT_EQ(term.type("rollback 1"), "rollback 1\r\nload complete\r\n\r\n[edit]\r\nadmin@mx-2# ");
  std::string compare = term.type("show | compare");
  EXPECT_TRUE(contains(compare, "[edit system]\r\n-   host-name mx-2;\r\n+   host-name mx-1;"))
      << compare;
  EXPECT_TRUE(contains(compare, "+   contact \"noc@example.net\";")) << compare;
  term.type("commit");
  EXPECT_EQ(device_->runningConfig(), before);
}

TEST_F(JunosCliTest, CompareAndDisplaySetInEveryMode) {
  Terminal term(device_);
  term.type("set cli screen-length 0");
  const std::string set = term.type("show configuration | display set");
  EXPECT_TRUE(contains(set, "\r\nset system host-name mx-1\r\n")) << set;
  term.type("configure private");
  term.type("set system domain-name lab.example.net");
  EXPECT_EQ(term.type("show | compare"),
            std::string("show | compare\r\n[edit system]\r\n-   domain-name example.net;\r\n"
                        "+   domain-name lab.example.net;\r\n") +
                kEditPrompt);
  // 'run' prints the operational command's output: the running configuration, not the candidate.
  const std::string run = term.type("run show configuration | display set");
  EXPECT_TRUE(contains(run, "\r\nset system host-name mx-1\r\n")) << run;
  EXPECT_FALSE(contains(run, "lab.example.net"));
  EXPECT_TRUE(endsWith(run, kEditPrompt));
  EXPECT_TRUE(contains(term.type("run show configuration system host-name"), "host-name mx-1;"));
}

TEST_F(JunosCliTest, RejectedSetLeavesTheCandidateUnchanged) {
  Terminal term(device_);
  const std::string before = device_->runningConfig();
  term.type("configure private");
  EXPECT_EQ(
      term.type("set frobnicate 1"),
      std::string("set frobnicate 1\r\n                ^\r\nsyntax error.\r\n") + kEditPrompt);
  EXPECT_EQ(term.type("show | compare"), std::string("show | compare\r\n") + kEditPrompt);
  term.type("commit");
  EXPECT_EQ(withoutStamp(device_->runningConfig()), withoutStamp(before));
}

}  // namespace
}  // namespace netspine::sim::test
