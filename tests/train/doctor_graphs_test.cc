// The doctor's graph check (train/doctor.h, check_step_graphs) on a step built by the production
// phases from the data tests' fixture module: it passes as built, and fails when a buggy sample
// carries the clean code's graph or another bug's graph under its own labels.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "data/featurize.h"
#include "selector/policy.h"
#include "tests/data/pipeline_fixture.h"
#include "train/doctor.h"
#include "train/phases.h"

namespace bugseek::train {
namespace {

class StepGraphs : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto& fx = data::testing::pipeline_fixture();
    featurizers_.push_back(
        std::make_unique<data::Featurizer>(fx.vocab, *parser::find_language("python")));
    context_.seed = 3;
    context_.featurizers = &featurizers_;
    step_ = take_clean_functions(fx.functions, 0, fx.functions.size(), context_);
    choose_bugs(step_, nullptr, selector::PolicyConfig{}, 1 << 20, context_);
    plant_bugs(step_, context_);
  }

  DoctorCheck check() {
    batch_ = assemble_batch(step_);
    return check_step_graphs(step_, batch_, 0, *featurizers_[0]);
  }

  // The graph parts of a sample (nodes, edges, tokens), not its sites and labels.
  static void copy_nodes(const data::GraphFeatures& from, data::GraphFeatures& to) {
    to.subtokens = from.subtokens;
    to.node_types = from.node_types;
    to.edge_src = from.edge_src;
    to.edge_dst = from.edge_dst;
    to.tokens = from.tokens;
  }

  std::vector<std::unique_ptr<data::Featurizer>> featurizers_;
  PhaseContext context_;
  StepData step_;
  StepBatch batch_;
};

TEST_F(StepGraphs, BuggyGraphsDifferFromTheirCleanGraphsOnlyInsideTheEdit) {
  const DoctorCheck c = check();
  int planted = 0;
  for (int g : batch_.graph_of_job) planted += g >= 0;
  ASSERT_GT(planted, 4);
  EXPECT_TRUE(c.passed) << c.detail;
  EXPECT_NE(c.detail.find("/" + std::to_string(planted) + " buggy graphs differ"),
            std::string::npos)
      << c.detail;
  EXPECT_EQ(c.detail.find("first problem"), std::string::npos) << c.detail;
}

TEST_F(StepGraphs, ACleanGraphUnderBuggyLabelsFails) {
  bool replaced = false;
  for (size_t j = 0; j < step_.jobs.size() && !replaced; ++j) {
    const data::GraphFeatures& clean = step_.clean[step_.jobs[j].function].features;
    data::GraphFeatures& buggy = step_.buggy[j].features;
    if (step_.buggy[j].status != data::SampleStatus::kBuggy || buggy.num_nodes != clean.num_nodes) {
      continue;
    }
    copy_nodes(clean, buggy);
    replaced = true;
  }
  ASSERT_TRUE(replaced);
  const DoctorCheck c = check();
  EXPECT_FALSE(c.passed) << c.detail;
  EXPECT_NE(c.detail.find("never reaches it"), std::string::npos) << c.detail;
}

TEST_F(StepGraphs, AnotherBugsGraphUnderTheLabelsFails) {
  // Two bugs of one function, the second's edit well after the first's, same node count: the
  // first gets the second's graph, so it differs from the clean graph away from its own edit.
  bool replaced = false;
  for (size_t a = 0; a < step_.jobs.size() && !replaced; ++a) {
    for (size_t b = 0; b < step_.jobs.size() && !replaced; ++b) {
      const data::Sample& sa = step_.buggy[a];
      const data::Sample& sb = step_.buggy[b];
      if (a == b || step_.jobs[a].function != step_.jobs[b].function ||
          sa.status != data::SampleStatus::kBuggy || sb.status != data::SampleStatus::kBuggy ||
          sa.features.num_nodes != sb.features.num_nodes ||
          sa.repair.old_end_byte + 8 > sb.repair.start_byte) {  // a's edit well before b's
        continue;
      }
      copy_nodes(sb.features, step_.buggy[a].features);
      replaced = true;
    }
  }
  ASSERT_TRUE(replaced);
  const DoctorCheck c = check();
  EXPECT_FALSE(c.passed) << c.detail;
  EXPECT_NE(c.detail.find("outside the target's edit"), std::string::npos) << c.detail;
}

}  // namespace
}  // namespace bugseek::train
