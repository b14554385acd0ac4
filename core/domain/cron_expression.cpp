#include "domain/cron_expression.hpp"

#include <cctz/civil_time.h>
#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <vector>

#include "domain/errors.hpp"

namespace netspine::domain {
namespace {

struct FieldSpec {
  const char* name;
  int min;
  int max;
  const char* const* names;  // names[i] is the value min + i, or nullptr
};

constexpr const char* kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr const char* kWeekdayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"};

constexpr FieldSpec kFields[] = {
    {"minute", 0, 59, nullptr},           {"hour", 0, 23, nullptr},
    {"day-of-month", 1, 31, nullptr},     {"month", 1, 12, kMonthNames},
    {"day-of-week", 0, 7, kWeekdayNames},
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

[[noreturn]] void fail(std::string_view expression, const FieldSpec& field, std::string message) {
  throw ValidationError(
      fmt::format("cron '{}': {}: {}", expression, field.name, std::move(message)), "cron");
}

int parseValue(std::string_view expression, const FieldSpec& field, std::string_view text) {
  if (field.names != nullptr) {
    const auto name = lower(text);
    const int count = field.max - field.min + 1;
    for (int i = 0; i < count; ++i) {
      if (name == field.names[i]) return field.min + i;
    }
  }
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    fail(expression, field,
         fmt::format("'{}' is not a number{}", text, field.names ? " or a name" : ""));
  }
  if (value < field.min || value > field.max) {
    fail(expression, field, fmt::format("{} is out of range {}-{}", value, field.min, field.max));
  }
  return value;
}

// Parses one field into the set of values it allows; returns whether it was a bare '*'.
bool parseField(std::string_view expression, const FieldSpec& field, std::string_view text,
                std::vector<int>& values) {
  if (text == "*") {
    for (int v = field.min; v <= field.max; ++v) values.push_back(v);
    return true;
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const auto item =
        text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
    if (item.empty()) fail(expression, field, fmt::format("empty list item in '{}'", text));
    auto range = item;
    int step = 1;
    if (const auto slash = item.find('/'); slash != std::string_view::npos) {
      range = item.substr(0, slash);
      const auto stepText = item.substr(slash + 1);
      auto [end, ec] = std::from_chars(stepText.data(), stepText.data() + stepText.size(), step);
      if (stepText.empty() || ec != std::errc() || end != stepText.data() + stepText.size() ||
          step < 1) {
        fail(expression, field, fmt::format("step '{}' is not a positive number", stepText));
      }
    }
    int low = field.min;
    int high = field.max;
    if (range != "*") {
      if (const auto dash = range.find('-'); dash != std::string_view::npos) {
        low = parseValue(expression, field, range.substr(0, dash));
        high = parseValue(expression, field, range.substr(dash + 1));
        if (low > high) {
          fail(expression, field, fmt::format("range {} is backwards", range));
        }
      } else {
        low = parseValue(expression, field, range);
        // "5/15" means from 5 to the end in steps of 15, as in Vixie cron.
        high = item.find('/') != std::string_view::npos ? field.max : low;
      }
    }
    for (int v = low; v <= high; v += step) values.push_back(v);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return false;
}

std::string_view expandMacro(std::string_view text) {
  if (text == "@yearly" || text == "@annually") return "0 0 1 1 *";
  if (text == "@monthly") return "0 0 1 * *";
  if (text == "@weekly") return "0 0 * * 0";
  if (text == "@daily" || text == "@midnight") return "0 0 * * *";
  if (text == "@hourly") return "0 * * * *";
  return text;
}

int cronWeekday(cctz::weekday day) {
  switch (day) {
    case cctz::weekday::sunday:
      return 0;
    case cctz::weekday::monday:
      return 1;
    case cctz::weekday::tuesday:
      return 2;
    case cctz::weekday::wednesday:
      return 3;
    case cctz::weekday::thursday:
      return 4;
    case cctz::weekday::friday:
      return 5;
    case cctz::weekday::saturday:
      return 6;
  }
  return 0;
}

}  // namespace

CronExpression CronExpression::parse(std::string_view text) {
  CronExpression cron;
  cron.text_ = std::string(text);
  if (!text.empty() && text.front() == '@' && expandMacro(text) == text) {
    throw ValidationError(fmt::format("cron '{}': unknown macro (expected @hourly, @daily, "
                                      "@weekly, @monthly or @yearly)",
                                      text),
                          "cron");
  }
  const auto expanded = expandMacro(text);
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i < expanded.size()) {
    while (i < expanded.size() && std::isspace(static_cast<unsigned char>(expanded[i]))) ++i;
    const auto start = i;
    while (i < expanded.size() && !std::isspace(static_cast<unsigned char>(expanded[i]))) ++i;
    if (i > start) parts.push_back(expanded.substr(start, i - start));
  }
  if (parts.size() != 5) {
    throw ValidationError(
        fmt::format("cron '{}': expected 5 fields (minute hour day-of-month month "
                    "day-of-week), found {}",
                    text, parts.size()),
        "cron");
  }
  std::array<std::vector<int>, 5> values;
  std::array<bool, 5> star{};
  for (std::size_t f = 0; f < 5; ++f) star[f] = parseField(text, kFields[f], parts[f], values[f]);
  for (int v : values[0]) cron.minutes_.set(v);
  for (int v : values[1]) cron.hours_.set(v);
  for (int v : values[2]) cron.days_.set(v);
  for (int v : values[3]) cron.months_.set(v);
  for (int v : values[4]) cron.weekdays_.set(v % 7);
  cron.anyHour_ = star[1];
  cron.anyDay_ = star[2];
  cron.anyWeekday_ = star[4];
  return cron;
}

std::optional<CronExpression::TimePoint> CronExpression::next(TimePoint after,
                                                              const cctz::time_zone& zone) const {
  // Scanning starts a few hours of local time early: around a DST fall-back the local clock
  // repeats, and a repeated minute before the local time of `after` may still fire after it.
  constexpr int kDstMarginMinutes = 3 * 60;
  const auto afterSeconds = std::chrono::time_point_cast<cctz::seconds>(after);
  auto t = cctz::civil_minute(cctz::convert(afterSeconds, zone)) - kDstMarginMinutes;
  const auto dayMatches = [&](const cctz::civil_day& d) {
    const bool dom = days_.test(static_cast<std::size_t>(d.day()));
    const bool dow = weekdays_.test(static_cast<std::size_t>(cronWeekday(cctz::get_weekday(d))));
    if (anyDay_ || anyWeekday_) return dom && dow;  // a '*' matches every day
    return dom || dow;
  };
  std::optional<TimePoint> best;
  std::optional<cctz::civil_minute> stop;  // once a fire is found, later local times cannot beat it
  const auto consider = [&](TimePoint candidate) {
    if (candidate <= after) return;
    if (!best || candidate < *best) best = candidate;
  };
  // Each step moves to the next candidate of the coarsest field that does not match; eight
  // years of candidates cover every reachable combination, including Feb 29 on a weekday.
  const auto limit = t + 8 * 366 * 24 * 60;
  while (t < limit && !(stop && t > *stop)) {
    if (!months_.test(static_cast<std::size_t>(t.month()))) {
      t = cctz::civil_minute(cctz::civil_month(t) + 1);
      continue;
    }
    if (!dayMatches(cctz::civil_day(t))) {
      t = cctz::civil_minute(cctz::civil_day(t) + 1);
      continue;
    }
    if (!hours_.test(static_cast<std::size_t>(t.hour()))) {
      t = cctz::civil_minute(cctz::civil_hour(t) + 1);
      continue;
    }
    if (!minutes_.test(static_cast<std::size_t>(t.minute()))) {
      t += 1;
      continue;
    }
    const auto lookup = zone.lookup(cctz::civil_second(t));
    switch (lookup.kind) {
      case cctz::time_zone::civil_lookup::UNIQUE:
        consider(lookup.pre);
        break;
      case cctz::time_zone::civil_lookup::SKIPPED:
        consider(lookup.trans);
        break;
      case cctz::time_zone::civil_lookup::REPEATED:
        consider(lookup.pre);
        if (anyHour_) consider(lookup.post);
        break;
    }
    if (best && !stop) stop = t + kDstMarginMinutes;
    t += 1;
  }
  return best;
}

}  // namespace netspine::domain
