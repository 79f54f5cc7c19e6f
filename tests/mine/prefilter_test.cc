// The textual pre-filter of `bugseek mine`: which line-diff hunks may hold a single-token fix, the
// light scan that finds function lines and docstrings, and the line diff it reads hunks from.
#include "mine/prefilter.h"

#include <gtest/gtest.h>

namespace bugseek::mine {
namespace {

TEST(Prefilter, OneTokenHunksQualify) {
  EXPECT_TRUE(is_one_token_hunk("    if a < b:\n", "    if a <= b:\n"));
  EXPECT_TRUE(is_one_token_hunk("    return x\n", "    return y\n"));
  EXPECT_TRUE(is_one_token_hunk("    if ok:\n", "    if not ok:\n"));
  EXPECT_TRUE(is_one_token_hunk("    n = 1\n", "    n = -1\n"));
  EXPECT_TRUE(is_one_token_hunk("    f(x, True)\n", "    f(x, False)\n"));
  EXPECT_TRUE(is_one_token_hunk("    s = f'{a}!'\n", "    s = f'{b}!'\n"));  // f-string
  // A call's arguments spread over lines, swapped.
  EXPECT_TRUE(is_one_token_hunk("    f(alpha.first,\n      beta)\n", "    f(beta,\n      alpha.first)\n"));
  // The fix with its line re-wrapped or commented: the matcher ignores both.
  EXPECT_TRUE(is_one_token_hunk("    x = g(a, b) + 1\n", "    x = g(a,\n          b) - 1\n"));
  EXPECT_TRUE(is_one_token_hunk("    n = 0\n",
                                "    # Counting starts at one, as the file format numbers rows\n"
                                "    n = 1  # not 0: see the comment above\n"));
  EXPECT_TRUE(is_one_token_hunk("    s = '#%d' % i\n", "    s = '#%d' % j\n"));  // # in a string
}

TEST(Prefilter, TwoLinesToOneDoNotQualify) {
  EXPECT_FALSE(is_one_token_hunk("    a = compute(x)\n    return a + offset\n",
                                 "    return compute(x) + offset\n"));
}

TEST(Prefilter, LargeMiddleDoesNotQualify) {
  EXPECT_FALSE(is_one_token_hunk("    return sum(p for p in prices)\n",
                                 "    return reduce(operator.add, prices, 0)\n"));
  EXPECT_FALSE(is_one_token_hunk("    f(a)\n", "    f(a, b)\n"));  // an argument added
  EXPECT_FALSE(is_one_token_hunk("", "    log.debug('entering the main loop')\n"));
  EXPECT_FALSE(is_one_token_hunk("    log('sent')\n", "    log('send')\n"));  // string text
}

TEST(Prefilter, LayoutOrCommentsOnlyDoNotQualify) {
  EXPECT_FALSE(is_one_token_hunk("    x = a+b\n", "    x = a + b\n"));
  EXPECT_FALSE(is_one_token_hunk("\tx = a\n", "        x = a\n"));
  EXPECT_FALSE(is_one_token_hunk("    x = a  # old note\n", "    x = a  # new note\n"));
  EXPECT_FALSE(is_one_token_hunk("", "\n"));
  EXPECT_FALSE(is_one_token_hunk("", ""));
}

TEST(Prefilter, TokensOfALine) {
  std::vector<std::string> texts;
  for (const PyToken& t : py_tokens("x **= rb'a#b' <= y  # c\n")) texts.emplace_back(t.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"x", "**=", "rb'a#b'", "<=", "y"}));
}

TEST(Prefilter, WindowsFindAFixNextToOtherChanges) {
  // A fix directly above a test added in the same hunk (seen in requests).
  LineHunk h;
  h.old_start = 10;
  h.old_lines = 1;
  h.new_start = 10;
  h.new_lines = 4;
  h.deleted = "        self.assertEqual(post.status_code, 200)\n";
  h.added =
      "        self.assertEqual(post3.status_code, 200)\n"
      "\n"
      "    def test_patch(self):\n"
      "        self.assertEqual(requests.patch(url).status_code, 200)\n";
  const std::vector<HunkSpot> spots = one_token_spots(h);
  ASSERT_FALSE(spots.empty());
  EXPECT_EQ(spots[0].old_line, 10u);
  EXPECT_EQ(spots[0].new_line, 10u);
}

