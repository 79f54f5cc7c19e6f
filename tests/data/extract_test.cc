#include "data/extract.h"

#include <gtest/gtest.h>

#include "data/function_graph.h"
#include "tests/data/pipeline_fixture.h"

namespace bugseek::data {
namespace {

TEST(Extract, KeepsFunctionsWithSitesAndCountsTheRest) {
  const ExtractResult r = extract_functions(testing::kModule, "pkg/mod.py",
                                            *parser::find_language("python"), ExtractOptions{}, true);
  EXPECT_TRUE(r.parsed);
  EXPECT_EQ(r.units, 6u);
  std::vector<std::string> names;
  for (const auto& f : r.functions) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"clamp", "Counter.__init__", "Counter.bump",
                                             "Counter.describe", "walk"}));
  EXPECT_EQ(r.dropped[static_cast<int>(DropReason::kNoSites)], 1u);  // pass_only
  EXPECT_FALSE(r.labels.empty());
  for (const auto& f : r.functions) {
    EXPECT_EQ(f.file, "pkg/mod.py");
    EXPECT_EQ(f.language, "python");
    EXPECT_GT(f.num_sites, 0u);
    EXPECT_EQ(f.text.rfind("def ", 0), 0u) << f.text;  // methods are dedented
  }
  EXPECT_EQ(r.functions[1].indent, 4u);
  EXPECT_EQ(r.functions[1].span.start.row, 13u);  // 0-based: the module starts with a newline
}

TEST(Extract, SizeLimitsAndBrokenCodeAreCountedNotFatal) {
  ExtractOptions small;
  small.max_function_bytes = 120;
  const ExtractResult r =
      extract_functions(testing::kModule, "m.py", *parser::find_language("python"), small, false);
  EXPECT_GT(r.dropped[static_cast<int>(DropReason::kTooLarge)], 0u);
  EXPECT_TRUE(r.labels.empty());

  const std::string broken = "def ok(a, b):\n    return a + b\n\ndef bad(x:\n    return x +\n";
  const ExtractResult b =
      extract_functions(broken, "b.py", *parser::find_language("python"), ExtractOptions{}, false);
  EXPECT_LE(b.functions.size(), 1u);
}

TEST(Extract, DedentLeavesMultilineStringsAlone) {
  std::string text = "    def f(self):\n        return 1\n\n    # end\n";
  uint32_t removed = 0;
  ASSERT_TRUE(dedent(text, &removed));
  EXPECT_EQ(removed, 4u);
  EXPECT_EQ(text, "def f(self):\n    return 1\n\n# end\n");
  std::string odd = "    def f(self):\n        s = '''\nflush left\n'''\n";
  const std::string before = odd;
  EXPECT_FALSE(dedent(odd, &removed));
  EXPECT_EQ(odd, before);
}

}  // namespace
}  // namespace bugseek::data
