// Mining git histories built in the test: the one real fix among a rename, a reformat and a
// merge; de-duplication; --keywords, --since, --max-commits; excluded, broken and bare
// repositories; the same output whatever the thread count.
#include "mine/mine.h"

#include <gtest/gtest.h>

#include "common/fs.h"
#include "common/json.h"
#include "tests/mine/git_fixture.h"

namespace bugseek::mine {
namespace {

using testing::GitFixture;

const char* kCalc =
    "def clamp(a, b):\n"
    "    if a < b:\n"
    "        return a\n"
    "    return b\n"
    "\n"
    "\n"
    "def total(items):\n"
    "    count = 0\n"
    "    for item in items:\n"
    "        count += item\n"
    "    return count\n"
    "\n"
    "\n"
    "class Box:\n"
    "    def area(self, width, height):\n"
    "        result = width * height\n"
    "        return result\n";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  size_t at;
  while ((at = text.find(from)) != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

class MineTest : public ::testing::Test {
 protected:
  MineConfig config(std::vector<std::string> repos) const {
    MineConfig c;
    c.repos = std::move(repos);
    c.out = (dir_.path() / "fixes.jsonl").string();
    return c;
  }
  std::vector<json::Value> output(const MineConfig& c) const {
    return json::parse_lines(read_file(c.out), c.out);
  }
  // A repository whose only single-token fix is `a < b` -> `a <= b` in clamp (returned in *fix).
  GitFixture history(const std::string& name, std::string* fix) {
    GitFixture g(dir_.path(), name);
    g.write("pkg/calc.py", kCalc);
    g.commit("Initial version", "2020-01-01T10:00:00+00:00");
    std::string text = replaced(kCalc, "a < b", "a <= b");
    g.write("pkg/calc.py", text);
    *fix = g.commit("Fix clamp at the boundary", "2020-01-02T10:00:00+02:00");
    text = replaced(text, "count", "acc");  // (2) a rename everywhere in total
    g.write("pkg/calc.py", text);
    g.commit("Rename count to acc", "2020-01-03T10:00:00+00:00");
    text = replaced(text, "width * height", "width*height");  // (3) layout only
    g.write("pkg/calc.py", text);
    g.commit("Reformat", "2020-01-04T10:00:00+00:00");
    g.git("checkout -q -b side");  // (4) a merge that also flips a token
    g.write("pkg/util.py", "def helper(x):\n    return x\n");
    g.commit("Add helper", "2020-01-05T10:00:00+00:00");
    g.git("checkout -q main");
    g.set_date("2020-01-06T10:00:00+00:00");
    g.git("merge -q --no-ff --no-commit side");
    g.write("pkg/calc.py", replaced(text, "width*height", "width+height"));
    g.commit("Merge branch side (fix area)", "2020-01-06T10:00:00+00:00");
    return g;
  }
  testing::TempDir dir_;
};

TEST_F(MineTest, FindsExactlyTheFix) {
  std::string fix;
  GitFixture g = history("repo", &fix);
  const MineConfig c = config({g.path().string()});
  const MineSummary s = mine_repositories(c);
  EXPECT_EQ(s.commits, 6u);
  EXPECT_EQ(s.merges, 1u);
  EXPECT_EQ(s.roots, 1u);
  EXPECT_EQ(s.fixes, 1u);
  EXPECT_EQ(s.per_kind[static_cast<int>(parser::BugKind::kCompareOperator)], 1u);
  const auto lines = output(c);
  ASSERT_EQ(lines.size(), 1u);
  const json::Value& v = lines[0];
  EXPECT_EQ(v.at("kind").as_string(), "wrong-compare-op");
  EXPECT_EQ(v.at("language").as_string(), "python");
  EXPECT_EQ(v.at("path").as_string(), "pkg/calc.py");
  EXPECT_FALSE(v.at("is_test").as_bool());
  EXPECT_NE(v.at("buggy_source").as_string().find("if a < b:"), std::string::npos);
  EXPECT_NE(v.at("fixed_source").as_string().find("if a <= b:"), std::string::npos);
  const json::Value& o = v.at("origin");
  EXPECT_EQ(o.at("commit").as_string(), fix);
  EXPECT_EQ(o.at("function").as_string(), "clamp");
  EXPECT_EQ(o.at("path").as_string(), "pkg/calc.py");
  EXPECT_EQ(o.at("line").as_int(), 2);
  EXPECT_EQ(o.at("date").as_string(), "2020-01-02T10:00:00+02:00");
  EXPECT_EQ(o.at("repo").as_string(), g.path().lexically_normal().string());
  EXPECT_FALSE(v.at("id").as_string().empty());
}

TEST_F(MineTest, BareCloneAndRemoteUrl) {
  std::string fix;
  GitFixture g = history("repo", &fix);
  const auto bare = dir_.path() / "bare.git";
  testing::shell("git clone -q --bare '" + g.path().string() + "' '" + bare.string() + "'");
  testing::shell("git -C '" + bare.string() +
                 "' remote set-url origin https://example.org/team/calc.git");
  const MineConfig c = config({bare.string()});
  mine_repositories(c);
  const auto lines = output(c);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("origin").at("commit").as_string(), fix);
  EXPECT_EQ(lines[0].at("origin").at("repo").as_string(), "https://example.org/team/calc.git");
}

TEST_F(MineTest, SameThreadsOrNot) {
  std::string fix;
  GitFixture g = history("repo", &fix);
  g.write("pkg/calc.py",
          replaced(read_file(g.path() / "pkg/calc.py"), "return result", "return height"));
  g.commit("Oops", "2020-01-07T10:00:00+00:00");
  g.write("pkg/calc.py",
          replaced(read_file(g.path() / "pkg/calc.py"), "return height", "return result"));
  g.commit("Return the area", "2020-01-08T10:00:00+00:00");
  MineConfig c = config({g.path().string()});
  c.threads = 1;
  mine_repositories(c);
  const std::string one = read_file(c.out);
  c.threads = 3;
  mine_repositories(c);
  EXPECT_EQ(read_file(c.out), one);
  const auto lines = output(c);  // the clamp fix and the repair of the slip, not the slip
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].at("origin").at("subject").as_string(), "Return the area");
  EXPECT_EQ(mine_repositories(c).reverted, 1u);
}

