// FunctionSampler: which training function each position draws. Uniform visits every function
// once an epoch; by size draws in proportion to the capped length, and both depend only on
// (seed, position), so resumed and distributed runs draw alike.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "train/phases.h"

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

}  // namespace
}  // namespace bugseek::train
