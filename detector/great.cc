// The GREAT-style transformer encoder: self-attention written out so edges can bias its logits.
#include <ATen/Parallel.h>
#include <torch/autograd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
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

// softmax(logits + bias) over the last dimension, into a new tensor.
at::Tensor biased_softmax(const at::Tensor& logits, const at::Tensor& key_mask,
                          const at::Tensor& index, const at::Tensor& values) {
  auto y = biased(logits, key_mask, index, values);
  return at::_softmax_out(y, y, -1, false);  // in place: each row's max is read before it is written
}

// dropout(softmax(logits + bias)): forward keeps the probabilities and the dropout seed; backward
// rebuilds the mask and takes the softmax's gradient row by row, y (g - sum(g y)).
struct AttentionProbabilitiesFn : torch::autograd::Function<AttentionProbabilitiesFn> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& logits,
                            const at::Tensor& key_mask, const at::Tensor& index,
                            const at::Tensor& values, double p) {
    auto y = biased_softmax(logits, key_mask, index, values);
    const uint64_t seed = p > 0 ? draw_dropout_seed() : 0;
    at::Tensor out = p > 0 ? dropout_with_seed(y, p, seed) : y;
    ctx->save_for_backward({index, y});
    ctx->saved_data["p"] = p;
    ctx->saved_data["seed"] = static_cast<int64_t>(seed);
    return out;
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const at::Tensor& index = saved[0];
    const at::Tensor& y = saved[1];
    const double p = ctx->saved_data["p"].toDouble();
    const auto seed = static_cast<uint64_t>(ctx->saved_data["seed"].toInt());
    const auto upstream = grads[0].contiguous();
    auto dlogits = at::empty_like(y);
    const int64_t len = y.size(-1), rows = y.numel() / std::max<int64_t>(len, 1);
    AT_DISPATCH_FLOATING_TYPES(y.scalar_type(), "attention_probabilities_backward", [&] {
      const scalar_t* py = y.data_ptr<scalar_t>();
      const scalar_t* pg = upstream.data_ptr<scalar_t>();
      scalar_t* pd = dlogits.data_ptr<scalar_t>();
      const auto threshold = static_cast<uint32_t>(p * 65536.0);
      const auto scale = static_cast<scalar_t>(p > 0 ? 1.0 / (1.0 - p) : 1.0);
      at::parallel_for(0, rows, std::max<int64_t>(1, 16384 / std::max<int64_t>(len, 1)),
                       [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
          const scalar_t* yr = py + r * len;
          const scalar_t* gr = pg + r * len;
          scalar_t* dr = pd + r * len;
          scalar_t dot = 0;
          uint64_t group = ~uint64_t{0}, bits = 0;
          for (int64_t j = 0; j < len; ++j) {
            bool keep = true;
            if (p > 0) {
              const auto i = static_cast<uint64_t>(r * len + j);
              if (i / 4 != group) bits = dropout_bits(seed, group = i / 4);
              keep = dropout_keeps(bits, static_cast<int64_t>(i % 4), threshold);
            }
            dr[j] = keep ? gr[j] * scale : scalar_t(0);  // the probabilities' gradient
            dot += dr[j] * yr[j];
          }
          for (int64_t j = 0; j < len; ++j) dr[j] = yr[j] * (dr[j] - dot);
        }
      });
    });
    return {dlogits, at::Tensor(), at::Tensor(), dlogits.reshape({-1}).index_select(0, index),
            at::Tensor()};
  }
};

}  // namespace

at::Tensor AttentionBias::probabilities(const at::Tensor& logits, double p, bool training) const {
  const double rate = training ? p : 0.0;
  TORCH_CHECK(rate >= 0 && rate < 1, "attention dropout: probability in [0, 1) expected, got ", p);
  if (!logits.is_cpu()) return hashed_dropout(at::softmax(apply(logits), -1), p, training);
  const bool grad =
      at::GradMode::is_enabled() && (logits.requires_grad() || values.requires_grad());
  if (grad) return AttentionProbabilitiesFn::apply(logits, key_mask, index, values, rate);
  auto y = biased_softmax(logits, key_mask, index, values);
  return rate > 0 ? dropout_with_seed(y, rate, draw_dropout_seed()) : y;
}

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
  // [G, heads, L, L]: dropout(softmax(q k^T + bias)) in one pass each way.
  auto attn = bias.probabilities(at::matmul(q, k.transpose(-2, -1)), dropout->options.p(),
                                 is_training());
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
