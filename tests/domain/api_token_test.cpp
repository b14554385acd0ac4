#include "domain/api_token.hpp"

#include <gtest/gtest.h>

#include "domain/errors.hpp"
#include "domain/validation.hpp"

namespace netspine::domain {
namespace {

TEST(RoleTest, ParsesAnyCaseAndPrintsLowerCase) {
  EXPECT_EQ(parseRole("read"), Role::Read);
  EXPECT_EQ(parseRole("Operate"), Role::Operate);
  EXPECT_EQ(parseRole("ADMIN"), Role::Admin);
  EXPECT_EQ(parseRole("root"), std::nullopt);
  EXPECT_EQ(parseRole(""), std::nullopt);
  for (Role role : {Role::Read, Role::Operate, Role::Admin})
    EXPECT_EQ(parseRole(toString(role)), role);
  EXPECT_EQ(toString(Role::Operate), "operate");
}

TEST(RoleTest, RequireRoleNamesTheAcceptedRoles) {
  try {
    requireRole("root");
    FAIL() << "accepted 'root'";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "role");
    EXPECT_EQ(std::string(e.what()), "role: 'root' is not a role (read, operate or admin)");
  }
}

TEST(RoleTest, AdminIncludesOperateIncludesRead) {
  EXPECT_TRUE(allows(Role::Admin, Role::Admin));
  EXPECT_TRUE(allows(Role::Admin, Role::Operate));
  EXPECT_TRUE(allows(Role::Admin, Role::Read));
  EXPECT_FALSE(allows(Role::Operate, Role::Admin));
  EXPECT_TRUE(allows(Role::Operate, Role::Operate));
  EXPECT_TRUE(allows(Role::Operate, Role::Read));
  EXPECT_FALSE(allows(Role::Read, Role::Admin));
  EXPECT_FALSE(allows(Role::Read, Role::Operate));
  EXPECT_TRUE(allows(Role::Read, Role::Read));
}

TEST(RoleTest, TokenNamesFollowDeviceNameRules) {
  EXPECT_NO_THROW(validateTokenName("ci-deploy_1.prod"));
  EXPECT_THROW(validateTokenName(""), ValidationError);
  EXPECT_THROW(validateTokenName("has space"), ValidationError);
  EXPECT_THROW(validateTokenName(std::string(65, 'a')), ValidationError);
}

}  // namespace
}  // namespace netspine::domain
