#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
  std::int64_t total = 0;  // tasks, skipped ones included
  TaskTally tally;         // finished tasks by outcome
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
};

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

}  // namespace netspine::domain
