#include "text_util.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdarg>
#include <cstdio>
#include <ctime>

namespace netspine::sim {

std::vector<Token> tokenize(std::string_view line) {
  std::vector<Token> tokens;
  std::size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    if (pos >= line.size()) break;
    std::size_t start = pos;
    bool quoted = false;
    while (pos < line.size() && (quoted || (line[pos] != ' ' && line[pos] != '\t'))) {
      if (line[pos] == '"') quoted = !quoted;
      ++pos;
    }
    tokens.push_back({std::string(line.substr(start, pos - start)), start});
  }
  return tokens;
}

std::vector<std::string> words(std::string_view line) {
  std::vector<std::string> out;
  for (auto& token : tokenize(line)) out.push_back(std::move(token.text));
  return out;
}

std::string joinWords(const std::vector<std::string>& words, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < words.size(); ++i) {
    if (!out.empty()) out += ' ';
    out += words[i];
  }
  return out;
}

std::string_view trim(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && abbreviates(a, b);
}

bool abbreviates(std::string_view typed, std::string_view keyword) {
  if (typed.empty() || typed.size() > keyword.size()) return false;
  for (std::size_t i = 0; i < typed.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(typed[i])) !=
        std::tolower(static_cast<unsigned char>(keyword[i])))
      return false;
  }
  return true;
}

std::string_view firstWord(std::string_view text) {
  text = trim(text);
  return text.substr(0, text.find(' '));
}

std::size_t parseCount(std::string_view text, std::size_t fallback) {
  std::size_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() ? value : fallback;
}

std::size_t countLines(std::string_view text) {
  if (text.empty()) return 0;
  auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  return text.back() == '\n' ? lines : lines + 1;
}

std::string toCrlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::string strf(const char* format, ...) {
  // One pass into a stack buffer covers configuration lines; the generator calls this a lot.
  char buffer[256];
  va_list args;
  va_start(args, format);
  va_list copy;
  va_copy(copy, args);
  const int size = std::vsnprintf(buffer, sizeof buffer, format, args);
  va_end(args);
  if (size < 0) {
    va_end(copy);
    return "";
  }
  if (static_cast<std::size_t>(size) < sizeof buffer) {
    va_end(copy);
    return std::string(buffer, static_cast<std::size_t>(size));
  }
  std::string out(static_cast<std::size_t>(size), '\0');
  std::vsnprintf(out.data(), out.size() + 1, format, copy);
  va_end(copy);
  return out;
}

std::uint64_t Rng::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t Rng::range(std::uint64_t low, std::uint64_t high) {
  return low + next() % (high - low + 1);
}

std::string Rng::chars(std::size_t count, std::string_view alphabet) {
  std::string out(count, ' ');
  for (auto& c : out) c = alphabet[next() % alphabet.size()];
  return out;
}

namespace {

std::tm utc(TimePoint time) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return tm;
}

constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

std::string iosTime(TimePoint time) {
  std::tm t = utc(time);
  return strf("%02d:%02d:%02d UTC %s %s %d %d", t.tm_hour, t.tm_min, t.tm_sec, kDays[t.tm_wday],
              kMonths[t.tm_mon], t.tm_mday, t.tm_year + 1900);
}

std::string junosTime(TimePoint time) {
  std::tm t = utc(time);
  return strf("%d-%02d-%02d %02d:%02d:%02d UTC", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday,
              t.tm_hour, t.tm_min, t.tm_sec);
}

std::string eosTime(TimePoint time) {
  std::tm t = utc(time);
  return strf("%s %s %2d %02d:%02d:%02d %d", kDays[t.tm_wday], kMonths[t.tm_mon], t.tm_mday,
              t.tm_hour, t.tm_min, t.tm_sec, t.tm_year + 1900);
}

std::string uptimeText(std::chrono::seconds uptime, bool andBeforeLast) {
  auto minutes = std::max<long long>(uptime.count() / 60, 0);
  const long long parts[] = {minutes / (7 * 24 * 60), minutes / (24 * 60) % 7, minutes / 60 % 24,
                             minutes % 60};
  const char* names[] = {"week", "day", "hour", "minute"};
  std::vector<std::string> items;
  for (int i = 0; i < 4; ++i) {
    if (parts[i] == 0 && !(i == 3 && items.empty())) continue;
    items.push_back(strf("%lld %s%s", parts[i], names[i], parts[i] == 1 ? "" : "s"));
  }
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += (andBeforeLast && i + 1 == items.size()) ? " and " : ", ";
    out += items[i];
  }
  return out;
}

}  // namespace netspine::sim
