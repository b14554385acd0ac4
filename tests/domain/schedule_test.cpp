#include "domain/schedule.hpp"

#include <cctz/civil_time.h>
#include <gtest/gtest.h>

#include "domain/errors.hpp"

namespace netspine::domain {
namespace {

using namespace std::chrono_literals;
using TimePoint = Schedule::TimePoint;
using Action = ScheduleDecision::Action;

TimePoint utc(int y, int mo, int d, int h, int mi, int s = 0) {
  return cctz::convert(cctz::civil_second(y, mo, d, h, mi, s), cctz::utc_time_zone());
}

TEST(ParseInterval, UnitsCombine) {
  EXPECT_EQ(parseInterval("30s", "every"), 30s);
  EXPECT_EQ(parseInterval("15m", "every"), 15min);
  EXPECT_EQ(parseInterval("1h30m", "every"), 90min);
  EXPECT_EQ(parseInterval("2d", "every"), 48h);
  EXPECT_EQ(parseInterval("1w", "every"), 168h);
}

TEST(ParseInterval, BadDurationsNameTheFieldAndText) {
  for (const auto* text : {"", "15", "m", "15x", "0s", "1.5h", "-5m", "99999999999d"}) {
    try {
      parseInterval(text, "schedules[0].every");
      ADD_FAILURE() << "'" << text << "' was accepted";
    } catch (const ValidationError& e) {
      EXPECT_EQ(e.field(), "schedules[0].every");
      EXPECT_NE(std::string(e.what()).find("schedules[0].every: '" + std::string(text) + "'"),
                std::string::npos)
          << e.what();
    }
  }
}

Schedule everyFifteenMinutes() {
  Schedule s;
  s.name = "reach";
  s.every = 15min;
  return s;
}

Schedule dailyAtTwo() {
  Schedule s;
  s.name = "backup";
  s.cron = CronExpression::parse("0 2 * * *");
  return s;
}

TEST(ScheduleDecide, WaitsUntilTheNextSlot) {
  const auto start = utc(2026, 11, 27, 10, 0);
  const auto d = decide(everyFifteenMinutes(), start, start + 14min, false);
  EXPECT_EQ(d.action, Action::Wait);
  EXPECT_EQ(d.next, start + 15min);
  EXPECT_FALSE(d.slot);
}

TEST(ScheduleDecide, FiresOnTheSlot) {
  const auto start = utc(2026, 11, 27, 10, 0);
  const auto d = decide(everyFifteenMinutes(), start, start + 15min, false);
  EXPECT_EQ(d.action, Action::Fire);
  EXPECT_EQ(d.slot, start + 15min);
  EXPECT_EQ(d.next, start + 30min);
  EXPECT_FALSE(d.missed);
}

TEST(ScheduleDecide, MissedIntervalSlotsFireOnce) {
  const auto start = utc(2026, 11, 27, 10, 0);
  // Down for 5 hours and 7 minutes: one fire, for the latest slot, and the next is after now.
  const auto now = start + 5h + 7min;
  const auto d = decide(everyFifteenMinutes(), start, now, false);
  EXPECT_EQ(d.action, Action::Fire);
  EXPECT_EQ(d.slot, start + 5h);
  EXPECT_TRUE(d.missed);
  EXPECT_EQ(d.next, start + 5h + 15min);
  EXPECT_EQ(decide(everyFifteenMinutes(), *d.slot, now, false).action, Action::Wait);
}

TEST(ScheduleDecide, MissedCronSlotsFireOnceEvenAfterALongDowntime) {
  const auto last = utc(2025, 1, 1, 2, 0);
  const auto now = utc(2026, 11, 27, 10, 0);
  const auto d = decide(dailyAtTwo(), last, now, false);
  EXPECT_EQ(d.action, Action::Fire);
  EXPECT_EQ(d.slot, utc(2026, 11, 27, 2, 0));
  EXPECT_TRUE(d.missed);
  EXPECT_EQ(d.next, utc(2026, 11, 28, 2, 0));
  EXPECT_EQ(decide(dailyAtTwo(), *d.slot, now, false).action, Action::Wait);
}

TEST(ScheduleDecide, EveryMinuteCronAfterAYearDownFiresOnce) {
  Schedule s;
  s.cron = CronExpression::parse("* * * * *");
  const auto now = utc(2026, 11, 27, 10, 0, 30);
  const auto d = decide(s, utc(2025, 11, 1, 0, 0), now, false);
  EXPECT_EQ(d.action, Action::Fire);
  EXPECT_EQ(d.slot, utc(2026, 11, 27, 10, 0));
  EXPECT_EQ(d.next, utc(2026, 11, 27, 10, 1));
}

TEST(ScheduleDecide, OverlapSkipsAndConsumesTheSlot) {
  const auto start = utc(2026, 11, 27, 10, 0);
  const auto d = decide(everyFifteenMinutes(), start, start + 16min, true);
  EXPECT_EQ(d.action, Action::SkipOverlap);
  EXPECT_EQ(d.slot, start + 15min);  // remembered: the skipped slot does not fire later
  EXPECT_EQ(d.next, start + 30min);
}

TEST(ScheduleDecide, CronInATimeZone) {
  Schedule s = dailyAtTwo();
  ASSERT_TRUE(cctz::load_time_zone("America/New_York", &s.zone));
  const auto d = decide(s, utc(2026, 11, 27, 0, 0), utc(2026, 11, 27, 7, 1), false);
  EXPECT_EQ(d.action, Action::Fire);
  EXPECT_EQ(d.slot, utc(2026, 11, 27, 7, 0));  // 02:00 EST
}

}  // namespace
}  // namespace netspine::domain
