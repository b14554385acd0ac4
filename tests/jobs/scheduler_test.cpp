// The scheduler over the real job store and JobService, with a fake clock.

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>

#include "application/scheduler.hpp"
#include "job_fixture.hpp"

namespace netspine::test {
namespace {

using Kind = app::ScheduleEvent::Kind;
using domain::RunState;

app::TimePoint at(const std::string& text) {
  app::TimePoint t;
  EXPECT_TRUE(cctz::parse("%Y-%m-%dT%H:%M:%S%Ez", text, cctz::utc_time_zone(), &t)) << text;
  return t;
}

domain::Schedule cronSchedule(const std::string& name, const std::string& cron,
                              const std::string& zone = "UTC") {
  domain::Schedule s;
  s.name = name;
  s.kind = "test_noop";
  s.selector = domain::DeviceSelector::parse("status=active");
  s.cron = domain::CronExpression::parse(cron);
  EXPECT_TRUE(cctz::load_time_zone(zone, &s.zone));
  return s;
}

class SchedulerTest : public JobTest {
 protected:
  std::vector<app::ScheduleEvent> tick(app::Scheduler& s, const std::string& when) {
    return s.tick(at(when));
  }
  void SetUp() override {
    JobTest::SetUp();
    owned_ = std::make_unique<app::JobService>(*inventory_, *jobs_, catalog_, policy, testClasses(),
                                               settings);
  }
  std::unique_ptr<app::JobService> owned_;
};

TEST_F(SchedulerTest, FiresAtTheSlotOnceAndRemembersItAcrossRestarts) {
  addDevice("r1");
  {
    app::Scheduler scheduler(*jobs_, *owned_, {cronSchedule("nightly", "0 2 * * *")});
    auto e = tick(scheduler, "2026-11-27T01:00:00Z");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].kind, Kind::FirstSeen);
    EXPECT_TRUE(tick(scheduler, "2026-11-27T01:59:59Z").empty());
    e = tick(scheduler, "2026-11-27T02:00:00Z");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].kind, Kind::Fired);
    EXPECT_FALSE(e[0].missed);
    const auto jobId = run(e[0].runId).jobId;
    const auto job = *jobs_->begin()->job(jobId);
    EXPECT_EQ(job.schedule, "nightly");
    EXPECT_EQ(job.requestedBy, "schedule:nightly");
    EXPECT_TRUE(tick(scheduler, "2026-11-27T02:00:30Z").empty()) << "the slot fired once";
  }
  // A new scheduler (a restart) on the same database does not fire the slot again.
  app::Scheduler restarted(*jobs_, *owned_, {cronSchedule("nightly", "0 2 * * *")});
  EXPECT_TRUE(tick(restarted, "2026-11-27T02:01:00Z").empty());
}

TEST_F(SchedulerTest, AfterDowntimeAMissedRunFiresOnceNotOncePerSlot) {
  addDevice("r1");
  app::Scheduler scheduler(*jobs_, *owned_, {cronSchedule("hourly", "0 * * * *")});
  tick(scheduler, "2026-11-27T00:30:00Z");
  drain();
  // Down from 00:30 to 05:10: five slots (01:00 … 05:00) missed.
  auto e = tick(scheduler, "2026-11-27T05:10:00Z");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].kind, Kind::Fired);
  EXPECT_TRUE(e[0].missed);
  EXPECT_EQ(jobs_->begin()->runs({}).size(), 1u);
  drain();
  EXPECT_TRUE(tick(scheduler, "2026-11-27T05:20:00Z").empty());
  e = tick(scheduler, "2026-11-27T06:00:00Z");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_FALSE(e[0].missed);
}

TEST_F(SchedulerTest, ASlotWhileThePreviousRunIsStillGoingIsSkipped) {
  addDevice("r1");
  app::Scheduler scheduler(*jobs_, *owned_, {cronSchedule("often", "*/5 * * * *")});
  tick(scheduler, "2026-11-27T10:01:00Z");
  auto e = tick(scheduler, "2026-11-27T10:05:00Z");
  ASSERT_EQ(e[0].kind, Kind::Fired);
  const auto first = e[0].runId;
  // No worker ran it: the run is still QUEUED at the next slot.
  e = tick(scheduler, "2026-11-27T10:10:00Z");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].kind, Kind::SkippedOverlap);
  EXPECT_NE(e[0].message.find("run " + std::to_string(first) + " is still going"),
            std::string::npos)
      << e[0].message;
  EXPECT_EQ(jobs_->begin()->runs({}).size(), 1u);
  drain();
  ASSERT_EQ(run(first).state, RunState::Succeeded);
  e = tick(scheduler, "2026-11-27T10:15:00Z");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].kind, Kind::Fired);
}

TEST_F(SchedulerTest, CronSlotsAreReadInTheScheduleTimeZoneAcrossDst) {
  addDevice("r1");
  // 02:30 Europe/Zurich does not exist on 2026-03-29 (clocks jump 02:00 -> 03:00): the slot
  // fires at the transition, 01:00 UTC; the next day at 02:30 CEST = 00:30 UTC.
  app::Scheduler scheduler(*jobs_, *owned_,
                           {cronSchedule("zurich", "30 2 * * *", "Europe/Zurich")});
  tick(scheduler, "2026-03-28T23:00:00Z");
  EXPECT_TRUE(tick(scheduler, "2026-03-29T00:59:59Z").empty());
  auto e = tick(scheduler, "2026-03-29T01:00:00Z");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].kind, Kind::Fired);
  drain();
  EXPECT_TRUE(tick(scheduler, "2026-03-30T00:29:59Z").empty());
  e = tick(scheduler, "2026-03-30T00:30:00Z");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].kind, Kind::Fired);
}

TEST_F(SchedulerTest, IntervalSchedulesAndRefusedJobsConsumeTheirSlot) {
  domain::Schedule every;
  every.name = "every-minute";
  every.kind = "test_noop";
  every.selector = domain::DeviceSelector::parse("role=nothing-has-this");
  every.every = std::chrono::seconds(60);
  app::Scheduler scheduler(*jobs_, *owned_, {every});
  tick(scheduler, "2026-11-27T10:00:00Z");
  auto e = tick(scheduler, "2026-11-27T10:01:00Z");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].kind, Kind::Refused);
  EXPECT_NE(e[0].message.find("no device matches"), std::string::npos) << e[0].message;
  EXPECT_TRUE(tick(scheduler, "2026-11-27T10:01:30Z").empty()) << "the refused slot is consumed";
}

}  // namespace
}  // namespace netspine::test
