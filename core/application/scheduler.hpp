#pragma once
// The scheduler: fires the config file's schedules as jobs. One runs at a time (the server that
// holds the scheduler lock); its memory (last slot, last run) is in the database, so a restart
// neither repeats a run nor fires every slot it missed.

#include <functional>
#include <string>
#include <vector>

#include "application/job_service.hpp"
#include "domain/schedule.hpp"

namespace netspine::app {

/// What one tick did with one schedule, for the server's log and the tests.
struct ScheduleEvent {
  enum class Kind { Fired, SkippedOverlap, Refused, FirstSeen };
  std::string schedule;
  Kind kind = Kind::Fired;
  Id runId = 0;         // Fired
  bool missed = false;  // Fired or skipped for a slot that downtime made late
  std::string message;  // one line for the log
};

class Scheduler {
 public:
  Scheduler(JobStore& jobs, JobService& service, std::vector<domain::Schedule> schedules);

  /// Decides every schedule at `now`; fires or skips what is due and remembers the slot.
  std::vector<ScheduleEvent> tick(TimePoint now);

 private:
  JobStore& jobs_;
  JobService& service_;
  std::vector<domain::Schedule> schedules_;
};

}  // namespace netspine::app
