#include "application/area_tree.hpp"

#include <gtest/gtest.h>

#include "domain/errors.hpp"

namespace netspine::app {
namespace {

// emea(1) > ams1(2) > hall1(3); emea2(4) > ams1(5)
AreaTree sample() {
  return AreaTree({{1, "emea", std::nullopt, ""},
                   {2, "ams1", 1, ""},
                   {3, "hall1", 2, ""},
                   {4, "emea2", std::nullopt, ""},
                   {5, "ams1", 4, ""}});
}

TEST(AreaTree, PathsParentsAndChildren) {
  auto tree = sample();
  EXPECT_EQ(tree.path(3), "emea/ams1/hall1");
  EXPECT_EQ(tree.parentPath(tree.get(3)), "emea/ams1");
  EXPECT_EQ(tree.parentPath(tree.get(1)), "");
  EXPECT_EQ(tree.childPath(2, "hall2"), "emea/ams1/hall2");
  EXPECT_EQ(tree.childPath(std::nullopt, "apac"), "apac");
  EXPECT_THROW(tree.path(99), domain::NotFoundError);
}

TEST(AreaTree, SubtreeStopsAtPathBoundaries) {
  auto tree = sample();
  EXPECT_EQ(tree.subtree(1), (std::vector<domain::Id>{1, 2, 3}));  // not emea2
  EXPECT_EQ(tree.subtree(2), (std::vector<domain::Id>{2, 3}));
  EXPECT_EQ(tree.subtree(4), (std::vector<domain::Id>{4, 5}));
}

TEST(AreaTree, ResolvesPathsAndUniqueNames) {
  auto tree = sample();
  EXPECT_EQ(tree.resolve("emea2/ams1").id, 5);
  EXPECT_EQ(tree.resolve("hall1").id, 3);
  EXPECT_EQ(tree.find("ams1"), nullptr);  // ambiguous
  EXPECT_THROW(tree.resolve("ams1"), domain::ValidationError);
}

}  // namespace
}  // namespace netspine::app
