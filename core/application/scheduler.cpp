#include "application/scheduler.hpp"

#include <fmt/format.h>

#include "domain/errors.hpp"

namespace netspine::app {

using domain::ScheduleDecision;

Scheduler::Scheduler(JobStore& jobs, JobService& service, std::vector<domain::Schedule> schedules)
    : jobs_(jobs), service_(service), schedules_(std::move(schedules)) {}

std::vector<ScheduleEvent> Scheduler::tick(TimePoint now) {
  std::vector<ScheduleEvent> events;
  for (const auto& schedule : schedules_) {
    domain::ScheduleState state;
    bool previousActive = false;
    {
      auto txn = jobs_.begin();
      auto stored = txn->scheduleState(schedule.name);
      if (!stored) {
        // First seen: nothing is due yet; slots count from now.
        state.name = schedule.name;
        state.lastSlotMs = toEpochMs(now);
        txn->saveScheduleState(state);
        txn->commit();
        events.push_back(
            {schedule.name, ScheduleEvent::Kind::FirstSeen, 0, false,
             fmt::format("schedule {}: first seen, counting slots from now", schedule.name)});
        continue;
      }
      state = *stored;
      if (state.lastRunId != 0) {
        if (auto run = txn->run(state.lastRunId)) previousActive = !domain::isFinal(run->state);
      }
    }
    const TimePoint lastSlot{std::chrono::milliseconds(state.lastSlotMs)};
    const auto decision = domain::decide(schedule, lastSlot, now, previousActive);
    if (decision.action == ScheduleDecision::Action::Wait || !decision.slot) continue;
    ScheduleEvent event;
    event.schedule = schedule.name;
    event.missed = decision.missed;
    const std::string missed = decision.missed ? " (late: slots were missed while down)" : "";
    if (decision.action == ScheduleDecision::Action::SkipOverlap) {
      event.kind = ScheduleEvent::Kind::SkippedOverlap;
      event.message = fmt::format("schedule {}: slot {} skipped{}: run {} is still going",
                                  schedule.name, isoTime(*decision.slot), missed, state.lastRunId);
    } else {
      JobRequest request;
      request.kind = schedule.kind;
      request.devices = schedule.devices;
      request.selector = schedule.selector;
      request.parameters = schedule.parameters;
      request.schedule = schedule.name;
      request.requestedBy = "schedule:" + schedule.name;
      try {
        auto accepted = service_.submit(request);
        event.kind = ScheduleEvent::Kind::Fired;
        event.runId = accepted.run.id;
        state.lastRunId = accepted.run.id;
        event.message = fmt::format("schedule {}: slot {} fired{}: run {} ({} queued, {} skipped)",
                                    schedule.name, isoTime(*decision.slot), missed, accepted.run.id,
                                    accepted.queued, accepted.skipped);
      } catch (const domain::Error& e) {
        event.kind = ScheduleEvent::Kind::Refused;
        event.message = fmt::format("schedule {}: slot {} refused{}: {}", schedule.name,
                                    isoTime(*decision.slot), missed, e.what());
      }
    }
    state.lastSlotMs = toEpochMs(*decision.slot);
    auto txn = jobs_.begin();
    txn->saveScheduleState(state);
    txn->commit();
    events.push_back(std::move(event));
  }
  return events;
}

}  // namespace netspine::app
