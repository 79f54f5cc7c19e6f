// The two encoder families BugLab compares, over node embeddings built from subtokens and syntax
// kinds. Both map a BatchTensors to one vector per node ([N, hidden]) for the heads. Internal to
// detector/ (and its tests); includes torch.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include "detector/batch_tensors.h"
#include "detector/detector.h"

namespace bugseek::detector {

// Layer outputs a forward pass records for the training monitors (activation_stats): the layer's
// name and its output as [rows, units]. Null in training and inference, where nothing is kept.
using ActivationTaps = std::vector<std::pair<std::string, at::Tensor>>;

// A node's label subtokens embedded and pooled (pads masked) plus its syntax kind's embedding.
class NodeEmbeddingImpl : public torch::nn::Module {
 public:
  explicit NodeEmbeddingImpl(const DetectorConfig& config);
  // [N, hidden] for the nodes of `batch` (its label pairs and node types).
  at::Tensor forward(const BatchTensors& batch);

  torch::nn::Embedding subtoken{nullptr};
  torch::nn::Embedding node_type{nullptr};
  Pooling pooling;
};
TORCH_MODULE(NodeEmbedding);

// One message-passing step: a linear transform per relation (edge kind x direction) applied to the
// source, aggregated at the destination, then h' = LayerNorm(h + dropout(gelu(W [h; agg]))).
class GnnLayerImpl : public torch::nn::Module {
 public:
  explicit GnnLayerImpl(const DetectorConfig& config);
  // [E, hidden] messages of the edges of BatchTensors (all relations, in relation order).
  at::Tensor messages(const at::Tensor& h, const BatchTensors& batch);
  // [N, hidden] -> [N, hidden]; `hidden_out`, if given, receives the GELU output [N, hidden].
  // `pairs`: the batch's edges grouped by (source class, relation) for classes of nodes with
  // equal rows of `h` (BatchTensors::layer_pairs); used in eval mode when no gradient is recorded.
  at::Tensor forward(const at::Tensor& h, const BatchTensors& batch,
                     at::Tensor* hidden_out = nullptr, const EdgePairs* pairs = nullptr);

  at::Tensor rel_weight;  // [kNumRelations, hidden, hidden]: message = h_src @ W_r + b_r
  at::Tensor rel_bias;    // [kNumRelations, hidden]
  torch::nn::Linear update{nullptr};  // [2 hidden -> hidden]
  torch::nn::LayerNorm norm{nullptr};
  torch::nn::Dropout dropout{nullptr};  // holds p; applied by hashed_dropout (dropout.h)
  Aggregation aggregation;
};
TORCH_MODULE(GnnLayer);

class GnnEncoderImpl : public torch::nn::Module {
 public:
  explicit GnnEncoderImpl(const DetectorConfig& config);
  // [N, H] -> [N, H]
  at::Tensor forward(const at::Tensor& x, const BatchTensors& batch,
                     ActivationTaps* taps = nullptr);

  torch::nn::LayerNorm input_norm{nullptr};
  std::vector<GnnLayer> layers;
};
TORCH_MODULE(GnnEncoder);

// The sparse additive attention bias of one layer: values added in place at flat positions of the
// logits [G, heads, L, L], and a key mask [G, 1, 1, L] (0, or -1e9 on padded keys).
struct AttentionBias {
  at::Tensor index;     // [P * heads] flat positions in [G, heads, L, L]
  at::Tensor values;    // [P * heads]
  at::Tensor key_mask;  // [G, 1, 1, L]
  // logits + bias, a new tensor [G, heads, L, L].
  at::Tensor apply(const at::Tensor& logits) const;
  // The attention probabilities: dropout (probability p, when `training`; hashed_dropout's mask)
  // of softmax(logits + bias) over the last dimension. On the CPU one pass per row forward and one
  // backward, keeping only the probabilities; elsewhere the three steps as they are.
  at::Tensor probabilities(const at::Tensor& logits, double p, bool training) const;
};

// A pre-LayerNorm transformer block whose attention logits get an additive bias.
class GreatLayerImpl : public torch::nn::Module {
 public:
  explicit GreatLayerImpl(const DetectorConfig& config);
  // x [G, L, H] -> [G, L, H]; `hidden_out`, if given, receives the feed-forward GELU output
  // [G, L, ff_mult H].
  at::Tensor forward(const at::Tensor& x, const AttentionBias& bias,
                     at::Tensor* hidden_out = nullptr);

  int heads;
  torch::nn::LayerNorm norm1{nullptr}, norm2{nullptr};
  torch::nn::Linear qkv{nullptr}, out{nullptr}, ff1{nullptr}, ff2{nullptr};
  torch::nn::Dropout dropout{nullptr};  // holds p; applied by hashed_dropout (dropout.h)
};
TORCH_MODULE(GreatLayer);

// GREAT (Hellendoorn et al. 2020) style: a transformer over each graph's token sequence, padded to
// L and masked, with a learned scalar per (layer, relation, head) added to the logit of every
// token pair joined by an edge of that relation. Edges between non-token nodes are projected onto
// tokens: every node stands for its first token (see first_token_positions), and every node's
// output is its token's output.
class GreatEncoderImpl : public torch::nn::Module {
 public:
  explicit GreatEncoderImpl(const DetectorConfig& config);
  // [N, H] -> [N, H]; `taps` get each layer's output and GELU output at real (unpadded) tokens.
  at::Tensor forward(const at::Tensor& x, const BatchTensors& batch,
                     ActivationTaps* taps = nullptr);
  // The bias of layer `layer` (sparse); `positions` from bias_positions(batch).
  AttentionBias layer_bias(int layer, const BatchTensors& batch, const at::Tensor& positions,
                           const at::Tensor& key_mask);
  at::Tensor bias_positions(const BatchTensors& batch);  // [P, heads] flat logit positions
  at::Tensor key_mask(const BatchTensors& batch);        // [G, 1, 1, L]
  // Dense [G, heads, L, L] bias of layer `layer`, padded keys included (for tests).
  at::Tensor attention_bias(int layer, const BatchTensors& batch);

  int heads;
  at::Tensor edge_bias;  // [layers, kNumRelations, heads]
  std::vector<GreatLayer> layers;
  torch::nn::LayerNorm final_norm{nullptr};
  torch::nn::Dropout dropout{nullptr};  // holds p; applied by hashed_dropout (dropout.h)
};
TORCH_MODULE(GreatEncoder);

}  // namespace bugseek::detector
