#include "data/batch.h"

#include <gtest/gtest.h>

#include <vector>

namespace bugseek::data {
namespace {

// A chain graph of `n` nodes with edges of two kinds, one site and two candidates.
GraphFeatures chain(int32_t n, bool buggy) {
  GraphFeatures g;
  g.num_nodes = n;
  g.subtokens.assign(static_cast<size_t>(n) * kMaxSubtokens, 5);
  g.node_types.assign(n, 7);
  for (int32_t i = 0; i + 1 < n; ++i) {
    g.edge_src[0].push_back(i);
    g.edge_dst[0].push_back(i + 1);
    g.edge_src[3].push_back(i + 1);
    g.edge_dst[3].push_back(0);
  }
  for (int32_t i = 0; i < n; i += 2) g.tokens.push_back(i);
  g.site_node = {n - 1};
  g.site_kind = {0};
  g.cand_site = {0, 0};
  g.cand_kind = {static_cast<int32_t>(CandidateKind::kSymbol), static_cast<int32_t>(CandidateKind::kText)};
  g.cand_text = {0, 9};
  g.cand_node = {n > 1 ? 1 : 0, -1};
  g.cand_node2 = {-1, -1};
  if (buggy) {
    g.target_site = 0;
    g.target_cand = 1;
  }
  return g;
}

TEST(Batch, OffsetsKeepEveryEdgeInsideItsOwnGraph) {
  Batch b;
  const std::vector<int32_t> sizes = {5, 1, 9, 3};
  for (size_t i = 0; i < sizes.size(); ++i) append_to_batch(b, chain(sizes[i], i % 2 == 0));
  EXPECT_EQ(b.num_graphs, 4);
  EXPECT_EQ(b.num_nodes, 18);
  ASSERT_EQ(b.node_graph.size(), 18u);
  EXPECT_EQ(b.subtokens.size(), 18u * kMaxSubtokens);
  for (int k = 0; k < parser::kNumEdgeKinds; ++k) {
    ASSERT_EQ(b.edge_src[k].size(), b.edge_dst[k].size());
    for (size_t e = 0; e < b.edge_src[k].size(); ++e) {
      ASSERT_LT(b.edge_src[k][e], b.num_nodes);
      EXPECT_EQ(b.node_graph[b.edge_src[k][e]], b.node_graph[b.edge_dst[k][e]]);
    }
  }
  for (int32_t g = 0; g < b.num_graphs; ++g) {
    for (int32_t t = b.token_offsets[g]; t < b.token_offsets[g + 1]; ++t) {
      EXPECT_EQ(b.node_graph[b.tokens[t]], g);
    }
    for (int32_t s = b.site_offsets[g]; s < b.site_offsets[g + 1]; ++s) {
      EXPECT_EQ(b.node_graph[b.site_node[s]], g);
      EXPECT_EQ(b.site_graph[s], g);
    }
  }
  for (size_t c = 0; c < b.cand_site.size(); ++c) {
    const int32_t g = b.site_graph[b.cand_site[c]];
    if (b.cand_node[c] >= 0) {
      EXPECT_EQ(b.node_graph[b.cand_node[c]], g);
    }
  }
  // Targets point at their own graph's site and a candidate of that site.
  for (int32_t g = 0; g < b.num_graphs; ++g) {
    if (b.target_site[g] < 0) {
      EXPECT_EQ(b.target_cand[g], -1);
      continue;
    }
    EXPECT_EQ(b.site_graph[b.target_site[g]], g);
    EXPECT_EQ(b.cand_site[b.target_cand[g]], b.target_site[g]);
  }
  EXPECT_EQ(b.target_site[1], -1);
  EXPECT_EQ(b.target_site[2], 2);
  EXPECT_EQ(b.target_cand[2], 5);
}

}  // namespace
}  // namespace bugseek::data
