#include "selector/policy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace bugseek::selector {
namespace {

TEST(Policy, NoScoresIsUniform) {
  auto p = rewrite_distribution({}, 4, PolicyConfig{});
  ASSERT_EQ(p.size(), 4u);
  for (double v : p) EXPECT_DOUBLE_EQ(v, 0.25);
}

TEST(Policy, SoftmaxWithExplorationFloorAndSumOne) {
  PolicyConfig cfg;
  cfg.exploration = 0.1;
  auto p = rewrite_distribution({0.0f, std::log(3.0f), -100.0f}, 3, cfg);
  double sum = p[0] + p[1] + p[2];
  EXPECT_NEAR(sum, 1.0, 1e-12);
  // Softmax part: 1/4 and 3/4 (third ~0); then 0.9 * that + 0.1/3.
  EXPECT_NEAR(p[0], 0.9 * 0.25 + 0.1 / 3, 1e-6);
  EXPECT_NEAR(p[1], 0.9 * 0.75 + 0.1 / 3, 1e-6);
  EXPECT_NEAR(p[2], 0.1 / 3, 1e-6);
}

TEST(Policy, TemperatureFlattens) {
  PolicyConfig hot;
  hot.exploration = 0;
  hot.temperature = 100.0;
  auto p = rewrite_distribution({0.0f, 5.0f}, 2, hot);
  EXPECT_LT(std::abs(p[0] - p[1]), 0.05);
}

TEST(Policy, SamplesDistinctIndicesAndRespectsZeroMass) {
  PolicyConfig cfg;
  cfg.samples_per_function = 3;
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    auto chosen = sample_rewrites({0.5, 0.0, 0.25, 0.25}, cfg, rng);
    ASSERT_EQ(chosen.size(), 3u);
    std::set<int> unique(chosen.begin(), chosen.end());
    EXPECT_EQ(unique.size(), 3u);
    EXPECT_EQ(unique.count(1), 0u) << "index with zero probability was drawn";
  }
}

TEST(Policy, SamplingFollowsProbabilities) {
  PolicyConfig cfg;
  cfg.samples_per_function = 1;
  std::mt19937_64 rng(11);
  int first = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) first += sample_rewrites({0.8, 0.2}, cfg, rng)[0] == 0;
  EXPECT_NEAR(first / double(n), 0.8, 0.02);
}

TEST(Policy, HardestIsLowestLogProb) {
  EXPECT_EQ(hardest({-0.1f, -3.0f, -0.5f}), 1);
  EXPECT_EQ(hardest({}), -1);
}

}  // namespace
}  // namespace bugseek::selector
