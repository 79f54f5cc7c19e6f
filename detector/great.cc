// The GREAT-style transformer encoder: self-attention written out so edges can bias its logits.
#include <torch/autograd.h>

#include <cmath>
#include <string>

#include "detector/cpu_gemm.h"
#include "detector/dropout.h"
#include "detector/edge_ops.h"
#include "detector/encoders.h"

namespace bugseek::detector {
namespace {

// Fixed sinusoidal positions [L, H] (no weights, so any length up to max_len works).
at::Tensor sinusoid(int64_t len, int64_t hidden, const at::TensorOptions& options) {
  auto pos = at::arange(len, options).unsqueeze(1);  // [L, 1]
  auto i = at::arange(0, hidden, 2, options);        // [ceil(H/2)]
  auto angle = pos * at::exp(i * (-std::log(10000.0) / static_cast<double>(hidden)));  // [L, H/2]
  auto pe = at::zeros({len, hidden}, options);
  pe.index_put_({at::indexing::Slice(), at::indexing::Slice(0, at::indexing::None, 2)},
                at::sin(angle));
  pe.index_put_({at::indexing::Slice(), at::indexing::Slice(1, at::indexing::None, 2)},
                at::cos(angle.slice(1, 0, hidden / 2)));
  return pe;
}

// A Linear layer's product by oneDNN (cpu_gemm.h); x [G, L, in].
at::Tensor linear_of(const torch::nn::Linear& layer, const at::Tensor& x) {
  return linear(x, layer->weight, layer->bias);
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

namespace {

// logits + key_mask, then values[i] added at flat position index[i] (serially: positions repeat
// when several relations join the same pair).
at::Tensor biased(const at::Tensor& logits, const at::Tensor& key_mask, const at::Tensor& index,
                  const at::Tensor& values_in) {
  auto out = at::add(logits, key_mask);
  if (!out.is_cpu()) return out.view({-1}).index_add_(0, index, values_in).view(out.sizes());
  const auto values = values_in.contiguous();
  AT_DISPATCH_FLOATING_TYPES(out.scalar_type(), "attention_bias", [&] {
    scalar_t* o = out.data_ptr<scalar_t>();
    const scalar_t* v = values.data_ptr<scalar_t>();
    const int64_t* pos = index.data_ptr<int64_t>();
    for (int64_t i = 0; i < index.numel(); ++i) o[pos[i]] += v[i];
  });
  return out;
}

// The logits' gradient passes through as it is; the values' is read at their positions. (An
// index_add_ on a view of the logits made autograd clone their whole gradient per layer.)
struct AttentionBiasFn : torch::autograd::Function<AttentionBiasFn> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& logits,
                            const at::Tensor& key_mask, const at::Tensor& index,
                            const at::Tensor& values) {
    ctx->save_for_backward({index});
    return biased(logits, key_mask, index, values);
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto index = ctx->get_saved_variables()[0];
    return {grads[0], at::Tensor(), at::Tensor(), grads[0].reshape({-1}).index_select(0, index)};
  }
};

}  // namespace

at::Tensor AttentionBias::apply(const at::Tensor& logits) const {
  const bool grad =
      at::GradMode::is_enabled() && (logits.requires_grad() || values.requires_grad());
  if (!grad || !logits.is_cpu()) return biased(logits, key_mask, index, values);
  return AttentionBiasFn::apply(logits, key_mask, index, values);
}

at::Tensor GreatLayerImpl::forward(const at::Tensor& x, const AttentionBias& bias,
                                   at::Tensor* hidden_out) {
  const int64_t g = x.size(0), len = x.size(1), hidden = x.size(2), dh = hidden / heads;
  auto drop = [&](const at::Tensor& t) {
    return hashed_dropout(t, dropout->options.p(), is_training());
  };
  auto qkv_out =
      linear_of(qkv, norm1->forward(x)).view({g, len, 3, heads, dh}).permute({2, 0, 3, 1, 4});
  auto q = qkv_out[0], k = qkv_out[1], v = qkv_out[2];  // [G, heads, L, dh]
  // Scaling q ([G, heads, L, dh]) rather than the logits ([G, heads, L, L]) saves a pass.
  q = q * (1.0 / std::sqrt(static_cast<double>(dh)));
  auto logits = bias.apply(at::matmul(q, k.transpose(-2, -1)));  // [G, heads, L, L]
  auto attn = drop(at::softmax(logits, -1));                     // [G, heads, L, L]
  auto ctx = at::matmul(attn, v).permute({0, 2, 1, 3}).reshape({g, len, hidden});
  auto y = x + drop(linear_of(out, ctx));
  auto ff = at::gelu(linear_of(ff1, norm2->forward(y)));
  if (hidden_out != nullptr) *hidden_out = ff;
  return y + drop(linear_of(ff2, ff));
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

at::Tensor GreatEncoderImpl::bias_positions(const BatchTensors& batch) {
  // bias_pair = (g * L + i) * L + j  ->  ((g * heads + head) * L + i) * L + j
  const int64_t area = batch.seq_len * batch.seq_len;
  auto g = at::div(batch.bias_pair, area, "floor").unsqueeze(1);          // [P, 1]
  auto within = at::remainder(batch.bias_pair, area).unsqueeze(1);        // [P, 1]
  auto head = at::arange(heads, batch.bias_pair.options()).unsqueeze(0);  // [1, heads]
  return (g * heads + head) * area + within;                              // [P, heads]
}

at::Tensor GreatEncoderImpl::key_mask(const BatchTensors& batch) {
  // Padded keys get a large negative logit (not -inf: fully padded rows stay finite).
  auto pad = batch.token_mask.logical_not().view({batch.num_graphs, 1, 1, batch.seq_len});
  return at::zeros(pad.sizes(), edge_bias.options()).masked_fill(pad, -1e9);
}

AttentionBias GreatEncoderImpl::layer_bias(int layer, const BatchTensors& batch,
                                           const at::Tensor& positions, const at::Tensor& mask) {
  AttentionBias bias;
  bias.index = positions.reshape({-1});
  bias.values = gather_rows(edge_bias[layer], batch.bias_by_rel).reshape({-1});  // [P * heads]
  bias.key_mask = mask;
  return bias;
}

at::Tensor GreatEncoderImpl::attention_bias(int layer, const BatchTensors& batch) {
  const int64_t g = batch.num_graphs, len = batch.seq_len;
  auto bias = layer_bias(layer, batch, bias_positions(batch), key_mask(batch));
  return bias.apply(at::zeros({g, heads, len, len}, edge_bias.options()));
}

at::Tensor GreatEncoderImpl::forward(const at::Tensor& x, const BatchTensors& batch,
                                     ActivationTaps* taps) {
  TORCH_CHECK(batch.seq_len > 0, "GreatEncoder: batch has no token grid (to_tensors(..., true))");
  const int64_t g = batch.num_graphs, len = batch.seq_len, hidden = x.size(1);
  auto drop = [&](const at::Tensor& t) {
    return hashed_dropout(t, dropout->options.p(), is_training());
  };
  auto seq = x.index_select(0, batch.token_node.view({-1})).view({g, len, hidden});
  seq = drop(seq + sinusoid(len, hidden, x.options()));
  const auto positions = bias_positions(batch);
  const auto mask = key_mask(batch);
  at::Tensor real_tokens;  // [T] flat positions of the unpadded tokens, for taps only
  if (taps != nullptr) real_tokens = batch.token_mask.reshape({g * len}).nonzero().view({-1});
  auto tap = [&](std::string name, const at::Tensor& t) {  // t [G, L, units]
    taps->emplace_back(std::move(name),
                       t.reshape({g * len, t.size(2)}).index_select(0, real_tokens));
  };
  for (size_t i = 0; i < layers.size(); ++i) {
    at::Tensor hidden;
    seq = layers[i]->forward(seq, layer_bias(static_cast<int>(i), batch, positions, mask),
                             taps != nullptr ? &hidden : nullptr);
    if (taps == nullptr) continue;
    tap("great.layer" + std::to_string(i) + ".gelu", hidden);
    tap("great.layer" + std::to_string(i), seq);
  }
  seq = final_norm->forward(seq);
  return seq.view({g * len, hidden}).index_select(0, batch.node_slot);  // [N, H]
}

}  // namespace bugseek::detector
