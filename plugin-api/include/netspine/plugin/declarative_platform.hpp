#pragma once
// A Platform made from its PlatformSpec: every method implemented from the declaration, so that
// a platform plugin declares its OS and overrides only what no declaration can say (Junos brace
// balance, facts parsing, teardown).

#include <netspine/plugin/platform.hpp>
#include <netspine/plugin/text.hpp>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <exception>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netspine::plugin {

// What replaces the part of a volatile line a rule's group captures.
inline constexpr const char* kVolatileMask = "<volatile>";

// How to take a device with an indented configuration (IOS, EOS, NX-OS) out of service: shut
// every interface but the management ones, remove routing and service statements, and remove
// static routes unless they may be what keeps the device reachable.
struct IndentedTeardownRules {
  std::vector<std::string> managementInterfaces;  // exact names; any name or VRF holding "mgmt"
                                                  // or "management" is management too
  std::vector<std::string> keptInterfaces;        // name prefixes never shut: "Null"
  std::vector<std::string> removedStatements;     // top-level prefixes undone with "no ": "router "
  std::vector<std::string> staticRoutes;          // top-level prefixes: "ip route ", "ipv6 route "
};

inline std::vector<std::string> indentedTeardown(std::string_view config,
                                                 const IndentedTeardownRules& rules) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  auto mentionsManagement = [&](std::string_view s) {
    const auto l = lower(s);
    return l.find("mgmt") != std::string::npos || l.find("management") != std::string::npos;
  };
  auto startsWithAny = [](std::string_view s, const std::vector<std::string>& prefixes) {
    for (const auto& p : prefixes) {
      if (s.starts_with(p)) return true;
    }
    return false;
  };
  // "vrf forwarding NAME" (IOS, EOS), "ip vrf forwarding NAME" (older IOS), "vrf NAME" (EOS).
  auto vrfOf = [](const ConfigBlock& block) -> std::string_view {
    for (auto child : block.children) {
      const auto t = trim(child);
      for (std::string_view p : {"ip vrf forwarding ", "vrf forwarding ", "vrf "}) {
        if (t.starts_with(p)) return t.substr(p.size());
      }
    }
    return {};
  };

  const auto blocks = topLevelBlocks(config);
  std::vector<std::string> managementVrfs;
  std::vector<std::string> managementNames;
  std::vector<std::string> lines;
  for (const auto& b : blocks) {
    if (!b.header.starts_with("interface ")) continue;
    const auto name = trim(b.header.substr(10));
    const auto vrf = vrfOf(b);
    const bool exact =
        std::find(rules.managementInterfaces.begin(), rules.managementInterfaces.end(), name) !=
        rules.managementInterfaces.end();
    if (exact || mentionsManagement(name) || mentionsManagement(vrf)) {
      if (!vrf.empty()) managementVrfs.emplace_back(vrf);
      managementNames.emplace_back(name);
    } else if (!startsWithAny(name, rules.keptInterfaces)) {
      lines.push_back("interface " + std::string(name));
      lines.push_back(" shutdown");
      lines.push_back(" exit");
    }
  }
  // With management in the global table any global route may be what reaches it: all stay.
  auto keepRoute = [&](std::string_view route) {
    if (managementVrfs.empty()) return true;
    const std::string padded = std::string(route) + " ";
    for (const auto& vrf : managementVrfs) {
      if (padded.find(" vrf " + vrf + " ") != std::string::npos) return true;
    }
    for (const auto& name : managementNames) {
      if (padded.find(" " + name + " ") != std::string::npos) return true;
    }
    return false;
  };
  for (const auto& b : blocks) {
    if (startsWithAny(b.header, rules.removedStatements) ||
        (startsWithAny(b.header, rules.staticRoutes) && !keepRoute(b.header))) {
      lines.push_back("no " + std::string(b.header));
    }
  }
  return lines;
}

class DeclarativePlatform : public Platform {
 public:
  // Compiles every rule of the spec once; an invalid pattern throws std::regex_error here, in
  // the plugin's constructor, which the host reports as a factory failure.
  explicit DeclarativePlatform(PlatformSpec spec)
      : spec_(std::move(spec)),
        volatile_(spec_.volatileLines),
        secrets_(spec_.secrets),
        errors_(spec_.errors) {}

  [[nodiscard]] const PlatformSpec& spec() const override { return spec_; }

  // Comment outputs first, each line behind commentPrefix and the block closed by a bare prefix
  // line, then the configuration body; volatile lines and secrets handled in both.
  [[nodiscard]] BackupText assembleBackup(const std::vector<std::string>& outputs,
                                          SecretMode mode) const final {
    try {
      BackupText result;
      std::vector<std::string> lines;
      std::vector<std::string> body;
      const std::string& prefix = spec_.commentPrefix;
      const std::string bare(trimRight(prefix));
      for (std::size_t i = 0; i < outputs.size(); ++i) {
        auto part = withoutVolatile(cleanTerminalText(outputs[i]));
        trimBlankLines(part);
        if (i < spec_.backup.size() && spec_.backup[i].asComment) {
          if (part.empty()) continue;
          for (const auto& line : part) lines.push_back(line.empty() ? bare : prefix + line);
          lines.push_back(bare);
        } else {
          body.insert(body.end(), std::make_move_iterator(part.begin()),
                      std::make_move_iterator(part.end()));
        }
      }
      // Completeness is a property of what the device sent: judged before secrets are handled.
      if (outputs.size() != spec_.backup.size()) {
        result.incomplete = "expected " + std::to_string(spec_.backup.size()) +
                            " backup command outputs, got " + std::to_string(outputs.size());
      } else {
        result.incomplete = checkComplete(joinLines(body));
      }
      lines.insert(lines.end(), std::make_move_iterator(body.begin()),
                   std::make_move_iterator(body.end()));
      applySecretMode(lines, mode);
      result.config = joinLines(lines);
      return result;
    } catch (const std::exception& e) {
      return BackupText{"", std::string("the platform failed to assemble the backup: ") + e.what()};
    }
  }

