#include <gtest/gtest.h>

#include "cli_test_support.hpp"

namespace netspine::sim::test {
namespace {

class EosCliTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  std::shared_ptr<DeviceState> device_ =
      DeviceState::create(profileFor(OsKind::AristaEos, "leaf-1"), clock_.clock());
};

TEST_F(EosCliTest, PromptsAndPrivilege) {
  auto profile = profileFor(OsKind::AristaEos, "leaf-1");
  profile.startPrivileged = false;
  Terminal term(DeviceState::create(profile, clock_.clock()));
  EXPECT_TRUE(endsWith(term.greeting(), "\r\nleaf-1>"));
  EXPECT_EQ(term.type("enable"), "enable\r\nPassword: ");
  EXPECT_EQ(term.type("nope"), "\r\n% Access denied\r\nleaf-1>");
  term.type("enable");
  EXPECT_EQ(term.type("enable"), "\r\nleaf-1#");
  EXPECT_EQ(term.type("configure"), "configure\r\nleaf-1(config)#");
  EXPECT_EQ(term.type("interface Ethernet3"), "interface Ethernet3\r\nleaf-1(config-if-Et3)#");
  EXPECT_EQ(term.type("router bgp 65001"), "router bgp 65001\r\nleaf-1(config-router-bgp)#");
  EXPECT_EQ(term.raw("\x1a"), "^Z\r\nleaf-1#");
}

TEST_F(EosCliTest, PagingAcknowledgements) {
  Terminal term(device_);
  EXPECT_TRUE(endsWith(term.type("show running-config"), " --More-- "));
  EXPECT_TRUE(endsWith(term.raw("q"), "leaf-1#"));
  EXPECT_FALSE(contains(term.type("show running-config | no-more"), "--More--"));
  EXPECT_EQ(term.type("terminal length 0"), "terminal length 0\r\nPagination disabled.\r\nleaf-1#");
  EXPECT_EQ(term.type("terminal width 511"),
            "terminal width 511\r\nWidth set to 511 columns.\r\nleaf-1#");
  std::string config = term.type("show running-config");
  EXPECT_TRUE(contains(config, "! Command: show running-config\r\n! device: leaf-1 ("));
  EXPECT_TRUE(contains(config, "! Time: Mon Mar  4 10:00:00 2024\r\n"));
  EXPECT_TRUE(contains(config, "enable secret sha512 $6$"));
  EXPECT_TRUE(endsWith(config, "end\r\nleaf-1#"));
}

TEST_F(EosCliTest, ShowAndErrors) {
  Terminal term(device_);
  term.type("terminal length 0");
  EXPECT_TRUE(contains(term.type("show version"), "Serial number: JPE"));
  EXPECT_TRUE(contains(term.type("show inventory"), "System information"));
  EXPECT_EQ(term.type("show foo"), "show foo\r\n% Invalid input\r\nleaf-1#");
  EXPECT_EQ(term.type("foo"), "foo\r\n% Invalid input\r\nleaf-1#");
  EXPECT_EQ(term.type("show"), "show\r\n% Incomplete command\r\nleaf-1#");
}

TEST_F(EosCliTest, SessionDiffsCommitAndAbort) {
  Terminal term(device_);
  EXPECT_EQ(term.type("configure session s1"), "configure session s1\r\nleaf-1(config-s-s1)#");
  EXPECT_EQ(term.type("interface Ethernet1"), "interface Ethernet1\r\nleaf-1(config-s-s1-if-Et1)#");
  term.type("description changed in s1");
  term.type("exit");
  EXPECT_FALSE(device_->runningHasLine("description changed in s1"));
  std::string diffs = term.type("show session-config diffs");
  EXPECT_TRUE(
      contains(diffs, "--- system:/running-config\r\n+++ session:/s1-session-config\r\n@@ -"))
      << diffs;
  EXPECT_TRUE(contains(diffs, "\r\n-   description spine-01 Ethernet")) << diffs;
  EXPECT_TRUE(contains(diffs, "\r\n+   description changed in s1\r\n")) << diffs;
  EXPECT_EQ(term.type("commit"), "commit\r\nleaf-1#");
  EXPECT_TRUE(device_->runningHasLine("description changed in s1"));

  term.type("configure session s2");
  term.type("hostname leaf-9");
  EXPECT_EQ(term.type("abort"), "abort\r\nleaf-1#");
  EXPECT_TRUE(device_->runningHasLine("hostname leaf-1"));

  // Left with 'end', a session stays pending and can be committed from exec mode.
  term.type("configure session s3");
  term.type("ntp server 10.3.3.3");
  term.type("end");
  EXPECT_FALSE(device_->runningHasLine("ntp server 10.3.3.3"));
  term.type("configure session s3 commit");
  EXPECT_TRUE(device_->runningHasLine("ntp server 10.3.3.3"));
}

TEST_F(EosCliTest, CommitTimerRollsBackUnlessConfirmed) {
  Terminal term(device_);
  term.type("configure session t1");
  term.type("ntp server 10.4.4.4");
  term.type("commit timer 00:05:00");
  EXPECT_TRUE(device_->runningHasLine("ntp server 10.4.4.4"));
  clock_.advance(std::chrono::minutes(6));
  EXPECT_FALSE(device_->runningHasLine("ntp server 10.4.4.4"));

  term.type("configure session t2");
  term.type("ntp server 10.5.5.5");
  term.type("commit timer 00:05:00");
  term.type("configure session t2 commit");
  clock_.advance(std::chrono::minutes(6));
  EXPECT_TRUE(device_->runningHasLine("ntp server 10.5.5.5"));
}

TEST_F(EosCliTest, ConfigureTerminalAndWriteMemory) {
  Terminal term(device_);
  term.type("configure terminal");
  term.type("vlan 999");
  term.type("name test-vlan");
  term.type("end");
  EXPECT_TRUE(contains(device_->runningConfig(), "vlan 999\n   name test-vlan\n"));
  Terminal other(device_);
  EXPECT_TRUE(contains(other.type("show running-config | section vlan 999"), "name test-vlan"));
  EXPECT_EQ(term.type("write memory"), "write memory\r\nCopy completed successfully.\r\nleaf-1#");
  EXPECT_TRUE(contains(device_->startupConfig(), "vlan 999\n   name test-vlan\n"));
  EXPECT_TRUE(contains(device_->startupConfig(), "! Startup-config last modified at "));
}

TEST_F(EosCliTest, CopyToFlashThenConfigureReplaceRestoresExactly) {
  Terminal term(device_);
  const std::string before = device_->runningConfig();
  EXPECT_EQ(term.type("copy running-config flash:pre-change"),
            "copy running-config flash:pre-change\r\nCopy completed successfully.\r\nleaf-1#");
  term.type("configure session c1");
  term.type("hostname leaf-9");
  term.type("ntp server 10.9.9.9");
  term.type("commit");
  term.type("configure");
  term.type("no hostname leaf-9");
  term.type("end");
  ASSERT_NE(device_->runningConfig(), before);
  EXPECT_EQ(term.type("configure replace flash:pre-change"),
            "configure replace flash:pre-change\r\nleaf-1#");
  EXPECT_EQ(device_->runningConfig(), before);
  term.type("vlan 3");
  EXPECT_EQ(term.type("configure replace flash:pre-change force"),
            "configure replace flash:pre-change force\r\nleaf-1#");
  EXPECT_EQ(device_->runningConfig(), before);
}

TEST_F(EosCliTest, MissingAndDeletedFlashFiles) {
  Terminal term(device_);
  EXPECT_EQ(term.type("configure replace flash:nope"),
            "configure replace flash:nope\r\n% Error: file flash:nope does not exist\r\nleaf-1#");
  term.type("copy system:running-config flash:snap");
  EXPECT_TRUE(contains(term.type("dir flash:"), " snap\r\n"));
  EXPECT_EQ(term.type("delete flash:snap"), "delete flash:snap\r\nleaf-1#");
  EXPECT_EQ(term.type("delete flash:snap"),
            "delete flash:snap\r\n% Error: file flash:snap does not exist\r\nleaf-1#");
  EXPECT_EQ(runExec(*device_, "delete flash:snap").exitStatus, 1);
  EXPECT_TRUE(contains(term.type("configure replace flash:snap"), "does not exist"));
}

TEST_F(EosCliTest, ConfigureReplaceCancelsAPendingCommitTimer) {
  Terminal term(device_);
  term.type("copy running-config flash:base");
  term.type("configure session t1");
  term.type("ntp server 10.4.4.4");
  term.type("commit timer 00:05:00");
  term.type("configure terminal");
  term.type("ntp server 10.6.6.6");
  term.type("end");
  term.type("copy running-config flash:with-both");
  term.type("configure replace flash:base");
  EXPECT_FALSE(device_->runningHasLine("ntp server 10.4.4.4"));
  term.type("configure replace flash:with-both");
  // The timer would have removed 10.4.4.4 (and 10.6.6.6 with it): the replace is the new truth.
  clock_.advance(std::chrono::minutes(6));
  EXPECT_TRUE(device_->runningHasLine("ntp server 10.4.4.4"));
  EXPECT_TRUE(device_->runningHasLine("ntp server 10.6.6.6"));
}

TEST_F(EosCliTest, AbortingTheSessionOfAPendingCommitTimerRollsBackNow) {
  Terminal term(device_);
  const std::string before = device_->runningConfig();
  term.type("configure session t1");
  term.type("ntp server 10.4.4.4");
  term.type("commit timer 00:05:00");
  ASSERT_TRUE(device_->runningHasLine("ntp server 10.4.4.4"));
  // Aborting another session leaves the pending commit alone.
  term.type("configure session other abort");
  EXPECT_TRUE(device_->runningHasLine("ntp server 10.4.4.4"));
  EXPECT_EQ(term.type("configure session t1 abort"), "configure session t1 abort\r\nleaf-1#");
  EXPECT_EQ(device_->runningConfig(), before);  // now, not when the timer runs out
  clock_.advance(std::chrono::minutes(6));
  EXPECT_FALSE(device_->runningHasLine("ntp server 10.4.4.4"));
}

TEST_F(EosCliTest, RejectedConfigurationLinesLeaveTheConfigUnchanged) {
  Terminal term(device_);
  const std::string before = device_->runningConfig();
  term.type("configure session bad");
  EXPECT_EQ(term.type("frobnicate 1"), "frobnicate 1\r\n% Invalid input\r\nleaf-1(config-s-bad)#");
  term.type("commit");
  EXPECT_EQ(device_->runningConfig(), before);
  term.type("configure");
  EXPECT_EQ(term.type("frobnicate 1"), "frobnicate 1\r\n% Invalid input\r\nleaf-1(config)#");
  term.type("end");
  EXPECT_EQ(device_->runningConfig(), before);
}

}  // namespace
}  // namespace netspine::sim::test