TEST_F(MineTest, DuplicatesKeepTheOldestCommit) {
  // The same fix, differently indented, in a newer repository listed first.
  GitFixture newer(dir_.path(), "newer");
  newer.write("a.py", "def f(x, y):\n  return x - x\n");
  newer.commit("Initial", "2021-01-01T00:00:00+00:00");
  newer.write("a.py", "def f(x, y):\n  return x - y\n");
  newer.commit("Fix", "2021-02-01T00:00:00+00:00");
  GitFixture older(dir_.path(), "older");
  older.write("b.py", "def f(x, y):\n    return x - x\n");
  older.commit("Initial", "2019-01-01T00:00:00+00:00");
  older.write("b.py", "def f(x, y):\n    return x - y\n");
  const std::string kept = older.commit("Fix", "2019-02-01T00:00:00+00:00");
  const MineConfig c = config({newer.path().string(), older.path().string()});
  const MineSummary s = mine_repositories(c);
  EXPECT_EQ(s.duplicates, 1u);
  EXPECT_EQ(s.fixes, 1u);
  const auto lines = output(c);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("origin").at("commit").as_string(), kept);
  EXPECT_EQ(lines[0].at("kind").as_string(), "variable-misuse");
}

TEST_F(MineTest, CherryPickOnTwoBranchesCountsOnce) {
  GitFixture g(dir_.path(), "repo");
  g.write("a.py", "def f(x, y):\n    return x and y\n");
  g.commit("Initial", "2020-01-01T00:00:00+00:00");
  g.git("checkout -q -b stable");
  g.write("a.py", "def f(x, y):\n    return x or y\n");
  const std::string first = g.commit("Fix f", "2020-02-01T00:00:00+00:00");
  g.git("checkout -q main");
  g.set_date("2020-03-01T00:00:00+00:00");
  g.git("cherry-pick " + first);
  MineConfig c = config({g.path().string()});
  c.revs = {"main", "stable"};
  const MineSummary s = mine_repositories(c);
  EXPECT_EQ(s.duplicates, 1u);
  const auto lines = output(c);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("origin").at("commit").as_string(), first);
  EXPECT_EQ(lines[0].at("kind").as_string(), "wrong-boolean-op");
}

