#include "juniper_junos_platform.hpp"

#include <netspine/plugin/text.hpp>

#include <regex>
#include <string>

namespace netspine::platforms::juniper_junos {

using plugin::LineRule;

plugin::Manifest manifest() {
  return {.id = "juniper_junos",
          .version = "1.0.0",
          .kind = plugin::PluginKind::Platform,
          .description = "Juniper Junos: prompts, backup, secret masking, commit confirmed",
          .provides = {"juniper_junos"},
          .minHostVersion = "0.1.0"};
}

plugin::PlatformSpec platformSpec() {
  plugin::PlatformSpec s;
  s.id = "juniper_junos";
  s.displayName = "Juniper Junos";

  // "user@host>" in operational mode (a "{master:0}" line may come before it), and in
  // configuration mode "[edit ...]" (possibly after "{master:0}") then "user@host#".
  s.prompts = {.user = R"((?:^|\n)[\w.-]+@[\w.-]+> ?)",
               .privileged = R"((?:^|\n)[\w.-]+@[\w.-]+> ?)",
               .config = R"((?:^|\n)(?:\{[\w:-]+\})?\[edit(?: [^\]\n]*)?\]\n[\w.-]+@[\w.-]+# ?)",
               .password = R"((?:^|\n)[Pp]assword: ?)",
               .pager = R"(---\(more(?: \d+%)?\)---)",
               .pagerAnswer = " "};

  // No privilege escalation: the login class decides. Completion on space would rewrite what
  // the engine types.
  s.session = {.prepare = {"set cli screen-length 0", "set cli screen-width 0",
                           "set cli complete-on-space off"},
               .enable = "",
               .logout = "exit",
               .prefersExec = true};

  s.backup = {{"show version", true},
              {"show chassis hardware", true},
              {"show configuration | display omit", false}};
  s.commentPrefix = "# ";

  s.volatileLines = {
      {"last commit", R"(^## Last commit: )"},
      {"last changed", R"(^## Last changed: )"},
      {"routing engine role", R"(^\{[\w:-]+\}\s*$)"},
      {"uptime", R"(^\s*(?:Current time|System booted|Protocols started|Last configured): )"},
  };

  // Group 1 is the secret. Junos quotes its secrets and marks their lines "## SECRET-DATA"; a
  // quote is required after the keyword so that 'description "secret lab"' is left alone.
  s.secrets = {
      {"marked secret data", R"re("([^"]*)";\s*## SECRET-DATA)re", 1},
      {"encrypted-password", R"re(\bencrypted-password "?([^";\s]+))re", 1},
      {"$9$ secret", R"((\$9\$[^";\s]+))", 1},
      {"crypt hash", R"((\$[156]\$[^";\s]+))", 1},
      {"authentication-key", R"re(\bauthentication-key "([^"]+)")re", 1},
      {"secret", R"re(\bsecret "([^"]+)")re", 1},
      {"snmp community", R"re(^\s*community ("[^"]*"|[^\s{;"]+)(?: \{|;))re", 1},
      {"snmp community (set)", R"(^set snmp community (\S+))", 1},
      {"pre-shared-key", R"re(\bpre-shared-key (?:ascii-text|hexadecimal) "([^"]+)")re", 1},
      {"simple-password", R"re(\bsimple-password "([^"]+)")re", 1},
      {"hash", R"re(\bhash "([^"]+)")re", 1},
      {"md5 key", R"re(\bmd5 \d+ key "([^"]+)")re", 1},
  };

  s.errors = {
      {"syntax error", R"(^\s*syntax error)"},
      {"error", R"(^\s*error: )"},
      {"unknown command", R"(^\s*unknown command)"},
      {"missing argument", R"(^\s*missing argument)"},
      {"ambiguous", R"(is ambiguous\.?\s*$)"},
  };

  s.configuration = {.enter = "configure private",
                     .leave = "exit configuration-mode",
                     .check = "commit check",
                     .compare = "show | compare",
                     .commit = "commit",
                     .commitConfirmed = "commit confirmed {minutes}",
                     .confirm = "commit",
                     .abort = "rollback 0",
                     .rollback = "rollback 1",
                     .replace = "load override {file}"};

  s.factsCommands = {"show version", "show chassis hardware"};
  s.snmp = {.sysObjectIdPrefixes = {"1.3.6.1.4.1.2636."}, .sysDescrPattern = "JUNOS"};
  return s;
}

namespace {

// A configuration line without its comment: "/* ... */" may span lines, "#" starts a comment at
// the start of a line or after a blank, and neither counts inside a quoted string.
class CodeReader {
 public:
  // The code part of the next line, given the state left by the previous lines.
  std::string code(std::string_view line) {
    std::string out;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (inComment_) {
        if (c == '*' && i + 1 < line.size() && line[i + 1] == '/') {
          inComment_ = false;
          ++i;
        }
        continue;
      }
      if (inString_) {
        if (c == '\\') {
          ++i;
        } else if (c == '"') {
          inString_ = false;
        }
        out.push_back('x');  // string content is never a brace or a terminator
        continue;
      }
      if (c == '"') {
        inString_ = true;
        out.push_back('x');
      } else if (c == '/' && i + 1 < line.size() && line[i + 1] == '*') {
        inComment_ = true;
        ++i;
      } else if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
        break;
      } else {
        out.push_back(c);
      }
    }
    return out;
  }
  [[nodiscard]] bool inString() const { return inString_; }
  [[nodiscard]] bool inComment() const { return inComment_; }

 private:
  bool inString_ = false;
  bool inComment_ = false;
};

// Junos prints statements as "inactive: NAME {" or "protect: NAME {".
std::string_view withoutMarker(std::string_view s) {
  for (std::string_view marker : {"inactive: ", "protect: "}) {
    if (s.starts_with(marker)) s.remove_prefix(marker.size());
  }
  return s;
}

bool isManagementInterface(std::string_view name) {
  return name.starts_with("fxp") || name.starts_with("me") || name.starts_with("vme") ||
         name == "em0" || name.find(":mgmt-") != std::string_view::npos;
}

bool keepsProtocol(std::string_view name) {
  return name == "lldp" || name == "lldp-med";
}

}  // namespace

std::optional<std::string> JuniperJunosPlatform::checkComplete(std::string_view config) const {
  CodeReader reader;
  long depth = 0;
  std::size_t lineNumber = 0;
  std::string lastCode;
  bool setFormat = false;
  bool any = false;
  for (auto line : plugin::splitLines(config)) {
    ++lineNumber;
    const std::string code = reader.code(line);
    const auto t = plugin::trim(code);
    if (t.empty()) continue;
    if (!any) setFormat = t.starts_with("set ") || t.starts_with("deactivate ");
    any = true;
    lastCode = std::string(t);
    for (char c : t) {
      if (c == '{') ++depth;
      if (c == '}' && --depth < 0) {
        return "unbalanced braces: a '}' without its '{' at line " + std::to_string(lineNumber);
      }
    }
  }
  if (!any) return "the configuration is empty";
  if (reader.inString()) return "the configuration ends inside a quoted string";
  if (reader.inComment()) return "the configuration ends inside a comment";
  if (depth > 0) {
    return "unbalanced braces: " + std::to_string(depth) + " '{' not closed (the output was cut)";
  }
  const char last = lastCode.back();
  if (!setFormat && last != '}' && last != ';') {
    return "the last statement is cut short: '" + lastCode.substr(0, 80) + "'";
  }
  return std::nullopt;
}

plugin::Facts JuniperJunosPlatform::readFacts(std::string_view output) const {
  static const std::regex hostname(R"(^Hostname: (\S+))");
  static const std::regex model(R"(^Model: (\S+))");
  static const std::regex version(R"(^Junos: (\S+))");
  static const std::regex oldVersion(R"(^JUNOS (?:Software Release|Base OS boot) \[([^\]]+)\])");
  static const std::regex chassis(R"(^Chassis\s+(\S+)\s+\S)");
  plugin::Facts facts{.hostname = plugin::firstCapture(output, hostname),
                      .osVersion = plugin::firstCapture(output, version),
                      .model = plugin::firstCapture(output, model),
                      .serial = plugin::firstCapture(output, chassis)};
  if (facts.osVersion.empty()) facts.osVersion = plugin::firstCapture(output, oldVersion);
  return facts;
}

std::vector<std::string> JuniperJunosPlatform::teardownFor(std::string_view runningConfig) const {
  std::vector<std::string> interfaces;
  std::vector<std::string> protocols;
  std::vector<std::string> instances;
  auto add = [](std::vector<std::string>& to, std::string_view name) {
    for (const auto& n : to) {
      if (n == name) return;
    }
    to.emplace_back(name);
  };
  auto classify = [&](std::string_view parent, std::string_view name) {
    if (parent == "interfaces") {
      if (name.starts_with("interface-range ") || name == "traceoptions" ||
          name.starts_with("interface-set ") || isManagementInterface(name))
        return;
      add(interfaces, name);
    } else if (parent == "protocols") {
      if (!keepsProtocol(name)) add(protocols, name);
    } else if (parent == "routing-instances") {
      if (name != "mgmt_junos") add(instances, name);
    }
  };

  CodeReader reader;
  std::vector<std::string> path;  // the enclosing statements of hierarchical configuration
  for (auto line : plugin::splitLines(runningConfig)) {
    const std::string code = reader.code(line);
    auto t = plugin::trim(code);
    if (t.empty()) continue;
    if (t.starts_with("set ")) {
      // "set interfaces ge-0/0/0 unit 0 ...": the first two words after "set" say it all.
      auto rest = t.substr(4);
      const auto space = rest.find(' ');
      if (space == std::string_view::npos) continue;
      const auto parent = rest.substr(0, space);
      auto name = rest.substr(space + 1);
      name = name.substr(0, name.find(' '));
      classify(parent, name);
      continue;
    }
    if (t.ends_with("{")) {
      auto name = withoutMarker(plugin::trim(t.substr(0, t.size() - 1)));
      if (path.size() == 1) classify(path.front(), name);
      path.emplace_back(name);
    } else if (t == "}") {
      if (!path.empty()) path.pop_back();
    } else if (path.size() == 1 && t.ends_with(";")) {
      // A leaf directly under a section: "ge-0/0/3;" is an interface with nothing configured.
      auto name = withoutMarker(t.substr(0, t.size() - 1));
      if (name.find(' ') == std::string_view::npos) classify(path.front(), name);
    }
  }

  std::vector<std::string> lines;
  for (const auto& name : interfaces) lines.push_back("set interfaces " + name + " disable");
  for (const auto& name : protocols) lines.push_back("delete protocols " + name);
  for (const auto& name : instances) lines.push_back("delete routing-instances " + name);
  return lines;
}

}  // namespace netspine::platforms::juniper_junos
