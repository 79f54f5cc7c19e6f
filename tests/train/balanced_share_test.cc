// How a distributed step's functions are shared between ranks (train/phases.h): the shares are
// disjoint, cover every function, carry about the same work, and a function planted in a rank's
// share gets exactly the bugs it gets when one process takes the whole step.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <numeric>
#include <random>
#include <vector>

#include "common/error.h"
#include "data/featurize.h"
#include "selector/policy.h"
#include "tests/train/phase_fixture.h"
#include "train/phases.h"

namespace bugseek::train {
namespace {

TEST(BalancedShare, SharesAreDisjointCoverAllAndAreEven) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> cost(0, 500);
  for (int world : {1, 2, 3, 5}) {
    for (size_t n : {0, 1, 2, 7, 40}) {
      std::vector<double> costs(n);
      for (double& c : costs) c = cost(rng);
      if (n > 3) costs[1] = 0;  // a function the step does not train on
      std::vector<double> base(static_cast<size_t>(world), 0.0);
      base[0] = 100;  // rank 0 already has real fixes to train on
      std::vector<int> owner(n, -1);
      std::vector<double> load = base;
      for (int r = 0; r < world; ++r) {
        const std::vector<size_t> mine = balanced_share(costs, base, r);
        EXPECT_TRUE(std::is_sorted(mine.begin(), mine.end()));
        for (size_t i : mine) {
          ASSERT_LT(i, n);
          EXPECT_EQ(owner[i], -1) << "item " << i << " in two shares";
          owner[i] = r;
          load[static_cast<size_t>(r)] += costs[i];
        }
      }
      for (size_t i = 0; i < n; ++i) EXPECT_NE(owner[i], -1) << "item " << i << " in no share";
      // Longest first to the least loaded: no two ranks differ by more than the largest item
      // (or than the head start one rank was given).
      const double largest = n > 0 ? *std::max_element(costs.begin(), costs.end()) : 0.0;
      const auto [lo, hi] = std::minmax_element(load.begin(), load.end());
      EXPECT_LE(*hi - *lo, std::max(largest, 100.0) + 1e-9) << "world " << world << " n " << n;
    }
  }
}

TEST(BalancedShare, BeatsContiguousHalvesOnSkewedSizes) {
  // One long function among short ones: contiguous halves leave one rank with most of the work.
  std::vector<double> costs = {900, 50, 60, 40, 70, 55, 45, 65, 300, 20};
  double a = 0, b = 0;
  for (size_t i : balanced_share(costs, {0, 0}, 0)) a += costs[i];
  for (size_t i : balanced_share(costs, {0, 0}, 1)) b += costs[i];
  EXPECT_LE(std::max(a, b), 900 + 1e-9);
  const double total = std::accumulate(costs.begin(), costs.end(), 0.0);
  EXPECT_DOUBLE_EQ(a + b, total);
}

TEST(BalancedShare, RejectsARankOutsideTheWorld) {
  EXPECT_THROW(balanced_share({1, 2}, {0, 0}, 2), Error);
  EXPECT_THROW(balanced_share({1, 2}, {}, 0), Error);
}

TEST(BalancedShare, AShareDrawsWhatTheWholeStepDraws) {
  const testing::PhaseFixture phases(11);
  const auto& fx = phases.fx;
  const PhaseContext& context = phases.context;
  ASSERT_GE(fx.functions.size(), 3u);
  const size_t n = 2 * fx.functions.size();  // two epochs' worth: functions drawn twice too
  StepData whole = take_clean_functions(fx.functions, 3, n, context);
  choose_bugs(whole, nullptr, selector::PolicyConfig{}, 1 << 20, context);
  plant_bugs(whole, context);

  std::vector<double> costs;
  for (const data::Sample& clean : whole.clean) costs.push_back(training_cost(clean, 4));
  size_t seen = 0;
  for (int rank = 0; rank < 2; ++rank) {
    StepData share = take_clean_functions(fx.functions, 3, n, context);
    const std::vector<size_t> keep = balanced_share(costs, {0, 0}, rank);
    keep_functions(share, keep);
    ASSERT_EQ(share.clean.size(), keep.size());
    choose_bugs(share, nullptr, selector::PolicyConfig{}, 1 << 20, context);
    plant_bugs(share, context);
    for (size_t k = 0; k < keep.size(); ++k) {
      const size_t i = keep[k];
      EXPECT_EQ(share.position[k], whole.position[i]);
      EXPECT_EQ(share.records[k], whole.records[i]);
      EXPECT_EQ(share.chosen[k], whole.chosen[i]) << "function at position " << whole.position[i];
      const bool usable_here = std::count(share.usable.begin(), share.usable.end(), k) > 0;
      const bool usable_whole = std::count(whole.usable.begin(), whole.usable.end(), i) > 0;
      EXPECT_EQ(usable_here, usable_whole);
    }
    // Planted graphs: the same bugs at the same sites, job for job.
    for (size_t j = 0; j < share.jobs.size(); ++j) {
      const size_t i = keep[share.jobs[j].function];
      size_t w = whole.jobs.size();
      for (size_t v = 0; v < whole.jobs.size(); ++v) {
        if (whole.jobs[v].function == i && whole.jobs[v].ordinal == share.jobs[j].ordinal) w = v;
      }
      ASSERT_LT(w, whole.jobs.size());
      EXPECT_EQ(share.buggy[j].features.target_site, whole.buggy[w].features.target_site);
      EXPECT_EQ(share.buggy[j].features.subtokens, whole.buggy[w].features.subtokens);
      ++seen;
    }
  }
  EXPECT_EQ(seen, whole.jobs.size());
  EXPECT_GT(seen, 4u);
}

}  // namespace
}  // namespace bugseek::train
