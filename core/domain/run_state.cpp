#include "domain/run_state.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "domain/errors.hpp"

namespace netspine::domain {
namespace {

constexpr std::array<std::string_view, 7> kNames = {"PENDING", "QUEUED", "RUNNING",  "SUCCEEDED",
                                                    "PARTIAL", "FAILED", "CANCELLED"};

using R = RunState;
constexpr R kFromPending[] = {R::Queued, R::Cancelled};
constexpr R kFromQueued[] = {R::Running, R::Cancelled};
constexpr R kFromRunning[] = {R::Succeeded, R::Partial, R::Failed, R::Cancelled};

}  // namespace

std::string_view toString(RunState state) {
  return kNames[static_cast<std::size_t>(state)];
}

std::optional<RunState> parseRunState(std::string_view text) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (text.size() == kNames[i].size() &&
        std::equal(text.begin(), text.end(), kNames[i].begin(), [](char a, char b) {
          return std::toupper(static_cast<unsigned char>(a)) == b;
        })) {
      return static_cast<RunState>(i);
    }
  }
  return std::nullopt;
}

bool isFinal(RunState state) {
  return state == R::Succeeded || state == R::Partial || state == R::Failed ||
         state == R::Cancelled;
}

std::span<const RunState> allowedTransitions(RunState from) {
  switch (from) {
    case R::Pending:
      return kFromPending;
    case R::Queued:
      return kFromQueued;
    case R::Running:
      return kFromRunning;
    default:
      return {};  // final states never change
  }
}

bool canTransition(RunState from, RunState to) {
  auto allowed = allowedTransitions(from);
  return std::find(allowed.begin(), allowed.end(), to) != allowed.end();
}

void checkTransition(long long runId, RunState from, RunState to) {
  if (canTransition(from, to)) return;
  throw ConflictError(fmt::format("run {} cannot go from {} to {}{}", runId, toString(from),
                                  toString(to), isFinal(from) ? " (it has finished)" : ""),
                      "state");
}

void TaskTally::add(TaskOutcome outcome) {
  switch (outcome) {
    case TaskOutcome::Ok:
      ++ok;
      break;
    case TaskOutcome::Failed:
      ++failed;
      break;
    case TaskOutcome::Skipped:
      ++skipped;
      break;
    case TaskOutcome::Cancelled:
      ++cancelled;
      break;
  }
}

RunState finalState(const TaskTally& tally) {
  if (tally.cancelled > 0) return R::Cancelled;
  if (tally.failed == 0) return R::Succeeded;
  if (tally.ok == 0) return R::Failed;
  return R::Partial;
}

}  // namespace netspine::domain
