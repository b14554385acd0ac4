#pragma once
// Text helpers for platforms: clean what a terminal printed, split it into lines, and match
// LineRules quickly (each regex compiled once, guarded by a literal a match must contain).

#include <netspine/plugin/platform.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netspine::plugin {

// Removes ANSI escape sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), charset
// selects (ESC ( B) and the other two-byte escapes (ESC =, ESC 7, ...).
inline std::string stripAnsi(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const char c = text[i];
    if (c != '\x1b') {
      out.push_back(c);
      ++i;
      continue;
    }
    if (i + 1 >= n) break;  // a lone ESC at the end: the rest of the sequence never came
    const char kind = text[i + 1];
    if (kind == '[') {
      // Parameter and intermediate bytes (0x20-0x3f), then one final byte (0x40-0x7e).
      std::size_t j = i + 2;
      while (j < n && text[j] >= 0x20 && text[j] <= 0x3f) ++j;
      i = j < n ? j + 1 : n;
    } else if (kind == ']' || kind == 'P' || kind == '_' || kind == '^') {
      // String sequences run to BEL or to the string terminator ESC \.
      std::size_t j = i + 2;
      while (j < n && text[j] != '\x07' && !(text[j] == '\x1b' && j + 1 < n && text[j + 1] == '\\'))
        ++j;
      i = j >= n ? n : (text[j] == '\x07' ? j + 1 : j + 2);
    } else if (kind == '(' || kind == ')' || kind == '*' || kind == '+' || kind == '#' ||
               kind == '%') {
      i = std::min(n, i + 3);  // charset designation: ESC ( B, line size ESC # 8
    } else {
      i += 2;  // ESC =, ESC >, ESC 7, ESC 8, ESC M, ...
    }
  }
  return out;
}

// What a terminal would show: ANSI sequences removed, CR LF as LF, and a lone CR or a backspace
// moving the cursor back so that what follows overwrites (a pager erasing " --More-- ").
// Lines rewritten that way lose their trailing blanks; other lines are left as they are.
inline std::string cleanTerminalText(std::string_view raw) {
  const std::string text = stripAnsi(raw);
  std::string out;
  out.reserve(text.size());
  std::string line;
  std::size_t cursor = 0;
  bool rewritten = false;
  auto finishLine = [&] {
    if (rewritten) {
      while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
    }
    out += line;
    line.clear();
    cursor = 0;
    rewritten = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      finishLine();
      out.push_back('\n');
    } else if (c == '\r') {
      if (i + 1 < text.size() && (text[i + 1] == '\n' || text[i + 1] == '\r')) continue;
      cursor = 0;
      rewritten = true;
    } else if (c == '\b') {
      if (cursor > 0) --cursor;
      rewritten = true;
    } else if (c == '\x07' || c == '\0') {
      // Bells and NULs carry nothing a reader or a regex needs.
    } else if (cursor < line.size()) {
      line[cursor++] = c;
    } else {
      line.push_back(c);
      ++cursor;
    }
  }
  finishLine();
  return out;
}

// The lines of a text, without their '\n'; a final '\n' does not start another line.
inline std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

inline std::string_view trimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

