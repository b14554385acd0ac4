#include "domain/run_state.hpp"

#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "domain/errors.hpp"

namespace netspine::domain {
namespace {

using R = RunState;

// The documented state machine, written out independently of the implementation.
const std::set<std::pair<R, R>> kAllowed = {
    {R::Pending, R::Queued},   {R::Pending, R::Cancelled}, {R::Queued, R::Running},
    {R::Queued, R::Cancelled}, {R::Running, R::Succeeded}, {R::Running, R::Partial},
    {R::Running, R::Failed},   {R::Running, R::Cancelled},
};

TEST(RunState, EveryPairIsAllowedExactlyWhenDocumented) {
  int checked = 0;
  for (auto from : kAllRunStates) {
    for (auto to : kAllRunStates) {
      const bool expected = kAllowed.count({from, to}) == 1;
      EXPECT_EQ(canTransition(from, to), expected) << toString(from) << " -> " << toString(to);
      if (expected) {
        EXPECT_NO_THROW(checkTransition(1, from, to));
      } else {
        EXPECT_THROW(checkTransition(1, from, to), ConflictError);
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 49);
}

TEST(RunState, RefusalNamesRunAndStates) {
  try {
    checkTransition(42, R::Succeeded, R::Running);
    FAIL() << "expected a ConflictError";
  } catch (const ConflictError& e) {
    EXPECT_STREQ(e.what(), "run 42 cannot go from SUCCEEDED to RUNNING (it has finished)");
  }
}

TEST(RunState, NamesRoundTripInAnyCase) {
  for (auto state : kAllRunStates) {
    EXPECT_EQ(parseRunState(toString(state)), state);
  }
  EXPECT_EQ(parseRunState("partial"), R::Partial);
  EXPECT_FALSE(parseRunState("DONE"));
}

TEST(RunState, FinalStatesAreTheFourEnds) {
  std::set<R> finals;
  for (auto state : kAllRunStates) {
    if (isFinal(state)) finals.insert(state);
  }
  EXPECT_EQ(finals, (std::set<R>{R::Succeeded, R::Partial, R::Failed, R::Cancelled}));
}

TaskTally tally(std::size_t ok, std::size_t failed, std::size_t skipped, std::size_t cancelled) {
  TaskTally t;
  for (std::size_t i = 0; i < ok; ++i) t.add(TaskOutcome::Ok);
  for (std::size_t i = 0; i < failed; ++i) t.add(TaskOutcome::Failed);
  for (std::size_t i = 0; i < skipped; ++i) t.add(TaskOutcome::Skipped);
  for (std::size_t i = 0; i < cancelled; ++i) t.add(TaskOutcome::Cancelled);
  return t;
}

TEST(RunState, FinalStateIsAFunctionOfTaskResults) {
  EXPECT_EQ(finalState(tally(3, 0, 0, 0)), R::Succeeded);
  EXPECT_EQ(finalState(tally(3, 1, 0, 0)), R::Partial);
  EXPECT_EQ(finalState(tally(0, 2, 0, 0)), R::Failed);
  EXPECT_EQ(finalState(tally(2, 1, 0, 1)), R::Cancelled);
  EXPECT_EQ(finalState(tally(0, 0, 0, 1)), R::Cancelled);
}

TEST(RunState, SkippedTasksCountAsNeitherSuccessNorFailure) {
  EXPECT_EQ(finalState(tally(2, 0, 5, 0)), R::Succeeded);
  EXPECT_EQ(finalState(tally(0, 1, 5, 0)), R::Failed);
  EXPECT_EQ(finalState(tally(1, 1, 5, 0)), R::Partial);
  EXPECT_EQ(finalState(tally(0, 0, 4, 0)), R::Succeeded);  // nothing failed
  EXPECT_EQ(tally(1, 2, 3, 4).total(), 10u);
}

}  // namespace
}  // namespace netspine::domain
