// Localization and repair heads over node representations, the training loss, and the CPU-side
// metrics and ranked predictions built from their log-probabilities. Internal; includes torch.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <torch/nn/module.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>

#include "data/batch.h"
#include "detector/batch_tensors.h"
#include "detector/detector.h"

namespace bugseek::detector {

struct Scores {
  at::Tensor site_logp;    // [S] log p(site) within its graph's softmax over sites + NO_BUG
  at::Tensor no_bug_logp;  // [G] log p(NO_BUG)
  at::Tensor cand_logp;    // [C] log p(candidate | its site)
};

// Localization: score(site) = MLP(h[site] + kind embedding); score(NO_BUG) = MLP([max; mean] of the
// graph's nodes); one softmax per graph. Repair, with q = W (h[site] + kind embedding):
//   kText   q . text_embedding[id] + text_bias[id]
//   kSymbol q . K h[symbol node]
//   kSwap   MLP([q; h[first arg]; h[second arg]])
// and one softmax per site.
class HeadsImpl : public torch::nn::Module {
 public:
  explicit HeadsImpl(const DetectorConfig& config);
  // h [N, hidden]; `taps` (encoders.h), if given, get the GELU outputs of the hidden layers.
  Scores forward(const at::Tensor& h, const BatchTensors& batch,
                 std::vector<std::pair<std::string, at::Tensor>>* taps = nullptr);

  torch::nn::Embedding site_kind{nullptr};
  torch::nn::Linear loc_hidden{nullptr}, loc_out{nullptr};
  torch::nn::Linear no_bug_hidden{nullptr}, no_bug_out{nullptr};
  torch::nn::Linear repair_query{nullptr};
  torch::nn::Embedding text_embedding{nullptr}, text_bias{nullptr};
  torch::nn::Linear symbol_key{nullptr};
  torch::nn::Linear swap_hidden{nullptr}, swap_out{nullptr};
};
TORCH_MODULE(Heads);

struct LossTensors {
  at::Tensor loss;              // [] mean of per_sample
  at::Tensor per_sample;        // [G] -log_prob_correct
  at::Tensor log_prob_correct;  // [G] log p(target site or NO_BUG) + log p(target repair | site)
  at::Tensor loc_logp;          // [G] the localization part
  at::Tensor repair_logp;       // [G] the repair part (0 for clean graphs)
};

// Loss against the batch's targets. `batch` supplies the targets (checked by to_tensors).
LossTensors compute_loss(const Scores& scores, const data::Batch& batch, const at::Device& device);

// Accuracies and loss numbers, computed on the CPU from the scores.
LossOutput summarize(const Scores& scores, const LossTensors& loss, const data::Batch& batch);

// Ranked proposals per graph (top_k = 0: all).
std::vector<GraphPrediction> rank_proposals(const Scores& scores, const data::Batch& batch,
                                            int top_k);

}  // namespace bugseek::detector
