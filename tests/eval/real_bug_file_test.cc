#include "eval/real_bug_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/error.h"

namespace bugseek::eval {
namespace {

std::string error_of(std::string_view text) {
  try {
    parse_real_bug_pairs(text, "bugs.jsonl");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(RealBugFile, ParsesPairsWithEscapesAndOptionalFields) {
  std::string text = R"({"id": "p1", "path": "a/b.py", "language": "python", )"
                     R"("buggy_source": "def f(x):\n    return x < 1\n", )"
                     R"("fixed_source": "def f(x):\n    return x <= 1\n", "origin": {"repo": "r"}})"
                     "\n\n"
                     R"({"buggy_source": "s = \"caf\u00e9\"\t# \ud83d\ude00", "fixed_source": "t"})"
                     "\n";
  auto pairs = parse_real_bug_pairs(text, "data/bugs.jsonl");
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[0].id, "p1");
  EXPECT_EQ(pairs[0].path, "a/b.py");
  EXPECT_EQ(pairs[0].language, "python");
  EXPECT_EQ(pairs[0].buggy_source, "def f(x):\n    return x < 1\n");
  EXPECT_EQ(pairs[0].line, 1u);
  EXPECT_EQ(pairs[1].id, "bugs.jsonl:3");
  EXPECT_EQ(pairs[1].line, 3u);
  EXPECT_EQ(pairs[1].buggy_source, "s = \"caf\xC3\xA9\"\t# \xF0\x9F\x98\x80");
  EXPECT_EQ(pairs[1].language, "");
}

TEST(RealBugFile, ErrorsNameFileAndLine) {
  EXPECT_EQ(error_of("{\"fixed_source\": \"x\"}"),
            "bugs.jsonl:1: expected a string field \"buggy_source\"");
  EXPECT_EQ(error_of("\n{\"buggy_source\": 3, \"fixed_source\": \"x\"}"),
            "bugs.jsonl:2: expected a string field \"buggy_source\", found integer");
  EXPECT_EQ(error_of("[1]"), "bugs.jsonl:1: expected a JSON object, found array");
  EXPECT_EQ(error_of("{\"id\": 5, \"buggy_source\": \"a\", \"fixed_source\": \"b\"}"),
            "bugs.jsonl:1: field \"id\" must be a string, found integer");
  EXPECT_EQ(error_of("{\"buggy_source\": \"a\",}"),
            "bugs.jsonl:1: not valid JSON: column 22: expected a string key near '}'");
}

TEST(RealBugFile, ReadsTheSharedDevSet) {
  std::filesystem::path dev =
      std::filesystem::path(BUGSEEK_SOURCE_DIR) / ".." / "shared" / "realbugs" / "dev.jsonl";
  if (!std::filesystem::exists(dev)) GTEST_SKIP() << "no " << dev;
  auto pairs = read_real_bug_pairs(dev);
  EXPECT_EQ(pairs.size(), 404u);
  for (const RealBugPair& p : pairs) {
    EXPECT_FALSE(p.buggy_source.empty()) << p.id;
    EXPECT_NE(p.buggy_source, p.fixed_source) << p.id;
  }
}

}  // namespace
}  // namespace bugseek::eval
