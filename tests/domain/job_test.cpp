#include "domain/job.hpp"

#include <gtest/gtest.h>

namespace netspine::domain {
namespace {

TEST(Job, TaskStateAndLogLevelNamesRoundTrip) {
  for (auto s : {TaskState::Queued, TaskState::Running, TaskState::Done, TaskState::Skipped,
                 TaskState::Cancelled}) {
    EXPECT_EQ(parseTaskState(toString(s)), s);
  }
  for (auto l : {LogLevel::Debug, LogLevel::Info, LogLevel::Warning, LogLevel::Error}) {
    EXPECT_EQ(parseLogLevel(toString(l)), l);
  }
  EXPECT_FALSE(parseTaskState("finished"));
  EXPECT_FALSE(parseLogLevel("fatal"));
}

TEST(Job, OutcomeOfATaskFollowsItsStateThenItsCategory) {
  EXPECT_EQ(outcomeOf(TaskState::Done, "ok"), TaskOutcome::Ok);
  EXPECT_EQ(outcomeOf(TaskState::Done, "timeout"), TaskOutcome::Failed);
  EXPECT_EQ(outcomeOf(TaskState::Done, "plugin_error"), TaskOutcome::Failed);
  EXPECT_EQ(outcomeOf(TaskState::Done, "policy_skipped"), TaskOutcome::Skipped);
  EXPECT_EQ(outcomeOf(TaskState::Done, "cancelled"), TaskOutcome::Cancelled);
  EXPECT_EQ(outcomeOf(TaskState::Skipped, ""), TaskOutcome::Skipped);
  EXPECT_EQ(outcomeOf(TaskState::Cancelled, ""), TaskOutcome::Cancelled);
}

}  // namespace
}  // namespace netspine::domain
