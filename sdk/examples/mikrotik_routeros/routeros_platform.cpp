#include "routeros_platform.hpp"

#include <netspine/plugin/text.hpp>

#include <algorithm>
#include <regex>

namespace example::mikrotik_routeros {

using plugin::LineRule;

plugin::Manifest manifest() {
  return {.id = "mikrotik_routeros",
          .version = "1.0.0",
          .kind = plugin::PluginKind::Platform,
          .description = "MikroTik RouterOS 7: prompts, terse export backup, secret masking",
          .provides = {"mikrotik_routeros"},
          .minHostVersion = "0.1.0"};
}

namespace {
// A value in an export: a quoted string (with \" escapes) or a word.
constexpr const char* kValue = R"(("(?:[^"\\]|\\.)*"|[^\s"]\S*))";

std::string valueOf(const std::string& keys) {
  return R"(\b(?:)" + keys + ")=" + kValue;
}
}  // namespace

plugin::PlatformSpec platformSpec() {
  plugin::PlatformSpec s;
  s.id = "mikrotik_routeros";
  s.displayName = "MikroTik RouterOS";

  // "[admin@core-rtr1] > ", in a menu "[admin@core-rtr1] /ip address> ", in safe mode
  // "[admin@core-rtr1] <SAFE> " or "[admin@core-rtr1] /ip address<SAFE> ". RouterOS has no
  // privilege levels and no configuration mode: one prompt for all.
  const std::string prompt =
      R"((?:^|\n)\[[^\]\n@]{1,64}@[^\]\n]{1,64}\] (?:/[\w/ -]{0,80})?(?:<SAFE)?> ?)";
  s.prompts = {.user = prompt,
               .privileged = prompt,
               .config = prompt,
               .password = R"((?:^|\n)[Pp]assword: ?)",
               .pager = R"(-- \[Q quit\|D dump\|[^\]\n]*\])",
               .pagerAnswer = "D"};

  // Paging and colours are switched off by the login name suffix ("admin+ct"), not by commands.
  s.session = {.prepare = {}, .enable = "", .logout = "/quit", .prefersExec = true};

  // Terse: every line carries its menu path, so that a line-based rule knows where it is.
  s.backup = {{"/system routerboard print", true}, {"/export terse show-sensitive", false}};
  s.commentPrefix = "# ";

  s.volatileLines = {
      {"export timestamp", R"(^# (\S+ \d{2}:\d{2}:\d{2}) by RouterOS)", 1},
      {"uptime", R"(^\s*uptime: )"},
  };

  s.secrets = {
      {"password", valueOf("password|auth-password|encryption-password"), 1},
      {"secret", valueOf("secret"), 1},
      {"wireless pre-shared key", valueOf("wpa-pre-shared-key|wpa2-pre-shared-key|passphrase"), 1},
      {"wireguard key", valueOf("private-key|preshared-key"), 1},
      {"authentication key", valueOf("authentication-key|auth-key"), 1},
      {"snmp community", std::string(R"(^/snmp community (?:add|set) .*?\bname=)") + kValue, 1},
  };

  s.errors = {
      {"bad command", R"(^bad command name )"},
      {"expected end of command", R"(^expected end of command)"},
      {"syntax error", R"(^syntax error)"},
      {"failure", R"(^failure: )"},
      {"no such item", R"(^no such item)"},
      {"invalid value", R"(^(?:input does not match any value|invalid value) )"},
  };

  // Commands apply at once and persist: there is nothing to enter, commit or save.
  s.configuration = {};

  s.factsCommands = {"/system identity print", "/system resource print",
                     "/system routerboard print"};
  s.snmp = {.sysObjectIdPrefixes = {"1.3.6.1.4.1.14988."}, .sysDescrPattern = "RouterOS"};
  return s;
}

std::optional<std::string> RouterOsPlatform::checkComplete(std::string_view config) const {
  static const std::regex header(R"(^# .* by RouterOS \S+)");
  const auto lines = plugin::splitLines(config);
  auto first = std::find_if(lines.begin(), lines.end(),
                            [](std::string_view l) { return !plugin::trim(l).empty(); });
  if (first == lines.end()) return "the configuration is empty";
  const std::string firstLine(*first);
  if (!std::regex_search(firstLine, header)) {
    return "the export does not start with its '# ... by RouterOS' header";
  }
  bool statements = false;
  for (auto line : lines) {
    const auto t = plugin::trim(line);
    if (t.empty() || t.starts_with('#')) continue;
    if (!t.starts_with('/')) {
      return "a line of the export is not a command: '" + std::string(t.substr(0, 80)) + "'";
    }
    statements = true;
  }
  if (!statements) return "the export holds no command";
  // An odd number of unescaped quotes: the output stopped inside a value.
  const auto last = lastStatement(config);
  int quotes = 0;
  for (std::size_t i = 0; i < last.size(); ++i) {
    if (last[i] == '\\') {
      ++i;
    } else if (last[i] == '"') {
      ++quotes;
    }
  }
  if (quotes % 2 != 0 || last.ends_with('\\')) {
    return "the export stops inside its last command: '" + std::string(last.substr(0, 80)) + "'";
  }
  return std::nullopt;
}

plugin::Facts RouterOsPlatform::readFacts(std::string_view output) const {
  static const std::regex name(R"(^\s*name: (\S+))");
  static const std::regex version(R"(^\s*version: (\S+))");
  static const std::regex model(R"(^\s*(?:model|board-name): (\S+))");
  static const std::regex serial(R"(^\s*serial-number: (\S+))");
  return {.hostname = plugin::firstCapture(output, name),
          .osVersion = plugin::firstCapture(output, version),
          .model = plugin::firstCapture(output, model),
          .serial = plugin::firstCapture(output, serial)};
}

}  // namespace example::mikrotik_routeros
