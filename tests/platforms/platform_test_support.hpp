#pragma once
// Helpers for the platform tests: fixtures, prompt matching as an engine does it, text edits.

#include <netspine/plugin/platform.hpp>
#include <netspine/plugin/text.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace netspine::platforms::test {

// A transcript under tests/fixtures/platforms/<platform>/.
inline std::string readFixture(std::string_view platform, std::string_view name) {
  const std::string path = std::string(NETSPINE_PLATFORM_FIXTURES) + "/" + std::string(platform) +
                           "/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read fixture " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The text with one occurrence of `from` replaced; throws when absent, so a test cannot pass
// by editing nothing.
inline std::string replaceOnce(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("not in text: " + std::string(from));
  text.replace(at, from.size(), to);
  return text;
}

inline bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Which prompts of the spec the received bytes end with, as an engine matches them (cleaned
// text, "(?:PATTERN)$"): "user", "privileged", "config", "password", "pager", comma-separated.
inline std::string promptsMatched(const plugin::Prompts& prompts, std::string_view raw) {
  const std::string cleaned = plugin::cleanTerminalText(raw);
  std::string found;
  auto check = [&](const char* name, const std::string& pattern) {
    if (pattern.empty()) return;
    if (!plugin::endsWithPrompt(plugin::compilePrompt(pattern), cleaned)) return;
    if (!found.empty()) found += ",";
    found += name;
  };
  check("user", prompts.user);
  check("privileged", prompts.privileged);
  check("config", prompts.config);
  check("password", prompts.password);
  check("pager", prompts.pager);
  return found;
}

}  // namespace netspine::platforms::test
