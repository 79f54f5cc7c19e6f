// Broken input is data: parse_source, extract_units and build_graph never throw for it, and
// say what is wrong. Each kind of bad input the issue lists has a test here.
#include <gtest/gtest.h>

#include <string>

#include "parser/code_graph.h"
#include "parser/language.h"
#include "parser/source_file.h"
#include "parser/units.h"

namespace bugseek::parser {
namespace {

const Language& python() { return *find_language("python"); }

// Parses, extracts units and builds every graph; returns the file. Fails on any exception.
ParsedFile parse_all(const std::string& text, const ParseOptions& options = {},
                     size_t* nodes = nullptr) {
  ParsedFile file;
  EXPECT_NO_THROW({
    file = parse_source(text, python(), "test.py", options);
    for (const auto& unit : extract_units(file)) {
      const CodeGraph graph = build_graph(file, unit);
      if (nodes) *nodes += graph.nodes.size();
    }
  });
  return file;
}

TEST(BadInput, EmptyFile) {
  const ParsedFile file = parse_all("");
  EXPECT_EQ(file.status, ParseStatus::kEmpty);
  EXPECT_FALSE(file.problem.empty());
  EXPECT_TRUE(extract_units(file).empty());
}

TEST(BadInput, WhitespaceAndCommentsOnlyGiveAnEmptyModule) {
  const ParsedFile file = parse_all("\n\n# just a comment\n   \n");
  ASSERT_TRUE(file.ok());
  const auto units = extract_units(file);
  ASSERT_EQ(units.size(), 1u);
  EXPECT_EQ(units[0].kind, UnitKind::kModule);
  const CodeGraph graph = build_graph(file, units[0]);
  EXPECT_EQ(graph.nodes[graph.root].type, "module");
}

TEST(BadInput, BinaryFileIsRefusedWithTheOffset) {
  const ParsedFile file = parse_all(std::string("x = 1\n\0\x01\x02", 9));
  EXPECT_EQ(file.status, ParseStatus::kBinary);
  EXPECT_NE(file.problem.find("offset 6"), std::string::npos) << file.problem;
  EXPECT_FALSE(file.tree);
}

TEST(BadInput, InvalidUtf8IsRefusedWithTheLine) {
  const char* cases[] = {
      "x = 1\ny = '\xff'\n",       // never valid
      "x = '\x80'\n",              // lone continuation byte
      "x = '\xc0\xaf'\n",          // overlong '/'
      "x = '\xed\xa0\x80'\n",      // surrogate
      "x = '\xf4\x90\x80\x80'\n",  // above U+10FFFF
      "x = '\xe2\x82'",            // truncated at the end
  };
  for (const char* text : cases) {
    const ParsedFile file = parse_all(text);
    EXPECT_EQ(file.status, ParseStatus::kInvalidUtf8) << text;
  }
  EXPECT_NE(parse_all("x = 1\ny = '\xff'\n").problem.find("line 2"), std::string::npos);
}

TEST(BadInput, ValidMultibyteUtf8Parses) {
  const ParsedFile file = parse_all("def grüße(名前):\n    return '€ \xf0\x9f\x98\x80'\n");
  ASSERT_TRUE(file.ok()) << file.problem;
  EXPECT_FALSE(file.has_syntax_errors());
  EXPECT_EQ(extract_units(file)[0].name, "grüße");
}

TEST(BadInput, TooLargeIsRefused) {
  ParseOptions options;
  options.max_bytes = 10;
  const ParsedFile file = parse_all("x = 1234567890\n", options);
  EXPECT_EQ(file.status, ParseStatus::kTooLarge);
}

std::string nested_parens(int depth) {
  return "x = " + std::string(depth, '(') + "1" + std::string(depth, ')') + "\n";
}

std::string nested_ifs(int depth) {
  std::string text;
  for (int i = 0; i < depth; ++i) text += std::string(i, ' ') + "if a:\n";
  return text + std::string(depth, ' ') + "pass\n";
}

std::string nested_defs(int depth) {
  std::string text;
  for (int i = 0; i < depth; ++i)
    text += std::string(i, ' ') + "def f" + std::to_string(i) + "():\n";
  return text + std::string(depth, ' ') + "return 1\n";
}

TEST(BadInput, ThousandDeepNestingGivesAGraphOrAClearStatus) {
  for (const std::string& text : {nested_parens(1000), nested_ifs(1000), nested_defs(1000),
                                  "x = " + std::string(1000, '[') + std::string(1000, ']') + "\n",
                                  "x = " + std::string(1000, '-') + "1\n"}) {
    size_t nodes = 0;
    const ParsedFile file = parse_all(text, {}, &nodes);
    EXPECT_TRUE(file.status == ParseStatus::kOk || file.status == ParseStatus::kTooDeep)
        << parse_status_name(file.status);
    if (file.ok()) {
      EXPECT_GT(nodes, 1000u);
    } else {
      EXPECT_FALSE(file.problem.empty());
    }
  }
}

TEST(BadInput, DeepTreesBuildGraphsWithoutRecursion) {
  ParseOptions no_limit;
  no_limit.max_depth = 0;  // the passes are iterative: even 20,000 levels must not crash
  size_t nodes = 0;
  const ParsedFile file = parse_all(nested_parens(10000), no_limit, &nodes);
  ASSERT_TRUE(file.ok()) << file.problem;
  EXPECT_GT(file.max_depth, 10000u);
  EXPECT_GT(nodes, 20000u);
}

TEST(BadInput, TooDeepIsReportedAndKeepsTheTree) {
  ParseOptions options;
  options.max_depth = 50;
  const ParsedFile file = parse_all(nested_parens(100), options);
  EXPECT_EQ(file.status, ParseStatus::kTooDeep);
  EXPECT_TRUE(file.tree);
  EXPECT_TRUE(extract_units(file).empty());
}

std::string big_file(size_t target_bytes) {
  std::string text;
  for (int i = 0; text.size() < target_bytes; ++i) {
    const std::string n = std::to_string(i);
    text += "def f" + n +
            "(a, b):\n    s = f\"{a}-{b}\"  # c\n    return [a * k for k in range(b)]\n\n";
  }
  return text;
}

TEST(BadInput, SeveralMegabyteFileParsesWithEveryUnit) {
  const std::string text = big_file(3u << 20);
  size_t nodes = 0;
  // Size, not speed, is under test: no time limit (about 9 s here on a loaded machine, near the
  // default 10 s limit, which made the test fail under load).
  ParseOptions no_time_limit;
  no_time_limit.timeout_micros = 0;
  const ParsedFile file = parse_all(text, no_time_limit, &nodes);
  ASSERT_TRUE(file.ok()) << file.problem;
  EXPECT_FALSE(file.has_syntax_errors());
  EXPECT_GT(extract_units(file).size(), 30000u);
  EXPECT_GT(nodes, 1000000u);
}

TEST(BadInput, TimeoutIsReportedAndTheParserRecovers) {
  ParseOptions options;
  options.timeout_micros = 1;
  const ParsedFile slow = parse_all(big_file(4u << 20), options);
  EXPECT_EQ(slow.status, ParseStatus::kTimeout);
  EXPECT_FALSE(slow.problem.empty());
  // The thread's parser must be usable again (a timed-out parse would otherwise resume).
  const ParsedFile next = parse_all("def g():\n    return 2\n");
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next.has_syntax_errors());
  EXPECT_EQ(extract_units(next).size(), 2u);
}

TEST(BadInput, SyntaxErrorsAreCountedAndFlagTheRightUnit) {
  const ParsedFile file = parse_all(
      "def good():\n    return 1\n\ndef bad(x):\n    return (x +\n\ndef also_good():\n    pass\n");
  ASSERT_TRUE(file.ok());
  EXPECT_TRUE(file.has_syntax_errors());
  EXPECT_GT(file.error_nodes + file.missing_nodes, 0u);
  for (const auto& unit : extract_units(file)) {
    if (unit.name == "good") {
      EXPECT_FALSE(unit.has_syntax_errors);
    } else if (unit.name == "bad") {
      EXPECT_TRUE(unit.has_syntax_errors);
    }
  }
}

TEST(BadInput, ErrorInModuleCodeFlagsOnlyTheModule) {
  const ParsedFile file = parse_all("def good():\n    return 1\n\nx = = 2\n");
  ASSERT_TRUE(file.ok());
  const auto units = extract_units(file);
  ASSERT_EQ(units.size(), 2u);
  EXPECT_FALSE(units[0].has_syntax_errors);
  EXPECT_TRUE(units[1].has_syntax_errors);
  EXPECT_EQ(units[1].kind, UnitKind::kModule);
}

TEST(BadInput, GarbageTextGivesGraphs) {
  const char* cases[] = {
      ")))(((:::",
      "def",
      "class",
      "lambda",
      "@",
      "f\"{",
      "'''unterminated",
      "def f(:\n  ]]]\n",
      "\t\t  \tx\n  y\n",
      "if:\nelse:\n",
      "\xef\xbb\xbfx = 1\n",
      "x = 1\r\ny = 2\r\n",
      "\\\n",
  };
  for (const char* text : cases) {
    const ParsedFile file = parse_all(text);
    EXPECT_TRUE(file.ok()) << text << ": " << file.problem;
  }
}

}  // namespace
}  // namespace bugseek::parser
