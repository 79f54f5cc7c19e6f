// `bugseek eval` end to end with a tiny untrained model on the example real-bug pairs: markdown,
// JSON, the PR plot, determinism across runs, and usage errors.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "common/json.h"
#include "tests/scan/cli_run.h"
#include "tests/scan/tiny_model.h"

namespace bugseek {
namespace {

using testing::run_bugseek;

const std::string kPairs = std::string(BUGSEEK_SOURCE_DIR) + "/tests/fixtures/realbugs_example.jsonl";

class EvalCli : public ::testing::Test {
 protected:
  void SetUp() override { model_ = testing::write_tiny_model(dir_.path()).string(); }
  testing::CliRun eval(const std::string& args) const {
    return run_bugseek("eval --model " + model_ + " " + args, dir_.path());
  }
  testing::ScratchDir dir_;
  std::string model_;
};

TEST_F(EvalCli, HelpExitsZero) { EXPECT_EQ(run_bugseek("eval --help", dir_.path()).status, 0); }

TEST_F(EvalCli, RealSuiteMarkdownAndPlot) {
  const auto plots = dir_.path() / "plots";
  const auto r = eval("--suite real --data " + kPairs + " --plots " + plots.string());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("variable-misuse"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("example-whitespace-only"), std::string::npos) << r.out;
  EXPECT_TRUE(std::filesystem::exists(plots / "pr_curve.svg"));
}

TEST_F(EvalCli, RealSuiteJsonIsDeterministic) {
  const auto a = eval("--suite real --data " + kPairs + " --format json");
  const auto b = eval("--suite real --data " + kPairs + " --format json --threads 1");
  ASSERT_EQ(a.status, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  const json::Value v = json::parse(a.out);
  EXPECT_EQ(v.at("inputs").as_int(), 10);
  EXPECT_EQ(v.at("skipped").size(), 2u);
}

TEST_F(EvalCli, PredictionsAgreeWithTheMetrics) {
  const auto file = dir_.path() / "predictions.jsonl";
  const auto r = eval("--suite real --data " + kPairs + " --format json --predictions " +
                      file.string());
  ASSERT_EQ(r.status, 0) << r.err;
  const json::Value report = json::parse(r.out);
  const json::Value& overall = report.at("metrics").at("overall");
  std::ifstream in(file);
  std::string line;
  int64_t buggy = 0, clean = 0, joint = 0, no_bug_on_clean = 0;
  std::string last_buggy_id;
  while (std::getline(in, line)) {
    const json::Value p = json::parse(line);
    if (p.at("buggy").as_bool()) {
      ++buggy;
      last_buggy_id = p.at("id").as_string();
      joint += p.at("joint").as_bool() ? 1 : 0;
      const int64_t rank = p.at("true_site_rank").as_int();
      EXPECT_GE(rank, 1);
      EXPECT_LE(rank, p.at("num_sites").as_int());
      EXPECT_EQ(rank == 1, p.at("site_correct").as_bool()) << line;
    } else {
      ++clean;
      EXPECT_EQ(p.at("id").as_string(), last_buggy_id) << "a clean twin follows its buggy sample";
      no_bug_on_clean += p.at("predicted_no_bug").as_bool() ? 1 : 0;
    }
  }
  EXPECT_EQ(buggy, report.at("metrics").at("buggy_samples").as_int());
  EXPECT_EQ(clean, report.at("metrics").at("clean_samples").as_int());
  EXPECT_EQ(joint, overall.at("joint_accuracy").at("correct").as_int());
  EXPECT_EQ(no_bug_on_clean, overall.at("no_bug_accuracy").at("correct").as_int());
}

TEST_F(EvalCli, UsageErrors) {
  EXPECT_EQ(eval("--suite real").status, 2);         // no --data
  EXPECT_EQ(eval("--suite nonsense").status, 2);
  EXPECT_EQ(eval("--format xml --suite real --data " + kPairs).status, 2);
  // No model: none given, no runs/ here, and a BUGSEEK_HOME without the shipped one.
  ASSERT_EQ(setenv("BUGSEEK_HOME", dir_.path().c_str(), 1), 0);
  EXPECT_EQ(run_bugseek("eval --suite real --data " + kPairs, dir_.path(), dir_.path().string())
                .status,
            2);
  unsetenv("BUGSEEK_HOME");
}

TEST_F(EvalCli, MissingDatasetIsAnError) {
  const auto r = eval("--data " + (dir_.path() / "nope").string());
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("bugseek prepare"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace bugseek
