// The commit-level fix finder on file texts: which changes are fixes, which are renames, layout
// or too large, and what a found fix records.
#include "mine/fix_finder.h"

#include <gtest/gtest.h>

#include "mine/exclusion.h"

namespace bugseek::mine {
namespace {

const parser::Language& python() { return *parser::find_language("python"); }

FileChange change(const std::string& path, const std::string& before, const std::string& after) {
  return {path, path, before, after};
}

CommitFixes find(const std::vector<FileChange>& files, uint32_t max_functions = 3) {
  FinderOptions options;
  options.max_functions = max_functions;
  return find_fixes(files, python(), options);
}

const char* kBefore =
    "import os\n"
    "\n"
    "def clamp(a, b):\n"
    "    if a < b:\n"
    "        return a\n"
    "    return b\n"
    "\n"
    "class Box:\n"
    "    def area(self, width, height):\n"
    "        result = width * width\n"
    "        return result\n";

TEST(FixFinder, ComparisonFix) {
  std::string after = kBefore;
  after.replace(after.find("a < b"), 5, "a <= b");
  const CommitFixes r = find({change("pkg/calc.py", kBefore, after)});
  EXPECT_EQ(r.changed_functions, 1u);
  EXPECT_EQ(r.candidates, 1u);
  ASSERT_EQ(r.fixes.size(), 1u);
  const FoundFix& f = r.fixes[0];
  EXPECT_EQ(f.kind, parser::BugKind::kCompareOperator);
  EXPECT_EQ(f.function, "clamp");
  EXPECT_EQ(f.path, "pkg/calc.py");
  EXPECT_EQ(f.line, 4u);
  EXPECT_EQ(f.buggy_token, "<");
  EXPECT_EQ(f.fixed_token, "<=");
  EXPECT_FALSE(f.is_test);
  EXPECT_EQ(f.buggy_source.rfind("def clamp(a, b):\n", 0), 0u) << f.buggy_source;
}

TEST(FixFinder, VariableMisuseInMethodIsDedented) {
  std::string after = kBefore;
  after.replace(after.find("width * width"), 13, "width * height");
  const CommitFixes r = find({change("tests/test_box.py", kBefore, after)});
  ASSERT_EQ(r.fixes.size(), 1u);
  const FoundFix& f = r.fixes[0];
  EXPECT_EQ(f.kind, parser::BugKind::kVariableMisuse);
  EXPECT_EQ(f.function, "Box.area");
  EXPECT_EQ(f.line, 10u);
  EXPECT_TRUE(f.is_test);
  EXPECT_EQ(f.buggy_source.rfind("def area(self, width, height):\n    result", 0), 0u)
      << f.buggy_source;
}

TEST(FixFinder, RenameEverywhereInAFunctionIsNotAFix) {
  const std::string before =
      "def total(items):\n    count = 0\n    for i in items:\n"
      "        count += i\n    return count\n";
  const std::string after =
      "def total(items):\n    acc = 0\n    for i in items:\n"
      "        acc += i\n    return acc\n";
  const CommitFixes r = find({change("m.py", before, after)});
  EXPECT_EQ(r.changed_functions, 1u);
  EXPECT_EQ(r.candidates, 0u);
  EXPECT_TRUE(r.fixes.empty());
}

TEST(FixFinder, RetiredGlobalIsNotAFix) {
  // `old_limit` (a global) was this function's only use of the name: retired, not misused. The
  // matcher only swaps locals, so this is not even a candidate.
  const std::string before = "def check(value, limit):\n    return value < old_limit\n";
  const std::string after = "def check(value, limit):\n    return value < limit\n";
  const CommitFixes r = find({change("m.py", before, after)});
  EXPECT_EQ(r.changed_functions, 1u);
  EXPECT_EQ(r.renames + r.fixes.size(), 0u);
}

TEST(FixFinder, SameNameReplacedInTwoFunctionsIsARename) {
  const std::string before =
      "def f(a, b):\n    x = a\n    return x + b\n\n"
      "def g(a, b):\n    y = a\n    return a * b\n";
  // Both replace `a` by `b`, and `a` stays in use in both: one name renamed at two call sites.
  const std::string after =
      "def f(a, b):\n    x = b\n    return x + b\n\n"
      "def g(a, b):\n    y = a\n    return b * b\n";
  const CommitFixes r = find({change("m.py", before, after)});
  EXPECT_EQ(r.candidates, 2u);
  EXPECT_EQ(r.renames, 2u);
  EXPECT_TRUE(r.fixes.empty());
  // One of them alone is a fix.
  const std::string only_f =
      "def f(a, b):\n    x = b\n    return x + b\n\n"
      "def g(a, b):\n    y = a\n    return a * b\n";
  EXPECT_EQ(find({change("m.py", before, only_f)}).fixes.size(), 1u);
}

TEST(FixFinder, SameCalleeSwappedInTwoFunctionsIsASignatureChange) {
  const std::string before =
      "def f(a, b):\n    return util.join(a, b)\n\n"
      "def g(x, y):\n    z = util.join(x, y)\n    return z\n";
  const std::string after =
      "def f(a, b):\n    return util.join(b, a)\n\n"
      "def g(x, y):\n    z = util.join(y, x)\n    return z\n";
  const CommitFixes r = find({change("m.py", before, after)});
  EXPECT_EQ(r.candidates, 2u);
  EXPECT_EQ(r.signature_changes, 2u);
  EXPECT_TRUE(r.fixes.empty());
  const std::string only_f =
      "def f(a, b):\n    return util.join(b, a)\n\n"
      "def g(x, y):\n    z = util.join(x, y)\n    return z\n";
  const CommitFixes one = find({change("m.py", before, only_f)});
  ASSERT_EQ(one.fixes.size(), 1u);
  EXPECT_EQ(one.fixes[0].kind, parser::BugKind::kArgumentSwap);
}

TEST(FixFinder, FormattingOnlyIsNothing) {
  std::string after = kBefore;
  after.replace(after.find("width * width"), 13, "width*width");
  after.replace(after.find("a < b"), 5, "a<b");
  const CommitFixes r = find({change("m.py", kBefore, after)});
  EXPECT_EQ(r.changed_functions, 0u);
  EXPECT_TRUE(r.fixes.empty());
  std::string commented = kBefore;
  commented.replace(commented.find("return b\n"), 9, "return b  # the larger\n");
  const CommitFixes c = find({change("m.py", kBefore, commented)});
  EXPECT_EQ(c.changed_functions, 1u);
  EXPECT_EQ(c.candidates, 0u);
}

TEST(FixFinder, TooManyChangedFunctions) {
  std::string after = kBefore;
  after.replace(after.find("a < b"), 5, "a <= b");
  after += "\ndef one():\n    return 1\n\ndef two():\n    return 2\n\ndef three():\n    return 3\n";
  const CommitFixes r = find({change("m.py", kBefore, after)});
  EXPECT_EQ(r.changed_functions, 4u);
  EXPECT_TRUE(r.too_many_functions);
  EXPECT_TRUE(r.fixes.empty());
  EXPECT_EQ(find({change("m.py", kBefore, after)}, 0).fixes.size(), 1u);  // 0 = no limit
  // New tests beside a fix are its regression tests: they do not count.
  const std::string tests =
      "def test_a():\n    pass\n\ndef test_b():\n    pass\n\n"
      "def test_c():\n    pass\n\ndef test_d():\n    pass\n";
  std::string fixed = kBefore;
  fixed.replace(fixed.find("a < b"), 5, "a <= b");
  const CommitFixes t = find({change("m.py", kBefore, fixed), {"", "tests/test_m.py", "", tests}});
  EXPECT_EQ(t.changed_functions, 1u);
  EXPECT_EQ(t.fixes.size(), 1u);
}

TEST(FixFinder, BrokenCodeIsNotAnError) {
  const CommitFixes r = find({change("m.py", "def f(:\n  return ((\n", "def f(:\n  return (\n"),
                              change("n.py", "", ""), change("o.py", "\xff\xfe", "x = 1\n")});
  EXPECT_TRUE(r.fixes.empty());
}

TEST(FixFinder, TestPaths) {
  EXPECT_TRUE(is_test_path("test_x.py"));
  EXPECT_TRUE(is_test_path("pkg/x_test.py"));
  EXPECT_TRUE(is_test_path("tests/helpers.py"));
  EXPECT_TRUE(is_test_path("src/test/helpers.py"));
  EXPECT_TRUE(is_test_path("conftest.py"));
  EXPECT_FALSE(is_test_path("pkg/testing.py"));
  EXPECT_FALSE(is_test_path("pkg/latest_x.py"));
  EXPECT_FALSE(is_test_path("contest/x.py"));
}

TEST(FixFinder, WithoutWhitespace) { EXPECT_EQ(without_whitespace(" a  <\tb\r\n"), "a<b"); }

TEST(Exclusion, NormalizesUrls) {
  EXPECT_EQ(normalize_repo_url("https://GitHub.com/Owner/Name.git/"), "github.com/owner/name");
  EXPECT_EQ(normalize_repo_url("git@github.com:owner/name.git"), "github.com/owner/name");
  EXPECT_EQ(normalize_repo_url("ssh://git@github.com/owner/name"), "github.com/owner/name");
  EXPECT_EQ(normalize_repo_url("http://www.github.com/owner/name//"), "github.com/owner/name");
  EXPECT_EQ(normalize_repo_url(" https://bitbucket.org/a/b \n"), "bitbucket.org/a/b");
}

TEST(Exclusion, ListAndMirrorUrls) {
  ExclusionList list;
  list.add("https://github.com/pallets/flask-ext-migrate");
  EXPECT_TRUE(list.contains("git@github.com:Pallets/flask-ext-migrate.git"));
  EXPECT_FALSE(list.contains("https://github.com/pallets/flask"));
  EXPECT_FALSE(list.contains(""));
  EXPECT_EQ(mirror_url("/work/.mirror/pallets+flask-ext-migrate/repo/.git"),
            "https://github.com/pallets/flask-ext-migrate");
  EXPECT_EQ(mirror_url("/work/.mirror/a+b"), "https://github.com/a/b");
  EXPECT_EQ(mirror_url("/tmp/a+b/repo"), "");
}

}  // namespace
}  // namespace bugseek::mine
