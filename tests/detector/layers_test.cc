// Layer-level checks against naive loop references: segment reductions, one GNN message-passing
// step (per relation, per edge), the GREAT edge bias, and the token each node reads.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include <torch/utils.h>

#include "detector/batch_tensors.h"
#include "detector/dropout.h"
#include "detector/encoders.h"
#include "detector/segment_ops.h"
#include "common/error.h"
#include "detector/synthetic.h"

namespace bugseek::detector {
namespace {

SyntheticSpec small_spec() {
  SyntheticSpec s;
  s.num_nodes = 30;
  s.num_symbols = 4;
  s.num_sites = 5;
  s.edges = 90;
  s.subtoken_vocab = 200;
  s.node_type_vocab = 50;
  s.text_vocab = 16;
  return s;
}

DetectorConfig small_config(ModelFamily family) {
  DetectorConfig c = detector_preset("tiny", family);
  c.hidden = 8;
  c.heads = 2;
  c.max_len = 64;
  c.subtoken_vocab = 200;
  c.node_type_vocab = 50;
  c.text_vocab = 16;
  return c;
}

TEST(SegmentOps, MaxAndSumMatchLoops) {
  torch::manual_seed(1);
  auto src = at::randn({12, 3});
  auto index = at::tensor(at::ArrayRef<int64_t>({0, 2, 2, 0, 4, 4, 4, 0, 2, 2, 0, 4}));
  auto mx = segment_max(src, index, 6);
  auto sum = segment_sum(src, index, 6);
  ASSERT_EQ(mx.sizes(), at::IntArrayRef({6, 3}));
  for (int64_t s = 0; s < 6; ++s) {
    for (int64_t d = 0; d < 3; ++d) {
      float m = -std::numeric_limits<float>::infinity(), t = 0;
      bool any = false;
      for (int64_t r = 0; r < 12; ++r) {
        if (index[r].item<int64_t>() != s) continue;
        any = true;
        m = std::max(m, src[r][d].item<float>());
        t += src[r][d].item<float>();
      }
      EXPECT_FLOAT_EQ(mx[s][d].item<float>(), any ? m : 0.0f) << s << "," << d;
      EXPECT_NEAR(sum[s][d].item<float>(), t, 1e-5) << s << "," << d;
    }
  }
}

TEST(SegmentOps, MaxWithoutGradientEqualsTheDifferentiableOne) {
  torch::manual_seed(3);
  // Ties, empty segments (1, 3, 7) and an unsorted index.
  auto src = at::randn({40, 5}).round();
  auto index = at::randint(0, 8, {40}, at::kLong);
  index.masked_fill_((index == 1) | (index == 3) | (index == 7), 5);
  auto with_grad = segment_max(src, index, 8);
  at::Tensor inference;
  {
    at::NoGradGuard no_grad;
    inference = segment_max(src, index, 8);
  }
  EXPECT_TRUE(at::equal(with_grad, inference)) << with_grad << inference;
  EXPECT_EQ(inference[1].abs().sum().item<float>(), 0.0f);
}

TEST(SegmentOps, LogSoftmaxMatchesPerSegment) {
  torch::manual_seed(2);
  auto scores = at::randn({9}) * 30;  // large values exercise the shift
  auto segment = at::tensor(at::ArrayRef<int64_t>({1, 1, 0, 3, 3, 3, 1, 0, 3}));
  auto lp = segment_log_softmax(scores, segment, 4);
  for (int64_t s = 0; s < 4; ++s) {
    auto mask = segment == s;
    if (mask.sum().item<int64_t>() == 0) continue;
    auto ref = at::log_softmax(scores.masked_select(mask), 0);
    EXPECT_TRUE(at::allclose(lp.masked_select(mask), ref, 1e-5, 1e-5)) << s;
  }
}

// One GnnLayer step recomputed edge by edge.
at::Tensor naive_gnn_layer(GnnLayerImpl& layer, const at::Tensor& h, const data::Batch& b) {
  const int64_t n = h.size(0), d = h.size(1);
  std::vector<std::vector<at::Tensor>> inbox(static_cast<size_t>(n));
  for (int k = 0; k < parser::kNumEdgeKinds; ++k) {
    for (size_t e = 0; e < b.edge_src[k].size(); ++e) {
      const int32_t u = b.edge_src[k][e], v = b.edge_dst[k][e];
      inbox[v].push_back(at::matmul(h[u], layer.rel_weight[2 * k]) + layer.rel_bias[2 * k]);
      inbox[u].push_back(at::matmul(h[v], layer.rel_weight[2 * k + 1]) + layer.rel_bias[2 * k + 1]);
    }
  }
  auto agg = at::zeros({n, d});
  for (int64_t v = 0; v < n; ++v) {
    if (inbox[v].empty()) continue;
    auto stacked = at::stack(inbox[v]);
    switch (layer.aggregation) {
      case Aggregation::kMax: agg[v] = std::get<0>(stacked.max(0)); break;
      case Aggregation::kMean: agg[v] = stacked.mean(0); break;
      case Aggregation::kSum: agg[v] = stacked.sum(0); break;
    }
  }
  auto delta = at::gelu(layer.update->forward(at::cat({h, agg}, 1)));
  return layer.norm->forward(h + delta);
}

class GnnLayerReference : public ::testing::TestWithParam<Aggregation> {};

TEST_P(GnnLayerReference, MatchesPerEdgeLoop) {
  torch::NoGradGuard no_grad;
  DetectorConfig c = small_config(ModelFamily::kGnn);
  c.aggregation = GetParam();
  torch::manual_seed(3);
  GnnLayer layer(c);
  layer->eval();
  const data::Batch b = synthetic_batch(small_spec(), 2, 11);
  const BatchTensors t = to_tensors(b, c, at::kCPU, false);
  auto h = at::randn({b.num_nodes, c.hidden});
  auto fast = layer->forward(h, t);
  auto slow = naive_gnn_layer(*layer, h, b);
  ASSERT_EQ(fast.sizes(), slow.sizes());
  EXPECT_TRUE(at::allclose(fast, slow, 1e-5, 1e-5))
      << "max diff " << (fast - slow).abs().max().item<float>();
}

INSTANTIATE_TEST_SUITE_P(Aggregations, GnnLayerReference,
                         ::testing::Values(Aggregation::kMax, Aggregation::kMean,
                                           Aggregation::kSum));

// The layer as it was before detector/edge_ops.h: per-relation index_select + addmm, and
// index_add / scatter_reduce aggregation. Its gradients are the reference for the new kernels.
at::Tensor index_select_gnn_layer(GnnLayerImpl& layer, const at::Tensor& h, const data::Batch& b) {
  std::vector<at::Tensor> parts, dsts;
  for (int k = 0; k < parser::kNumEdgeKinds; ++k) {
    for (int dir = 0; dir < 2; ++dir) {
      const auto& from = dir == 0 ? b.edge_src[k] : b.edge_dst[k];
      const auto& to = dir == 0 ? b.edge_dst[k] : b.edge_src[k];
      if (from.empty()) continue;
      auto src = at::tensor(std::vector<int64_t>(from.begin(), from.end()));
      parts.push_back(at::addmm(layer.rel_bias[2 * k + dir], h.index_select(0, src),
                                layer.rel_weight[2 * k + dir]));
      dsts.push_back(at::tensor(std::vector<int64_t>(to.begin(), to.end())));
    }
  }
  auto msgs = at::cat(parts, 0);
  auto dst = at::cat(dsts, 0);
  const int64_t n = h.size(0);
  auto count = at::bincount(dst, {}, n).to(at::kFloat).unsqueeze(1);
  at::Tensor agg;
  switch (layer.aggregation) {
    case Aggregation::kMax: agg = segment_max(msgs, dst, n); break;
    case Aggregation::kMean: agg = segment_sum(msgs, dst, n) / count.clamp_min(1); break;
    case Aggregation::kSum: agg = segment_sum(msgs, dst, n); break;
  }
  auto delta = at::gelu(layer.update->forward(at::cat({h, agg}, 1)));
  return layer.norm->forward(h + delta);
}

TEST_P(GnnLayerReference, GradientsEqualTheIndexSelectPath) {
  DetectorConfig c = small_config(ModelFamily::kGnn);
  c.aggregation = GetParam();
  torch::manual_seed(5);
  GnnLayer layer(c);
  layer->eval();
  const data::Batch b = synthetic_batch(small_spec(), 3, 16);
  const BatchTensors t = to_tensors(b, c, at::kCPU, false);
  const auto h0 = at::randn({b.num_nodes, c.hidden});
  const auto upstream = at::randn({b.num_nodes, c.hidden});
  std::vector<at::Tensor> got[2];
  for (int variant = 0; variant < 2; ++variant) {
    layer->zero_grad();
    auto h = h0.clone().requires_grad_(true);
    auto out = variant == 0 ? layer->forward(h, t) : index_select_gnn_layer(*layer, h, b);
    (out * upstream).sum().backward();
    got[variant] = {out.detach(), h.grad()};
    for (const auto& p : layer->parameters()) got[variant].push_back(p.grad().clone());
  }
  ASSERT_EQ(got[0].size(), got[1].size());
  for (size_t i = 0; i < got[0].size(); ++i) {
    EXPECT_TRUE(at::allclose(got[0][i], got[1][i], 1e-5, 1e-5))
        << i << ": max diff " << (got[0][i] - got[1][i]).abs().max().item<float>();
  }
}

// Subtoken pooling as it was: embed the padded [N, kMaxSubtokens] grid, mask, pool.
at::Tensor padded_embedding(NodeEmbeddingImpl& emb, const data::Batch& b) {
  auto subtokens = at::tensor(std::vector<int64_t>(b.subtokens.begin(), b.subtokens.end()))
                       .view({b.num_nodes, data::kMaxSubtokens});
  auto types = at::tensor(std::vector<int64_t>(b.node_types.begin(), b.node_types.end()));
  auto e = emb.subtoken->forward(subtokens);
  auto present = (subtokens != 0).unsqueeze(2);
  at::Tensor pooled;
  if (emb.pooling == Pooling::kMax) {
    pooled = std::get<0>(
        e.masked_fill(present.logical_not(), -std::numeric_limits<float>::infinity()).max(1));
    pooled = pooled.masked_fill(present.any(1).logical_not(), 0.0);
  } else {
    pooled = (e * present).sum(1) / present.sum(1).clamp_min(1);
  }
  return pooled + emb.node_type->forward(types);
}

TEST(NodeEmbedding, EqualsPaddedPoolingWithGradients) {
  for (Pooling pooling : {Pooling::kMax, Pooling::kMean}) {
    DetectorConfig c = small_config(ModelFamily::kGnn);
    c.subtoken_pooling = pooling;
    torch::manual_seed(6);
    NodeEmbedding emb(c);
    const data::Batch b = synthetic_batch(small_spec(), 3, 17);
    const BatchTensors t = to_tensors(b, c, at::kCPU, false);
    const auto upstream = at::randn({b.num_nodes, c.hidden});
    std::vector<at::Tensor> got[2];
    for (int variant = 0; variant < 2; ++variant) {
      emb->zero_grad();
      auto out = variant == 0 ? emb->forward(t) : padded_embedding(*emb, b);
      (out * upstream).sum().backward();
      got[variant] = {out.detach(), emb->subtoken->weight.grad().clone(),
                      emb->node_type->weight.grad().clone()};
    }
    // Max picks the same values; mean sums in another order than sum(1).
    EXPECT_TRUE(at::allclose(got[0][0], got[1][0], 1e-6, 1e-6)) << pooling_name(pooling);
    if (pooling == Pooling::kMax) {
      EXPECT_TRUE(at::equal(got[0][0], got[1][0]));
    }
    EXPECT_TRUE(at::allclose(got[0][1], got[1][1], 1e-6, 1e-6)) << pooling_name(pooling);
    EXPECT_TRUE(at::equal(got[0][2], got[1][2])) << pooling_name(pooling);
  }
}

TEST(GreatBias, MatchesDenseConstruction) {
  torch::NoGradGuard no_grad;
  const DetectorConfig c = small_config(ModelFamily::kTransformer);
  torch::manual_seed(4);
  GreatEncoder enc(c);
  const data::Batch b = synthetic_batch(small_spec(), 3, 12);
  const BatchTensors t = to_tensors(b, c, at::kCPU, true);
  const auto pos = first_token_positions(b);
  const int64_t g = b.num_graphs, len = t.seq_len;
  // present[g][i][j][r]: some edge of relation r joins token slots i -> j.
  auto present = at::zeros({g, len, len, kNumRelations});
  for (int k = 0; k < parser::kNumEdgeKinds; ++k) {
    for (size_t e = 0; e < b.edge_src[k].size(); ++e) {
      const int32_t u = b.edge_src[k][e], v = b.edge_dst[k][e];
      present[b.node_graph[u]][pos[u]][pos[v]][2 * k] = 1;
      present[b.node_graph[u]][pos[v]][pos[u]][2 * k + 1] = 1;
    }
  }
  for (int layer = 0; layer < c.layers; ++layer) {
    auto expected = at::matmul(present, enc->edge_bias[layer]).permute({0, 3, 1, 2});
    auto got = enc->attention_bias(layer, t);
    ASSERT_EQ(got.sizes(), at::IntArrayRef({g, c.heads, len, len}));
    for (int64_t i = 0; i < g; ++i) {
      const int64_t count = b.token_offsets[i + 1] - b.token_offsets[i];
      auto real = got[i].slice(2, 0, count);
      EXPECT_TRUE(at::allclose(real, expected[i].slice(2, 0, count), 1e-6, 1e-6));
      // Padded keys are masked out.
      if (count < len) {
        EXPECT_LT(got[i].slice(2, count).max().item<float>(), -1e8);
      }
    }
  }
}

TEST(GreatBias, GradientsEqualTheIndexAddPath) {
  const DetectorConfig c = small_config(ModelFamily::kTransformer);
  torch::manual_seed(8);
  GreatEncoder enc(c);
  const data::Batch b = synthetic_batch(small_spec(), 3, 18);
  const BatchTensors t = to_tensors(b, c, at::kCPU, true);
  const auto positions = enc->bias_positions(t);
  const auto mask = enc->key_mask(t);
  const auto logits0 = at::randn({b.num_graphs, c.heads, t.seq_len, t.seq_len});
  const auto upstream = at::randn(logits0.sizes());
  std::vector<at::Tensor> got[2];
  for (int variant = 0; variant < 2; ++variant) {
    enc->zero_grad();
    auto logits = logits0.clone().requires_grad_(true);
    const AttentionBias bias = enc->layer_bias(1, t, positions, mask);
    auto out = variant == 0
                   ? bias.apply(logits)
                   : (logits + at::zeros_like(logits0).view({-1}).index_add(0, bias.index,
                                                                            bias.values)
                                   .view(logits0.sizes())) + bias.key_mask;
    (out * upstream).sum().backward();
    got[variant] = {out.detach(), logits.grad(), enc->edge_bias.grad().clone()};
  }
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(at::allclose(got[0][i], got[1][i], 1e-5, 1e-5)) << i;
  }
  EXPECT_GT(got[0][2][1].abs().sum().item<float>(), 0.0f);  // layer 1's biases got a gradient
}

// The attention's probabilities in one function (AttentionBias::probabilities) against the three
// steps they replace, bias then softmax then hashed_dropout, in double precision: the same values
// and the same mask (torch's seed decides both), and the same gradients for the logits and the
// edge biases, with dropout and without; padded keys get no probability.
TEST(GreatAttention, FusedProbabilitiesEqualBiasSoftmaxDropout) {
  const DetectorConfig c = small_config(ModelFamily::kTransformer);
  torch::manual_seed(9);
  GreatEncoder enc(c);
  enc->to(at::kDouble);
  const data::Batch b = synthetic_batch(small_spec(), 3, 18);
  const BatchTensors t = to_tensors(b, c, at::kCPU, true);
  const auto positions = enc->bias_positions(t);
  const auto mask = enc->key_mask(t);
  const auto logits0 =
      at::randn({b.num_graphs, c.heads, t.seq_len, t.seq_len}, at::TensorOptions(at::kDouble));
  const auto upstream = at::randn(logits0.sizes(), logits0.options());
  for (double p : {0.0, 0.3}) {
    std::vector<at::Tensor> got[2];
    for (int variant = 0; variant < 2; ++variant) {
      enc->zero_grad();
      auto logits = logits0.clone().requires_grad_(true);
      const AttentionBias bias = enc->layer_bias(1, t, positions, mask);
      torch::manual_seed(21);
      auto out = variant == 0 ? bias.probabilities(logits, p, true)
                              : hashed_dropout(at::softmax(bias.apply(logits), -1), p, true);
      (out * upstream).sum().backward();
      got[variant] = {out.detach(), logits.grad(), enc->edge_bias.grad().clone()};
    }
    for (size_t i = 0; i < 3; ++i) {
      EXPECT_TRUE(at::allclose(got[0][i], got[1][i], 1e-10, 1e-12)) << "p " << p << " item " << i;
    }
    EXPECT_GT(got[0][2][1].abs().sum().item<double>(), 0.0);
    if (p > 0) {
      const double dropped = (got[0][0] == 0).to(at::kDouble).mean().item<double>();
      EXPECT_GT(dropped, 0.2) << "dropout applied";
    }
  }
  // Padded keys of a shorter graph get probability 0, and without dropout each row sums to 1.
  torch::NoGradGuard no_grad;
  const AttentionBias bias = enc->layer_bias(0, t, positions, mask);
  const auto probs = bias.probabilities(logits0, 0.3, false);
  EXPECT_TRUE(at::allclose(probs.sum(-1), at::ones({b.num_graphs, c.heads, t.seq_len},
                                                   probs.options()), 1e-12, 1e-12));
  for (int64_t g = 0; g < b.num_graphs; ++g) {
    const int64_t count = b.token_offsets[g + 1] - b.token_offsets[g];
    if (count < t.seq_len) {
      EXPECT_EQ(probs[g].slice(2, count).abs().max().item<double>(), 0.0);
    }
  }
}

// Finite differences in double precision through the fused function, dropout on (the seed reset
// before each evaluation keeps the mask fixed): logits and bias values.
TEST(GreatAttention, FusedProbabilitiesPassFiniteDifferences) {
  torch::manual_seed(3);
  const auto opts = at::TensorOptions(at::kDouble);
  const int64_t g = 2, heads = 2, len = 5;
  AttentionBias bias;
  bias.key_mask = at::zeros({g, 1, 1, len}, opts);
  bias.key_mask.index_put_({1, 0, 0, 4}, -1e9);  // graph 1 has 4 tokens
  bias.index = at::tensor(std::vector<int64_t>{0, 7, 7, 31, 49, 77}, at::kLong);  // 7 twice
  auto values = at::randn({6}, opts).requires_grad_(true);
  auto logits = at::randn({g, heads, len, len}, opts).requires_grad_(true);
  const auto weight = at::randn({g, heads, len, len}, opts);
  auto f = [&](const at::Tensor& l, const at::Tensor& v) {
    AttentionBias b = bias;
    b.values = v;
    torch::manual_seed(77);
    return (b.probabilities(l, 0.25, true) * weight).sum();
  };
  f(logits, values).backward();
  const double eps = 1e-6;
  for (int64_t i = 0; i < logits.numel(); i += 3) {
    auto plus = logits.detach().clone(), minus = logits.detach().clone();
    plus.view({-1})[i] += eps;
    minus.view({-1})[i] -= eps;
    const double numeric =
        (f(plus, values.detach()).item<double>() - f(minus, values.detach()).item<double>()) /
        (2 * eps);
    EXPECT_NEAR(logits.grad().view({-1})[i].item<double>(), numeric, 1e-6) << "logit " << i;
  }
  for (int64_t i = 0; i < values.numel(); ++i) {
    auto plus = values.detach().clone(), minus = values.detach().clone();
    plus[i] += eps;
    minus[i] -= eps;
    const double numeric =
        (f(logits.detach(), plus).item<double>() - f(logits.detach(), minus).item<double>()) /
        (2 * eps);
    EXPECT_NEAR(values.grad()[i].item<double>(), numeric, 1e-6) << "value " << i;
  }
}

TEST(FirstTokenPositions, SyntaxReadsFirstTokenSymbolFirstOccurrence) {
  // root(0) -> a(1) -> t2, t3; root -> t4; symbol 5 occurs at t3 and t4; 6 is isolated.
  data::GraphFeatures g;
  g.num_nodes = 7;
  g.subtokens.assign(7 * data::kMaxSubtokens, 0);
  g.node_types.assign(7, 0);
  auto edge = [&](parser::EdgeKind k, int s, int d) {
    g.edge_src[static_cast<int>(k)].push_back(s);
    g.edge_dst[static_cast<int>(k)].push_back(d);
  };
  edge(parser::EdgeKind::kChild, 0, 1);
  edge(parser::EdgeKind::kChild, 1, 2);
  edge(parser::EdgeKind::kChild, 1, 3);
  edge(parser::EdgeKind::kChild, 0, 4);
  edge(parser::EdgeKind::kOccurrenceOf, 4, 5);
  edge(parser::EdgeKind::kOccurrenceOf, 3, 5);
  g.tokens = {2, 3, 4};
  data::Batch b;
  data::append_to_batch(b, g);
  data::append_to_batch(b, g);
  const auto pos = first_token_positions(b);
  const std::vector<int32_t> one = {0, 0, 0, 1, 2, 1, 0};
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(pos[i], one[i]) << i;
    EXPECT_EQ(pos[7 + i], one[i]) << 7 + i;
  }
}

