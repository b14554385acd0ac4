#include "service_fixture.hpp"

namespace netspine::test {
namespace {

using domain::ConflictError;
using domain::NotFoundError;
using domain::ValidationError;

class AreaServiceTest : public ServiceTest {};

TEST_P(AreaServiceTest, ResolvesPathsAndUniqueNames) {
  EXPECT_EQ(areas.get("emea/ams1").description, "Amsterdam");
  EXPECT_EQ(areas.get("amer/ams1").description, "the other ams1");
  EXPECT_EQ(areas.get("fra1").name, "fra1");  // unique plain name
  EXPECT_THROW(areas.get("nowhere"), NotFoundError);
  try {
    areas.get("ams1");
    FAIL() << "an ambiguous name must be refused";
  } catch (const ValidationError& e) {
    EXPECT_EQ(std::string(e.what()),
              "area: area name 'ams1' is ambiguous; use its path: emea/ams1, amer/ams1");
  }
}

TEST_P(AreaServiceTest, NameUniqueAmongSiblingsOnly) {
  expectRefused<ConflictError>(
      [&] {
        areas.create({"ams1", "emea", ""}, ctx);
      },
      "name", "area 'ams1' already exists in 'emea'");
  expectRefused<ConflictError>(
      [&] {
        areas.create({"emea", "", ""}, ctx);
      },
      "name", "already exists at the top level");
  EXPECT_NO_THROW(areas.create({"ams1", "emea/fra1", ""}, ctx));  // a third ams1, elsewhere
}

TEST_P(AreaServiceTest, InvalidNameAndUnknownParentRefused) {
  expectRefused<ValidationError>([&] { areas.create({"a/b", "", ""}, ctx); }, "name");
  expectRefused<ValidationError>([&] { areas.create({"", "", ""}, ctx); }, "name");
  expectRefused<ValidationError>(
      [&] {
        areas.create({"x", "nowhere", ""}, ctx);
      },
      "parent", "area 'nowhere' not found");
}

TEST_P(AreaServiceTest, CycleRefused) {
  expectRefused<ValidationError>([&] { areas.update("emea", {.parent = "emea/ams1"}, ctx); },
                                 "parent", "below itself");
  expectRefused<ValidationError>([&] { areas.update("emea", {.parent = "emea"}, ctx); }, "parent");
}

TEST_P(AreaServiceTest, MoveAndRenameAreRecorded) {
  auto moved = areas.update("emea/fra1", {.name = "fra2", .parent = "amer"}, ctx);
  EXPECT_EQ(moved.name, "fra2");
  EXPECT_EQ(areas.get("amer/fra2").id, moved.id);
  auto log = changes.list("area:amer/fra2");
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "update");
  EXPECT_NE(log[0].before.find("\"path\":\"emea/fra1\""), std::string::npos) << log[0].before;
  EXPECT_NE(log[0].after.find("\"path\":\"amer/fra2\""), std::string::npos) << log[0].after;
  // Moving to the root.
  areas.update("amer/fra2", {.parent = ""}, ctx);
  EXPECT_FALSE(areas.get("fra2").parentId);
}

TEST_P(AreaServiceTest, DeleteWithDependentsRefusedWithCounts) {
  devices.create(device("r1"), ctx);
  devices.create(device("r2"), ctx);
  vlans.create({"emea/ams1", 10, "users", ""}, ctx);
  auto before = snapshot();
  try {
    areas.remove("emea/ams1", ctx);
    FAIL();
  } catch (const ConflictError& e) {
    EXPECT_EQ(std::string(e.what()),
              "area 'emea/ams1' still holds 2 device(s), 1 vlan(s) and 0 child area(s): move or "
              "delete them first");
  }
  EXPECT_THROW(areas.remove("emea", ctx), ConflictError);  // child areas
  EXPECT_EQ(snapshot(), before);
}

TEST_P(AreaServiceTest, DeleteRecordsTheBeforeImage) {
  areas.remove("emea/fra1", ctx);
  EXPECT_THROW(areas.get("emea/fra1"), NotFoundError);
  auto log = changes.list("area:emea/fra1");
  ASSERT_EQ(log.size(), 2u);  // create, delete; newest first
  EXPECT_EQ(log[0].action, "delete");
  EXPECT_EQ(log[0].actor, "test:alice");
  EXPECT_TRUE(log[0].after.empty());
  EXPECT_NE(log[0].before.find("\"name\":\"fra1\""), std::string::npos);
}

NETSPINE_SERVICE_SUITE(AreaServiceTest);

}  // namespace
}  // namespace netspine::test
