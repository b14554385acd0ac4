#include "line_diff.hpp"

#include <algorithm>
#include <vector>

#include "text_util.hpp"

namespace netspine::sim {

namespace {

std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  forEachLine(text, [&](std::string_view line) { lines.push_back(line); });
  return lines;
}

struct Edit {
  char kind;  // ' ', '-', '+'
  std::string_view line;
};

// LCS on the part that differs; configurations differ in few lines, so the middle stays small.
std::vector<Edit> diffMiddle(const std::vector<std::string_view>& a,
                             const std::vector<std::string_view>& b) {
  std::vector<Edit> edits;
  const std::size_t n = a.size(), m = b.size();
  if (n * m > 25'000'000) {  // too big for a table: show it as replaced
    for (auto line : a) edits.push_back({'-', line});
    for (auto line : b) edits.push_back({'+', line});
    return edits;
  }
  std::vector<std::vector<unsigned>> lcs(n + 1, std::vector<unsigned>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      edits.push_back({' ', a[i]});
      ++i, ++j;
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      edits.push_back({'-', a[i++]});
    } else {
      edits.push_back({'+', b[j++]});
    }
  }
  return edits;
}

}  // namespace

std::string unifiedDiff(std::string_view from, std::string_view to, std::string_view fromName,
                        std::string_view toName) {
  auto a = splitLines(from), b = splitLines(to);
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
    ++suffix;
  if (prefix == a.size() && prefix == b.size()) return "";

  std::vector<Edit> edits;
  for (std::size_t i = 0; i < prefix; ++i) edits.push_back({' ', a[i]});
  auto middle =
      diffMiddle({a.begin() + prefix, a.end() - suffix}, {b.begin() + prefix, b.end() - suffix});
  edits.insert(edits.end(), middle.begin(), middle.end());
  for (std::size_t i = a.size() - suffix; i < a.size(); ++i) edits.push_back({' ', a[i]});

  std::string out = strf("--- %.*s\n+++ %.*s\n", static_cast<int>(fromName.size()), fromName.data(),
                         static_cast<int>(toName.size()), toName.data());
  constexpr std::size_t kContext = 3;
  std::size_t k = 0;
  while (k < edits.size()) {
    if (edits[k].kind == ' ') {
      ++k;
      continue;
    }
    // A hunk: from kContext lines before this change to kContext after the last change near it.
    std::size_t start = k >= kContext ? k - kContext : 0;
    std::size_t end = k;
    while (end < edits.size()) {
      if (edits[end].kind != ' ') {
        ++end;
        continue;
      }
      std::size_t run = end;
      while (run < edits.size() && edits[run].kind == ' ') ++run;
      if (run == edits.size() || run - end > 2 * kContext) {
        end = std::min(end + kContext, edits.size());
        break;
      }
      end = run;
    }
    std::size_t oldLine = 0, newLine = 0;
    for (std::size_t i = 0; i < start; ++i) {
      if (edits[i].kind != '+') ++oldLine;
      if (edits[i].kind != '-') ++newLine;
    }
    std::size_t oldCount = 0, newCount = 0;
    std::string body;
    for (std::size_t i = start; i < end; ++i) {
      if (edits[i].kind != '+') ++oldCount;
      if (edits[i].kind != '-') ++newCount;
      body += edits[i].kind;
      body += edits[i].line;
      body += '\n';
    }
    out += strf("@@ -%zu,%zu +%zu,%zu @@\n", oldLine + 1, oldCount, newLine + 1, newCount);
    out += body;
    k = end;
  }
  return out;
}

}  // namespace netspine::sim
