#include "cli_fixture.hpp"

namespace netspine::cli::testing {
namespace {

using CliAreaTest = CliTest;
using Strings = std::vector<std::string>;

TEST_F(CliAreaTest, AddPrintsTheArea) {
  auto out = ok({"area", "add", "emea", "--description", "Europe"});
  auto b = block(out);
  EXPECT_EQ(b["name"], "emea");
  EXPECT_EQ(b["path"], "emea");
  EXPECT_EQ(b["parent"], "");
  EXPECT_EQ(b["description"], "Europe");

  auto child = parseObject(ok({"--json", "area", "add", "dc1", "--parent", "emea"}));
  EXPECT_EQ(child->getValue<std::string>("path"), "emea/dc1");
  EXPECT_EQ(child->getValue<std::string>("parent"), "emea");
}

TEST_F(CliAreaTest, ListAsTableAndJson) {
  seedAreas();
  auto table = lines(ok({"area", "list"}));
  ASSERT_EQ(table.size(), 3u);
  EXPECT_EQ(cells(table[0]), (Strings{"PATH", "NAME", "PARENT", "DESCRIPTION"}));
  EXPECT_EQ(cells(table[1]), (Strings{"emea", "emea"}));
  EXPECT_EQ(cells(table[2]), (Strings{"emea/dc1", "dc1", "emea"}));
  // Aligned: every column starts where its header does.
  EXPECT_EQ(table[2].substr(table[0].find("NAME"), 4), "dc1 ");
  EXPECT_EQ(table[2].substr(table[0].find("PARENT")), "emea");

  auto json = parseArray(ok({"area", "list", "--json"}));
  ASSERT_EQ(json->size(), 2u);
  EXPECT_TRUE(json->getObject(0)->isNull("parent"));
  EXPECT_EQ(json->getObject(1)->getValue<std::string>("path"), "emea/dc1");
  EXPECT_EQ(json->getObject(1)->getValue<std::string>("parent"), "emea");
}

TEST_F(CliAreaTest, ShowByPathOrUniqueName) {
  seedAreas();
  EXPECT_EQ(block(ok({"area", "show", "emea/dc1"}))["path"], "emea/dc1");
  EXPECT_EQ(block(ok({"area", "show", "dc1"}))["parent"], "emea");
  auto json = parseObject(ok({"--json", "area", "show", "dc1"}));
  EXPECT_EQ(json->getValue<std::string>("name"), "dc1");
}

TEST_F(CliAreaTest, UpdateRenamesAndMoves) {
  seedAreas();
  auto b = block(ok({"area", "update", "dc1", "--name", "dc2", "--description", "Frankfurt"}));
  EXPECT_EQ(b["path"], "emea/dc2");
  EXPECT_EQ(b["description"], "Frankfurt");
  b = block(ok({"area", "update", "emea/dc2", "--root"}));
  EXPECT_EQ(b["path"], "dc2");
  EXPECT_EQ(b["parent"], "");
  b = block(ok({"area", "update", "dc2", "--parent", "emea"}));
  EXPECT_EQ(b["path"], "emea/dc2");
}

TEST_F(CliAreaTest, DuplicateSiblingIsRefusedAndNothingWritten) {
  seedAreas();
  auto before = ok({"area", "list"});
  auto r = run({"area", "add", "dc1", "--parent", "emea"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_NE(r.err.find("netspine: error: name: area 'dc1' already exists"), std::string::npos) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(ok({"area", "list"}), before);
}

TEST_F(CliAreaTest, InvalidNameNamesTheField) {
  auto r = run({"area", "add", "bad name"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_EQ(r.err.rfind("netspine: error: name: ", 0), 0u) << r;
  EXPECT_EQ(lines(ok({"area", "list"})).size(), 1u);
}

TEST_F(CliAreaTest, MoveBelowItselfIsRefused) {
  seedAreas();
  auto r = run({"area", "update", "emea", "--parent", "dc1"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_EQ(block(ok({"area", "show", "emea"}))["parent"], "");
}

TEST_F(CliAreaTest, UnknownAreaIsNotFound) {
  auto r = run({"area", "show", "nowhere"});
  EXPECT_EQ(r.code, 4) << r;
  EXPECT_NE(r.err.find("'nowhere' not found"), std::string::npos) << r;
  EXPECT_EQ(run({"area", "delete", "nowhere"}).code, 4);
  EXPECT_EQ(run({"area", "update", "nowhere", "--name", "x"}).code, 4);
}

TEST_F(CliAreaTest, UnknownParentIsAValidationErrorOfParent) {
  auto r = run({"area", "add", "dc1", "--parent", "nowhere"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_NE(r.err.find("parent"), std::string::npos) << r;
}

TEST_F(CliAreaTest, DeleteIsRefusedWhileDevicesDependOnIt) {
  seedAreas();
  addDevice("r1", "10.0.0.1");
  auto r = run({"area", "delete", "dc1"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_NE(r.err.find("1 device"), std::string::npos) << r;
  EXPECT_EQ(run({"area", "delete", "emea"}).code, 3);  // a child area depends on it

  ok({"device", "delete", "r1"});
  EXPECT_EQ(ok({"area", "delete", "dc1"}), "deleted area 'dc1'\n");
  auto json = parseObject(ok({"--json", "area", "delete", "emea"}));
  EXPECT_TRUE(json->getValue<bool>("deleted"));
  EXPECT_EQ(run({"area", "show", "emea"}).code, 4);
}

}  // namespace
}  // namespace netspine::cli::testing
