#include "selector/policy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "common/error.h"

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

namespace bugseek::selector {
namespace {

TEST(KindMix, EmptyMixLeavesTheDistributionAlone) {
  const std::vector<double> probs = {0.1, 0.2, 0.7};
  EXPECT_EQ(apply_kind_mix(probs, {0, 1, 1}, {}), probs);
}

TEST(KindMix, EachPresentKindGetsItsRenormalizedShareSplitByProbability) {
  // Kind 0 has one rewrite, kind 1 two (in proportion 1:3), kind 2 none.
  const std::vector<double> probs = {0.5, 0.125, 0.375};
  const std::vector<double> mix = {1.0, 3.0, 4.0};
  const auto out = apply_kind_mix(probs, {0, 1, 1}, mix);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_NEAR(out[0], 0.25, 1e-12);          // 1 / (1 + 3): kind 2 is absent
  EXPECT_NEAR(out[1], 0.75 * 0.25, 1e-12);   // 3/4 of the mass, a quarter of kind 1's
  EXPECT_NEAR(out[2], 0.75 * 0.75, 1e-12);
}

TEST(KindMix, AKindWithZeroWeightIsNeverDrawn) {
  const auto out = apply_kind_mix({0.25, 0.25, 0.5}, {0, 1, 2}, {0.0, 1.0, 1.0});
  EXPECT_EQ(out[0], 0.0);
  EXPECT_NEAR(out[1] + out[2], 1.0, 1e-12);
}

TEST(KindMix, OnlyZeroWeightKindsPresentKeepsTheOriginal) {
  const std::vector<double> probs = {0.5, 0.5};
  EXPECT_EQ(apply_kind_mix(probs, {0, 0}, {0.0, 1.0}), probs);
}

TEST(KindMix, ParsesNamesAndBuiltIns) {
  const std::vector<std::string> names = {"a", "b", "c"};
  EXPECT_TRUE(parse_kind_mix("rewrites", names).empty());
  EXPECT_EQ(parse_kind_mix("b=2,a=0.5", names), (std::vector<double>{0.5, 2.0, 0.0}));
  EXPECT_THROW(parse_kind_mix("d=1", names), UsageError);
  EXPECT_THROW(parse_kind_mix("a=x", names), UsageError);
  EXPECT_THROW(parse_kind_mix("a=-1", names), UsageError);
  EXPECT_THROW(parse_kind_mix("a=0", names), UsageError);
  EXPECT_THROW(parse_kind_mix("a", names), UsageError);
}

TEST(KindMix, RealMixFavoursTheKindsOfRealBugsAndStarvesNone) {
  const auto mix = real_kind_mix();
  ASSERT_EQ(mix.size(), 7u);
  double total = 0;
  for (double w : mix) {
    EXPECT_GE(w, 0.02);
    total += w;
  }
  EXPECT_NEAR(total, 1.0, 1e-9);
  // Variable misuse (0) first, then comparisons (3), above binary (1) and assignment (2).
  EXPECT_GT(mix[0], mix[3]);
  EXPECT_GT(mix[3], mix[1]);
  EXPECT_GT(mix[3], mix[2]);
}

TEST(KindMix, SamplingFollowsTheMix) {
  // 9 rewrites of kind 0 and 1 of kind 1, mixed 50/50: kind 1 drawn about half the time.
  std::vector<double> probs(10, 0.1);
  std::vector<int> kinds(10, 0);
  kinds[9] = 1;
  const auto mixed = apply_kind_mix(probs, kinds, {1.0, 1.0});
  PolicyConfig one;
  one.samples_per_function = 1;
  std::mt19937_64 rng(3);
  int hits = 0;
  for (int i = 0; i < 4000; ++i) hits += sample_rewrites(mixed, one, rng)[0] == 9;
  EXPECT_NEAR(hits / 4000.0, 0.5, 0.05);
}

}  // namespace
}  // namespace bugseek::selector
