// netspine schedule list: the schedules of the config file and when they fire next.

#include <cctz/time_zone.h>
#include <fmt/format.h>

#include <chrono>

#include "cli/command.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/shared_json.hpp"
#include "cli/usage_error.hpp"
#include "domain/schedule.hpp"

namespace po = boost::program_options;

namespace netspine::cli {
namespace {

using domain::Schedule;
using TimePoint = Schedule::TimePoint;

constexpr std::int64_t kMaxCount = 1000;  // bounds the output of a mistyped --count

/// 5400s as "1h30m": the units parseInterval reads, largest first.
std::string intervalText(std::chrono::seconds interval) {
  static constexpr std::pair<long long, char> kUnits[] = {
      {7 * 86400, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
  std::string out;
  long long left = interval.count();
  for (auto [seconds, unit] : kUnits) {
    if (left >= seconds) {
      out += fmt::format("{}{}", left / seconds, unit);
      left %= seconds;
    }
  }
  return out;
}

std::string targetText(const Schedule& s) {
  if (s.selector) return "select " + s.selector->toString();
  return "devices " + joinComma(s.devices);
}

std::string whenText(const Schedule& s) {
  if (s.cron) return fmt::format("cron '{}' {}", s.cron->text(), s.zone.name());
  return "every " + intervalText(s.every.value_or(std::chrono::seconds(0)));
}

/// The next `count` fire times after `from`; fewer when the cron runs out (Feb 30: none).
std::vector<TimePoint> nextTimes(const Schedule& s, TimePoint from, std::int64_t count) {
  std::vector<TimePoint> times;
  for (auto t = from; static_cast<std::int64_t>(times.size()) < count;) {
    auto next = s.nextAfter(t);
    if (!next) break;
    times.push_back(*next);
    t = *next;
  }
  return times;
}

/// "2026-11-28 02:00 +0100" in the schedule's zone; seconds only when an interval has them.
std::string localText(TimePoint t, const Schedule& s) {
  const auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(t);
  const bool wholeMinute = seconds.time_since_epoch().count() % 60 == 0;
  return cctz::format(wholeMinute ? "%Y-%m-%d %H:%M %z" : "%Y-%m-%d %H:%M:%S %z", seconds, s.zone);
}

/// --from: an RFC 3339 time; else now.
TimePoint fromTime(const Args& args) {
  auto text = args.text("from");
  if (!text) return std::chrono::system_clock::now();
  std::chrono::system_clock::time_point t;
  for (const char* format : {"%Y-%m-%dT%H:%M:%E*S%Ez", "%Y-%m-%dT%H:%M%Ez"}) {
    if (cctz::parse(format, *text, cctz::utc_time_zone(), &t)) return t;
  }
  throw UsageError(fmt::format(
      "--from: expected a time such as 2026-03-29T00:00:00Z or 2026-03-29T01:00:00+01:00, got "
      "'{}'",
      *text));
}

}  // namespace

void writeScheduleJson(app::JsonWriter& w, const Schedule& s, TimePoint from, std::int64_t count) {
  w.beginObject().key("name").value(s.name).key("kind").value(s.kind);
  if (s.selector) {
    w.key("select").value(s.selector->toString());
  } else {
    w.key("devices").beginArray();
    for (const auto& d : s.devices) w.value(d);
    w.endArray();
  }
  w.key("parameters").beginObject();
  for (const auto& [key, value] : s.parameters) w.key(key).value(value);
  w.endObject();
  if (s.cron) {
    w.key("cron").value(s.cron->text()).key("timezone").value(s.zone.name());
  } else if (s.every) {
    w.key("every").value(intervalText(*s.every));
    w.key("every_seconds").value(static_cast<std::int64_t>(s.every->count()));
  }
  // RFC 3339 with the zone's offset: a tool gets the instant and the local time alike.
  w.key("next").beginArray();
  for (auto t : nextTimes(s, from, count)) {
    w.value(cctz::format("%Y-%m-%dT%H:%M:%S%Ez",
                         std::chrono::time_point_cast<std::chrono::seconds>(t), s.zone));
  }
  w.endArray().endObject();
}

namespace {

void list(CliContext& ctx, const Args& args) {
  const auto count = args.count("count", 3);
  if (count > kMaxCount) {
    throw UsageError(fmt::format("--count: at most {}, got {}", kMaxCount, count));
  }
  const auto from = fromTime(args);
  const auto& schedules = ctx.config().schedules;
  if (ctx.json()) {
    app::JsonWriter w;
    w.beginArray();
    for (const auto& s : schedules) writeScheduleJson(w, s, from, count);
    w.endArray();
    ctx.printJson(w);
    return;
  }
  TextTable table({"NAME", "KIND", "TARGET", "WHEN", "NEXT"});
  for (const auto& s : schedules) {
    const auto times = nextTimes(s, from, count);
    const std::string first = times.empty() ? (count == 0 ? "" : "never") : localText(times[0], s);
    table.addRow({s.name, s.kind, targetText(s), whenText(s), first});
    // The later fire times on lines of their own, under the first.
    for (std::size_t i = 1; i < times.size(); ++i)
      table.addRow({"", "", "", "", localText(times[i], s)});
  }
  std::string out;
  table.render(out);
  ctx.print(out);
}

}  // namespace

Command scheduleCommands() {
  Command group{.name = "schedule",
                .summary = "the jobs that run by themselves (config schedules)"};
  group.subcommands.push_back({
      .name = "list",
      .summary = "list the schedules of the config file with their next fire times, in each "
                 "schedule's time zone",
      .options =
          [](po::options_description& o) {
            auto opt = o.add_options();
            opt("count", po::value<std::int64_t>()->value_name("N"),
                "fire times to show per schedule (default 3)");
            opt("from", po::value<std::string>()->value_name("TIME"),
                "fire times after TIME (RFC 3339, e.g. 2026-03-29T00:00:00Z) instead of now");
          },
      .run = list,
  });
  return group;
}

}  // namespace netspine::cli
