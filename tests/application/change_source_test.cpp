#include "application/change_source.hpp"

#include <gtest/gtest.h>

#include <cisco_ios_platform.hpp>
#include <juniper_junos_platform.hpp>
#include <netspine/plugin/platform.hpp>
#include <string>

namespace netspine::test {
namespace {

using app::sessionCommandIn;

// The session commands of the built-in platforms.
const plugin::Configuration& ios() {
  static const platforms::cisco_ios::CiscoIosPlatform platform;
  return platform.spec().configuration;
}

const plugin::Configuration& junos() {
  static const platforms::juniper_junos::JuniperJunosPlatform platform;
  return platform.spec().configuration;
}

TEST(SessionCommandIn, ConfigurationStatementsPass) {
  EXPECT_EQ(sessionCommandIn("interface GigabitEthernet1\n description uplink\n no shutdown\n"
                             " load-interval 30\nrouter bgp 65000\n address-family ipv4\n"
                             " exit-address-family\ndefault interface Gi2\n!\n\n"
                             "snmp-server location DC4\nusername ops secret x\n",
                             ios()),
            std::nullopt);
  EXPECT_EQ(sessionCommandIn("set snmp location DC4\ndelete snmp contact\n"
                             "deactivate interfaces ge-0/0/1\nactivate interfaces ge-0/0/1\n"
                             "copy interfaces ge-0/0/1 to ge-0/0/2\n",
                             junos()),
            std::nullopt);
}

TEST(SessionCommandIn, NamesTheLineAndWhyForEachKind) {
  EXPECT_EQ(sessionCommandIn("snmp-server location lab\nend\n", ios()),
            "line 2 'end': moves between configuration levels, which netspine does itself: give "
            "sections by indentation (IOS, EOS) or whole `set`/`delete` statements (Junos)");
  EXPECT_EQ(sessionCommandIn("interface Loopback1\n description x\n do reload\n", ios()),
            "line 3 'do reload': runs a command outside the configuration; push configuration "
            "statements only");
  EXPECT_EQ(sessionCommandIn("set snmp location x\ncommit\n", junos()),
            "line 2 'commit': a session command (commit…) that netspine sends itself around the "
            "change; push configuration statements only");
}

TEST(SessionCommandIn, EveryLevelExecAndSessionCommandIsCaught) {
  for (const char* line :
       {"end", "exit", "  exit", "quit", "edit snmp", "top", "up 2", "do show run", "conf t",
        "configure replace flash:a.cfg force", "write memory", "wr", "END", "Exit\r"}) {
    EXPECT_NE(sessionCommandIn(std::string("hostname r1\n") + line + "\n", ios()), std::nullopt)
        << line;
  }
  for (const char* line : {"commit", "commit confirmed 5", "com", "commit and-quit", "rollback 1",
                           "load override /var/tmp/x", "run show version", "show | compare",
                           "exit configuration-mode", "edit protocols", "top", "up"}) {
    EXPECT_NE(sessionCommandIn(std::string("set system host-name r1\n") + line, junos()),
              std::nullopt)
        << line;
  }
  // IOS has no `commit`: the device itself refuses it, and the change is rolled back.
  EXPECT_EQ(sessionCommandIn("commit\n", ios()), std::nullopt);
}

}  // namespace
}  // namespace netspine::test
