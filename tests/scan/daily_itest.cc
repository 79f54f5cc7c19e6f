// The daily-use side of `bugseek scan` end to end: calibrate a model on a small dataset, see the
// threshold in `inspect` and used by `scan` (or overridden), list suppressed findings, hide a
// baseline's findings, rescan from the cache (pruned to its limits), and check only the functions a
// git diff touches.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "common/json.h"
#include "tests/mine/git_fixture.h"
#include "tests/scan/cli_run.h"
#include "tests/scan/tiny_model.h"

namespace bugseek {
namespace {

using testing::run_bugseek;

class DailyCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string valid;
    for (int i = 0; i < 6; ++i) {
      const std::string rel = "corpus/m" + std::to_string(i) + ".py";
      const auto p = dir_.write(
          rel, "def f" + std::to_string(i) + "(a, b, c):\n    if a < b:\n        return a + c\n" +
                   "    return b * c\n\n\ndef g(x):\n    return x[0] == x[1]\n");
      valid += p.string() + "\tvalid\tkept\t" + p.string() + "\n";
    }
    const auto t = dir_.write("corpus/train.py", "def t(a):\n    return a - 1\n");
    dir_.write("data/files.tsv", "# path\tsplit\tstatus\tcanonical\n" + valid + t.string() +
                                     "\ttrain\tkept\t" + t.string() + "\n");
    dir_.write("src/code.py",
               "def h(p, q):\n    if p <= q:  # bugseek: ignore\n        return p - q\n"
               "    return q + p  # bugseek: ignore[wrong-binary-op, variable-misuse]\n");
    model_ = testing::write_tiny_model(dir_.path()).string();
  }
  testing::CliRun bugseek(const std::string& args) const { return run_bugseek(args, dir_.path()); }
  std::string src() const { return (dir_.path() / "src").string(); }

  testing::ScratchDir dir_;
  std::string model_;
};

TEST_F(DailyCli, CalibrateThenInspectAndScanUseTheThreshold) {
  EXPECT_EQ(bugseek("calibrate --help").status, 0);
  auto r = bugseek("scan " + src() + " --model " + model_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("not calibrated"), std::string::npos) << r.err;
  EXPECT_NE(bugseek("inspect " + model_).out.find("not calibrated"), std::string::npos);

  r = bugseek("calibrate --model " + model_ + " --data " + (dir_.path() / "data").string() +
              " --max-false-alarm-rate 0.1");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("threshold"), std::string::npos) << r.out;
  const auto inspect = bugseek("inspect " + model_);
  EXPECT_NE(inspect.out.find("clean units of"), std::string::npos) << inspect.out;

  r = bugseek("scan " + src() + " --model " + model_ + " --format json");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("calibrated"), std::string::npos) << r.err;
  const double calibrated = json::parse(r.out).at("summary").at("threshold").as_double();
  EXPECT_GT(calibrated, 0.0);
  r = bugseek("scan " + src() + " --model " + model_ + " --format json --threshold 0.25");
  EXPECT_EQ(json::parse(r.out).at("summary").at("threshold").as_double(), 0.25);
  r = bugseek("scan " + src() + " --model " + model_ + " --format json --max-false-alarm-rate 1");
  EXPECT_EQ(json::parse(r.out).at("summary").at("threshold").as_double(), 0.0);
  EXPECT_EQ(bugseek("scan " + src() + " --model " + model_ + " --max-false-alarm-rate 2").status,
            2);
  EXPECT_EQ(bugseek("calibrate --model " + model_ + " --data " + dir_.path().string()).status, 2);
}