inline std::string_view trim(std::string_view s) {
  s = trimRight(s);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

// Drops blank lines at both ends, keeping the order and content of the rest.
inline void trimBlankLines(std::vector<std::string>& lines) {
  auto blank = [](const std::string& l) { return trim(l).empty(); };
  while (!lines.empty() && blank(lines.back())) lines.pop_back();
  const auto first = std::find_if_not(lines.begin(), lines.end(), blank);
  lines.erase(lines.begin(), first);
}

// Every line followed by '\n'.
inline std::string joinLines(const std::vector<std::string>& lines) {
  std::string out;
  std::size_t size = 0;
  for (const auto& l : lines) size += l.size() + 1;
  out.reserve(size);
  for (const auto& l : lines) {
    out += l;
    out.push_back('\n');
  }
  return out;
}

// A top-level statement of an indented configuration (IOS, EOS, NX-OS) and its indented lines.
struct ConfigBlock {
  std::string_view header;                 // "interface GigabitEthernet0/1", "ip route ..."
  std::vector<std::string_view> children;  // " description uplink", " shutdown", ...
};

// The top-level statements of an indented configuration in order; "!" comment lines and blank
// lines are skipped. The views point into `config`.
inline std::vector<ConfigBlock> topLevelBlocks(std::string_view config) {
  std::vector<ConfigBlock> blocks;
  for (auto line : splitLines(config)) {
    line = trimRight(line);
    if (trim(line).empty()) continue;
    if (line.front() == ' ' || line.front() == '\t') {
      if (!blocks.empty()) blocks.back().children.push_back(line);
    } else if (line.front() != '!') {
      blocks.push_back(ConfigBlock{line, {}});
    }
  }
  return blocks;
}

// True when the pattern is an alternative at its top level ("^a|b"): '^' then anchors one side.
inline bool hasTopLevelAlternative(std::string_view pattern) {
  int depth = 0;
  bool inClass = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      ++i;
    } else if (inClass) {
      inClass = c != ']';
    } else if (c == '[') {
      inClass = true;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '|' && depth == 0) {
      return true;
    }
  }
  return false;
}

