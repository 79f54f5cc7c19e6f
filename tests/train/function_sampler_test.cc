// FunctionSampler: which training function each position draws. Uniform visits every function
// once an epoch; by size draws in proportion to the capped length, and both depend only on
// (seed, position), so resumed and distributed runs draw alike. WeightedDraw and
// kind_mix_weights: the weighted draws behind it and behind --real-fixes-mix.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "parser/rewrites.h"
#include "selector/policy.h"
#include "train/phases.h"
#include "train/train_config.h"

namespace bugseek::train {
namespace {

std::vector<data::FunctionRecord> functions_of_lengths(const std::vector<size_t>& lengths) {
  std::vector<data::FunctionRecord> out;
  for (size_t n : lengths) {
    data::FunctionRecord f;
    f.text = std::string(n, 'x');
    out.push_back(std::move(f));
  }
  return out;
}

TEST(FunctionSampler, UniformVisitsEveryFunctionOnceAnEpoch) {
  const auto functions = functions_of_lengths({10, 20, 30, 40, 50, 60, 70});
  const FunctionSampler sampler(functions, "uniform");
  EXPECT_FALSE(sampler.by_size());
  for (uint64_t epoch = 0; epoch < 3; ++epoch) {
    std::vector<int> seen(functions.size(), 0);
    for (uint64_t i = 0; i < functions.size(); ++i) ++seen[sampler.index(epoch * 7 + i, 5)];
    for (int count : seen) EXPECT_EQ(count, 1);
  }
}

TEST(FunctionSampler, BySizeDrawsInProportionToTheCappedLength) {
  constexpr size_t kCap = FunctionSampler::kSizeCapBytes;
  // Weights 100, 300, 1000 and the cap (a function twice as long weighs no more).
  const auto functions = functions_of_lengths({100, 300, 1000, 2 * kCap});
  const FunctionSampler sampler(functions, "size");
  EXPECT_TRUE(sampler.by_size());
  const double total = 100 + 300 + 1000 + static_cast<double>(kCap);
  constexpr int kDraws = 200000;
  std::vector<int> seen(functions.size(), 0);
  for (uint64_t i = 0; i < kDraws; ++i) ++seen[sampler.index(i, 11)];
  const double expected[] = {100 / total, 300 / total, 1000 / total, kCap / total};
  for (size_t f = 0; f < functions.size(); ++f) {
    EXPECT_NEAR(static_cast<double>(seen[f]) / kDraws, expected[f], 0.005) << "function " << f;
  }
}

TEST(FunctionSampler, BySizeDependsOnlyOnSeedAndPosition) {
  const auto functions = functions_of_lengths({100, 200, 300, 400, 500});
  const FunctionSampler a(functions, "size"), b(functions, "size");
  bool seed_matters = false;
  for (uint64_t i = 0; i < 100; ++i) {
    EXPECT_EQ(a.index(i, 3), b.index(i, 3));
    seed_matters = seed_matters || a.index(i, 3) != a.index(i, 4);
  }
  EXPECT_TRUE(seed_matters);
}

TEST(FunctionSampler, RejectsAnUnknownMode) {
  const auto functions = functions_of_lengths({10});
  EXPECT_THROW(FunctionSampler(functions, "by-length"), UsageError);
}

TEST(WeightedDraw, NeverDrawsAZeroWeightAndFollowsTheOthers) {
  // Zero weights first, inside and last: the running sums repeat there.
  const WeightedDraw draw({0.0, 1.0, 0.0, 3.0, 0.0});
  constexpr int kDraws = 100000;
  std::vector<int> seen(5, 0);
  for (uint64_t i = 0; i < kDraws; ++i) ++seen[draw.index(i, 2, 99)];
  EXPECT_EQ(seen[0] + seen[2] + seen[4], 0);
  EXPECT_NEAR(static_cast<double>(seen[1]) / kDraws, 0.25, 0.006);
  EXPECT_NEAR(static_cast<double>(seen[3]) / kDraws, 0.75, 0.006);
  EXPECT_THROW(WeightedDraw({0.0, 0.0}), Error);
  EXPECT_TRUE(WeightedDraw().empty());
}

TEST(WeightedDraw, DependsOnlyOnSeedPositionAndSalt) {
  const WeightedDraw a({1, 2, 3, 4}), b({1, 2, 3, 4});
  bool salt_matters = false;
  for (uint64_t i = 0; i < 100; ++i) {
    EXPECT_EQ(a.index(i, 3, 7), b.index(i, 3, 7));
    salt_matters = salt_matters || a.index(i, 3, 7) != a.index(i, 3, 8);
  }
  EXPECT_TRUE(salt_matters);
}

TEST(KindMixWeights, EachKindGetsItsShareWhateverItsCount) {
  // Kind 0: three items, kind 1: one, kind 2: none (its share goes to the others), -1 and kinds
  // beyond the mix weigh nothing.
  const std::vector<int32_t> kinds = {0, 1, 0, -1, 0, 5};
  const std::vector<double> w = kind_mix_weights(kinds, {0.6, 0.2, 0.2});
  ASSERT_EQ(w.size(), kinds.size());
  EXPECT_DOUBLE_EQ(w[0], 0.2);
  EXPECT_DOUBLE_EQ(w[2], 0.2);
  EXPECT_DOUBLE_EQ(w[4], 0.2);
  EXPECT_DOUBLE_EQ(w[1], 0.2);
  EXPECT_EQ(w[3], 0.0);
  EXPECT_EQ(w[5], 0.0);
  // Drawn through WeightedDraw: kind 0 gets 0.6 / 0.8 of the draws, kind 1 the rest.
  const WeightedDraw draw(w);
  constexpr int kDraws = 100000;
  int kind1 = 0;
  for (uint64_t i = 0; i < kDraws; ++i) kind1 += kinds[draw.index(i, 1, 2)] == 1 ? 1 : 0;
  EXPECT_NEAR(static_cast<double>(kind1) / kDraws, 0.25, 0.006);
  // No mix: every item alike.
  EXPECT_EQ(kind_mix_weights(kinds, {}), std::vector<double>(kinds.size(), 1.0));
}

TEST(KindMixWeights, RealFixesMixIsParsedAndBadOnesAreUsageErrors) {
  TrainConfig c;
  EXPECT_TRUE(c.real_fix_kind_mix().empty());  // uniform, the default
  c.real_fixes_mix = "real";
  EXPECT_EQ(c.real_fix_kind_mix(), selector::real_kind_mix());
  c.real_fixes_mix = "variable-misuse=3,argument-swap=1";
  const std::vector<double> mix = c.real_fix_kind_mix();
  ASSERT_EQ(mix.size(), static_cast<size_t>(parser::kNumBugKinds));
  EXPECT_EQ(mix[static_cast<int>(parser::BugKind::kVariableMisuse)], 3.0);
  for (const char* bad : {"rewrites", "variable-misuse", "no-such-kind=1", "variable-misuse=0"}) {
    c.real_fixes_mix = bad;
    try {
      c.real_fix_kind_mix();
      ADD_FAILURE() << bad << " was accepted";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("--real-fixes-mix"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace bugseek::train
