#include "data/split.h"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <string>

#include "common/error.h"

namespace bugseek::data {
namespace {

std::string name(int i) { return "pkg/mod_" + std::to_string(i) + ".py"; }

TEST(Split, DeterministicAndNearTheRequestedFractions) {
  SplitFractions f;
  std::array<int, kNumSplits> counts{};
  for (int i = 0; i < 20000; ++i) {
    const Split s = split_for_hash(path_hash(name(i)), f);
    EXPECT_EQ(s, split_for_hash(path_hash(name(i)), f));
    counts[static_cast<int>(s)] += 1;
  }
  EXPECT_NEAR(counts[0] / 20000.0, 0.8, 0.02);
  EXPECT_NEAR(counts[1] / 20000.0, 0.1, 0.02);
  EXPECT_NEAR(counts[2] / 20000.0, 0.1, 0.02);
}

TEST(Split, AFileKeepsItsSplitWhenOthersAreAdded) {
  // A file's split depends on its own path only: computing it among 10 or 10000 files agrees.
  SplitFractions f;
  std::map<std::string, Split> small;
  for (int i = 0; i < 10; ++i) small[name(i)] = split_for_hash(path_hash(name(i)), f);
  for (int i = 0; i < 10000; ++i) {
    const Split s = split_for_hash(path_hash(name(i)), f);
    if (i < 10) {
      EXPECT_EQ(s, small[name(i)]);
    }
  }
}

TEST(Split, ConfigurableFractionsAndEdgeCases) {
  EXPECT_EQ(split_for_hash(0, {0.0, 0.0}), Split::kTrain);
  EXPECT_EQ(split_for_hash(~uint64_t{0}, {0.0, 0.0}), Split::kTrain);
  EXPECT_EQ(split_for_hash(0, {0.0, 1.0}), Split::kTest);
  EXPECT_EQ(split_for_hash(~uint64_t{0}, {1.0, 0.0}), Split::kValid);
  EXPECT_THROW(check_split_fractions({0.6, 0.6}), UsageError);
  EXPECT_THROW(check_split_fractions({-0.1, 0.1}), UsageError);
  EXPECT_NO_THROW(check_split_fractions({0.2, 0.3}));
}

TEST(Split, NamesRoundTrip) {
  for (int s = 0; s < kNumSplits; ++s) {
    EXPECT_EQ(split_from_name(split_name(static_cast<Split>(s))), static_cast<Split>(s));
  }
  EXPECT_FALSE(split_from_name("dev"));
}

}  // namespace
}  // namespace bugseek::data
