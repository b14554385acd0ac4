#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/automation_policy.hpp"
#include "domain/device_selector.hpp"
#include "domain/entities.hpp"
#include "domain/run_state.hpp"

namespace netspine::domain {

/// What to run: an operation an engine provides, against explicit devices or a selector.
struct Job {
  Id id = 0;
  std::string kind;                  // the operation: "backup", "reachability"
  std::vector<std::string> devices;  // explicit targets, or
  std::optional<DeviceSelector> selector;
  std::map<std::string, std::string> parameters;
  std::string schedule;     // the schedule that made it, empty when a person asked
  std::string requestedBy;  // "cli:alice", "api:token", "schedule:nightly"
  std::string createdAt;
};

/// One execution of a job; its tasks are one per target device.
struct JobRun {
  Id id = 0;
  Id jobId = 0;
  std::string kind;
  RunState state = RunState::Pending;
  std::string createdAt;  // each transition's time, empty until it happens
  std::string queuedAt;
  std::string startedAt;
  std::string finishedAt;
  bool cancelRequested = false;
  std::int64_t total = 0;       // tasks, skipped ones included
  TaskTally tally;              // finished tasks by outcome
  unsigned concurrency = 0;     // devices of this run at once, over all workers; 0: no limit
  std::int64_t deadlineMs = 0;  // epoch ms after which the run is stopped; 0: none
  /// Canary: this many devices run first; the others are held (not claimable) until every one
  /// of them ended ok, and are not run at all when one did not. 0: no canary.
  unsigned canary = 0;
  /// The devices not started yet are not run once one device failed.
  bool stopOnFailure = false;
  /// A problem of the run as a whole, not of one device (the Git push of its backups failed):
  /// a run whose devices all ended ok ends PARTIAL with it. Empty: none.
  std::string problem;
};

/// Where one device's task is.
enum class TaskState { Queued, Running, Done, Skipped, Cancelled };

std::string_view toString(TaskState state);  // "queued", "running", "done", "skipped", "cancelled"
std::optional<TaskState> parseTaskState(std::string_view text);

/// One device of a run: its place in the queue and, once finished, its result.
struct Task {
  Id id = 0;
  Id runId = 0;
  Id deviceId = 0;
  std::string device;
  TaskState state = TaskState::Queued;
  std::string category;  // an engine error category ("ok", "timeout", ...); empty until done
  std::string message;   // "skipped: status FAILED allows no read", "worker crashed", ...
  int attempts = 0;
  std::int64_t durationMs = 0;
  std::string data;  // JSON object of the engine's named values
  std::string startedAt;
  std::string finishedAt;
  // The queue's bookkeeping: who runs it, until when, and when it may be claimed again.
  std::string worker;
  std::int64_t leaseUntilMs = 0;
  std::int64_t notBeforeMs = 0;
  bool solo = false;  // its last attempt died with its worker: the next one runs alone
};

/// The not_before of a task held back behind its run's canary devices: never claimable until
/// the canary released it.
inline constexpr std::int64_t kHeldBack = std::int64_t{1} << 62;

/// The outcome a finished task counts as in its run's final state.
TaskOutcome outcomeOf(TaskState state, std::string_view category);

enum class LogLevel { Debug, Info, Warning, Error };
std::string_view toString(LogLevel level);  // "debug", "info", "warning", "error"
std::optional<LogLevel> parseLogLevel(std::string_view text);

/// One line of a run's log.
struct RunLogEntry {
  Id id = 0;
  Id runId = 0;
  std::string time;
  LogLevel level = LogLevel::Info;
  std::string device;  // empty for the run as a whole
  std::string message;
};

/// The last result of one kind of automation on one device ("reachability", "backup"), kept
/// per device and kind by JobResultService.
struct DeviceRuntime {
  Id deviceId = 0;
  std::string check;  // the job kind
  bool up = false;    // the last task ended ok
  std::int64_t latencyUs = 0;
  std::string lastSeen;  // the last time a task ended ok; kept across failures
  std::string lastError;
  std::string updatedAt;
  Id runId = 0;
};

/// What the scheduler remembers of one schedule between ticks and restarts.
struct ScheduleState {
  std::string name;
  std::int64_t lastSlotMs = 0;  // the last slot consumed (fired or skipped)
  Id lastRunId = 0;             // the run it last started; 0: none
};

/// Which class of automation (and so which device statuses) each job kind is. The defaults name
/// the operations netspine's engines provide; the config file adds or changes kinds.
class OperationClasses {
 public:
  /// noop, reachability, backup, snmp_poll, facts: read; discover, discovery: discover; provision:
  /// provision; push, config_push: push; teardown: teardown.
  static OperationClasses defaults();
  std::optional<Operation> of(std::string_view kind) const;
  void set(std::string kind, Operation op) { classes_[std::move(kind)] = op; }
  const std::map<std::string, Operation, std::less<>>& all() const { return classes_; }

 private:
  std::map<std::string, Operation, std::less<>> classes_;
};

}  // namespace netspine::domain
