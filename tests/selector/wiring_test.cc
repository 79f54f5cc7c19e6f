#include "selector/wiring.h"

#include <gtest/gtest.h>

#include <set>

#include "common/error.h"

namespace bugseek::selector {
namespace {

// A clean graph with 3 sites of the given kinds and `cands_per_site` rewrites at each.
data::GraphFeatures clean_graph(const std::vector<int32_t>& site_kinds, int cands_per_site) {
  data::GraphFeatures g;
  g.num_nodes = 10;
  for (size_t s = 0; s < site_kinds.size(); ++s) {
    g.site_node.push_back(static_cast<int32_t>(s));
    g.site_kind.push_back(site_kinds[s]);
    for (int c = 0; c < cands_per_site; ++c) {
      g.cand_site.push_back(static_cast<int32_t>(s));
      g.cand_kind.push_back(0);
      g.cand_text.push_back(c + 1);
      g.cand_node.push_back(-1);
      g.cand_node2.push_back(-1);
    }
  }
  return g;
}

TEST(HardestBugTarget, LabelsTheCleanGraphWithTheBugTheDetectorFoundHardest) {
  const data::GraphFeatures clean = clean_graph({0, 1, 2}, 2);  // rewrites 0..5, site = r / 2
  const auto target = hardest_bug_target(clean, {{1, -0.5f}, {4, -3.0f}, {5, -1.0f}});
  ASSERT_TRUE(target.has_value());
  EXPECT_EQ(target->target_cand, 4);
  EXPECT_EQ(target->target_site, 2);
  // Everything else is the clean graph, unlabelled as given.
  EXPECT_EQ(target->cand_site, clean.cand_site);
  EXPECT_EQ(target->site_kind, clean.site_kind);
  EXPECT_EQ(clean.target_site, -1);
}

TEST(HardestBugTarget, TiesGoToTheFirstAndNothingPlantedGivesNoTarget) {
  const data::GraphFeatures clean = clean_graph({0, 1}, 3);
  const auto tie = hardest_bug_target(clean, {{2, -2.0f}, {3, -2.0f}});
  ASSERT_TRUE(tie.has_value());
  EXPECT_EQ(tie->target_cand, 2);
  EXPECT_EQ(tie->target_site, 0);
  EXPECT_FALSE(hardest_bug_target(clean, {}).has_value());
}

TEST(HardestBugTarget, ARewriteOutsideTheCleanGraphIsAnError) {
  const data::GraphFeatures clean = clean_graph({0}, 2);
  EXPECT_THROW(hardest_bug_target(clean, {{2, -1.0f}}), Error);
  EXPECT_THROW(hardest_bug_target(clean, {{-1, -1.0f}}), Error);
}

TEST(BugTarget, LabelsTheCleanGraphWithTheGivenRewriteAndItsSite) {
  const data::GraphFeatures clean = clean_graph({0, 1, 2}, 2);
  const data::GraphFeatures target = bug_target(clean, 3);
  EXPECT_EQ(target.target_cand, 3);
  EXPECT_EQ(target.target_site, 1);
  EXPECT_EQ(target.cand_text, clean.cand_text);
  EXPECT_THROW(bug_target(clean, 6), Error);
  EXPECT_THROW(bug_target(clean, -1), Error);
}

TEST(SelectorTargetOption, NamesParseAndSayWhatTheyLearn) {
  EXPECT_EQ(parse_selector_target("hardest"), SelectorTarget::kHardest);
  EXPECT_EQ(parse_selector_target("real"), SelectorTarget::kReal);
  EXPECT_EQ(parse_selector_target("both"), SelectorTarget::kBoth);
  EXPECT_THROW(parse_selector_target("Real"), UsageError);
  EXPECT_THROW(parse_selector_target(""), UsageError);
  EXPECT_TRUE(learns_hardest(SelectorTarget::kHardest) && !learns_real_bugs(SelectorTarget::kHardest));
  EXPECT_TRUE(!learns_hardest(SelectorTarget::kReal) && learns_real_bugs(SelectorTarget::kReal));
  EXPECT_TRUE(learns_hardest(SelectorTarget::kBoth) && learns_real_bugs(SelectorTarget::kBoth));
}

TEST(ChooseBugs, DrawsDistinctRewritesOfTheFunctionAndHonoursTheKindMix) {
  const data::GraphFeatures clean = clean_graph({0, 0, 3}, 4);  // kind 3 only at site 2
  PolicyConfig policy;
  policy.samples_per_function = 4;
  data::Rng rng(11);
  const std::vector<int> chosen = choose_bugs(clean, {}, policy, rng);
  ASSERT_EQ(chosen.size(), 4u);
  EXPECT_EQ(std::set<int>(chosen.begin(), chosen.end()).size(), 4u);
  for (int r : chosen) EXPECT_TRUE(r >= 0 && r < 12) << r;

  // All the mix on kind 3: only site 2's rewrites (8..11) can be drawn.
  policy.kind_mix.assign(7, 0.0);  // parser::kNumBugKinds
  policy.kind_mix[3] = 1.0;
  policy.exploration = 0;
  for (int trial = 0; trial < 20; ++trial) {
    for (int r : choose_bugs(clean, {}, policy, rng)) EXPECT_GE(r, 8);
  }
}

TEST(ChooseBugs, FollowsTheSelectorsScores) {
  const data::GraphFeatures clean = clean_graph({0, 1}, 2);
  PolicyConfig policy;
  policy.samples_per_function = 1;
  policy.exploration = 0;
  data::Rng rng(3);
  int hits = 0;
  for (int trial = 0; trial < 50; ++trial) {
    hits += choose_bugs(clean, {-30.0f, -30.0f, 0.0f, -30.0f}, policy, rng).at(0) == 2;
  }
  EXPECT_EQ(hits, 50);
}

}  // namespace
}  // namespace bugseek::selector
