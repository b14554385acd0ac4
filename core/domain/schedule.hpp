#pragma once

#include <cctz/time_zone.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/cron_expression.hpp"
#include "domain/device_selector.hpp"

namespace netspine::domain {

/// "15m", "1h30m", "90s", "2d", "1w": a positive whole number of seconds. Throws
/// ValidationError on `field` naming the text and the accepted units.
std::chrono::seconds parseInterval(std::string_view text, const std::string& field);

/// A job that runs by itself: either on a cron expression in a time zone, or every interval.
struct Schedule {
  using TimePoint = std::chrono::system_clock::time_point;

  std::string name;
  int kindLine = 0;                  // the config file's line of `kind` (0: not from a file)
  std::string kind;                  // the operation
  std::vector<std::string> devices;  // explicit targets, or
  std::optional<DeviceSelector> selector;
  std::map<std::string, std::string> parameters;
  std::optional<CronExpression> cron;            // exactly one of cron and every
  cctz::time_zone zone = cctz::utc_time_zone();  // cron fields read in; name() is the IANA name
  std::optional<std::chrono::seconds> every;

  /// The first slot strictly after `t`; nothing for a cron that never fires.
  std::optional<TimePoint> nextAfter(TimePoint t) const;
};

/// What the scheduler does with one schedule at `now`.
struct ScheduleDecision {
  using TimePoint = std::chrono::system_clock::time_point;
  enum class Action { Wait, Fire, SkipOverlap };
  Action action = Action::Wait;
  /// The slot this decision consumes (the latest one due), to be remembered as the last slot.
  std::optional<TimePoint> slot;
  bool missed = false;            // earlier due slots (downtime) were folded into this one
  std::optional<TimePoint> next;  // the slot after it
};

/// Decides one schedule: nothing is due -> Wait; slots are due -> one Fire for the latest of
/// them however many were missed, or SkipOverlap when the previous run is still going.
/// `lastSlot` is the last slot consumed (the time the schedule was first seen, for a new one).
ScheduleDecision decide(const Schedule& schedule, Schedule::TimePoint lastSlot,
                        Schedule::TimePoint now, bool previousRunActive);

}  // namespace netspine::domain
