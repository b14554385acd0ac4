#include "domain/device_selector.hpp"

#include <gtest/gtest.h>

#include "domain/errors.hpp"

namespace netspine::domain {
namespace {

TEST(DeviceSelector, ParsesEveryKeyWithAlternatives) {
  const auto s = DeviceSelector::parse(
      "status=active,Staged  area=emea/ams1,fra1 platform=cisco_ios role=core tag=edge,dc "
      "name=ams1-");
  EXPECT_EQ(s.statuses, (std::vector<DeviceStatus>{DeviceStatus::Active, DeviceStatus::Staged}));
  EXPECT_EQ(s.areas, (std::vector<std::string>{"emea/ams1", "fra1"}));
  EXPECT_EQ(s.platforms, (std::vector<std::string>{"cisco_ios"}));
  EXPECT_EQ(s.roles, (std::vector<std::string>{"core"}));
  EXPECT_EQ(s.tags, (std::vector<std::string>{"edge", "dc"}));
  EXPECT_EQ(s.nameContains, "ams1-");
}

TEST(DeviceSelector, RepeatedKeysAddAlternativesWithoutDuplicates) {
  const auto s = DeviceSelector::parse("tag=a tag=b,a status=active status=ACTIVE");
  EXPECT_EQ(s.tags, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s.statuses, (std::vector<DeviceStatus>{DeviceStatus::Active}));
}

TEST(DeviceSelector, TextFormRoundTrips) {
  const auto s = DeviceSelector::parse("name=x tag=b status=failed,active area=dc1");
  EXPECT_EQ(s.toString(), "status=failed,active area=dc1 tag=b name=x");
  EXPECT_EQ(DeviceSelector::parse(s.toString()), s);
}

void expectRefused(const std::string& text, const std::string& message) {
  try {
    DeviceSelector::parse(text);
    ADD_FAILURE() << "'" << text << "' was accepted";
  } catch (const ValidationError& e) {
    EXPECT_EQ(std::string(e.what()), message);
    EXPECT_EQ(e.field(), "select");
  }
}

TEST(DeviceSelector, BadSelectorsNameTheTerm) {
  expectRefused("", "select: empty selector (keys: status, area, platform, role, tag, name)");
  expectRefused("   ", "select: empty selector (keys: status, area, platform, role, tag, name)");
  expectRefused("active",
                "select: 'active' is not key=value (keys: status, area, platform, role, tag, "
                "name)");
  expectRefused("site=dc1",
                "select: unknown key 'site' (keys: status, area, platform, role, tag, name)");
  expectRefused("tag=a,,b", "select: 'tag=a,,b' has an empty value");
  expectRefused("name=a,b", "select: name takes one value");
  EXPECT_THROW(DeviceSelector::parse("status=retired"), ValidationError);
}

}  // namespace
}  // namespace netspine::domain
