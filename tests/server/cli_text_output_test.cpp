#include <gtest/gtest.h>

#include "cli/text_output.hpp"

namespace netspine::cli {
namespace {

TEST(CliTextOutputTest, TableColumnsAreAlignedTwoSpacesApart) {
  TextTable table({"NAME", "ADDRESS", "TAGS"});
  table.addRow({"core-router-1", "10.0.0.1", "a,b"});
  table.addRow({"r2", "2001:db8::1234:5678", ""});
  std::string out;
  table.render(out);
  EXPECT_EQ(out,
            "NAME           ADDRESS              TAGS\n"
            "core-router-1  10.0.0.1             a,b\n"
            "r2             2001:db8::1234:5678\n");
}

TEST(CliTextOutputTest, EmptyTableIsItsHeader) {
  std::string out;
  TextTable({"A", "B"}).render(out);
  EXPECT_EQ(out, "A  B\n");
}

TEST(CliTextOutputTest, KeyValueBlockAlignsValues) {
  std::string out;
  KeyValueBlock().add("name", "r1").add("ssh port", "22").add("role", "").render(out);
  EXPECT_EQ(out, "name:     r1\nssh port: 22\nrole:\n");
}

}  // namespace
}  // namespace netspine::cli
