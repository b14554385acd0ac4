#include "domain/device_status.hpp"

#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "domain/errors.hpp"

namespace netspine::domain {
namespace {

using S = DeviceStatus;

// The documented lifecycle graph (docs/lifecycle.md), written out independently.
const std::set<std::pair<S, S>> kAllowed = {
    {S::Inventory, S::Planned},
    {S::Inventory, S::Staged},
    {S::Inventory, S::Decommissioning},
    {S::Planned, S::Inventory},
    {S::Planned, S::Staged},
    {S::Planned, S::Decommissioning},
    {S::Staged, S::Planned},
    {S::Staged, S::Active},
    {S::Staged, S::Failed},
    {S::Staged, S::Decommissioning},
    {S::Active, S::Staged},
    {S::Active, S::Failed},
    {S::Active, S::Decommissioning},
    {S::Failed, S::Inventory},
    {S::Failed, S::Staged},
    {S::Failed, S::Active},
    {S::Failed, S::Decommissioning},
    {S::Decommissioning, S::Inventory},
    {S::Decommissioning, S::Active},
};

TEST(DeviceStatus, EveryPairFollowsTheGraph) {
  for (auto from : kAllStatuses) {
    for (auto to : kAllStatuses) {
      bool expected = from == to || kAllowed.contains({from, to});
      EXPECT_EQ(canTransition(from, to), expected) << toString(from) << " -> " << toString(to);
      if (expected) {
        EXPECT_NO_THROW(checkTransition("r1", from, to));
      } else {
        EXPECT_THROW(checkTransition("r1", from, to), ValidationError);
      }
    }
  }
}

TEST(DeviceStatus, RefusalNamesDeviceAndAllowedTargets) {
  try {
    checkTransition("edge-1", S::Active, S::Planned);
    FAIL() << "ACTIVE -> PLANNED must be refused";
  } catch (const ValidationError& e) {
    EXPECT_EQ(std::string(e.what()),
              "device 'edge-1': status ACTIVE cannot change to PLANNED (allowed from ACTIVE: "
              "STAGED, FAILED, DECOMMISSIONING)");
    EXPECT_EQ(e.field(), "status");
  }
}

TEST(DeviceStatus, ParsesAnyCase) {
  EXPECT_EQ(parseDeviceStatus("active"), S::Active);
  EXPECT_EQ(parseDeviceStatus("Decommissioning"), S::Decommissioning);
  EXPECT_EQ(parseDeviceStatus("STAGED"), S::Staged);
  EXPECT_FALSE(parseDeviceStatus("offline"));
  EXPECT_FALSE(parseDeviceStatus(""));
  EXPECT_FALSE(parseDeviceStatus("activ"));
  for (auto s : kAllStatuses) EXPECT_EQ(parseDeviceStatus(toString(s)), s);
}

TEST(DeviceStatus, RequireListsValidNames) {
  try {
    requireDeviceStatus("offline");
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_EQ(std::string(e.what()),
              "status: unknown status 'offline' (expected one of INVENTORY, PLANNED, STAGED, "
              "ACTIVE, FAILED, DECOMMISSIONING)");
  }
}

}  // namespace
}  // namespace netspine::domain
