#include "domain/cron_expression.hpp"

#include <cctz/civil_time.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "domain/errors.hpp"

namespace netspine::domain {
namespace {

using TimePoint = CronExpression::TimePoint;

cctz::time_zone zone(const std::string& name) {
  cctz::time_zone tz;
  EXPECT_TRUE(cctz::load_time_zone(name, &tz)) << name;
  return tz;
}

TimePoint at(const std::string& local, const cctz::time_zone& tz) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  EXPECT_EQ(std::sscanf(local.c_str(), "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s), 6);
  return cctz::convert(cctz::civil_second(y, mo, d, h, mi, s), tz);
}

// Formats an instant as local time with its UTC offset, so DST mistakes show in the text.
std::string show(std::optional<TimePoint> t, const cctz::time_zone& tz) {
  if (!t) return "never";
  return cctz::format("%Y-%m-%d %H:%M:%S %z", *t, tz);
}

std::vector<std::string> fires(const std::string& expr, const std::string& from, int count,
                               const cctz::time_zone& tz) {
  const auto cron = CronExpression::parse(expr);
  std::vector<std::string> out;
  std::optional<TimePoint> t = at(from, tz);
  for (int i = 0; i < count && t; ++i) {
    t = cron.next(*t, tz);
    out.push_back(show(t, tz));
  }
  return out;
}

TEST(CronExpression, EveryFifteenMinutesIsStrictlyAfter) {
  const auto utc = cctz::utc_time_zone();
  EXPECT_EQ(fires("*/15 * * * *", "2026-11-27 10:15:00", 3, utc),
            (std::vector<std::string>{"2026-11-27 10:30:00 +0000", "2026-11-27 10:45:00 +0000",
                                      "2026-11-27 11:00:00 +0000"}));
  EXPECT_EQ(fires("*/15 * * * *", "2026-11-27 10:14:59", 1, utc)[0], "2026-11-27 10:15:00 +0000");
}

TEST(CronExpression, ListsRangesStepsAndNames) {
  const auto utc = cctz::utc_time_zone();
  // 2026-11-27 is a Friday; next weekday 08:30 and 17:30 runs.
  EXPECT_EQ(fires("30 8,17 * * mon-fri", "2026-11-27 09:00:00", 3, utc),
            (std::vector<std::string>{"2026-11-27 17:30:00 +0000", "2026-11-30 08:30:00 +0000",
                                      "2026-11-30 17:30:00 +0000"}));
  EXPECT_EQ(fires("0 0 1 jan,JUL *", "2026-11-27 00:00:00", 2, utc),
            (std::vector<std::string>{"2027-01-01 00:00:00 +0000", "2027-07-01 00:00:00 +0000"}));
  EXPECT_EQ(fires("5/20 10 * * *", "2026-11-27 10:00:00", 4, utc),
            (std::vector<std::string>{"2026-11-27 10:05:00 +0000", "2026-11-27 10:25:00 +0000",
                                      "2026-11-27 10:45:00 +0000", "2026-11-28 10:05:00 +0000"}));
}

TEST(CronExpression, SundayIsZeroOrSeven) {
  const auto utc = cctz::utc_time_zone();
  EXPECT_EQ(fires("0 3 * * 7", "2026-11-27 00:00:00", 1, utc)[0], "2026-11-29 03:00:00 +0000");
  EXPECT_EQ(fires("0 3 * * 0", "2026-11-27 00:00:00", 1, utc)[0], "2026-11-29 03:00:00 +0000");
}

TEST(CronExpression, DayOfMonthOrDayOfWeekWhenBothRestricted) {
  const auto utc = cctz::utc_time_zone();
  // The 1st of the month or any Monday (Vixie cron semantics).
  EXPECT_EQ(fires("0 0 1 * mon", "2026-11-27 00:00:00", 3, utc),
            (std::vector<std::string>{"2026-11-30 00:00:00 +0000", "2026-12-01 00:00:00 +0000",
                                      "2026-12-07 00:00:00 +0000"}));
}

TEST(CronExpression, LeapDayAndImpossibleDates) {
  const auto utc = cctz::utc_time_zone();
  EXPECT_EQ(fires("0 12 29 2 *", "2026-11-27 00:00:00", 2, utc),
            (std::vector<std::string>{"2028-02-29 12:00:00 +0000", "2032-02-29 12:00:00 +0000"}));
  EXPECT_EQ(fires("0 0 30 2 *", "2026-11-27 00:00:00", 1, utc)[0], "never");
  EXPECT_EQ(fires("0 0 31 * *", "2026-11-27 00:00:00", 2, utc),
            (std::vector<std::string>{"2026-12-31 00:00:00 +0000", "2027-01-31 00:00:00 +0000"}));
}

TEST(CronExpression, MacrosExpand) {
  const auto utc = cctz::utc_time_zone();
  EXPECT_EQ(fires("@daily", "2026-11-27 10:00:00", 1, utc)[0], "2026-11-28 00:00:00 +0000");
  EXPECT_EQ(fires("@hourly", "2026-11-27 10:00:00", 1, utc)[0], "2026-11-27 11:00:00 +0000");
  EXPECT_EQ(fires("@weekly", "2026-11-27 10:00:00", 1, utc)[0], "2026-11-29 00:00:00 +0000");
  EXPECT_EQ(fires("@monthly", "2026-11-27 10:00:00", 1, utc)[0], "2026-12-01 00:00:00 +0000");
  EXPECT_EQ(fires("@yearly", "2026-11-27 10:00:00", 1, utc)[0], "2027-01-01 00:00:00 +0000");
}

TEST(CronExpression, FieldsAreLocalTimeOfTheZone) {
  const auto ny = zone("America/New_York");
  EXPECT_EQ(fires("0 2 * * *", "2026-11-27 03:00:00", 1, ny)[0], "2026-11-28 02:00:00 -0500");
  EXPECT_EQ(fires("0 2 * * *", "2026-07-01 03:00:00", 1, ny)[0], "2026-07-02 02:00:00 -0400");
}

TEST(CronExpression, SkippedLocalTimeFiresAtTheChange) {
  // Europe/Berlin springs forward on 2026-03-29 from 02:00 to 03:00: 02:30 does not exist.
  const auto berlin = zone("Europe/Berlin");
  EXPECT_EQ(fires("30 2 * * *", "2026-03-28 12:00:00", 3, berlin),
            (std::vector<std::string>{"2026-03-29 03:00:00 +0200", "2026-03-30 02:30:00 +0200",
                                      "2026-03-31 02:30:00 +0200"}));
}

TEST(CronExpression, RepeatedLocalTimeFiresOnceForAFixedHour) {
  // Europe/Berlin falls back on 2026-10-25 from 03:00 to 02:00: 02:30 happens twice.
  const auto berlin = zone("Europe/Berlin");
  EXPECT_EQ(fires("30 2 * * *", "2026-10-24 12:00:00", 2, berlin),
            (std::vector<std::string>{"2026-10-25 02:30:00 +0200", "2026-10-26 02:30:00 +0100"}));
}

TEST(CronExpression, RepeatedHourRunsTwiceForAnHourlyJob) {
  const auto berlin = zone("Europe/Berlin");
  EXPECT_EQ(fires("30 * * * *", "2026-10-25 01:00:00", 3, berlin),
            (std::vector<std::string>{"2026-10-25 01:30:00 +0200", "2026-10-25 02:30:00 +0200",
                                      "2026-10-25 02:30:00 +0100"}));
}

void expectRefused(const std::string& expr, const std::string& message) {
  try {
    CronExpression::parse(expr);
    ADD_FAILURE() << "'" << expr << "' was accepted";
  } catch (const ValidationError& e) {
    EXPECT_EQ(std::string(e.what()), message);
    EXPECT_EQ(e.field(), "cron");
  }
}

TEST(CronExpression, BadExpressionsNameTheFieldAndValue) {
  expectRefused("0 24 * * *", "cron '0 24 * * *': hour: 24 is out of range 0-23");
  expectRefused("61 * * * *", "cron '61 * * * *': minute: 61 is out of range 0-59");
  expectRefused("* * * * ",
                "cron '* * * * ': expected 5 fields (minute hour day-of-month month "
                "day-of-week), found 4");
  expectRefused("0 0 * foo *", "cron '0 0 * foo *': month: 'foo' is not a number or a name");
  expectRefused("*/0 * * * *", "cron '*/0 * * * *': minute: step '0' is not a positive number");
  expectRefused("0 5-2 * * *", "cron '0 5-2 * * *': hour: range 5-2 is backwards");
  expectRefused("0 0 0 * *", "cron '0 0 0 * *': day-of-month: 0 is out of range 1-31");
  expectRefused("1,,2 * * * *", "cron '1,,2 * * * *': minute: empty list item in '1,,2'");
  expectRefused("@fortnightly",
                "cron '@fortnightly': unknown macro (expected @hourly, @daily, "
                "@weekly, @monthly or @yearly)");
}

}  // namespace
}  // namespace netspine::domain
