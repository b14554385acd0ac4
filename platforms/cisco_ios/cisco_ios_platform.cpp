#include "cisco_ios_platform.hpp"

#include <netspine/plugin/text.hpp>

#include <regex>

namespace netspine::platforms::cisco_ios {

using plugin::LineRule;

plugin::Manifest manifest() {
  return {.id = "cisco_ios",
          .version = "1.0.0",
          .kind = plugin::PluginKind::Platform,
          .description = "Cisco IOS and IOS XE: prompts, backup, secret masking, configuration",
          .provides = {"cisco_ios"},
          .minHostVersion = "0.1.0"};
}

plugin::PlatformSpec platformSpec() {
  plugin::PlatformSpec s;
  s.id = "cisco_ios";
  s.displayName = "Cisco IOS / IOS XE";

  // Host names are letters, digits, '.', '_' and '-'; "(?:^|\n)" keeps a banner line ending in
  // '#' or '>' from passing for a prompt.
  s.prompts = {.user = R"((?:^|\n)[\w.-]{1,63}> ?)",
               .privileged = R"((?:^|\n)[\w.-]{1,63}# ?)",
               .config = R"((?:^|\n)[\w.-]{1,63}\([^)\n]{1,40}\)# ?)",
               .password = R"((?:^|\n)[Pp]assword: ?)",
               .pager = R"( ?--More-- ?)",
               .pagerAnswer = " "};

  s.session = {.prepare = {"terminal length 0", "terminal width 0"},
               .enable = "enable",
               .logout = "exit",
               .prefersExec = false};

  s.backup = {{"show version", true}, {"show inventory", true}, {"show running-config", false}};
  s.commentPrefix = "! ";

  s.volatileLines = {
      // show version
      {"uptime", R"(^\S+ uptime is )"},
      {"control processor uptime", R"(^Uptime for this control processor is )"},
      {"stack member uptime", R"(^\s*Switch uptime\s+: )"},
      {"returned to ROM", R"(^System returned to ROM by )"},
      {"restart time", R"(^System restarted (?:at|by) )"},
      {"config register at next reload",
       R"(^Configuration register is \S+( \(will be \S+ at next reload\)))", 1},
      // show running-config
      {"building configuration", R"(^Building configuration\.\.\.)"},
      {"configuration size", R"(^Current configuration ?: \d+ bytes)"},
      {"last configuration change", R"(^! Last configuration change at )"},
      {"NVRAM last updated", R"(^! NVRAM config last updated at )"},
      {"no change since restart", R"(^! No configuration change since last restart)"},
      {"ntp clock-period", R"(^ntp clock-period )"},
  };

  // Group 1 is the secret; "(?: \d)?" is the encryption type (0 clear, 5 md5, 7, 8, 9 ...).
  s.secrets = {
      {"enable secret or password", R"(^enable (?:secret|password)(?: level \d+)?(?: \d)? (\S+))",
       1},
      {"username secret or password", R"(^username \S+ .*?\b(?:secret|password)(?: \d)? (\S+))", 1},
      {"snmp community", R"(^snmp-server community (\S+))", 1},
      {"snmp host community",
       R"(^snmp-server host \S+(?: vrf \S+)?(?: informs| traps)?(?: version (?:1|2c|3 \w+))? (\S+))",
       1},
      {"tacacs-server key", R"(^tacacs-server .*?\bkey(?: \d)? (\S+))", 1},
      {"radius-server key", R"(^radius-server .*?\bkey(?: \d)? (\S+))", 1},
      // "tacacs server NAME" / "radius server NAME" blocks; not the numeric ids of a key chain.
      {"server key with type", R"(^\s+key \d (\S+))", 1},
      {"server key", R"(^\s+key ((?!\d )(?!\d+\s*$)\S+))", 1},
      {"key-string", R"(^\s+key-string(?: \d)? (\S+))", 1},
      {"type 7 key", R"(\bkey(?:-string)? 7 (\S+))", 1},
      {"line password", R"(^\s+password(?: \d)? (\S+))", 1},
      {"line secret", R"(^\s+secret(?: \d)? (\S+))", 1},
      {"crypto isakmp key", R"(^crypto isakmp key(?: \d)? (\S+))", 1},
      {"pre-shared-key", R"(\bpre-shared-key(?: local| remote)?(?: \d)? ((?!address )\S+))", 1},
      {"keyring pre-shared-key address",
       R"(^\s*pre-shared-key address \S+(?: \S+)? key(?: \d)? (\S+))", 1},
      {"ppp chap or pap password",
       R"(^\s+ppp (?:chap|pap sent-username \S+) password(?: \d)? (\S+))", 1},
      {"ospf authentication-key", R"(^\s+ip ospf authentication-key(?: \d)? (\S+))", 1},
      {"ospf message-digest-key", R"(^\s+ip ospf message-digest-key \d+ md5(?: \d)? (\S+))", 1},
      {"bgp neighbor password", R"(^\s*neighbor \S+ password(?: \d)? (\S+))", 1},
      {"wpa-psk", R"(\bwpa-psk (?:ascii|hex)(?: \d)? (\S+))", 1},
      {"ntp authentication-key", R"(^ntp authentication-key \d+ md5 (\S+))", 1},
  };

  s.errors = {
      {"invalid input", R"(^% Invalid input detected)"},
      {"incomplete command", R"(^% Incomplete command)"},
      {"ambiguous command", R"(^% Ambiguous command)"},
      {"unknown command", R"(^% Unknown command)"},
      {"bad argument", R"(^% Bad )"},
      {"error", R"(^%\s?Error)"},
      {"authorization failed", R"(^% Authorization failed)"},
  };

  s.configuration = {.enter = "configure terminal",
                     .leave = "end",
                     .save = "write memory",
                     .replace = "configure replace {file} force"};

  s.factsCommands = {"show version"};
  s.snmp = {.sysObjectIdPrefixes = {"1.3.6.1.4.1.9."},
            .sysDescrPattern = R"(Cisco IOS|IOS \(tm\)|IOS-XE)"};
  return s;
}

std::optional<std::string> CiscoIosPlatform::checkComplete(std::string_view config) const {
  return requireLastLine(config, "end");
}

plugin::Facts CiscoIosPlatform::readFacts(std::string_view output) const {
  static const std::regex version(R"(^(?:Cisco )?IOS.*? Software.*?, Version ([^,\s]+))");
  static const std::regex model(R"(^[Cc]isco (\S+) .*with \S+ bytes of (?:physical )?memory)");
  static const std::regex serial(R"(^Processor board ID (\S+))");
  static const std::regex hostname(R"(^(\S+) uptime is )");
  return {.hostname = plugin::firstCapture(output, hostname),
          .osVersion = plugin::firstCapture(output, version),
          .model = plugin::firstCapture(output, model),
          .serial = plugin::firstCapture(output, serial)};
}

std::vector<std::string> CiscoIosPlatform::teardownFor(std::string_view runningConfig) const {
  // GigabitEthernet0 is the dedicated management port of ISR 4000 and ASR 1000 routers.
  return plugin::indentedTeardown(runningConfig, {.managementInterfaces = {"GigabitEthernet0"},
                                                  .keptInterfaces = {"Null"},
                                                  .removedStatements = {"router ", "ip dhcp pool "},
                                                  .staticRoutes = {"ip route ", "ipv6 route "}});
}

}  // namespace netspine::platforms::cisco_ios
