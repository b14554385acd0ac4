#include "domain/automation_policy.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace netspine::domain {
namespace {

using O = Operation;
using S = DeviceStatus;

// The table of DESIGN.md, written out independently of the implementation.
const std::map<S, std::set<O>> kExpected = {
    {S::Inventory, {O::Read}},
    {S::Planned, {O::Read}},
    {S::Staged, {O::Read, O::Discover, O::Provision}},
    {S::Active, {O::Read, O::Discover, O::Push}},
    {S::Failed, {}},
    {S::Decommissioning, {O::Teardown}},
};

struct Cell {
  S status;
  O op;
};

class DefaultPolicyCell : public ::testing::TestWithParam<Cell> {};

TEST_P(DefaultPolicyCell, MatchesTheDesignTable) {
  auto [status, op] = GetParam();
  bool expected = kExpected.at(status).contains(op);
  auto policy = AutomationPolicy::defaults();
  EXPECT_EQ(policy.allows(status, op), expected);
  EXPECT_EQ(policy.refusal(status, op).empty(), expected);
  if (!expected) {
    EXPECT_EQ(policy.refusal(status, op), "status " + std::string(toString(status)) +
                                              " allows no " + std::string(toString(op)));
  }
}

std::vector<Cell> allCells() {
  std::vector<Cell> cells;
  for (auto s : kAllStatuses) {
    for (auto o : kAllOperations) cells.push_back({s, o});
  }
  return cells;
}

INSTANTIATE_TEST_SUITE_P(AllStatusesTimesAllOperations, DefaultPolicyCell,
                         ::testing::ValuesIn(allCells()), [](const auto& info) {
                           return std::string(toString(info.param.status)) + "_" +
                                  std::string(toString(info.param.op));
                         });

TEST(AutomationPolicy, ThirtyCellsAreCovered) {
  EXPECT_EQ(allCells().size(), 30u);
}

TEST(AutomationPolicy, OverrideReplacesOnlyTheNamedStatus) {
  auto policy = AutomationPolicy::defaults();
  policy.set(S::Failed, {O::Read});
  EXPECT_TRUE(policy.allows(S::Failed, O::Read));
  EXPECT_FALSE(policy.allows(S::Failed, O::Push));
  policy.set(S::Active, {O::Read});
  EXPECT_FALSE(policy.allows(S::Active, O::Push));
  EXPECT_TRUE(policy.allows(S::Staged, O::Provision));
}

TEST(AutomationPolicy, AllowedListsInDeclarationOrder) {
  auto ops = AutomationPolicy::defaults().allowed(S::Active);
  EXPECT_EQ(ops, (std::vector<O>{O::Read, O::Discover, O::Push}));
  EXPECT_TRUE(AutomationPolicy::defaults().allowed(S::Failed).empty());
}

TEST(Operation, NamesRoundTrip) {
  for (auto o : kAllOperations) EXPECT_EQ(parseOperation(toString(o)), o);
  EXPECT_FALSE(parseOperation("Push"));
  EXPECT_FALSE(parseOperation(""));
}

}  // namespace
}  // namespace netspine::domain
