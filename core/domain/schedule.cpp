#include "domain/schedule.hpp"

#include <fmt/format.h>

#include <cctype>
#include <limits>

#include "domain/errors.hpp"

namespace netspine::domain {

std::chrono::seconds parseInterval(std::string_view text, const std::string& field) {
  const auto bad = [&](std::string_view why) {
    return ValidationError(
        fmt::format("{}: '{}' {} (expected a duration such as 30s, 15m, 1h30m, 2d, 1w)", field,
                    text, why),
        field);
  };
  if (text.empty()) throw bad("is empty");
  long long total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) throw bad("is not a duration");
    long long number = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      number = number * 10 + (text[i] - '0');
      if (number > 100'000'000) throw bad("is too long");
      ++i;
    }
    if (i == text.size()) throw bad("has a number without a unit");
    long long unit = 0;
    switch (text[i]) {
      case 's':
        unit = 1;
        break;
      case 'm':
        unit = 60;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'd':
        unit = 86400;
        break;
      case 'w':
        unit = 7 * 86400;
        break;
      default:
        throw bad(fmt::format("has an unknown unit '{}'", text[i]));
    }
    ++i;
    total += number * unit;
    if (total > 366LL * 86400 * 10) throw bad("is too long");
  }
  if (total <= 0) throw bad("must be longer than 0s");
  return std::chrono::seconds(total);
}

std::optional<Schedule::TimePoint> Schedule::nextAfter(TimePoint t) const {
  if (every) return t + *every;
  if (cron) return cron->next(t, zone);
  return std::nullopt;
}

ScheduleDecision decide(const Schedule& schedule, Schedule::TimePoint lastSlot,
                        Schedule::TimePoint now, bool previousRunActive) {
  ScheduleDecision decision;
  auto due = schedule.nextAfter(lastSlot);
  if (!due || *due > now) {
    decision.next = due;
    return decision;
  }
  // Fold every missed slot into the latest one that is due.
  auto slot = *due;
  if (schedule.every) {
    const auto steps = (now - slot) / *schedule.every;
    slot += steps * *schedule.every;
  } else {
    // Start near `now` rather than walking every slot of a long downtime one by one.
    using namespace std::chrono_literals;
    for (auto window : {1h, 24h, 24h * 32, 24h * 366}) {
      if (now - window <= slot) break;
      if (auto recent = schedule.nextAfter(now - window); recent && *recent <= now) {
        slot = *recent;
        break;
      }
    }
    while (true) {
      const auto following = schedule.nextAfter(slot);
      if (!following || *following > now) break;
      slot = *following;
    }
  }
  decision.missed = slot != *due;
  decision.slot = slot;
  decision.next = schedule.nextAfter(slot);
  decision.action =
      previousRunActive ? ScheduleDecision::Action::SkipOverlap : ScheduleDecision::Action::Fire;
  return decision;
}

}  // namespace netspine::domain
