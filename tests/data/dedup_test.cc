#include "data/dedup.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "data/split.h"

namespace bugseek::data {
namespace {

// A module with `n` distinct functions over distinct names; `variant` renames a few of them.
std::string module_text(int n, const std::string& variant = "") {
  std::string text;
  for (int i = 0; i < n; ++i) {
    const std::string fn = (i < 2 ? variant : "") + "func_" + std::to_string(i);
    text += "def " + fn + "(arg_" + std::to_string(i) + ", value_" + std::to_string(i) + "):\n";
    text += "    return arg_" + std::to_string(i) + " * value_" + std::to_string(i) + "\n\n";
  }
  return text;
}

TEST(Dedup, FingerprintIgnoresLayoutButNotTokens) {
  EXPECT_EQ(fingerprint("x = a+b\n").exact, fingerprint("x  =  a + b").exact);
  EXPECT_NE(fingerprint("x = a+b").exact, fingerprint("x = a-b").exact);
  EXPECT_EQ(fingerprint("x = a + b + a").token_set.size(), 3u);
}

TEST(Dedup, JaccardOfSortedSets) {
  EXPECT_DOUBLE_EQ(jaccard({1, 2, 3}, {2, 3, 4}), 0.5);
  EXPECT_DOUBLE_EQ(jaccard({}, {}), 1.0);
  EXPECT_DOUBLE_EQ(jaccard({1}, {}), 0.0);
}

TEST(Dedup, NearDuplicateJoinsItsTwinAndUnrelatedFilesStayApart) {
  const std::vector<std::string> texts = {
      module_text(40),                    // 0: original
      module_text(40, "renamed_"),        // 1: near duplicate of 0 (2 of 40 functions renamed)
      "import os\nprint(os.getcwd())\n",  // 2: unrelated, small
      module_text(40),                    // 3: exact copy of 0
      [] {                                // 4: unrelated, large
        std::string t;
        for (int i = 0; i < 80; ++i) t += "other_" + std::to_string(i) + " = " + std::to_string(i) + "\n";
        return t;
      }(),
  };
  std::vector<Fingerprint> fps;
  for (const auto& t : texts) fps.push_back(fingerprint(t));
  EXPECT_GE(jaccard(fps[0].token_set, fps[1].token_set), 0.8);
  const std::vector<uint64_t> rank = {50, 10, 20, 30, 40};  // file 1 ranks first
  const DedupResult r = find_duplicates(fps, rank);
  EXPECT_EQ(r.canonical[0], 1);
  EXPECT_EQ(r.canonical[1], 1);
  EXPECT_EQ(r.canonical[3], 1);
  EXPECT_EQ(r.canonical[2], 2);
  EXPECT_EQ(r.canonical[4], 4);
  // 3 ranks before 0, so 3 is kept and 0 is the exact duplicate.
  EXPECT_FALSE(r.exact_dup[3]);
  EXPECT_TRUE(r.exact_dup[0]);
  EXPECT_EQ(r.exact_duplicates, 1u);
  EXPECT_EQ(r.near_duplicates, 1u);  // file 3 (near copy of the canonical 1)
  EXPECT_EQ(r.clusters, 1u);
  // A cluster lives in the split of its canonical member.
  const SplitFractions f;
  EXPECT_EQ(split_for_hash(rank[r.canonical[0]], f), split_for_hash(rank[r.canonical[1]], f));
}

TEST(Dedup, ThresholdAboveOneTurnsNearDuplicatesOff) {
  std::vector<Fingerprint> fps = {fingerprint(module_text(40)), fingerprint(module_text(40, "x_"))};
  DedupOptions options;
  options.near_threshold = 1.5;
  const DedupResult r = find_duplicates(fps, {1, 2}, options);
  EXPECT_EQ(r.canonical[1], 1);
  EXPECT_EQ(r.clusters, 0u);
}

TEST(Dedup, SmallFilesAreOnlyMatchedExactly) {
  // Two tiny files sharing most tokens: below min_tokens they are not near duplicates.
  std::vector<Fingerprint> fps = {fingerprint("import os\n"), fingerprint("import os, sys\n")};
  const DedupResult r = find_duplicates(fps, {1, 2});
  EXPECT_EQ(r.canonical[1], 1);
}

}  // namespace
}  // namespace bugseek::data
