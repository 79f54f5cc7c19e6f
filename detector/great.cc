// The GREAT-style transformer encoder: self-attention written out so edges can bias its logits.
#include <cmath>
#include <string>

#include "detector/encoders.h"

namespace bugseek::detector {
namespace {

// Fixed sinusoidal positions [L, H] (no weights, so any length up to max_len works).
at::Tensor sinusoid(int64_t len, int64_t hidden, const at::TensorOptions& options) {
  auto pos = at::arange(len, options).unsqueeze(1);                      // [L, 1]
  auto i = at::arange(0, hidden, 2, options);                            // [ceil(H/2)]
  auto angle = pos * at::exp(i * (-std::log(10000.0) / static_cast<double>(hidden)));  // [L, H/2]
  auto pe = at::zeros({len, hidden}, options);
  pe.index_put_({at::indexing::Slice(), at::indexing::Slice(0, at::indexing::None, 2)},
                at::sin(angle));
  pe.index_put_({at::indexing::Slice(), at::indexing::Slice(1, at::indexing::None, 2)},
                at::cos(angle.slice(1, 0, hidden / 2)));
  return pe;
}

}  // namespace

GreatLayerImpl::GreatLayerImpl(const DetectorConfig& c) : heads(c.heads) {
  using torch::nn::Linear;
  norm1 = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden})));
  norm2 = register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden})));
  qkv = register_module("qkv", Linear(c.hidden, 3 * c.hidden));
  out = register_module("out", Linear(c.hidden, c.hidden));
  ff1 = register_module("ff1", Linear(c.hidden, c.ff_mult * c.hidden));
  ff2 = register_module("ff2", Linear(c.ff_mult * c.hidden, c.hidden));
  dropout = register_module("dropout", torch::nn::Dropout(c.dropout));
}

at::Tensor GreatLayerImpl::forward(const at::Tensor& x, const at::Tensor& bias) {
  const int64_t g = x.size(0), len = x.size(1), hidden = x.size(2), dh = hidden / heads;
  auto qkv_out = qkv->forward(norm1->forward(x)).view({g, len, 3, heads, dh}).permute({2, 0, 3, 1, 4});
  auto q = qkv_out[0], k = qkv_out[1], v = qkv_out[2];                  // [G, heads, L, dh]
  auto logits = at::matmul(q, k.transpose(-2, -1)) / std::sqrt(static_cast<double>(dh)) + bias;
  auto attn = dropout->forward(at::softmax(logits, -1));                  // [G, heads, L, L]
  auto ctx = at::matmul(attn, v).permute({0, 2, 1, 3}).reshape({g, len, hidden});
  auto y = x + dropout->forward(out->forward(ctx));
  return y + dropout->forward(ff2->forward(at::gelu(ff1->forward(norm2->forward(y)))));
}

GreatEncoderImpl::GreatEncoderImpl(const DetectorConfig& c) : heads(c.heads) {
  edge_bias = register_parameter(
      "edge_bias", at::empty({std::max(c.layers, 1), kNumRelations, c.heads}).normal_(0.0, 0.1));
  for (int i = 0; i < c.layers; ++i) {
    layers.push_back(register_module("layer" + std::to_string(i), GreatLayer(c)));
  }
  final_norm =
      register_module("final_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden})));
  dropout = register_module("dropout", torch::nn::Dropout(c.dropout));
}

at::Tensor GreatEncoderImpl::attention_bias(int layer, const BatchTensors& batch) {
  const int64_t g = batch.num_graphs, len = batch.seq_len;
  auto table = edge_bias[layer];                                         // [R, heads]
  auto flat = at::zeros({g * len * len, heads}, table.options());
  if (batch.bias_pair.numel() > 0) {
    flat = flat.index_add(0, batch.bias_pair, table.index_select(0, batch.bias_rel));
  }
  auto bias = flat.view({g, len, len, heads}).permute({0, 3, 1, 2});    // [G, heads, L, L]
  // Padded keys get a large negative logit (not -inf: fully padded rows stay finite).
  auto pad = batch.token_mask.logical_not().view({g, 1, 1, len});
  return bias.masked_fill(pad, -1e9);
}

at::Tensor GreatEncoderImpl::forward(const at::Tensor& x, const BatchTensors& batch) {
  TORCH_CHECK(batch.seq_len > 0, "GreatEncoder: batch has no token grid (to_tensors(..., true))");
  const int64_t g = batch.num_graphs, len = batch.seq_len, hidden = x.size(1);
  auto seq = x.index_select(0, batch.token_node.view({-1})).view({g, len, hidden});
  seq = dropout->forward(seq + sinusoid(len, hidden, x.options()));
  for (size_t i = 0; i < layers.size(); ++i) {
    seq = layers[i]->forward(seq, attention_bias(static_cast<int>(i), batch));
  }
  seq = final_norm->forward(seq);
  return seq.view({g * len, hidden}).index_select(0, batch.node_slot);  // [N, H]
}

}  // namespace bugseek::detector