// The longest run of literal characters every match of an ECMAScript pattern must contain, or
// "" when the pattern has a top-level alternative or no such run. Conservative: a literal is
// taken from inside a group only when the group must occur and has no alternative, never from a
// class, and a literal made optional by a quantifier ends the run.
inline std::string requiredLiteral(std::string_view pattern) {
  std::string best;
  std::string run;
  auto endRun = [&] {
    if (run.size() > best.size()) best = run;
    run.clear();
  };
  auto skipQuantifier = [&](std::size_t& i) {
    // After a group or a class: its quantifier (and a lazy '?') is skipped with it.
    if (i < pattern.size() && (pattern[i] == '?' || pattern[i] == '*' || pattern[i] == '+')) {
      ++i;
    } else if (i < pattern.size() && pattern[i] == '{') {
      while (i < pattern.size() && pattern[i] != '}') ++i;
      if (i < pattern.size()) ++i;
    } else {
      return;
    }
    if (i < pattern.size() && pattern[i] == '?') ++i;
  };
  std::size_t i = 0;
  bool lastIsRunChar = false;  // the previous atom is the last character of run
  while (i < pattern.size()) {
    const char c = pattern[i];
    if (c == '|') return "";
    if (c == '\\') {
      if (i + 1 >= pattern.size()) return "";
      const char e = pattern[i + 1];
      const bool punct =
          !((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9'));
      if (punct) {
        run.push_back(e);
        lastIsRunChar = true;
      } else {
        endRun();  // \s \d \w \b \S ... : a class or an assertion, not a literal
        lastIsRunChar = false;
      }
      i += 2;
      continue;
    }
    if (c == '?' || c == '*' || c == '{') {
      if (lastIsRunChar && !run.empty()) run.pop_back();  // the character before is optional
      endRun();
      lastIsRunChar = false;
      if (c == '{') {
        while (i < pattern.size() && pattern[i] != '}') ++i;
      }
      ++i;
      if (i < pattern.size() && pattern[i] == '?') ++i;
      continue;
    }
    if (c == '+') {
      endRun();  // the character before occurs at least once: it stays in the run just ended
      lastIsRunChar = false;
      ++i;
      if (i < pattern.size() && pattern[i] == '?') ++i;
      continue;
    }
    if (c == '(' || c == '[') {
      endRun();
      lastIsRunChar = false;
      const std::size_t open = i;
      int depth = 0;
      bool inClass = false;
      for (; i < pattern.size(); ++i) {
        const char g = pattern[i];
        if (g == '\\') {
          ++i;
        } else if (inClass) {
          if (g == ']') {
            inClass = false;
            if (depth == 0) break;
          }
        } else if (g == '[') {
          inClass = true;
        } else if (g == '(') {
          ++depth;
        } else if (g == ')') {
          if (--depth == 0) break;
        }
      }
      const std::size_t close = i;
      ++i;
      // A group that must occur (no '?', '*' or '{' after it) holds a literal every match has:
      // "(\$9\$[^;]+)" needs "$9$". Lookarounds ("(?=", "(?!", "(?<") are left alone; an
      // alternative inside gives "" by the same rule as at the top level.
      const bool optional =
          i < pattern.size() && (pattern[i] == '?' || pattern[i] == '*' || pattern[i] == '{');
      if (c == '(' && close < pattern.size() && !optional) {
        std::string_view inner = pattern.substr(open + 1, close - open - 1);
        const bool lookaround =
            inner.starts_with("?=") || inner.starts_with("?!") || inner.starts_with("?<");
        if (inner.starts_with("?:")) inner.remove_prefix(2);
        if (!lookaround) {
          const auto literal = requiredLiteral(inner);
          if (literal.size() > best.size()) best = literal;
        }
      }
      skipQuantifier(i);
      continue;
    }
    if (c == '^' || c == '$' || c == '.' || c == ')' || c == ']' || c == '}') {
      endRun();
      lastIsRunChar = false;
      ++i;
      continue;
    }
    run.push_back(c);
    lastIsRunChar = true;
    ++i;
  }
  endRun();
  return best;
}

// Lines longer than this are matched on their first kMaxMatchedLineLength characters only:
// std::regex recurses per character, and a megabyte of garbage on one line must not overflow
// the stack. Configuration statements are far shorter.
inline constexpr std::size_t kMaxMatchedLineLength = 4096;

// A part of a line: [begin, end) in characters.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// LineRules compiled once. Matching is const and needs no lock: share one set between threads.
class LineRules {
 public:
  LineRules() = default;
  explicit LineRules(const std::vector<LineRule>& rules) {
    compiled_.reserve(rules.size());
    for (const auto& rule : rules) {
      // A pattern anchored by '^' matches at the start only, but std::regex_search would try
      // every position of the line: match_continuous tells it not to.
      const bool anchored = rule.pattern.starts_with('^') && !hasTopLevelAlternative(rule.pattern);
      compiled_.push_back(Compiled{
          rule, std::regex(rule.pattern, std::regex::ECMAScript | std::regex::optimize),
          requiredLiteral(rule.pattern),
          anchored ? std::regex_constants::match_continuous : std::regex_constants::match_default});
    }
  }

  [[nodiscard]] bool empty() const { return compiled_.empty(); }
  [[nodiscard]] std::size_t size() const { return compiled_.size(); }

  // The first rule (in declaration order) that matches the line, or nullptr.
  [[nodiscard]] const LineRule* firstMatch(std::string_view line) const {
    line = line.substr(0, kMaxMatchedLineLength);
    for (const auto& c : compiled_) {
      if (!c.literal.empty() && line.find(c.literal) == std::string_view::npos) continue;
      if (std::regex_search(line.begin(), line.end(), c.regex, c.flags)) return &c.rule;
    }
    return nullptr;
  }

  [[nodiscard]] bool matches(std::string_view line) const { return firstMatch(line) != nullptr; }

  // True when a rule whose group is 0 matches: the whole line is what the rule is about.
  [[nodiscard]] bool matchesWholeLine(std::string_view line) const {
    line = line.substr(0, kMaxMatchedLineLength);
    for (const auto& c : compiled_) {
      if (c.rule.group != 0) continue;
      if (!c.literal.empty() && line.find(c.literal) == std::string_view::npos) continue;
      if (std::regex_search(line.begin(), line.end(), c.regex, c.flags)) return true;
    }
    return false;
  }

  // The parts of the line captured by the rules' groups (group > 0), every match of every rule,
  // sorted and merged where they overlap. Empty captures are left out.
  [[nodiscard]] std::vector<Span> capturedSpans(std::string_view line) const {
    line = line.substr(0, kMaxMatchedLineLength);
    std::vector<Span> spans;
    for (const auto& c : compiled_) {
      if (c.rule.group <= 0) continue;
      if (!c.literal.empty() && line.find(c.literal) == std::string_view::npos) continue;
      using Iterator = std::regex_iterator<std::string_view::const_iterator>;
      for (Iterator it(line.begin(), line.end(), c.regex, c.flags), end; it != end; ++it) {
        const auto& m = *it;
        if (static_cast<std::size_t>(c.rule.group) >= m.size()) continue;
        const auto& sub = m[c.rule.group];
        if (!sub.matched || sub.length() == 0) continue;
        const auto begin = static_cast<std::size_t>(sub.first - line.begin());
        spans.push_back(Span{begin, begin + static_cast<std::size_t>(sub.length())});
      }
    }
    std::sort(spans.begin(), spans.end(),
              [](const Span& a, const Span& b) { return a.begin < b.begin; });
    std::vector<Span> merged;
    for (const auto& s : spans) {
      if (!merged.empty() && s.begin < merged.back().end) {
        merged.back().end = std::max(merged.back().end, s.end);
      } else {
        merged.push_back(s);
      }
    }
    return merged;
  }

  // The line with every captured part replaced by `mask`, or nothing when no rule captured a
  // part. A part that already starts with the mask is left alone, so masking twice changes
  // nothing ("community <secret hidden> RO" must not become "<secret hidden> hidden> RO").
  [[nodiscard]] std::optional<std::string> maskCaptured(std::string_view line,
                                                        std::string_view mask) const {
    const auto spans = capturedSpans(line);
    if (spans.empty()) return std::nullopt;
    std::string out;
    out.reserve(line.size() + mask.size());
    std::size_t at = 0;
    for (const auto& s : spans) {
      out.append(line.substr(at, s.begin - at));
      if (line.substr(s.begin).starts_with(mask)) {
        out.append(line.substr(s.begin, s.end - s.begin));
      } else {
        out.append(mask);
      }
      at = s.end;
    }
    out.append(line.substr(at));
    return out;
  }

 private:
  struct Compiled {
    LineRule rule;
    std::regex regex;
    std::string literal;  // every match contains it: a cheap find() skips most lines
    std::regex_constants::match_flag_type flags;
  };
  std::vector<Compiled> compiled_;
};

// The group of the first line that matches, or "" when no line does (facts parsing).
inline std::string firstCapture(std::string_view text, const std::regex& pattern, int group = 1) {
  for (auto line : splitLines(text)) {
    line = trimRight(line.substr(0, kMaxMatchedLineLength));
    std::match_results<std::string_view::const_iterator> m;
    if (std::regex_search(line.begin(), line.end(), m, pattern) &&
        static_cast<std::size_t>(group) < m.size() && m[group].matched) {
      return m[group].str();
    }
  }
  return {};
}

// The convention for prompt patterns (see Prompts in platform.hpp): the engine matches
// "(?:PATTERN)$" against the cleaned text received so far, so a pattern describes the last line
// only and starts it with "(?:^|\n)", so that a banner line ending in '>' or '#' is not a prompt.
inline std::regex compilePrompt(std::string_view pattern) {
  return std::regex("(?:" + std::string(pattern) + ")$", std::regex::ECMAScript);
}

// True when the cleaned text ends with the prompt. Only the tail is searched: a prompt is short,
// and a long output must not be scanned again for every chunk that arrives.
inline bool endsWithPrompt(const std::regex& prompt, std::string_view cleanedText,
                           std::size_t tail = 512) {
  if (cleanedText.size() > tail) {
    cleanedText = cleanedText.substr(cleanedText.size() - tail);
    // Start at a line boundary so that "(?:^|\n)" does not accept a line cut in the middle.
    const auto nl = cleanedText.find('\n');
    if (nl == std::string_view::npos) return false;
    cleanedText = cleanedText.substr(nl);
  }
  return std::regex_search(cleanedText.begin(), cleanedText.end(), prompt);
}

}  // namespace netspine::plugin