TEST_F(MineTest, KeywordsSinceAndMaxCommits) {
  GitFixture g(dir_.path(), "repo");
  g.write("a.py", "def f(x, y):\n    return x < y\n\ndef g(x, y):\n    return x + y\n");
  g.commit("Initial", "2019-01-01T00:00:00+00:00");
  g.write("a.py", "def f(x, y):\n    return x > y\n\ndef g(x, y):\n    return x + y\n");
  const std::string tweak = g.commit("Tweak prefix handling", "2019-06-01T00:00:00+00:00");
  g.write("a.py", "def f(x, y):\n    return x > y\n\ndef g(x, y):\n    return x - y\n");
  const std::string fixed = g.commit("Fixes #12: subtract", "2021-06-01T00:00:00+00:00");

  MineConfig c = config({g.path().string()});
  EXPECT_EQ(mine_repositories(c).fixes, 2u);
  c.keywords = true;
  MineSummary s = mine_repositories(c);
  EXPECT_EQ(s.no_keyword, 1u);  // the tweak (the root commit has no parent to diff)
  ASSERT_EQ(output(c).size(), 1u);
  EXPECT_EQ(output(c)[0].at("origin").at("commit").as_string(), fixed);

  c.keywords = false;
  c.since = "2020-01-01";
  s = mine_repositories(c);
  EXPECT_EQ(s.commits, 1u);
  ASSERT_EQ(output(c).size(), 1u);
  EXPECT_EQ(output(c)[0].at("origin").at("commit").as_string(), fixed);

  c.since = "";
  c.max_commits = 2;  // the newest two
  s = mine_repositories(c);
  EXPECT_EQ(s.commits, 2u);
  EXPECT_EQ(s.fixes, 2u);
  EXPECT_EQ(output(c)[0].at("origin").at("commit").as_string(), tweak);
  c.since = "2020-13-01";
  EXPECT_THROW(mine_repositories(c), UsageError);
}

TEST_F(MineTest, OnlyListedCommitsAreRead) {
  GitFixture g(dir_.path(), "repo");
  g.write("a.py", "def f(x, y):\n    return x < y\n\ndef g(x, y):\n    return x + y\n");
  g.commit("Initial", "2019-01-01T00:00:00+00:00");
  g.write("a.py", "def f(x, y):\n    return x > y\n\ndef g(x, y):\n    return x + y\n");
  const std::string first = g.commit("Flip", "2019-06-01T00:00:00+00:00");
  g.write("a.py", "def f(x, y):\n    return x > y\n\ndef g(x, y):\n    return x - y\n");
  const std::string second = g.commit("Subtract", "2021-06-01T00:00:00+00:00");
  // A sources table as data/mined/fixes-sources.tsv has it: the commit id is one column.
  const std::string list = (dir_.path() / "sources.tsv").string();
  write_file_atomic(list, "repository\tcommit\tpath\nhttps://example.org/r\t" + first + "\ta.py\n");
  MineConfig c = config({g.path().string()});
  c.only_commits = read_commit_list(list);
  ASSERT_EQ(c.only_commits.size(), 1u);
  c.max_commits = 1;  // ignored with a list: the listed commit is older than the newest one
  const MineSummary s = mine_repositories(c);
  EXPECT_EQ(s.commits, 1u);
  const auto lines = output(c);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("origin").at("commit").as_string(), first);
  EXPECT_NE(second, first);
  const std::string empty = (dir_.path() / "empty.txt").string();
  write_file_atomic(empty, "no ids here\n");
  EXPECT_THROW(read_commit_list(empty), Error);
}

TEST_F(MineTest, ExcludedRepositoryIsRefused) {
  std::string fix;
  GitFixture listed = history("listed", &fix);
  listed.git("remote add origin git@github.com:Team/Listed.git");
  GitFixture other = history("other", &fix);
  const auto list = dir_.path() / "exclude.txt";
  write_file_atomic(list, "https://github.com/someone/else\nhttps://github.com/team/listed\n");
  MineConfig c = config({listed.path().string(), other.path().string()});
  c.exclude_repos = list.string();
  const MineSummary s = mine_repositories(c);
  ASSERT_EQ(s.repos.size(), 2u);
  EXPECT_TRUE(s.repos[0].excluded);
  EXPECT_FALSE(s.repos[1].excluded);
  EXPECT_EQ(s.repos_read(), 1u);
  EXPECT_EQ(s.fixes, 1u);
  EXPECT_NE(s.format_table().find("1 excluded"), std::string::npos) << s.format_table();
  c.repos = {listed.path().string()};
  EXPECT_THROW(mine_repositories(c), Error);
}

