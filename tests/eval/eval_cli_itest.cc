// `bugseek eval` end to end with a tiny untrained model on the example real-bug pairs: markdown,
// JSON, the PR plot, determinism across runs, and usage errors.
#include <gtest/gtest.h>

#include <cstdlib>

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
