#include <gtest/gtest.h>

#include "cli_test_support.hpp"

namespace netspine::sim::test {
namespace {

class IosCliTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  std::shared_ptr<DeviceState> device_ =
      DeviceState::create(profileFor(OsKind::CiscoIos, "core-1"), clock_.clock());
};

TEST_F(IosCliTest, BannerThenPrivilegedPrompt) {
  Terminal term(device_);
  EXPECT_TRUE(contains(term.greeting(), "Authorized access only")) << term.greeting();
  EXPECT_TRUE(endsWith(term.greeting(), "\r\ncore-1#")) << term.greeting();
  EXPECT_EQ(term.type(""), "\r\ncore-1#");
}

TEST_F(IosCliTest, EnableAsksForTheSecretAndRefusesWrongOnes) {
  auto profile = profileFor(OsKind::CiscoIos, "core-1");
  profile.startPrivileged = false;
  Terminal term(DeviceState::create(profile, clock_.clock()));
  EXPECT_TRUE(endsWith(term.greeting(), "core-1>"));
  EXPECT_TRUE(contains(term.type("show running-config"), "% Invalid input detected"));
  EXPECT_TRUE(endsWith(term.type("enable"), "Password: "));
  // The secret is not echoed; IOS asks three times, then gives up.
  EXPECT_EQ(term.type("wrong1"), "\r\nPassword: ");
  EXPECT_EQ(term.type("wrong2"), "\r\nPassword: ");
  EXPECT_EQ(term.type("wrong3"), "\r\n% Bad secrets\r\n\r\ncore-1>");
  term.type("en");
  EXPECT_EQ(term.type("enable"), "\r\ncore-1#");
  EXPECT_EQ(term.type("disable"), "disable\r\ncore-1>");
}

TEST_F(IosCliTest, EchoesAndEditsTheLine) {
  Terminal term(device_);
  EXPECT_EQ(term.raw("sh"), "sh");
  EXPECT_EQ(term.raw("x\x7f"), "x\b \b");
  std::string out = term.raw(" clock\r\n");
  EXPECT_TRUE(contains(out, " clock\r\n*10:00:00.000 UTC Mon Mar 4 2024\r\ncore-1#")) << out;
  // "\r\n" was one Enter: no second prompt.
  EXPECT_EQ(out.find("core-1#"), out.rfind("core-1#"));
  EXPECT_EQ(term.raw("\r"), "\r\ncore-1#");
  EXPECT_EQ(term.raw("\n"), "");  // the LF of a CR LF split over two reads
  EXPECT_EQ(term.raw("junk\x03"), "junk^C\r\ncore-1#");
  EXPECT_EQ(term.raw("\x1b[A"), "");  // arrow keys do nothing
}

TEST_F(IosCliTest, PagerStopsContinuesAndQuits) {
  Terminal term(device_);
  std::string page = term.type("show running-config");
  EXPECT_TRUE(endsWith(page, " --More-- ")) << page;
  EXPECT_EQ(std::count(page.begin(), page.end(), '\n'), 24);  // echo line + 23 lines
  std::string line = term.raw("\r");
  EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1);
  EXPECT_TRUE(endsWith(line, " --More-- "));
  std::string next = term.raw(" ");
  EXPECT_EQ(std::count(next.begin(), next.end(), '\n'), 23);
  EXPECT_TRUE(endsWith(term.raw("q"), "core-1#"));
  // Space to the end prints the prompt after the last line.
  term.type("show running-config");
  std::string rest;
  for (int i = 0; i < 100 && !endsWith(rest, "core-1#"); ++i) rest += term.raw(" ");
  EXPECT_TRUE(contains(rest, "\r\nend\r\n")) << rest.substr(rest.size() - 200);
}

TEST_F(IosCliTest, TerminalLengthZeroTurnsThePagerOff) {
  Terminal term(device_);
  EXPECT_EQ(term.type("term len 0"), "term len 0\r\ncore-1#");
  EXPECT_EQ(term.type("terminal width 511"), "terminal width 511\r\ncore-1#");
  std::string config = term.type("sh run");
  EXPECT_FALSE(contains(config, "--More--"));
  EXPECT_TRUE(endsWith(config, "\r\nend\r\ncore-1#"));
  // IOS has no '| no-more'.
  EXPECT_TRUE(contains(term.type("show version | no-more"), "% Invalid input detected"));
}

