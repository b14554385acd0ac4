#pragma once

#include <cctz/time_zone.h>

#include <bitset>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace netspine::domain {

/// A 5-field cron expression (minute hour day-of-month month day-of-week) as Vixie cron reads
/// it: lists, ranges, steps, month and weekday names, 7 as Sunday, the @hourly/@daily/@weekly/
/// @monthly/@yearly macros, and day-of-month OR day-of-week when both are restricted.
class CronExpression {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  /// Throws ValidationError naming the field and the bad value: "hour: 24 is out of range 0-23".
  static CronExpression parse(std::string_view text);

  /// The first fire time strictly after `after`, with the fields read as local time in `zone`.
  /// A local time skipped by a DST change fires at the change; a repeated local time fires once
  /// (at its first occurrence) unless the hour field is '*'. Nothing when it never fires (Feb 30).
  std::optional<TimePoint> next(TimePoint after, const cctz::time_zone& zone) const;

  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;     // 1-31
  std::bitset<13> months_;   // 1-12
  std::bitset<7> weekdays_;  // 0 = Sunday
  bool anyDay_ = false;      // day-of-month was '*'
  bool anyWeekday_ = false;  // day-of-week was '*'
  bool anyHour_ = false;
};

}  // namespace netspine::domain
