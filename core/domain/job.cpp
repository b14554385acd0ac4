#include "domain/job.hpp"

#include <array>

namespace netspine::domain {
namespace {

constexpr std::array<std::string_view, 5> kTaskStates = {"queued", "running", "done", "skipped",
                                                         "cancelled"};
constexpr std::array<std::string_view, 4> kLogLevels = {"debug", "info", "warning", "error"};

template <typename Enum, std::size_t N>
std::optional<Enum> parseName(const std::array<std::string_view, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view toString(TaskState state) {
  return kTaskStates[static_cast<std::size_t>(state)];
}

std::optional<TaskState> parseTaskState(std::string_view text) {
  return parseName<TaskState>(kTaskStates, text);
}

std::string_view toString(LogLevel level) {
  return kLogLevels[static_cast<std::size_t>(level)];
}

std::optional<LogLevel> parseLogLevel(std::string_view text) {
  return parseName<LogLevel>(kLogLevels, text);
}

TaskOutcome outcomeOf(TaskState state, std::string_view category) {
  switch (state) {
    case TaskState::Skipped:
      return TaskOutcome::Skipped;
    case TaskState::Cancelled:
      return TaskOutcome::Cancelled;
    default:
      break;
  }
  if (category == "ok") return TaskOutcome::Ok;
  if (category == "policy_skipped") return TaskOutcome::Skipped;
  if (category == "cancelled") return TaskOutcome::Cancelled;
  return TaskOutcome::Failed;
}

OperationClasses OperationClasses::defaults() {
  OperationClasses c;
  for (const char* kind : {"noop", "reachability", "backup", "snmp_poll", "facts"}) {
    c.set(kind, Operation::Read);
  }
  c.set("discover", Operation::Discover);
  c.set("discovery", Operation::Discover);
  c.set("provision", Operation::Provision);
  c.set("push", Operation::Push);
  c.set("config_push", Operation::Push);
  c.set("teardown", Operation::Teardown);
  return c;
}

std::optional<Operation> OperationClasses::of(std::string_view kind) const {
  auto it = classes_.find(kind);
  if (it == classes_.end()) return std::nullopt;
  return it->second;
}

}  // namespace netspine::domain
