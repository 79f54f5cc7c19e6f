#include "data/sample.h"

#include <gtest/gtest.h>

#include <set>

#include "data/featurize.h"
#include "data/function_graph.h"
#include "tests/data/pipeline_fixture.h"

namespace bugseek::data {
namespace {

const parser::Language& python() { return *parser::find_language("python"); }

TEST(Featurize, ShapesAndCandidateKindsFollowTheSites) {
  const auto& fx = testing::pipeline_fixture();
  Featurizer featurizer(fx.vocab, python());
  for (const FunctionRecord& rec : fx.functions) {
    FunctionGraph fg;
    ASSERT_EQ(build_function_graph(rec.text, python(), 0, fg), GraphStatus::kOk) << rec.name;
    const GraphFeatures f = featurizer.featurize(fg.graph, fg.sites);
    const int32_t n = f.num_nodes;
    EXPECT_EQ(n, static_cast<int32_t>(fg.graph.nodes.size()));
    EXPECT_EQ(f.subtokens.size(), static_cast<size_t>(n) * kMaxSubtokens);
    EXPECT_EQ(f.node_types.size(), static_cast<size_t>(n));
    size_t edges = 0;
    for (int k = 0; k < parser::kNumEdgeKinds; ++k) {
      ASSERT_EQ(f.edge_src[k].size(), f.edge_dst[k].size());
      for (size_t e = 0; e < f.edge_src[k].size(); ++e) {
        EXPECT_LT(f.edge_src[k][e], n);
        EXPECT_LT(f.edge_dst[k][e], n);
      }
      edges += f.edge_src[k].size();
    }
    EXPECT_EQ(edges, fg.graph.edges.size());
    EXPECT_EQ(f.site_node.size(), fg.sites.sites.size());
    ASSERT_EQ(f.cand_site.size(), fg.sites.rewrites.size());
    for (size_t c = 0; c < f.cand_site.size(); ++c) {
      const auto kind = static_cast<CandidateKind>(f.cand_kind[c]);
      EXPECT_EQ(kind, candidate_kind(fg.sites.sites[f.cand_site[c]].kind));
      switch (kind) {
        case CandidateKind::kSymbol:
          ASSERT_GE(f.cand_node[c], 0);
          EXPECT_EQ(fg.graph.nodes[f.cand_node[c]].kind, parser::NodeKind::kSymbol);
          EXPECT_EQ(f.cand_text[c], 0);
          break;
        case CandidateKind::kSwap:
          EXPECT_GE(f.cand_node[c], 0);
          EXPECT_GE(f.cand_node2[c], 0);
          break;
        case CandidateKind::kText:
          EXPECT_GT(f.cand_text[c], 0);
          EXPECT_EQ(f.cand_node[c], -1);
          break;
      }
    }
    // Token nodes carry subtokens; tokens are listed in source order.
    for (size_t t = 1; t < f.tokens.size(); ++t) {
      EXPECT_LE(fg.graph.nodes[f.tokens[t - 1]].span.start_byte,
                fg.graph.nodes[f.tokens[t]].span.start_byte);
    }
    EXPECT_EQ(f.target_site, -1);
  }
}

TEST(Sample, PlantedBugTargetRepairsTheOriginal) {
  const auto& fx = testing::pipeline_fixture();
  Featurizer featurizer(fx.vocab, python());
  RandomBugSelector selector;
  SampleOptions options;
  options.buggy_fraction = 1.0;
  std::set<parser::BugKind> kinds;
  int buggy = 0;
  for (const FunctionRecord& rec : fx.functions) {
    for (uint64_t seed = 0; seed < 30; ++seed) {
      Rng rng(seed);
      const Sample s = make_sample(rec, options, featurizer, &selector, rng);
      ASSERT_NE(s.status, SampleStatus::kSkipped);
      if (s.status != SampleStatus::kBuggy) continue;
      ++buggy;
      kinds.insert(s.kind);
      EXPECT_NE(s.buggy_text, rec.text);
      EXPECT_EQ(parser::apply_edit(s.buggy_text, s.repair), rec.text) << rec.name << " seed " << seed;
      // The target candidate belongs to the target site and its kind matches the bug.
      ASSERT_GE(s.features.target_cand, 0);
      EXPECT_EQ(s.features.cand_site[s.features.target_cand], s.features.target_site);
      EXPECT_EQ(s.features.site_kind[s.features.target_site], static_cast<int32_t>(s.kind));
    }
  }
  EXPECT_GT(buggy, 100);
  EXPECT_GE(kinds.size(), 4u);
}

TEST(Sample, SameSeedSameSampleAndCleanWhenNoBug) {
  const auto& fx = testing::pipeline_fixture();
  Featurizer featurizer(fx.vocab, python());
  RandomBugSelector selector;
  const FunctionRecord& rec = fx.functions[2];
  Rng a(42), b(42);
  const Sample x = make_sample(rec, SampleOptions{}, featurizer, &selector, a);
  const Sample y = make_sample(rec, SampleOptions{}, featurizer, &selector, b);
  EXPECT_EQ(x.status, y.status);
  EXPECT_EQ(x.features.subtokens, y.features.subtokens);
  EXPECT_EQ(x.features.target_cand, y.features.target_cand);

  SampleOptions never;
  never.buggy_fraction = 0.0;
  Rng c(1);
  const Sample clean = make_sample(rec, never, featurizer, &selector, c);
  EXPECT_EQ(clean.status, SampleStatus::kClean);
  EXPECT_EQ(clean.features.target_site, -1);
  EXPECT_EQ(clean.features.target_cand, -1);
}

// A selector that always picks the last rewrite: the producer calls whatever it is given.
class LastRewrite : public BugSelector {
 public:
  int32_t choose(const CleanFunction& clean, Rng&) override {
    EXPECT_NE(clean.features, nullptr);
    return static_cast<int32_t>(clean.graph.sites.rewrites.size()) - 1;
  }
  bool wants_features() const override { return true; }
};

TEST(Sample, SelectorIsPluggable) {
  const auto& fx = testing::pipeline_fixture();
  Featurizer featurizer(fx.vocab, python());
  LastRewrite selector;
  SampleOptions options;
  options.buggy_fraction = 1.0;
  Rng rng(3);
  const Sample s = make_sample(fx.functions[0], options, featurizer, &selector, rng);
  FunctionGraph fg;
  ASSERT_EQ(build_function_graph(fx.functions[0].text, python(), 0, fg), GraphStatus::kOk);
  if (s.status == SampleStatus::kBuggy) {
    EXPECT_EQ(s.planted, static_cast<int32_t>(fg.sites.rewrites.size()) - 1);
  } else {
    EXPECT_EQ(s.status, SampleStatus::kCleanFallback);
  }
}

TEST(Sample, UnparsableFunctionIsSkippedNotThrown) {
  const auto& fx = testing::pipeline_fixture();
  Featurizer featurizer(fx.vocab, python());
  FunctionRecord rec;
  rec.language = "python";
  rec.text = "def broken(:\n  return (\n";
  Rng rng(0);
  const Sample s = make_sample(rec, SampleOptions{}, featurizer, nullptr, rng);
  EXPECT_EQ(s.status, SampleStatus::kSkipped);
  rec.language = "cobol";
  EXPECT_EQ(make_sample(rec, SampleOptions{}, featurizer, nullptr, rng).status, SampleStatus::kSkipped);
}

}  // namespace
}  // namespace bugseek::data
