#pragma once
// Small text helpers shared by the simulated CLIs: tokens, lines, hashing, time stamps.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace netspine::sim {

// One word of a command line and the column it starts at (for the '^' marker of errors).
struct Token {
  std::string text;
  std::size_t column = 0;
};

// Splits on blanks; a double-quoted string stays one token, quotes included (Junos descriptions).
std::vector<Token> tokenize(std::string_view line);
std::vector<std::string> words(std::string_view line);
std::string joinWords(const std::vector<std::string>& words, std::size_t from = 0);

std::string_view trim(std::string_view text);
std::string lower(std::string_view text);
bool startsWith(std::string_view text, std::string_view prefix);
bool iequals(std::string_view a, std::string_view b);
// True when `typed` is a case-insensitive prefix of `keyword` (CLI abbreviations).
bool abbreviates(std::string_view typed, std::string_view keyword);
std::string_view firstWord(std::string_view text);
// A decimal count as typed ('terminal length 0'), or `fallback` when it is not one.
std::size_t parseCount(std::string_view text, std::size_t fallback);

// Calls `each` for every line of `text` (without its '\n').
template <typename F>
void forEachLine(std::string_view text, F&& each) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    each(text.substr(pos, end - pos));
    pos = end + 1;
  }
}
std::size_t countLines(std::string_view text);
// "\n" -> "\r\n", as a pty in cooked output mode prints it.
std::string toCrlf(std::string_view text);

std::uint64_t fnv1a(std::string_view text);

// printf into a std::string (fmt is not linked into this library).
[[gnu::format(printf, 1, 2)]] std::string strf(const char* format, ...);

// Deterministic pseudo-random numbers (splitmix64) seeded from a device name.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  // Uniform in [low, high].
  std::uint64_t range(std::uint64_t low, std::uint64_t high);
  std::string chars(std::size_t count, std::string_view alphabet);

 private:
  std::uint64_t state_;
};

using TimePoint = std::chrono::system_clock::time_point;
std::string iosTime(TimePoint time);    // "10:11:12 UTC Mon Mar 4 2024"
std::string junosTime(TimePoint time);  // "2024-03-04 10:11:12 UTC"
std::string eosTime(TimePoint time);    // "Mon Mar  4 10:11:12 2024"
// "3 weeks, 2 days, 4 hours, 12 minutes" (IOS) or "... and 12 minutes" (EOS).
std::string uptimeText(std::chrono::seconds uptime, bool andBeforeLast);

}  // namespace netspine::sim