TEST_F(DailyCli, SuppressedFindingsAreListedOnRequest) {
  auto r = bugseek("scan " + src() + " --model " + model_ + " --threshold 0 --format json");
  ASSERT_EQ(r.status, 0) << r.err;
  json::Value v = json::parse(r.out);
  const int64_t suppressed = v.at("summary").at("findings_suppressed").as_int();
  r = bugseek("scan " + src() + " --model " + model_ + " --threshold 0 --show-suppressed");
  ASSERT_EQ(r.status, 0) << r.err;
  if (suppressed > 0) {
    EXPECT_NE(r.out.find("(suppressed)"), std::string::npos) << r.out;
  }
  r = bugseek("scan " + src() + " --model " + model_ +
              " --threshold 0 --show-suppressed --format sarif");
  v = json::parse(r.out);
  int64_t marked = 0;
  for (const json::Value& result : v.at("runs")[0].at("results").as_array()) {
    if (result.contains("suppressions")) ++marked;
  }
  EXPECT_EQ(marked, suppressed);
  EXPECT_NE(bugseek("scan --help").out.find("bugseek: ignore"), std::string::npos);
}

TEST_F(DailyCli, BaselineFromSarifAndCacheOnRescan) {
  const std::string cache = " --cache " + (dir_.path() / "c").string();
  auto r =
      bugseek("scan " + src() + " --model " + model_ + " --threshold 0 --format sarif" + cache);
  ASSERT_EQ(r.status, 0) << r.err;
  dir_.write("base.sarif", r.out);
  r = bugseek("scan " + src() + " --model " + model_ + " --threshold 0 --fail-on-findings" + cache +
              " --baseline " + (dir_.path() / "base.sarif").string());
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.err.find("cache: 1 file"), std::string::npos) << r.err;
  EXPECT_EQ(bugseek("scan " + src() + " --model " + model_ + " --baseline /no/such").status, 2);
  r = bugseek("scan " + src() + " --model " + model_ + " --threshold 0 --no-cache --format json");
  EXPECT_EQ(json::parse(r.out).at("summary").at("cache_file_hits").as_int(), 0);
}

TEST_F(DailyCli, CacheIsPrunedToItsCap) {
  const std::string help = bugseek("scan --help").out;
  EXPECT_NE(help.find("--cache-max-mb arg (=512)"), std::string::npos) << help;
  EXPECT_NE(help.find("--cache-max-days arg (=30)"), std::string::npos) << help;
  EXPECT_EQ(bugseek("scan " + src() + " --model " + model_ + " --cache-max-days -1").status, 2);
  // 2 MB of entries last used 60 days ago: the age limit removes them all, the cap would not.
  const auto cache = dir_.path() / "c";
  for (int i = 0; i < 8; ++i) {
    const auto p = dir_.write("c/0" + std::to_string(i) + "/x.file", std::string(256 << 10, 'x'));
    const std::string touch = "touch -d '60 days ago' " + p.string();
    ASSERT_EQ(std::system(touch.c_str()), 0);
  }
  auto r = bugseek("scan " + src() + " --model " + model_ + " --cache " + cache.string() +
                   " --cache-max-mb 10 --format json");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).at("summary").at("cache_entries_pruned").as_int(), 8);
  EXPECT_NE(r.err.find("8 old entries removed"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(cache / "00" / "x.file"));
}

TEST_F(DailyCli, DiffChecksOnlyChangedFunctions) {
  testing::GitFixture repo(dir_.path(), "repo");
  const std::string before = "def f(a, b):\n    return a < b\n\n\ndef g(a, b):\n    return a + b\n";
  repo.write("a.py", before);
  repo.commit("start", "2020-01-01T00:00:00+00:00");
  std::string after = before;
  after.replace(after.find("a + b"), 5, "a - b");  // in g only
  repo.write("a.py", after);                       // not staged: still part of the diff
  const std::string file = (repo.path() / "a.py").string();
  auto r =
      bugseek("scan " + file + " --model " + model_ + " --threshold 0 --diff HEAD --format json");
  ASSERT_EQ(r.status, 0) << r.err;
  const json::Value v = json::parse(r.out);
  EXPECT_EQ(v.at("summary").at("functions").as_int(), 1);
  for (const json::Value& f : v.at("findings").as_array()) {
    EXPECT_EQ(f.at("function").as_string(), "g");
  }
  EXPECT_EQ(bugseek("scan " + file + " --model " + model_ + " --diff no-such-rev").status, 2);
  EXPECT_EQ(bugseek("scan " + src() + " --model " + model_ + " --diff HEAD").status, 2);  // no repo
}

}  // namespace
}  // namespace bugseek