TEST(Prefilter, FunctionLinesAndDocstrings) {
  const std::string text =
      "import os\n"                    // 1
      "X = 1\n"                        // 2
      "@wrap\n"                        // 3
      "def f(a,\n"                     // 4
      "      b):\n"                    // 5
      "    '''Doc\n"                   // 6
      "text at column 0\n"             // 7
      "    '''\n"                      // 8
      "    return a\n"                 // 9
      "\n"                             // 10
      "class C:\n"                     // 11
      "    y = [1,\n"                  // 12
      "2]\n"                           // 13
      "    async def g(self):\n"       // 14
      "        return (1 +\n"          // 15
      "  2)\n"                         // 16
      "    z = 3\n";                   // 17
  const PythonLines lines = scan_python(text);
  EXPECT_EQ(lines.functions,
            (std::vector<std::pair<uint32_t, uint32_t>>{{3, 10}, {14, 16}}));
  ASSERT_GE(lines.in_string.size(), 9u);
  EXPECT_FALSE(lines.in_string[6]);  // opens the docstring
  EXPECT_TRUE(lines.in_string[7]);
  EXPECT_FALSE(lines.in_string[8]);  // closes it
  EXPECT_FALSE(lines.in_string[9]);
  // An unclosed bracket: lost track, so all of it.
  EXPECT_EQ(function_lines("x = (\n1\n"), (std::vector<std::pair<uint32_t, uint32_t>>{{1, 2}}));
}

TEST(Prefilter, LineHunksHaveNoContext) {
  const std::string before = "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n";
  const std::string after = "a = 1\nb = 3\nc = 3\nd = 4\ne = 5\nf = 6\n";
  const std::vector<LineHunk> hunks = line_hunks(before, after);
  ASSERT_EQ(hunks.size(), 2u);
  EXPECT_EQ(hunks[0].old_start, 2u);
  EXPECT_EQ(hunks[0].old_lines, 1u);
  EXPECT_EQ(hunks[0].new_lines, 1u);
  EXPECT_EQ(hunks[0].deleted, "b = 2\n");
  EXPECT_EQ(hunks[0].added, "b = 3\n");
  EXPECT_EQ(hunks[1].old_lines, 0u);
  EXPECT_EQ(hunks[1].deleted, "");
  EXPECT_EQ(hunks[1].added, "f = 6\n");
}

TEST(Prefilter, FilesWithAOneTokenSpot) {
  const std::string before = "LIMIT = 1\n\n\ndef f(a, b):\n    return a - b\n";
  const std::string fixed = "LIMIT = 1\n\n\ndef f(a, b):\n    return b - a\n";
  const std::string rewritten =
      "LIMIT = 1\n\n\ndef f(a, b):\n    total = sum([a, -b])\n    return total\n";
  const std::string module_level = "LIMIT = 2\n\n\ndef f(a, b):\n    return a - b\n";
  const std::string docstring_only = "def f(a):\n    '''Add\n    one\n    '''\n    return a\n";
  const std::string docstring_fixed = "def f(a):\n    '''Add\n    two\n    '''\n    return a\n";
  EXPECT_TRUE(has_one_token_hunk({{"m.py", "m.py", before, fixed}}));
  EXPECT_FALSE(has_one_token_hunk({{"m.py", "m.py", before, rewritten}}));
  EXPECT_FALSE(has_one_token_hunk({{"m.py", "m.py", before, module_level}}));  // not in a def
  EXPECT_FALSE(has_one_token_hunk({{"m.py", "m.py", docstring_only, docstring_fixed}}));
  EXPECT_FALSE(has_one_token_hunk({{"", "m.py", "", fixed}}));  // added
  EXPECT_TRUE(has_one_token_hunk(
      {{"m.py", "m.py", before, rewritten}, {"n.py", "n.py", before, fixed}}));
}

}  // namespace
}  // namespace bugseek::mine
