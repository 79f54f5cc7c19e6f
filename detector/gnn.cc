// Node embedding and the relational GNN encoder.
#include <cmath>
#include <string>
#include <vector>

#include "common/fault.h"
#include "detector/cpu_gemm.h"
#include "detector/dropout.h"
#include "detector/edge_ops.h"
#include "detector/encoders.h"

namespace bugseek::detector {

NodeEmbeddingImpl::NodeEmbeddingImpl(const DetectorConfig& c) : pooling(c.subtoken_pooling) {
  subtoken = register_module(
      "subtoken",
      torch::nn::Embedding(torch::nn::EmbeddingOptions(c.subtoken_vocab, c.hidden).padding_idx(0)));
  node_type = register_module("node_type", torch::nn::Embedding(c.node_type_vocab, c.hidden));
}

at::Tensor NodeEmbeddingImpl::forward(const BatchTensors& batch) {
  // The label's subtoken rows gathered straight from the table and pooled per node: no padded
  // [N, kMaxSubtokens, H] tensor and no masking. A node without subtokens (syntax nodes) gets 0.
  auto rows = gather_rows(subtoken->weight, batch.label_by_subtoken);  // [P, H]
  auto pooled = segment_reduce(
      rows, batch.label_by_node,
      pooling == Pooling::kMax ? SegmentReduce::kMax : SegmentReduce::kMean);  // [N, H]
  return pooled + node_type->forward(batch.node_types);
}

GnnLayerImpl::GnnLayerImpl(const DetectorConfig& c) : aggregation(c.aggregation) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(c.hidden));
  rel_weight = register_parameter(
      "rel_weight", at::empty({kNumRelations, c.hidden, c.hidden}).uniform_(-bound, bound));
  rel_bias =
      register_parameter("rel_bias", at::empty({kNumRelations, c.hidden}).uniform_(-bound, bound));
  update = register_module("update", torch::nn::Linear(2 * c.hidden, c.hidden));
  norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden})));
  dropout = register_module("dropout", torch::nn::Dropout(c.dropout));
}

at::Tensor GnnLayerImpl::messages(const at::Tensor& h, const BatchTensors& batch) {
  // Gather, then one product per relation on its contiguous rows: transforming every node by all
  // kNumRelations weights first costs kNumRelations * N / E times the FLOPs (about 4x on the
  // standard library, and measured 3x slower per layer).
  const std::vector<int64_t> offsets(batch.rel_offset.begin(), batch.rel_offset.end());
  return segment_matmul(gather_rows(h, batch.by_src), rel_weight, rel_bias, offsets);  // [E, H]
}

namespace {

SegmentReduce reduction(Aggregation aggregation) {
  switch (aggregation) {
    case Aggregation::kMax:
      return SegmentReduce::kMax;
    case Aggregation::kMean:
      return SegmentReduce::kMean;
    case Aggregation::kSum:
      return SegmentReduce::kSum;
  }
  TORCH_CHECK(false, "GnnLayer: unknown aggregation");
}

}  // namespace

at::Tensor GnnLayerImpl::forward(const at::Tensor& h, const BatchTensors& batch,
                                 at::Tensor* hidden_out, const EdgePairs* pairs) {
  // Inference (eval mode: dropout would make equal classes' rows differ; nothing recorded for a
  // backward): one message per (source class, relation).
  const bool inference = pairs != nullptr && h.is_cpu() && !is_training() &&
                         !(at::GradMode::is_enabled() &&
                           (h.requires_grad() || rel_weight.requires_grad() ||
                            rel_bias.requires_grad()));
  auto agg = inference ? reduce_pair_messages(h, rel_weight, rel_bias, *pairs, batch.by_dst,
                                              reduction(aggregation))
                       : segment_reduce(messages(h, batch), batch.by_dst,
                                        reduction(aggregation));  // [N, H]
  const auto input = at::cat({h, agg}, 1);  // [N, 2H]
  auto delta = at::gelu(linear(input, update->weight, update->bias));
  if (hidden_out != nullptr) *hidden_out = delta;
  return norm->forward(h + hashed_dropout(delta, dropout->options.p(), is_training()));
}

GnnEncoderImpl::GnnEncoderImpl(const DetectorConfig& c) {
  input_norm =
      register_module("input_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden})));
  for (int i = 0; i < c.layers; ++i) {
    layers.push_back(register_module("layer" + std::to_string(i), GnnLayer(c)));
  }
}

at::Tensor GnnEncoderImpl::forward(const at::Tensor& x, const BatchTensors& batch,
                                   ActivationTaps* taps) {
  auto h = input_norm->forward(x);
  if (taps != nullptr) taps->emplace_back("gnn.input_norm", h);
  for (size_t i = 0; i < layers.size(); ++i) {
    at::Tensor hidden;
    // Layer i's pairs assume its input comes from the layers before it, as here.
    const EdgePairs* pairs = i < batch.layer_pairs.size() ? &batch.layer_pairs[i] : nullptr;
    h = layers[i]->forward(h, batch, taps != nullptr ? &hidden : nullptr, pairs);
    // A planted pipeline bug for the doctor's tests: the first layer passes on no gradient.
    if (i == 0 && test_fault("detached-encoder")) h = h.detach();
    if (taps == nullptr) continue;
    const std::string name = "gnn.layer" + std::to_string(i);
    taps->emplace_back(name + ".gelu", hidden);
    taps->emplace_back(name, h);
  }
  return h;
}

}  // namespace bugseek::detector