TEST_F(IosCliTest, ShowCommands) {
  Terminal term(device_);
  term.type("terminal length 0");
  std::string version = term.type("show version");
  EXPECT_TRUE(contains(version, "Cisco IOS Software")) << version;
  EXPECT_TRUE(contains(version, "core-1 uptime is ")) << version;
  EXPECT_TRUE(contains(version, "System serial number            : FDO")) << version;
  EXPECT_TRUE(contains(term.type("show inventory"), "PID: WS-C3750X-48P-S"));
  std::string config = term.type("show running-config");
  EXPECT_TRUE(contains(config, "Building configuration...\r\n\r\nCurrent configuration : "));
  EXPECT_TRUE(contains(config, "\r\nhostname core-1\r\n"));
  EXPECT_TRUE(contains(term.type("show startup-config"), "Using "));
  EXPECT_EQ(term.type("show running-config | include ^hostname"),
            "show running-config | include ^hostname\r\nhostname core-1\r\ncore-1#");
  std::string section = term.type("show run | section router bgp");
  EXPECT_TRUE(contains(section, " exit-address-family\r\n")) << section;
}

TEST_F(IosCliTest, UnknownCommandsGetIosErrors) {
  Terminal term(device_);
  EXPECT_EQ(term.type("show foo"),
            "show foo\r\n            ^\r\n% Invalid input detected at '^' marker.\r\n\r\ncore-1#");
  EXPECT_EQ(term.type("foo"),
            "foo\r\nTranslating \"foo\"\r\n% Unknown command or computer name, or unable to "
            "find computer address\r\ncore-1#");
  EXPECT_EQ(term.type("show"), "show\r\n% Incomplete command.\r\n\r\ncore-1#");
  EXPECT_EQ(term.type("s"), "s\r\n% Ambiguous command:  \"s\"\r\ncore-1#");
}

TEST_F(IosCliTest, ConfigureTerminalChangesTheRunningConfig) {
  Terminal term(device_);
  EXPECT_EQ(term.type("conf t"),
            "conf t\r\nEnter configuration commands, one per line.  End with CNTL/Z.\r\n"
            "core-1(config)#");
  EXPECT_EQ(term.type("interface Loopback42"), "interface Loopback42\r\ncore-1(config-if)#");
  term.type(" description added by test");
  term.type("ip address 10.42.0.1 255.255.255.255");
  term.type("ip address 10.42.0.2 255.255.255.255");  // replaces the first
  EXPECT_EQ(term.type("router ospf 1"), "router ospf 1\r\ncore-1(config-router)#");
  term.type("network 10.42.0.0 0.0.0.255 area 0");
  term.type("no passive-interface default");
  term.type("exit");
  term.type("no snmp-server contact noc@example.net");
  EXPECT_EQ(term.type("foo bar"),
            "foo bar\r\n               ^\r\n% Invalid input detected at '^' marker.\r\n\r\n"
            "core-1(config)#");
  EXPECT_EQ(term.raw("\x1a"), "^Z\r\ncore-1#");

  std::string config = device_->runningConfig();
  EXPECT_TRUE(contains(config,
                       "interface Loopback42\n description added by test\n"
                       " ip address 10.42.0.2 255.255.255.255\n!\n"))
      << config;
  EXPECT_TRUE(contains(config,
                       " network 10.0.0.0 0.255.255.255 area 0\n"
                       " network 10.42.0.0 0.0.0.255 area 0\n"));
  EXPECT_FALSE(device_->runningHasLine("passive-interface default"));
  EXPECT_FALSE(device_->runningHasLine("ip address 10.42.0.1 255.255.255.255"));
  EXPECT_FALSE(device_->runningHasLine("snmp-server contact noc@example.net"));

  // Another session sees it; removing a section removes it.
  Terminal other(device_);
  other.type("terminal length 0");
  EXPECT_TRUE(contains(other.type("show running-config | section Loopback42"),
                       " description added by test"));
  other.type("configure terminal");
  other.type("no interface Loopback42");
  other.type("hostname core-2");
  EXPECT_EQ(other.type("end"), "end\r\ncore-2#");
  EXPECT_FALSE(device_->runningHasLine("interface Loopback42"));
  EXPECT_EQ(term.type(""), "\r\ncore-2#");
}

TEST_F(IosCliTest, WriteMemoryAndCopyRunStartSaveTheStartupConfig) {
  Terminal term(device_);
  term.type("configure terminal");
  term.type("ntp server 10.9.9.9");
  term.type("end");
  EXPECT_FALSE(contains(device_->startupConfig(), "ntp server 10.9.9.9"));
  EXPECT_EQ(term.type("wr mem"), "wr mem\r\nBuilding configuration...\r\n[OK]\r\ncore-1#");
  EXPECT_TRUE(contains(device_->startupConfig(), "\nntp server 10.9.9.9\n"));

  term.type("conf t");
  term.type("ntp server 10.8.8.8");
  term.type("end");
  EXPECT_EQ(term.type("copy running-config startup-config"),
            "copy running-config startup-config\r\nDestination filename [startup-config]? ");
  EXPECT_EQ(term.type(""), "\r\nBuilding configuration...\r\n[OK]\r\ncore-1#");
  EXPECT_TRUE(contains(device_->startupConfig(), "\nntp server 10.8.8.8\n"));
}

