#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace netspine::domain {

/// The state of one job run. The only transitions:
///   PENDING -> QUEUED -> RUNNING -> SUCCEEDED | PARTIAL | FAILED | CANCELLED,
/// plus PENDING/QUEUED -> CANCELLED for a run cancelled before any task started.
enum class RunState { Pending, Queued, Running, Succeeded, Partial, Failed, Cancelled };

inline constexpr RunState kAllRunStates[] = {
    RunState::Pending, RunState::Queued, RunState::Running,  RunState::Succeeded,
    RunState::Partial, RunState::Failed, RunState::Cancelled};

/// Upper-case name: "RUNNING".
std::string_view toString(RunState state);
/// Accepts any letter case.
std::optional<RunState> parseRunState(std::string_view text);

bool isFinal(RunState state);
std::span<const RunState> allowedTransitions(RunState from);
bool canTransition(RunState from, RunState to);
/// Throws ConflictError naming the run and both states when from -> to is not a transition.
void checkTransition(long long runId, RunState from, RunState to);

/// How one task ended, as far as the run's final state is concerned.
enum class TaskOutcome { Ok, Failed, Skipped, Cancelled };

/// The finished tasks of a run, counted by outcome.
struct TaskTally {
  std::size_t ok = 0;
  std::size_t failed = 0;
  std::size_t skipped = 0;
  std::size_t cancelled = 0;

  void add(TaskOutcome outcome);
  std::size_t total() const { return ok + failed + skipped + cancelled; }
};

/// The final state of a run from its task results alone: any cancelled task -> CANCELLED;
/// else no failure -> SUCCEEDED; failures and no success -> FAILED; both -> PARTIAL.
/// Skipped tasks count as neither success nor failure.
RunState finalState(const TaskTally& tally);

}  // namespace netspine::domain
