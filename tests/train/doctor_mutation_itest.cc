// The doctor tested by mutation: each planted pipeline bug (common/fault.h, switched on through
// BUGSEEK_TEST_FAULT) must make `bugseek doctor` fail with the check of its stage, and the
// unmodified pipeline must pass with any seed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "common/fs.h"
#include "tests/scan/cli_run.h"
#include "tests/train/tiny_dataset.h"

namespace bugseek {
namespace {
namespace fs = std::filesystem;
using testing::run_bugseek;

class DoctorMutation : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() / ("bugseek_doctor_itest_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    const auto r = testing::prepare_tiny_dataset(root_);
    ASSERT_EQ(r.status, 0) << r.err;
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }

  static testing::CliRun doctor(const std::string& fault, int seed = 1) {
    return run_bugseek("doctor --preset tiny --threads 1 --seed " + std::to_string(seed) +
                           " --data " + (root_ / "data").string(),
                       root_, "", fault.empty() ? "" : "BUGSEEK_TEST_FAULT=" + fault);
  }

  static fs::path root_;
};
fs::path DoctorMutation::root_;

struct Planted {
  const char* fault;
  const char* stage;  // the check that must fail
  const char* still_passes = nullptr;  // a check that must not notice it
};

// Eleven planted bugs: labels, graphs, inputs, learning, splits and artefacts.
const Planted kPlanted[] = {
    {"label-off-by-one", "FAIL labels"},              // featurized target names the next rewrite
    {"batch-target-offset", "FAIL labels"},           // the batch shifts each graph's target site
    {"plant-clean-graph", "FAIL graphs", "PASS labels"},  // buggy graphs, clean code's nodes
    {"drop-edge-kind", "FAIL inputs"},                // one edge kind never reaches the tensors
    {"constant-node-types", "FAIL inputs"},           // every node gets the same type
    {"subtokens-dropped", "FAIL inputs"},             // no node label reaches the model
    {"optimizer-skips-heads", "FAIL learning"},       // the optimizer's parameter list is short
    {"no-optimizer-step", "FAIL learning"},           // gradients computed, never applied
    {"detached-encoder", "FAIL every parameter gets a gradient"},  // the encoder is cut off
    {"split-leak", "FAIL splits are disjoint"},       // training functions in validation
    {"resume-ignores-mismatch", "FAIL artefacts"},    // --resume takes another vocabulary
};

TEST_F(DoctorMutation, EveryPlantedPipelineBugFailsTheCheckOfItsStage) {
  for (const Planted& p : kPlanted) {
    SCOPED_TRACE(p.fault);
    const auto r = doctor(p.fault);
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_NE(r.err.find(p.stage), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(std::string("test fault '") + p.fault + "' is active"), std::string::npos);
    if (p.still_passes != nullptr) {
      EXPECT_NE(r.err.find(p.still_passes), std::string::npos) << r.err;
    }
  }
}

TEST_F(DoctorMutation, TheUnmodifiedPipelinePassesWithEverySeed) {
  for (int seed = 1; seed <= 5; ++seed) {
    SCOPED_TRACE(seed);
    const auto r = doctor("", seed);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err.find("FAIL"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("PASS learning"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("PASS labels"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("PASS graphs"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace bugseek