TEST_F(MineTest, UnreadableRepositoriesAreReportedAndTheOthersGoOn) {
  std::string fix;
  GitFixture g = history("repo", &fix);
  const auto plain = dir_.path() / "plain";
  std::filesystem::create_directories(plain);
  const auto shallow = dir_.path() / "shallow";
  testing::shell("git clone -q --depth 1 'file://" + g.path().string() + "' '" + shallow.string() +
                 "'");
  GitFixture empty(dir_.path(), "empty");
  MineConfig c = config({plain.string(), shallow.string(), empty.path().string(),
                         (dir_.path() / "missing").string(), g.path().string()});
  const MineSummary s = mine_repositories(c);
  ASSERT_EQ(s.repos.size(), 5u);
  EXPECT_NE(s.repos[0].error.find("not a git repository"), std::string::npos) << s.repos[0].error;
  EXPECT_NE(s.repos[1].error.find("shallow"), std::string::npos) << s.repos[1].error;
  EXPECT_NE(s.repos[2].error.find("no commits"), std::string::npos) << s.repos[2].error;
  EXPECT_FALSE(s.repos[3].error.empty());
  EXPECT_TRUE(s.repos[4].error.empty());
  EXPECT_EQ(s.fixes, 1u);
  c.repos = {plain.string()};
  EXPECT_THROW(mine_repositories(c), Error);
}

TEST_F(MineTest, AMissingObjectCostsItsCommitNotTheRepository) {
  std::string fix;
  GitFixture g = history("repo", &fix);
  // Remove the blob of the fixed calc.py: reading that commit's diff fails.
  const std::string blob = g.git("rev-parse " + fix + ":pkg/calc.py");
  std::filesystem::remove(g.path() / ".git" / "objects" / blob.substr(0, 2) / blob.substr(2));
  GitFixture ok(dir_.path(), "ok");
  ok.write("a.py", "def f(x, y):\n    return x < y\n");
  ok.commit("Initial", "2020-01-01T00:00:00+00:00");
  const MineConfig c = config({g.path().string(), ok.path().string()});
  const MineSummary s = mine_repositories(c);
  // Fetched snapshots omit large files: the commit that needs the blob is skipped and counted,
  // the rest of the history is still mined.
  EXPECT_TRUE(s.repos[0].error.empty()) << s.repos[0].error;
  EXPECT_TRUE(s.repos[1].error.empty());
  EXPECT_GE(s.unreadable, 1u);
  EXPECT_EQ(s.fixes, 0u);  // the one fix needed the missing blob
}

TEST(MineText, Keywords) {
  EXPECT_TRUE(has_fix_keyword("Fixes #12"));
  EXPECT_TRUE(has_fix_keyword("small bug-fix"));
  EXPECT_TRUE(has_fix_keyword("TYPO in docs"));
  EXPECT_TRUE(has_fix_keyword("handle the wrong\nERROR path"));
  EXPECT_TRUE(has_fix_keyword("correctly patch it"));
  EXPECT_FALSE(has_fix_keyword("prefix and suffix handling"));
  EXPECT_FALSE(has_fix_keyword("Add a feature"));
  EXPECT_FALSE(has_fix_keyword(""));
}

TEST(MineText, Dates) {
  EXPECT_EQ(parse_date("1970-01-02"), 86400);
  EXPECT_THROW(parse_date("2020-1-1"), UsageError);
  EXPECT_THROW(parse_date("yesterday"), UsageError);
  EXPECT_EQ(iso8601(0, 0), "1970-01-01T00:00:00+00:00");
  EXPECT_EQ(iso8601(7200, -90), "1970-01-01T00:30:00-01:30");
  EXPECT_EQ(iso8601(3600, 90), "1970-01-01T02:30:00+01:30");
}

}  // namespace
}  // namespace bugseek::mine
