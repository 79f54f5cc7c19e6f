#include "common/json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace bugseek::json {
namespace {

std::string error_of(std::string_view text) {
  try {
    parse(text);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "";
}

TEST(Json, DumpsCompactWithInsertionOrder) {
  Value v = Value::object();
  v.set("b", 1);
  v.set("a", Array{Value(true), Value(), Value("x")});
  v.set("c", Value::object());
  v.set("b", 2);  // replaces in place, keeps position
  EXPECT_EQ(dump(v), R"({"b":2,"a":[true,null,"x"],"c":{}})");
}

TEST(Json, PrettyPrintIsExact) {
  Value v = Value::object();
  v.set("k", Array{Value(1), Value("two")});
  v.set("e", Value::array());
  EXPECT_EQ(dump(v, {2}), "{\n  \"k\": [\n    1,\n    \"two\"\n  ],\n  \"e\": []\n}");
}

TEST(Json, EscapesStrings) {
  std::string raw = "q\" b\\ s/ \b\f\n\r\t \x01 \x1f \x7f end";
  EXPECT_EQ(dump(Value(raw)), "\"q\\\" b\\\\ s/ \\b\\f\\n\\r\\t \\u0001 \\u001f \\u007f end\"");
  EXPECT_EQ(parse(dump(Value(raw))).as_string(), raw);
}

TEST(Json, KeepsValidUtf8AndReplacesInvalidBytes) {
  std::string utf8 = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";
  EXPECT_EQ(dump(Value(utf8)), "\"" + utf8 + "\"");
  EXPECT_EQ(dump(Value(std::string("a\xFF"
                                   "b"))),
            "\"a\xEF\xBF\xBD"
            "b\"");
  EXPECT_EQ(dump(Value(std::string("\xC0\xAF"))), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");  // overlong
}

TEST(Json, ParsesEscapesAndSurrogatePairs) {
  Value v = parse(R"(["\"\\\/\b\f\n\r\t", "\u00e9\u20AC", "\ud83d\ude00", "\u0000"])");
  EXPECT_EQ(v[0].as_string(), "\"\\/\b\f\n\r\t");
  EXPECT_EQ(v[1].as_string(), "\xC3\xA9\xE2\x82\xAC");
  EXPECT_EQ(v[2].as_string(), "\xF0\x9F\x98\x80");
  EXPECT_EQ(v[3].as_string(), std::string(1, '\0'));
}

TEST(Json, RejectsBadSurrogatesAndEscapes) {
  EXPECT_NE(error_of(R"("\ud83d")").find("high surrogate without a low one"), std::string::npos);
  EXPECT_NE(error_of(R"("\ud83dx")").find("high surrogate"), std::string::npos);
  EXPECT_NE(error_of(R"("\ude00")").find("lone low surrogate"), std::string::npos);
  EXPECT_NE(error_of(R"("\u12G4")").find("hex digits"), std::string::npos);
  EXPECT_NE(error_of(R"("\x")").find("invalid escape"), std::string::npos);
  EXPECT_NE(error_of("\"a\nb\"").find("control character"), std::string::npos);
  EXPECT_NE(error_of("\"\xFF\"").find("invalid UTF-8"), std::string::npos);
}

TEST(Json, InvalidDocumentsGiveLineAndColumn) {
  try {
    parse("{\n  \"a\": 1,\n  \"b\": }");
    FAIL() << "expected ParseError";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 3u);
    EXPECT_EQ(e.column(), 8u);
    EXPECT_STREQ(e.what(), "json: line 3, column 8: expected a value near '}'");
  }
  EXPECT_NE(error_of("[1, 2,]").find("expected a value"), std::string::npos);
  EXPECT_NE(error_of("{\"a\" 1}").find("expected ':'"), std::string::npos);
  EXPECT_NE(error_of("{a: 1}").find("expected a string key"), std::string::npos);
  EXPECT_NE(error_of("01").find("unexpected text after"), std::string::npos);
  EXPECT_NE(error_of("1.").find("digit after '.'"), std::string::npos);
  EXPECT_NE(error_of("-").find("expected a digit"), std::string::npos);
  EXPECT_NE(error_of("tru").find("expected 'true'"), std::string::npos);
  EXPECT_NE(error_of("\"abc").find("unterminated string"), std::string::npos);
  EXPECT_NE(error_of("").find("at end of input"), std::string::npos);
  EXPECT_NE(error_of("[1] [2]").find("unexpected text"), std::string::npos);
  EXPECT_NE(error_of("1e999").find("out of range"), std::string::npos);
  EXPECT_NE(error_of("// c\n1").find("expected a value"), std::string::npos);
}

TEST(Json, DepthIsBounded) {
  std::string deep(10000, '[');
  EXPECT_NE(error_of(deep).find("nesting deeper than 512"), std::string::npos);
  std::string ok = std::string(100, '[') + std::string(100, ']');
  EXPECT_NO_THROW(parse(ok));
}

TEST(Json, Numbers) {
  Value v = parse("[0, -0, 42, -9223372036854775808, 9223372036854775808, 1.5, 2e3, -1E-2]");
  EXPECT_TRUE(v[0].is_int());
  EXPECT_EQ(v[2].as_int(), 42);
  EXPECT_EQ(v[3].as_int(), std::numeric_limits<int64_t>::min());
  EXPECT_FALSE(v[4].is_int());  // beyond int64: parsed as a double
  EXPECT_DOUBLE_EQ(v[4].as_double(), 9223372036854775808.0);
  EXPECT_DOUBLE_EQ(v[5].as_double(), 1.5);
  EXPECT_EQ(v[6].as_int(), 2000);  // exact integer held by a double
  EXPECT_DOUBLE_EQ(v[7].as_double(), -0.01);

  EXPECT_EQ(dump(Value(0.1)), "0.1");
  EXPECT_EQ(dump(Value(2.0)), "2.0");
  EXPECT_EQ(dump(Value(1e300)), "1e+300");
  EXPECT_EQ(dump(Value(-7)), "-7");
  EXPECT_EQ(dump(Value(std::nan(""))), "null");
  EXPECT_EQ(dump(Value(std::numeric_limits<double>::infinity())), "null");
  double tricky = 0.1 + 0.2;
  EXPECT_EQ(parse(dump(Value(tricky))).as_double(), tricky);
  EXPECT_TRUE(parse(dump(Value(2.0))).type() == Type::kDouble);
}

TEST(Json, RoundTripsAComplexValue) {
  Value v = Value::object();
  v.set("name", "x\ty \xF0\x9F\x90\x8D");
  v.set("list", Array{Value(1), Value(-2.25), Value(false), Value(), Value(Array{})});
  Value inner = Value::object();
  inner.set("\"quoted key\"", "v");
  v.set("inner", inner);
  for (int indent : {0, 2, 4}) {
    std::string text = dump(v, {indent});
    EXPECT_EQ(parse(text), v) << text;
    EXPECT_EQ(dump(parse(text), {indent}), text);
  }
}

TEST(Json, TypedAccessErrorsNameTypes) {
  Value v = parse(R"({"a": "s", "n": null})");
  try {
    v.at("a").as_int();
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "json: expected integer, found string");
  }
  try {
    v.at("missing");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "json: missing key \"missing\"");
  }
  EXPECT_EQ(v.get_string("n", "dflt"), "dflt");
  EXPECT_EQ(v.get_string("zz", "dflt"), "dflt");
  EXPECT_EQ(v.get_string("a"), "s");
  EXPECT_THROW(v[0], Error);  // an object is not an array
  EXPECT_THROW(Value(Array{})[0], Error);
  EXPECT_THROW(Value(static_cast<uint64_t>(1) << 63), Error);
}

TEST(Json, DuplicateKeysLastWins) {
  Value v = parse(R"({"a": 1, "a": 2})");
  EXPECT_EQ(v.size(), 1u);
  EXPECT_EQ(v.at("a").as_int(), 2);
}

TEST(Json, ParsesJsonLinesWithFileLineNumbers) {
  auto values = parse_lines("{\"a\": 1}\n\n  \r\n[2]\n\"three\"", "f.jsonl");
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values[1][0].as_int(), 2);
  try {
    parse_lines("1\n\n{\"a\": tru}\n", "data/f.jsonl");
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 3u);
    EXPECT_STREQ(e.what(), "data/f.jsonl:3: column 7: expected 'true' near 't'");
  }
}

}  // namespace
}  // namespace bugseek::json
