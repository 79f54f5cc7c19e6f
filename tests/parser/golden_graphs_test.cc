// Golden graphs: every case of tests/fixtures/graphs/*.txt is one test. To regenerate the
// expected edges after a deliberate change (then review the diff line by line):
//   BUGSEEK_UPDATE_GOLDEN=1 build/tests/parser_tests --gtest_filter='Golden*'
// Run the binary directly for updates, not ctest -j: cases of one file rewrite the same file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <map>

#include "tests/parser/golden_harness.h"

namespace bugseek::parser::golden {
namespace {

std::vector<GoldenCase> cases_or_empty() {
  try {
    return load_golden_cases();
  } catch (const std::exception&) {
    return {};  // GoldenFiles.WellFormed reports the error
  }
}

std::string case_test_name(const testing::TestParamInfo<GoldenCase>& info) {
  std::string name = std::filesystem::path(info.param.file).stem().string() + "_" + info.param.name;
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name + "_" + std::to_string(info.index);
}

bool update_mode() {
  const char* v = std::getenv("BUGSEEK_UPDATE_GOLDEN");
  return v && *v && std::string(v) != "0";
}

class Golden : public testing::TestWithParam<GoldenCase> {};

TEST_P(Golden, EdgesMatch) {
  const GoldenCase& c = GetParam();
  std::vector<std::string> actual;
  ASSERT_NO_THROW(actual = render_case(c)) << c.file << ": case '" << c.name << "'";
  if (update_mode()) {
    rewrite_expected(c, actual);
    GTEST_SKIP() << "rewrote the expected edges of '" << c.name << "' in " << c.file;
  }
  std::map<std::string, int> diff;  // > 0: missing from the graph, < 0: unexpected
  for (const auto& line : c.expected) ++diff[line];
  for (const auto& line : actual) --diff[line];
  std::string missing, unexpected;
  for (const auto& [line, n] : diff) {
    for (int k = 0; k < n; ++k) missing += "\n  " + line;
    for (int k = 0; k > n; --k) unexpected += "\n  " + line;
  }
  if (missing.empty() && unexpected.empty()) return;
  std::string all;
  for (const auto& line : actual) all += "\n" + line;
  ADD_FAILURE() << c.file << ": case '" << c.name << "'\nexpected but missing:" << missing
                << "\nunexpected:" << unexpected << "\nthe graph has (" << actual.size()
                << " lines):" << all;
}

INSTANTIATE_TEST_SUITE_P(Graphs, Golden, testing::ValuesIn(cases_or_empty()), case_test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Golden);

TEST(GoldenFiles, WellFormedAndPresent) {
  std::vector<GoldenCase> cases;
  ASSERT_NO_THROW(cases = load_golden_cases());
  EXPECT_GE(cases.size(), 6u) << "golden cases in " << golden_dir();
  for (const auto& c : cases) {
    EXPECT_FALSE(c.expected.empty() && !update_mode())
        << c.file << ": '" << c.name << "' lists no edges";
  }
}

TEST(GoldenFiles, ParserReadsSectionsAndDirectives) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("bugseek_golden_" + std::to_string(::getpid()) + ".txt");
  write_file_atomic(path,
                    "=== first\n% kinds NextToken Unit\n% unit f\ndef f():\n    pass\n---\n"
                    "NextToken  def@1:0 -> f@1:4\n\n=== second\nx = 1\n---\nChild[left]  a -> b\n");
  const auto cases = parse_golden_file(path.string());
  std::filesystem::remove(path);
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].name, "first");
  EXPECT_EQ(cases[0].kinds, (std::vector<std::string>{"NextToken", "Unit"}));
  EXPECT_EQ(cases[0].unit, "f");
  EXPECT_EQ(cases[0].source, "def f():\n    pass\n");
  EXPECT_EQ(cases[0].expected, std::vector<std::string>{"NextToken  def@1:0 -> f@1:4"});
  EXPECT_EQ(compared_kinds(cases[1]), std::vector<std::string>{"Child"});
  EXPECT_EQ(cases[1].source, "x = 1\n");
}

}  // namespace
}  // namespace bugseek::parser::golden