TEST(BatchTensors, ShapesAndRelations) {
  const DetectorConfig c = small_config(ModelFamily::kTransformer);
  const data::Batch b = synthetic_batch(small_spec(), 3, 13);
  const BatchTensors t = to_tensors(b, c, at::kCPU, true);
  int64_t labels = 0;
  for (int32_t id : b.subtokens) labels += id != 0;
  EXPECT_EQ(t.label_by_node.segment.size(0), labels);
  EXPECT_EQ(t.label_by_node.num_segments(), b.num_nodes);
  EXPECT_EQ(t.label_by_subtoken.num_segments(), c.subtoken_vocab);
  int64_t edges = 0;
  for (int k = 0; k < parser::kNumEdgeKinds; ++k) {
    const int64_t count = static_cast<int64_t>(b.edge_src[k].size());
    ASSERT_EQ(t.rel_offset[2 * k + 1] - t.rel_offset[2 * k], count);
    ASSERT_EQ(t.rel_offset[2 * k + 2] - t.rel_offset[2 * k + 1], count);
    for (int64_t e = 0; e < count; ++e) {
      const int64_t fwd = t.rel_offset[2 * k] + e, rev = t.rel_offset[2 * k + 1] + e;
      EXPECT_EQ(t.by_src.segment[fwd].item<int64_t>(), b.edge_src[k][e]);
      EXPECT_EQ(t.by_dst.segment[fwd].item<int64_t>(), b.edge_dst[k][e]);
      EXPECT_EQ(t.by_src.segment[rev].item<int64_t>(), b.edge_dst[k][e]);  // reverse relation
      EXPECT_EQ(t.by_dst.segment[rev].item<int64_t>(), b.edge_src[k][e]);
      EXPECT_EQ(t.edge_rel[fwd].item<int64_t>(), 2 * k);
      EXPECT_EQ(t.edge_rel[rev].item<int64_t>(), 2 * k + 1);
    }
    edges += 2 * count;
  }
  EXPECT_EQ(t.rel_offset[kNumRelations], edges);
  // Both groupings: every edge once, in ascending order within its node's segment.
  for (const Csr* csr : {&t.by_src, &t.by_dst}) {
    ASSERT_EQ(csr->num_segments(), b.num_nodes);
    EXPECT_EQ(csr->ptr[b.num_nodes].item<int64_t>(), edges);
    EXPECT_TRUE(at::equal(std::get<0>(csr->order.sort()), at::arange(edges, at::kLong)));
    for (int64_t v = 0; v < b.num_nodes; ++v) {
      auto rows = csr->order.slice(0, csr->ptr[v].item<int64_t>(), csr->ptr[v + 1].item<int64_t>());
      EXPECT_TRUE((csr->segment.index_select(0, rows) == v).all().item<bool>()) << v;
      if (rows.size(0) > 1) {
        EXPECT_TRUE((rows.slice(0, 1) > rows.slice(0, 0, -1)).all().item<bool>()) << v;
      }
    }
  }
  EXPECT_EQ(t.token_node.sizes(), t.token_mask.sizes());
  EXPECT_EQ(t.token_mask.sum().item<int64_t>(), static_cast<int64_t>(b.tokens.size()));
  EXPECT_EQ(t.node_slot.size(0), b.num_nodes);
  EXPECT_EQ(t.cand_order.size(0), static_cast<int64_t>(b.cand_site.size()));
  EXPECT_EQ(t.text_cand.size(0) + t.symbol_cand.size(0) + t.swap_cand.size(0),
            static_cast<int64_t>(b.cand_site.size()));
}

TEST(BatchTensors, RejectsOutOfRangeIds) {
  const DetectorConfig c = small_config(ModelFamily::kGnn);
  data::Batch b = synthetic_batch(small_spec(), 1, 14);
  b.subtokens[0] = c.subtoken_vocab;
  EXPECT_THROW(to_tensors(b, c, at::kCPU, false), Error);
  b = synthetic_batch(small_spec(), 1, 14);
  b.edge_dst[0][0] = b.num_nodes;
  EXPECT_THROW(to_tensors(b, c, at::kCPU, false), Error);
}

TEST(BatchTensors, TruncatesToMaxLen) {
  DetectorConfig c = small_config(ModelFamily::kTransformer);
  c.max_len = 5;
  const data::Batch b = synthetic_batch(small_spec(), 2, 15);
  const BatchTensors t = to_tensors(b, c, at::kCPU, true);
  EXPECT_EQ(t.seq_len, 5);
  EXPECT_LT(t.node_slot.max().item<int64_t>(), 2 * 5);
  EXPECT_LT(t.bias_pair.max().item<int64_t>(), 2 * 5 * 5);
}

}  // namespace
}  // namespace bugseek::detector
