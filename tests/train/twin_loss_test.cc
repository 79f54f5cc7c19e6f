// Twins (train/phases.h) and the twin ranking loss (train/twin_loss.h): every planted bug in a
// step is paired with its clean function at the exact site it was planted at, and the loss pushes
// the bug site's log-probability up in the buggy graph and down in the clean one.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <cmath>
#include <memory>
#include <vector>

#include "data/featurize.h"
#include "selector/policy.h"
#include "tests/train/phase_fixture.h"
#include "train/phases.h"
#include "train/twin_loss.h"

namespace bugseek::train {
namespace {

TEST(Twins, EachPlantedBugIsPairedWithTheSiteItWasPlantedAt) {
  const testing::PhaseFixture phases(5);
  const auto& fx = phases.fx;
  const PhaseContext& context = phases.context;
  StepData step = take_clean_functions(fx.functions, 0, fx.functions.size(), context);
  choose_bugs(step, nullptr, selector::PolicyConfig{}, 1 << 20, context);
  plant_bugs(step, context);
  const StepBatch batch = assemble_batch(step);

  int planted = 0;
  for (int g : batch.graph_of_job) planted += g >= 0;
  ASSERT_GT(planted, 4);
  EXPECT_EQ(batch.twins.size(), static_cast<size_t>(planted));
  size_t matched = 0;
  for (const Twins& t : batch.twins) {
    size_t job = step.jobs.size();
    for (size_t j = 0; j < step.jobs.size(); ++j) {
      if (batch.graph_of_job[j] == t.buggy_graph) job = j;
    }
    ASSERT_LT(job, step.jobs.size());
    const data::GraphFeatures& clean = step.clean[step.jobs[job].function].features;
    EXPECT_EQ(batch.graphs[static_cast<size_t>(t.clean_graph)], &clean);
    // The clean site is the one whose rewrite planted the bug, and the buggy graph's bug sits on
    // the same node (so twin_site, which real pairs use, finds it too).
    EXPECT_EQ(t.clean_site, clean.cand_site[static_cast<size_t>(step.jobs[job].rewrite)]);
    const int32_t found = twin_site(step.buggy[job].features, clean);
    if (found >= 0) {
      EXPECT_EQ(found, t.clean_site);
    }
    matched += found >= 0;
    EXPECT_LT(t.clean_graph, t.buggy_graph);
  }
  // Single-token rewrites keep the node numbering nearly always.
  EXPECT_GE(matched * 10, batch.twins.size() * 9) << matched << " of " << batch.twins.size();
}

TEST(Twins, NoTwinSiteWithoutATargetOrWhenTheKindDiffers) {
  data::GraphFeatures buggy, clean;
  buggy.site_node = {3, 7};
  buggy.site_kind = {0, 1};
  clean.site_node = {7, 3};
  clean.site_kind = {1, 0};
  EXPECT_EQ(twin_site(buggy, clean), -1);  // no target
  buggy.target_site = 1;
  EXPECT_EQ(twin_site(buggy, clean), 0);
  clean.site_kind = {2, 0};
  EXPECT_EQ(twin_site(buggy, clean), -1);
}

// Two graphs of two sites each (sites 0-1 and 2-3), the first buggy at its site 1.
data::Batch two_graph_batch() {
  data::Batch b;
  b.num_graphs = 2;
  b.site_offsets = {0, 2, 4};
  b.target_site = {1, -1};
  return b;
}

TEST(TwinLoss, IsTheMeanSoftplusOfTheMarginAndRaisesTheBuggySite) {
  data::Batch b = two_graph_batch();
  const std::vector<float> logp = {-2.0f, -1.0f, -3.0f, -0.5f};
  auto site_logp = at::tensor(at::ArrayRef<float>(logp)).requires_grad_(true);
  const TwinLoss l = twin_ranking_loss(site_logp, b, {{0, 1, 1}});  // clean site 1 = batch site 3
  ASSERT_EQ(l.count, 1);
  const double margin = -1.0 - -0.5;
  EXPECT_NEAR(l.value, std::log1p(std::exp(-margin)), 1e-6);
  EXPECT_EQ(l.ordered, 0.0);
  l.loss.backward();
  const auto grad = site_logp.grad();
  EXPECT_LT(grad[1].item<float>(), 0.0f);  // descent raises the buggy graph's bug site
  EXPECT_GT(grad[3].item<float>(), 0.0f);  // and lowers the clean twin's
  EXPECT_EQ(grad[0].item<float>(), 0.0f);
  EXPECT_EQ(grad[2].item<float>(), 0.0f);
}

TEST(TwinLoss, CountsOrderedTwinsAndSkipsCleanBuggyGraphs) {
  data::Batch b = two_graph_batch();
  const std::vector<float> logp = {-2.0f, -0.1f, -3.0f, -4.0f};
  const auto site_logp = at::tensor(at::ArrayRef<float>(logp));
  // The second entry names a graph without a bug as the buggy one: skipped.
  const TwinLoss l = twin_ranking_loss(site_logp, b, {{0, 1, 1}, {1, 0, 0}});
  EXPECT_EQ(l.count, 1);
  EXPECT_EQ(l.ordered, 1.0);
  EXPECT_FALSE(twin_ranking_loss(site_logp, b, {}).loss.defined());
}

}  // namespace
}  // namespace bugseek::train