TEST_F(IosCliTest, ExitLogsOut) {
  Terminal term(device_);
  term.type("exit");
  EXPECT_TRUE(term.session().finished());
}

TEST_F(IosCliTest, CopyToFlashThenConfigureReplaceRestoresExactly) {
  Terminal term(device_);
  term.type("terminal length 0");
  const std::string before = device_->runningConfig();
  // 'file prompt quiet': no 'Destination filename' question.
  EXPECT_EQ(term.type("copy running-config flash:pre-change"),
            "copy running-config flash:pre-change\r\n" + std::to_string(before.size()) +
                " bytes copied in 0.012 secs (" + std::to_string(before.size() * 1000 / 12) +
                " bytes/sec)\r\ncore-1#");
  term.type("configure terminal");
  term.type("hostname core-9");
  term.type("interface Loopback77");
  term.type("description added before the rollback");
  term.type("end");
  ASSERT_TRUE(device_->runningHasLine("description added before the rollback"));
  ASSERT_NE(device_->runningConfig(), before);
  EXPECT_EQ(term.type("configure replace flash:pre-change force"),
            "configure replace flash:pre-change force\r\nTotal number of passes: 1\r\n"
            "Rollback Done\r\n\r\ncore-1#");
  EXPECT_EQ(device_->runningConfig(), before);
  EXPECT_TRUE(contains(term.type("dir flash:"), " pre-change\r\n"));
}

TEST_F(IosCliTest, ConfigureReplaceWithoutForceAsksFirst) {
  Terminal term(device_);
  const std::string before = device_->runningConfig();
  term.type("copy system:running-config flash:/base");
  term.type("configure terminal");
  term.type("hostname core-9");
  term.type("end");
  EXPECT_TRUE(endsWith(term.type("configure replace flash:base"),
                       "Enter Y if you are sure you want to "
                       "proceed. ? [no]: "));
  EXPECT_EQ(term.type("no"), "no\r\ncore-9#");
  EXPECT_TRUE(device_->runningHasLine("hostname core-9"));
  term.type("configure replace flash:base");
  EXPECT_EQ(term.type("y"), "y\r\nTotal number of passes: 1\r\nRollback Done\r\n\r\ncore-1#");
  EXPECT_EQ(device_->runningConfig(), before);
}

TEST_F(IosCliTest, MissingAndDeletedFlashFiles) {
  Terminal term(device_);
  EXPECT_EQ(term.type("configure replace flash:nope force"),
            "configure replace flash:nope force\r\n%Error opening flash:nope (No such file or "
            "directory)\r\ncore-1#");
  EXPECT_EQ(runExec(*device_, "configure replace flash:nope force").exitStatus, 1);
  term.type("copy running-config flash:snap");
  EXPECT_EQ(term.type("delete /force flash:snap"), "delete /force flash:snap\r\ncore-1#");
  EXPECT_EQ(term.type("delete /force flash:snap"),
            "delete /force flash:snap\r\n%Error deleting flash:snap (No such file or directory)"
            "\r\ncore-1#");
  EXPECT_TRUE(contains(term.type("configure replace flash:snap force"), "%Error opening"));
  EXPECT_FALSE(contains(term.type("dir"), "snap"));
  // Other forms stay quiet decoys; abbreviations stay as ambiguous as on IOS.
  EXPECT_EQ(term.type("copy running-config tftp://10.0.0.1/x"),
            "copy running-config tftp://10.0.0.1/x\r\ncore-1#");
  EXPECT_TRUE(contains(term.type("d flash:x"), "% Ambiguous command"));
}

TEST_F(IosCliTest, RejectedConfigurationLineLeavesTheConfigUnchanged) {
  Terminal term(device_);
  const std::string before = device_->runningConfig();
  term.type("configure terminal");
  EXPECT_EQ(term.type("frobnicate 1"),
            "frobnicate 1\r\n               ^\r\n% Invalid input detected at '^' marker.\r\n\r\n"
            "core-1(config)#");
  term.type("end");
  EXPECT_EQ(device_->runningConfig(), before);
  EXPECT_FALSE(device_->runningHasLine("frobnicate 1"));
}

}  // namespace
}  // namespace netspine::sim::test
