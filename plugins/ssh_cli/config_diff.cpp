#include "config_diff.hpp"

#include <netspine/plugin/text.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace netspine::plugins::ssh_cli {

using plugin::splitLines;
using plugin::trim;
using plugin::trimRight;

namespace {

// One statement with the headers of the sections it is in, outermost first.
struct Statement {
  std::vector<std::string> path;
  std::string text;  // trimmed
};

std::size_t indentOf(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) ++n;
  return n;
}

// Comments, section closers and 'end' carry no statement.
bool ignored(std::string_view trimmed) {
  return trimmed.empty() || trimmed.starts_with('!') || trimmed == "end" || trimmed == "exit";
}

// Indentation gives the section: a line belongs to the nearest less indented line above it.
std::vector<Statement> statements(const std::vector<std::string_view>& lines) {
  std::vector<Statement> out;
  std::vector<std::pair<std::size_t, std::string>> open;  // indentation, header
  for (auto line : lines) {
    line = trimRight(line);
    const auto text = trim(line);
    if (ignored(text)) continue;
    const std::size_t indent = indentOf(line);
    while (!open.empty() && open.back().first >= indent) open.pop_back();
    Statement s;
    for (const auto& [_, header] : open) s.path.push_back(header);
    s.text = std::string(text);
    out.push_back(s);
    open.emplace_back(indent, s.text);
  }
  return out;
}

std::string sectionKey(const std::vector<std::string>& path) {
  std::string key;
  for (const auto& header : path) key += header + '\x1f';
  return key;
}

// The running configuration's statements by section.
class Sections {
 public:
  explicit Sections(std::string_view config) {
    for (auto& s : statements(splitLines(config))) bySection_[sectionKey(s.path)].push_back(s.text);
  }
  [[nodiscard]] bool has(const Statement& s) const {
    const auto* lines = find(s.path);
    return lines && std::find(lines->begin(), lines->end(), s.text) != lines->end();
  }
  // The section's lines that are X or start with "X ".
  [[nodiscard]] std::vector<std::string> matching(const std::vector<std::string>& path,
                                                  std::string_view x) const {
    std::vector<std::string> out;
    if (const auto* lines = find(path)) {
      for (const auto& line : *lines) {
        if (line == x || (line.size() > x.size() && line.starts_with(x) && line[x.size()] == ' ')) {
          out.push_back(line);
        }
      }
    }
    return out;
  }

 private:
  [[nodiscard]] const std::vector<std::string>* find(const std::vector<std::string>& path) const {
    auto it = bySection_.find(sectionKey(path));
    return it == bySection_.end() ? nullptr : &it->second;
  }
  std::map<std::string, std::vector<std::string>> bySection_;
};

std::vector<std::string_view> views(const std::vector<std::string>& lines) {
  return {lines.begin(), lines.end()};
}

std::string_view negated(std::string_view text) {
  if (text.starts_with("no ")) return trim(text.substr(3));
  return {};
}

std::string described(const Statement& s) {
  if (s.path.empty()) return s.text;
  return s.text + " (in '" + s.path.back() + "')";
}

std::string unquoted(std::string_view text) {
  std::string out;
  for (char c : trim(text)) {
    if (c != '"') out.push_back(c);
  }
  return out;
}

}  // namespace

std::vector<std::string> changeLines(std::string_view text) {
  std::vector<std::string> out;
  for (auto line : splitLines(text)) {
    line = trimRight(line);
    if (!trim(line).empty()) out.emplace_back(line);
  }
  return out;
}

IndentedDiff indentedDiff(std::string_view runningConfig, const std::vector<std::string>& lines) {
  const Sections running(runningConfig);
  IndentedDiff diff;
  std::vector<std::string> shown;  // the section headers the text shows at this point
  const auto print = [&](char sign, const std::vector<std::string>& path, const std::string& text) {
    std::size_t common = 0;
    while (common < shown.size() && common < path.size() && shown[common] == path[common]) {
      ++common;
    }
    for (std::size_t i = common; i < path.size(); ++i) {
      diff.text += ' ' + std::string(i, ' ') + path[i] + '\n';
    }
    diff.text += sign + std::string(path.size(), ' ') + text + '\n';
    shown = path;
    if (sign == '+') shown.push_back(text);  // its own statements follow under it
  };
  std::set<std::string> removed;  // a line removed twice is shown once
  for (const auto& s : statements(views(lines))) {
    if (running.has(s)) continue;
    if (const auto x = negated(s.text); !x.empty()) {
      for (const auto& line : running.matching(s.path, x)) {
        if (!removed.insert(sectionKey(s.path) + line).second) continue;
        print('-', s.path, line);
        ++diff.removed;
      }
      continue;
    }
    print('+', s.path, s.text);
    ++diff.added;
  }
  return diff;
}

std::vector<std::string> missingIndented(std::string_view runningConfig,
                                         const std::vector<std::string>& lines) {
  const Sections running(runningConfig);
  std::vector<std::string> missing;
  for (const auto& s : statements(views(lines))) {
    if (running.has(s)) continue;
    if (const auto x = negated(s.text); !x.empty()) {
      if (running.matching(s.path, x).empty()) continue;
    }
    missing.push_back(described(s));
  }
  return missing;
}

bool isSetStyle(const std::vector<std::string>& lines) {
  if (lines.empty()) return false;
  return std::all_of(lines.begin(), lines.end(), [](const std::string& line) {
    const auto t = trim(line);
    return t.starts_with("set ") || t.starts_with("delete ");
  });
}

std::vector<std::string> missingSetLines(std::string_view displaySet,
                                         const std::vector<std::string>& lines) {
  std::vector<std::string> present;
  for (auto line : splitLines(displaySet)) {
    const auto t = trim(line);
    if (t.starts_with("set ")) present.push_back(unquoted(t));
  }
  const auto has = [&](const std::string& statement) {
    return std::any_of(present.begin(), present.end(), [&](const std::string& line) {
      return line == statement || (line.size() > statement.size() && line.starts_with(statement) &&
                                   line[statement.size()] == ' ');
    });
  };
  std::vector<std::string> missing;
  for (const auto& line : lines) {
    const auto t = trim(line);
    if (t.starts_with("set ")) {
      if (!has(unquoted(t))) missing.emplace_back(t);
    } else if (t.starts_with("delete ")) {
      if (has("set " + unquoted(t.substr(7)))) missing.emplace_back(t);
    }
  }
  return missing;
}

}  // namespace netspine::plugins::ssh_cli
