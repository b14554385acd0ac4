// The API's input guards, in-process: UTF-8, nesting depth, field types, error bodies.

#include <gtest/gtest.h>

#include <limits>

#include "api/json_io.hpp"

namespace netspine::api {
namespace {

int statusOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ApiError& e) {
    return e.status();
  }
  return 0;
}

TEST(JsonInput, Utf8) {
  EXPECT_TRUE(validUtf8("plain ascii"));
  EXPECT_TRUE(validUtf8("Zürich ✓ 𝄞"));
  EXPECT_FALSE(validUtf8("\xff"));
  EXPECT_FALSE(validUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(validUtf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(validUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(validUtf8("\xe2\x9c"));          // cut short
  EXPECT_EQ(sanitizeUtf8("a\xffz"), "a\xEF\xBF\xBDz");
}

TEST(JsonInput, GuardsBeforeTheParser) {
  EXPECT_EQ(statusOf([] { parseObject(std::string(kMaxJsonDepth + 1, '[')); }), 400);
  EXPECT_EQ(statusOf([] { parseObject(std::string(100000, '{')); }), 400);
  // Brackets inside strings do not count.
  EXPECT_EQ(statusOf([] { parseObject(R"({"a":")" + std::string(100, '[') + R"("})"); }), 0);
  EXPECT_EQ(statusOf([] { parseObject("[1]"); }), 400);
  EXPECT_EQ(statusOf([] { parseObject(""); }), 400);
  EXPECT_EQ(statusOf([] { parseObject("{\"a\":\"\xff\"}"); }), 400);
  EXPECT_EQ(statusOf([] { parseObjectList("[]", 10); }), 400);
  EXPECT_EQ(statusOf([] { parseObjectList("[{},{},{}]", 2); }), 400);
  EXPECT_EQ(statusOf([] { parseObjectList("[{}, 5]", 10); }), 400);
}

TEST(JsonInput, FieldsNameWhatIsWrong) {
  Fields f(parseObject(R"({"n": 70000, "s": 5, "b": "yes", "l": ["a", 1], "big": 1.5})"), "[2].");
  try {
    f.integer("n", 1, 65535);
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_TRUE(e.fields().count("[2].n"));
    EXPECT_NE(std::string(e.what()).find("70000"), std::string::npos);
  }
  EXPECT_EQ(statusOf([&] { f.text("s"); }), 400);
  EXPECT_EQ(statusOf([&] { f.boolean("b"); }), 400);
  EXPECT_EQ(statusOf([&] { f.texts("l"); }), 400);
  EXPECT_EQ(statusOf([&] { f.integer("big", 0, 10); }), 400);
  EXPECT_EQ(statusOf([&] { f.only({"n", "s"}); }), 400);
  // An unsigned value above INT64_MAX is refused, not wrapped.
  Fields big(parseObject(R"({"u": 18446744073709551615})"));
  EXPECT_EQ(statusOf([&] { big.integer("u", 0, std::numeric_limits<std::int64_t>::max()); }), 400);
  EXPECT_FALSE(f.text("missing"));
  EXPECT_EQ(statusOf([&] { f.requiredText("missing"); }), 400);
}

TEST(JsonInput, ErrorBodyIsValidJsonEvenForBadInput) {
  const auto body = errorBody(ApiError(400, "invalid", "name \xff bad", {{"na\"me", {"x\xfe"}}}));
  EXPECT_TRUE(validUtf8(body));
  EXPECT_EQ(statusOf([&] { parseObject(body); }), 0) << body;
}

}  // namespace
}  // namespace netspine::api
