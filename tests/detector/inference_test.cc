// The inference-only paths: node classes (node_classes.h) on hand-made graphs, edge pairs,
// reduce_pair_messages against the gather -> per-relation product -> reduce kernels it stands for,
// the oneDNN products (cpu_gemm.h) against torch's, and the GNN encoder with and without its
// per-layer pairs (equal rows within each class at every layer, equal outputs; training mode
// never takes the shortcut).
#include <gtest/gtest.h>
#include <torch/utils.h>

#include <random>
#include <vector>

#include "detector/batch_tensors.h"
#include "detector/cpu_gemm.h"
#include "detector/edge_ops.h"
#include "detector/encoders.h"
#include "detector/node_classes.h"
#include "detector/synthetic.h"

namespace bugseek::detector {
namespace {

DetectorConfig small_config(Aggregation aggregation) {
  DetectorConfig c = detector_preset("tiny", ModelFamily::kGnn);
  c.hidden = 8;
  c.layers = 3;
  c.aggregation = aggregation;
  c.subtoken_vocab = 200;
  c.node_type_vocab = 50;
  c.text_vocab = 16;
  return c;
}

// Synthetic graphs whose labels come from a tiny alphabet, so many nodes share an input and the
// classes matter: node types in {1, 2, 3}, one subtoken in {0, 64, 65}.
data::Batch repetitive_batch(int graphs, uint64_t seed) {
  SyntheticSpec spec;
  spec.num_nodes = 40;
  spec.num_symbols = 4;
  spec.num_sites = 5;
  spec.edges = 120;
  spec.subtoken_vocab = 200;
  spec.node_type_vocab = 50;
  spec.text_vocab = 16;
  data::Batch b = synthetic_batch(spec, graphs, seed);
  std::mt19937_64 rng(seed);
  for (int32_t v = 0; v < b.num_nodes; ++v) {
    b.node_types[v] = 1 + static_cast<int32_t>(rng() % 3);
    for (int j = 0; j < data::kMaxSubtokens; ++j) {
      b.subtokens[v * data::kMaxSubtokens + j] =
          j == 0 ? std::vector<int32_t>{0, 64, 65}[rng() % 3] : 0;
    }
  }
  return b;
}

TEST(NodeClasses, InputsWithEqualTypeAndLabelShareAClass) {
  data::Batch b;
  b.num_nodes = 4;
  b.node_types = {3, 3, 3, 4};
  b.subtokens.assign(4 * data::kMaxSubtokens, 0);
  b.subtokens[0] = 7;
  b.subtokens[1 * data::kMaxSubtokens] = 7;
  b.subtokens[2 * data::kMaxSubtokens] = 7;
  b.subtokens[2 * data::kMaxSubtokens + 1] = 9;  // same first subtoken, longer label
  b.subtokens[3 * data::kMaxSubtokens] = 7;
  const NodeClasses c = input_classes(b);
  EXPECT_EQ(c.num_classes, 3);
  EXPECT_EQ(c.of_node, (std::vector<int32_t>{0, 0, 1, 2}));
}

TEST(NodeClasses, RefinementSplitsByTheSetOfIncomingRelationsAndClasses) {
  // Nodes 0..4 all of class 0. Edges (src -> dst, relation): 0->2 r0, 1->2 r0, 0->3 r0, 1->4 r1.
  // Node 2 and 3 receive {(r0, 0)} (2 twice: a set), node 4 {(r1, 0)}, nodes 0 and 1 nothing.
  NodeClasses c;
  c.of_node = {0, 0, 0, 0, 0};
  c.num_classes = 1;
  const std::vector<int64_t> src = {0, 1, 0, 1}, rel = {0, 0, 0, 1}, dst = {2, 2, 3, 4};
  const Csr by_dst = make_csr(dst, 5);
  const NodeClasses next = refine_classes(
      c, src.data(), rel.data(), by_dst.order.data_ptr<int64_t>(), by_dst.ptr.data_ptr<int64_t>());
  EXPECT_EQ(next.num_classes, 3);
  EXPECT_EQ(next.of_node[0], next.of_node[1]);
  EXPECT_EQ(next.of_node[2], next.of_node[3]);
  EXPECT_NE(next.of_node[2], next.of_node[4]);
  EXPECT_NE(next.of_node[0], next.of_node[2]);
  // A node's own class still separates: node 1 of another class gives node 4 another signature.
  c.of_node = {0, 1, 0, 0, 0};
  c.num_classes = 2;
  const NodeClasses split = refine_classes(
      c, src.data(), rel.data(), by_dst.order.data_ptr<int64_t>(), by_dst.ptr.data_ptr<int64_t>());
  EXPECT_EQ(split.num_classes, 5);
}

TEST(EdgePairs, OnePairPerSourceClassAndRelation) {
  // Relation 0: edges 0->1, 0->2, 3->1; relation 1: edges 0->3, 2->3. Nodes 0 and 3 share a class.
  const std::vector<int64_t> src = {0, 0, 3, 0, 2}, dst = {1, 2, 1, 3, 3};
  const Csr by_dst = make_csr(dst, 4);
  const EdgePairs own = make_edge_pairs(src, {0, 3, 5}, by_dst, {});
  EXPECT_EQ(own.offsets, (std::vector<int64_t>{0, 2, 4}));
  EXPECT_TRUE(at::equal(own.src, at::tensor(std::vector<int64_t>{0, 3, 0, 2})));
  // by_dst order: edges 0, 2 (into 1), 1 (into 2), 3, 4 (into 3).
  EXPECT_TRUE(at::equal(own.dst_pair, at::tensor(std::vector<int64_t>{0, 1, 0, 2, 3})));
  const EdgePairs shared = make_edge_pairs(src, {0, 3, 5}, by_dst, {0, 1, 2, 0});
  EXPECT_EQ(shared.offsets, (std::vector<int64_t>{0, 1, 3}));
  EXPECT_TRUE(at::equal(shared.src, at::tensor(std::vector<int64_t>{0, 0, 2})));
  EXPECT_TRUE(at::equal(shared.dst_pair, at::tensor(std::vector<int64_t>{0, 0, 0, 1, 2})));
}

class PairMessages : public ::testing::TestWithParam<SegmentReduce> {};

TEST_P(PairMessages, EqualGatherTransformReduce) {
  at::NoGradGuard no_grad;
  torch::manual_seed(21);
  std::mt19937_64 rng(4);
  const int64_t nodes = 40, edges = 300, classes = 9;
  std::vector<int64_t> src(edges), dst(edges);
  for (int64_t e = 0; e < edges; ++e) {
    src[e] = static_cast<int64_t>(rng() % nodes);
    dst[e] = static_cast<int64_t>(rng() % (nodes - 3));  // nodes 37..39 receive nothing
  }
  const std::vector<int64_t> offsets = {0, 100, 100, 220, 300};  // relation 1 has no edges
  std::vector<int32_t> node_class(nodes);
  for (auto& c : node_class) c = static_cast<int32_t>(rng() % classes);
  // Rows equal within each class, as the classes promise.
  const auto class_rows = at::randn({classes, 16});
  const auto x = class_rows.index_select(
      0, at::tensor(std::vector<int64_t>(node_class.begin(), node_class.end())));
  const auto w = at::randn({4, 16, 12}), b = at::randn({4, 12});
  const Csr by_src = make_csr(src, nodes), by_dst = make_csr(dst, nodes);
  const auto reference =
      segment_reduce(segment_matmul(gather_rows(x, by_src), w, b, offsets), by_dst, GetParam());
  for (const auto& classes_given : {std::vector<int32_t>{}, node_class}) {
    const EdgePairs pairs = make_edge_pairs(src, offsets, by_dst, classes_given);
    EXPECT_LT(pairs.src.size(0), edges);
    const auto got = reduce_pair_messages(x, w, b, pairs, by_dst, GetParam());
    EXPECT_TRUE(at::allclose(got, reference, 1e-5, 1e-6))
        << "max diff " << (got - reference).abs().max().item<float>();
    EXPECT_EQ(got[38].abs().sum().item<float>(), 0.0f);
  }
}

INSTANTIATE_TEST_SUITE_P(Reductions, PairMessages,
                         ::testing::Values(SegmentReduce::kSum, SegmentReduce::kMean,
                                           SegmentReduce::kMax));

TEST(InferenceGemm, EqualsAddmmUpToRoundingInBothWeightLayouts) {
  at::NoGradGuard no_grad;
  torch::manual_seed(22);
  for (int64_t m : {0, 1, 7, 300}) {
    const auto x = at::randn({m, 48}), w = at::randn({48, 20}), b = at::randn({20});
    const auto want = at::addmm(b, x, w);
    auto out = at::empty({m, 20});
    inference_gemm(x.data_ptr<float>(), m, 48, w.data_ptr<float>(), false, b.data_ptr<float>(), 20,
                   out.data_ptr<float>());
    EXPECT_TRUE(at::allclose(out, want, 1e-5, 1e-5)) << m;
    const auto w_t = w.t().contiguous();  // [20, 48], as Linear stores it
    inference_gemm(x.data_ptr<float>(), m, 48, w_t.data_ptr<float>(), true, nullptr, 20,
                   out.data_ptr<float>());
    EXPECT_TRUE(at::allclose(out, at::mm(x, w), 1e-5, 1e-5)) << m;
    EXPECT_TRUE(at::allclose(linear(x, w_t, b), want, 1e-5, 1e-5)) << m;
  }
}

TEST(InferenceGemm, LinearsGradientsEqualTorchsUpToRounding) {
  torch::manual_seed(23);
  const auto x0 = at::randn({3, 11, 16}), w0 = at::randn({8, 16}), b0 = at::randn({8});
  const auto upstream = at::randn({3, 11, 8});
  std::vector<at::Tensor> got[2];
  for (int variant = 0; variant < 2; ++variant) {
    auto x = x0.clone().requires_grad_(true), w = w0.clone().requires_grad_(true),
         b = b0.clone().requires_grad_(true);
    const auto out = variant == 0 ? linear(x, w, b) : at::linear(x, w, b);
    EXPECT_TRUE(out.requires_grad());
    ASSERT_EQ(out.sizes(), upstream.sizes());
    (out * upstream).sum().backward();
    got[variant] = {out.detach(), x.grad(), w.grad(), b.grad()};
  }
  for (size_t i = 0; i < got[0].size(); ++i) {
    EXPECT_TRUE(at::allclose(got[0][i], got[1][i], 1e-4, 1e-5)) << i;
  }
  // Only the input asks for a gradient, and no bias.
  auto x = x0.clone().requires_grad_(true);
  linear(x, w0, at::Tensor()).sum().backward();
  auto x_ref = x0.clone().requires_grad_(true);
  at::linear(x_ref, w0).sum().backward();
  EXPECT_TRUE(at::allclose(x.grad(), x_ref.grad(), 1e-4, 1e-5));
}

TEST(InferenceGemm, TurnedOffItIsTorchsLinearBitForBit) {
  torch::manual_seed(24);
  const auto x = at::randn({33, 16}).requires_grad_(true);
  const auto w = at::randn({8, 16}), b = at::randn({8});
  const bool before = onednn_gemm_enabled();
  set_onednn_gemm(false);
  const auto out = linear(x, w, b);
  set_onednn_gemm(before);
  EXPECT_TRUE(at::equal(out, at::linear(x, w, b)));
}

TEST(PairMessages, RefusesToRecordAGradient) {
  const std::vector<int64_t> src = {0, 1}, dst = {1, 0};
  const Csr by_dst = make_csr(dst, 2);
  const EdgePairs pairs = make_edge_pairs(src, {0, 2}, by_dst, {});
  auto x = at::randn({2, 3}).requires_grad_(true);
  EXPECT_THROW(reduce_pair_messages(x, at::randn({1, 3, 3}), at::randn({1, 3}), pairs, by_dst,
                                    SegmentReduce::kMax),
               c10::Error);
}

class EncoderPairs : public ::testing::TestWithParam<Aggregation> {};

// The encoder's layers run one by one on the general path; every layer's input must be equal
// within the classes its pairs were built from, and the encoder with pairs must give the same.
TEST_P(EncoderPairs, ClassesHoldEqualRowsAndTheOutputIsTheSame) {
  at::NoGradGuard no_grad;
  const DetectorConfig c = small_config(GetParam());
  torch::manual_seed(7);
  NodeEmbedding embedding(c);
  GnnEncoder encoder(c);
  encoder->eval();
  const data::Batch b = repetitive_batch(3, 12);
  BatchTensors t = to_tensors(b, c, at::kCPU, false);
  ASSERT_EQ(t.layer_pairs.size(), static_cast<size_t>(c.layers));
  EXPECT_LT(t.layer_pairs[0].src.size(0), t.by_dst.order.size(0) / 2);  // labels repeat a lot
  const auto x = embedding->forward(t);
  const auto with_pairs = encoder->forward(x, t);
  std::vector<EdgePairs> pairs = std::move(t.layer_pairs);
  t.layer_pairs.clear();
  auto h = encoder->input_norm->forward(x);
  for (int layer = 0; layer < c.layers; ++layer) {
    // Every edge's message source must hold the same row as its pair's source.
    const EdgePairs& p = pairs[static_cast<size_t>(layer)];
    const auto pair_rows = h.index_select(0, p.src).index_select(0, p.dst_pair);
    const auto edge_rows = h.index_select(0, t.by_src.segment.index_select(0, t.by_dst.order));
    // (Only the sources' rows matter; relations are checked by EdgePairs tests.)
    EXPECT_TRUE(at::equal(pair_rows, edge_rows)) << "layer " << layer;
    h = encoder->layers[static_cast<size_t>(layer)]->forward(h, t);
  }
  EXPECT_TRUE(at::allclose(with_pairs, h, 1e-5, 1e-6))
      << "max diff " << (with_pairs - h).abs().max().item<float>();
}

INSTANTIATE_TEST_SUITE_P(Aggregations, EncoderPairs,
                         ::testing::Values(Aggregation::kMax, Aggregation::kMean,
                                           Aggregation::kSum));

TEST(EncoderPairs, TrainingModeTakesTheGeneralPath) {
  // Dropout makes rows of one class differ, so a training-mode forward (even without gradients)
  // must not use the pairs: with the same dropout seeds, both give the same output.
  at::NoGradGuard no_grad;
  DetectorConfig c = small_config(Aggregation::kMax);
  c.dropout = 0.5;
  torch::manual_seed(8);
  NodeEmbedding embedding(c);
  GnnEncoder encoder(c);
  encoder->train();
  const data::Batch b = repetitive_batch(2, 13);
  BatchTensors t = to_tensors(b, c, at::kCPU, false);
  const auto x = embedding->forward(t);
  torch::manual_seed(99);
  const auto with_pairs = encoder->forward(x, t);
  t.layer_pairs.clear();
  torch::manual_seed(99);
  const auto without = encoder->forward(x, t);
  EXPECT_TRUE(at::equal(with_pairs, without));
}

}  // namespace
}  // namespace bugseek::detector
