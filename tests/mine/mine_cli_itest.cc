// `bugseek mine` end to end: the real binary on a repository built in the test, its JSON Lines
// output (the real-bug format), the summary, and usage and runtime errors.
#include <gtest/gtest.h>

#include "common/fs.h"
#include "common/json.h"
#include "tests/mine/git_fixture.h"
#include "tests/scan/cli_run.h"

namespace bugseek {
namespace {

using testing::run_bugseek;

class MineCli : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::GitFixture g(dir_.path(), "repo");
    g.write("lib/ops.py", "def pick(a, b):\n    return a if a > b else b\n");
    g.commit("Initial", "2020-01-01T00:00:00+00:00");
    g.write("lib/ops.py", "def pick(a, b):\n    return a if a < b else b\n");
    commit_ = g.commit("Fix pick", "2020-01-02T00:00:00+00:00");
    repo_ = g.path().string();
    out_ = (dir_.path() / "fixes.jsonl").string();
  }
  testing::CliRun mine(const std::string& args) const {
    return run_bugseek("mine " + args, dir_.path());
  }
  testing::TempDir dir_;
  std::string repo_, out_, commit_;
};

TEST_F(MineCli, HelpExitsZero) {
  const auto r = mine("--help");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("--max-hunks"), std::string::npos) << r.out;
}

TEST_F(MineCli, WritesRealBugPairs) {
  const auto r = mine(repo_ + " --out " + out_ + " --threads 2 --exclude-repos ''");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("fixes kept"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fixes kept                 1 ("), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("wrong-compare-op         1 ("), std::string::npos) << r.out;
  const auto lines = json::parse_lines(read_file(out_), out_);
  ASSERT_EQ(lines.size(), 1u);
  for (const char* key : {"id", "path", "language", "buggy_source", "fixed_source", "kind"}) {
    EXPECT_TRUE(lines[0].at(key).is_string()) << key;
  }
  EXPECT_EQ(lines[0].at("origin").at("commit").as_string(), commit_);
  EXPECT_EQ(lines[0].at("buggy_source").as_string(),
            "def pick(a, b):\n    return a if a > b else b\n");
}

TEST_F(MineCli, UsageErrors) {
  EXPECT_EQ(mine("--out " + out_).status, 2);  // no repository
  EXPECT_EQ(mine(repo_).status, 2);            // no --out
  EXPECT_EQ(mine(repo_ + " --out " + out_ + " --since 2020/01/01").status, 2);
  EXPECT_EQ(mine(repo_ + " --out " + out_ + " --bogus").status, 2);
}

TEST_F(MineCli, NoReadableRepositoryExitsOne) {
  const auto r = mine(dir_.path().string() + " --out " + out_);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("not a git repository"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no repository could be read"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out_));
  // One good repository is enough: the bad one is reported and skipped.
  const auto ok = mine(dir_.path().string() + " " + repo_ + " --out " + out_);
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_NE(ok.out.find("1 unreadable"), std::string::npos) << ok.out;
}

}  // namespace
}  // namespace bugseek
