#include "infra/problem_list.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>

#include "domain/errors.hpp"

namespace netspine::infra {
namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
/// neighbours ("databse", "adress", "stauts") each cost one.
std::size_t editDistance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

}  // namespace

void ProblemList::add(int line, std::string_view message) {
  if (full()) return;
  list_.push_back(line > 0 ? fmt::format("{}:{}: {}", file_, line, message)
                           : fmt::format("{}: {}", file_, message));
}

std::vector<std::string> ProblemList::messages() const {
  auto out = list_;
  if (full()) out.push_back(fmt::format("{}: stopped after {} problems", file_, max_));
  return out;
}

std::string closestMatch(std::string_view word, std::span<const std::string_view> candidates) {
  // A typo changes a few characters; beyond a third of the word it is another word.
  const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  std::string_view best;
  std::size_t bestDistance = limit + 1;
  for (auto candidate : candidates) {
    const std::size_t d = editDistance(word, candidate);
    if (d < bestDistance && d < std::max(word.size(), candidate.size())) {
      best = candidate;
      bestDistance = d;
    }
  }
  return std::string(best);
}

std::string didYouMean(std::string_view word, std::span<const std::string_view> candidates) {
  auto match = closestMatch(word, candidates);
  return match.empty() ? std::string() : fmt::format(" (did you mean '{}'?)", match);
}

std::string joinNames(std::span<const std::string_view> names) {
  return fmt::format("{}", fmt::join(names, ", "));
}

std::optional<int> parseInteger(std::string_view text, int line, std::string_view field,
                                ProblemList& problems) {
  int value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec == std::errc() && ptr == end && !text.empty()) return value;
  if (ec == std::errc::result_out_of_range && ptr == end) {
    problems.add(line, fmt::format("{}: {} is out of range", field, text));
  } else {
    problems.add(line, fmt::format("{}: expected an integer, got '{}'", field, text));
  }
  return std::nullopt;
}

std::string readTextFile(const std::string& path) {
  auto fail = [&](int error) {
    return domain::ValidationError(fmt::format("cannot open {}: {}", path, std::strerror(error)));
  };
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) throw fail(errno);
  std::string text;
  char buffer[65536];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) text.append(buffer, n);
  if (std::ferror(file.get())) throw fail(errno);  // e.g. a directory: EISDIR
  return text;
}

}  // namespace netspine::infra