  // On failure nothing is returned rather than text whose secrets may not have been handled.
  [[nodiscard]] std::string normalize(std::string_view config, SecretMode mode) const final {
    try {
      auto lines = withoutVolatile(config);
      applySecretMode(lines, mode);
      return joinLines(lines);
    } catch (const std::exception&) {
      return {};
    }
  }

  [[nodiscard]] std::optional<std::string> incompleteReason(std::string_view config) const final {
    try {
      return checkComplete(config);
    } catch (const std::exception& e) {
      return std::string("the platform failed to check the configuration: ") + e.what();
    }
  }

  [[nodiscard]] std::optional<std::string> findError(std::string_view output) const final {
    try {
      if (errors_.empty()) return std::nullopt;
      const std::string cleaned = cleanTerminalText(output);
      for (auto line : splitLines(cleaned)) {
        if (errors_.matches(line)) return std::string(trim(line));
      }
      return std::nullopt;
    } catch (const std::exception& e) {
      return std::string("the platform failed to read the output: ") + e.what();
    }
  }

  [[nodiscard]] Facts parseFacts(std::string_view versionOutput) const final {
    try {
      return readFacts(cleanTerminalText(versionOutput));
    } catch (const std::exception&) {
      return {};
    }
  }

  // On failure no line at all: half a teardown is worse than none.
  [[nodiscard]] std::vector<std::string> teardownLines(std::string_view runningConfig) const final {
    try {
      return teardownFor(runningConfig);
    } catch (const std::exception&) {
      return {};
    }
  }

 protected:
  // What an OS adds to the declaration. The public methods call these and catch what they throw,
  // so that nothing throws across the plugin boundary.

  // Why the configuration body is not complete; by default only an empty one is not.
  [[nodiscard]] virtual std::optional<std::string> checkComplete(std::string_view config) const {
    if (lastStatement(config).empty()) return "the configuration is empty";
    return std::nullopt;
  }

  // Facts from the cleaned output of spec().factsCommands; by default none.
  [[nodiscard]] virtual Facts readFacts(std::string_view /*output*/) const { return {}; }

  // The teardown lines for a running configuration; by default none.
  [[nodiscard]] virtual std::vector<std::string> teardownFor(
      std::string_view /*runningConfig*/) const {
    return {};
  }

  // The lines of a text with volatile lines dropped (group 0) or their part masked (group N).
  [[nodiscard]] std::vector<std::string> withoutVolatile(std::string_view text) const {
    std::vector<std::string> out;
    for (auto line : splitLines(text)) {
      if (volatile_.empty()) {
        out.emplace_back(line);
        continue;
      }
      if (volatile_.matchesWholeLine(line)) continue;
      auto masked = volatile_.maskCaptured(line, kVolatileMask);
      out.push_back(masked ? std::move(*masked) : std::string(line));
    }
    return out;
  }

  // Secrets masked in place, kept, or their lines removed.
  void applySecretMode(std::vector<std::string>& lines, SecretMode mode) const {
    if (mode == SecretMode::Keep || secrets_.empty()) return;
    std::vector<std::string> out;
    out.reserve(lines.size());
    for (auto& line : lines) {
      if (mode == SecretMode::Remove) {
        if (!secrets_.capturedSpans(line).empty() || secrets_.matchesWholeLine(line)) continue;
      } else if (auto masked = secrets_.maskCaptured(line, kSecretMask)) {
        line = std::move(*masked);
      } else if (secrets_.matchesWholeLine(line)) {
        // A rule about the whole line: the line keeps its place and indentation, nothing else.
        line = line.substr(0, line.find_first_not_of(" \t")) + kSecretMask;
      }
      out.push_back(std::move(line));
    }
    lines = std::move(out);
  }

  // The last line that is not blank, trimmed; "" when there is none.
  [[nodiscard]] static std::string_view lastStatement(std::string_view config) {
    const auto lines = splitLines(config);
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
      const auto t = trim(*it);
      if (!t.empty()) return t;
    }
    return {};
  }

  // For OSes whose configuration ends with a fixed line ("end" on IOS and EOS).
  [[nodiscard]] static std::optional<std::string> requireLastLine(std::string_view config,
                                                                  std::string_view expected) {
    const auto last = lastStatement(config);
    if (last.empty()) return "the configuration is empty";
    if (last != expected) {
      return "the configuration does not end with '" + std::string(expected) + "' (last line: '" +
             std::string(last.substr(0, 80)) + "')";
    }
    return std::nullopt;
  }

 private:
  PlatformSpec spec_;
  LineRules volatile_;
  LineRules secrets_;
  LineRules errors_;
};

}  // namespace netspine::plugin
