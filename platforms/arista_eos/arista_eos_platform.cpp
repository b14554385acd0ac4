#include "arista_eos_platform.hpp"

#include <netspine/plugin/text.hpp>

#include <regex>

namespace netspine::platforms::arista_eos {

using plugin::LineRule;

plugin::Manifest manifest() {
  return {.id = "arista_eos",
          .version = "1.0.0",
          .kind = plugin::PluginKind::Platform,
          .description = "Arista EOS: prompts, backup, secret masking, configuration sessions",
          .provides = {"arista_eos"},
          .minHostVersion = "0.1.0"};
}

plugin::PlatformSpec platformSpec() {
  plugin::PlatformSpec s;
  s.id = "arista_eos";
  s.displayName = "Arista EOS";

  // "leaf1>", "leaf1#", "leaf1(config)#", "leaf1(config-s-netspine-if-Et1)#" in a session.
  s.prompts = {.user = R"((?:^|\n)[\w.-]{1,63}> ?)",
               .privileged = R"((?:^|\n)[\w.-]{1,63}# ?)",
               .config = R"((?:^|\n)[\w.-]{1,63}\(config[^)\n]*\)# ?)",
               .password = R"((?:^|\n)[Pp]assword: ?)",
               .pager = R"( ?--More-- ?)",
               .pagerAnswer = " "};

  s.session = {.prepare = {"terminal length 0", "terminal width 32767"},
               .enable = "enable",
               .logout = "exit",
               .prefersExec = false};

  s.backup = {{"show version", true}, {"show running-config", false}};
  s.commentPrefix = "! ";

  s.volatileLines = {
      // show version
      {"uptime", R"(^Uptime:\s)"},
      {"free memory", R"(^Free memory:\s)"},
      // show running-config header
      {"command header", R"(^! Command: show running-config)"},
      {"device header", R"(^! device: \S+ \()"},
      {"time header", R"(^! Time: )"},
      {"startup-config modified", R"(^! Startup-config last modified at )"},
  };

  // Group 1 is the secret; "(?: sha512| \d)?" is how EOS says what follows is hashed or type 7.
  s.secrets = {
      {"username secret", R"(^username \S+ .*?\b(?:secret|password)(?: sha512| \d)? (\S+))", 1},
      {"enable secret or password", R"(^enable (?:secret|password)(?: sha512| \d)? (\S+))", 1},
      {"secret sha512", R"(\bsecret sha512 (\S+))", 1},
      {"snmp community", R"(^snmp-server community (\S+))", 1},
      {"snmp host community",
       R"(^snmp-server host \S+(?: vrf \S+)?(?: informs| traps)?(?: version (?:1|2c|3 \w+))? (\S+))",
       1},
      {"tacacs-server key", R"(^tacacs-server .*?\bkey(?: \d)? (\S+))", 1},
      {"radius-server key", R"(^radius-server .*?\bkey(?: \d)? (\S+))", 1},
      {"bgp neighbor password", R"(^\s*neighbor \S+ password(?: \d)? (\S+))", 1},
      {"type 7 password", R"(\bpassword 7 (\S+))", 1},
      {"pre-shared-key", R"(\bpre-shared-key(?: \d)? (\S+))", 1},
      {"ospf authentication-key", R"(^\s+ip ospf authentication-key(?: \d)? (\S+))", 1},
      {"ospf message-digest-key", R"(^\s+ip ospf message-digest-key \d+ md5(?: \d)? (\S+))", 1},
      {"isis authentication key", R"(^\s+isis authentication key(?: \d)? (\S+))", 1},
      {"ntp authentication-key", R"(^ntp authentication-key \d+ (?:md5|sha1) (?:\d )?(\S+))", 1},
  };

  s.errors = {
      {"invalid input", R"(^% Invalid input)"},
      {"incomplete command", R"(^% Incomplete command)"},
      {"ambiguous command", R"(^% Ambiguous command)"},
      {"error", R"(^% Error)"},
      {"unavailable command", R"(^% Unavailable command)"},
  };

  // Configuration sessions: a named candidate, diffed and committed, or committed with a timer
  // and confirmed by committing the session again.
  s.configuration = {.enter = "configure session {session}",
                     .leave = "end",
                     .compare = "show session-config diffs",
                     .commit = "commit",
                     .commitConfirmed = "commit timer {hh:mm:ss}",
                     .confirm = "configure session {session} commit",
                     .abort = "abort",
                     .save = "write memory",
                     .replace = "configure replace {file}"};

  s.factsCommands = {"show version", "show hostname"};
  s.snmp = {.sysObjectIdPrefixes = {"1.3.6.1.4.1.30065."},
            .sysDescrPattern = "Arista Networks EOS"};
  return s;
}

std::optional<std::string> AristaEosPlatform::checkComplete(std::string_view config) const {
  return requireLastLine(config, "end");
}

plugin::Facts AristaEosPlatform::readFacts(std::string_view output) const {
  static const std::regex model(R"(^Arista (\S+))");
  static const std::regex serial(R"(^Serial number:\s+(\S+))");
  static const std::regex version(R"(^Software image version:\s+(\S+))");
  static const std::regex hostname(R"(^Hostname:\s+(\S+))");
  return {.hostname = plugin::firstCapture(output, hostname),
          .osVersion = plugin::firstCapture(output, version),
          .model = plugin::firstCapture(output, model),
          .serial = plugin::firstCapture(output, serial)};
}

std::vector<std::string> AristaEosPlatform::teardownFor(std::string_view runningConfig) const {
  // Management1 (Management0 on modular chassis) is caught by its name.
  return plugin::indentedTeardown(runningConfig, {.removedStatements = {"router "},
                                                  .staticRoutes = {"ip route ", "ipv6 route "}});
}

}  // namespace netspine::platforms::arista_eos
