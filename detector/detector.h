// The detector: reads a batch of featurized unit graphs (data/batch.h) and answers, per graph,
// where the bug is (one of its sites, or NO_BUG) and which candidate repair fixes it. Two encoder
// families sit behind one interface: a relational GNN and a GREAT-style transformer.
// This header is torch-free (pimpl); train/ reaches tensors through detector/torch_api.h.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "data/batch.h"

namespace bugseek::detector {

enum class ModelFamily { kGnn, kTransformer };
enum class Aggregation { kMax, kMean, kSum };  // GNN neighbourhood aggregation
enum class Pooling { kMax, kMean };             // subtoken pooling into a node label vector
enum class DeviceKind { kCpu, kCuda, kAuto };   // kAuto: CUDA when available, else CPU

std::string_view family_name(ModelFamily family);  // "gnn" | "transformer"
ModelFamily family_from_name(std::string_view name);  // throws UsageError on anything else
std::string_view aggregation_name(Aggregation aggregation);
Aggregation aggregation_from_name(std::string_view name);
std::string_view pooling_name(Pooling pooling);
Pooling pooling_from_name(std::string_view name);
DeviceKind device_from_name(std::string_view name);  // "cpu" | "cuda" | "auto"

// Everything that determines the shapes of the weights. Saved beside the weights in a model file
// (config_to_text / config_from_text); the device is not part of it.
struct DetectorConfig {
  ModelFamily family = ModelFamily::kGnn;
  int hidden = 128;         // node / token representation width
  int layers = 4;           // message-passing steps or transformer blocks
  int heads = 4;            // transformer attention heads (hidden % heads == 0)
  int ff_mult = 2;          // transformer feed-forward width = ff_mult * hidden
  int max_len = 512;        // transformer: tokens kept per graph (later tokens are cut off)
  Aggregation aggregation = Aggregation::kMax;
  Pooling subtoken_pooling = Pooling::kMax;
  double dropout = 0.1;
  int subtoken_vocab = 4096;   // SentencePiece pieces (ids in [0, subtoken_vocab), 0 = pad)
  int node_type_vocab = 512;   // node type ids in [0, node_type_vocab)
  int text_vocab = 256;        // replacement-text ids (kText candidates) in [0, text_vocab)
};

// Named sizes: "tiny" (tests, CI), "default" (practical on 2 CPU cores), "large" (near BugLab:
// hidden 256, 8 layers). Vocabulary sizes keep their defaults; set them after. Throws UsageError.
DetectorConfig detector_preset(std::string_view preset, ModelFamily family);

// Throws UsageError naming the first inconsistent field.
void validate(const DetectorConfig& config);

// "key = value" lines (INI-like, stable key names) and back. Unknown keys are an error;
// missing keys keep their defaults, so older files with fewer keys still load.
std::string config_to_text(const DetectorConfig& config);
DetectorConfig config_from_text(std::string_view text);

// Sets LibTorch's intra-op thread count (its default here is 1). n <= 0 leaves it unchanged.
void set_num_threads(int n);

// Numbers from one forward pass over a batch with targets.
struct LossOutput {
  double loss = 0;             // mean over graphs of localization NLL + repair NLL
  double loc_loss = 0;         // mean localization NLL
  double repair_loss = 0;      // mean repair NLL (over buggy graphs; 0 if none)
  // Accuracies as eval/metrics.h defines them (one meaning everywhere):
  double no_bug_acc = 0;       // clean graphs whose argmax over sites + NO_BUG is NO_BUG
  double loc_acc = 0;          // buggy graphs whose argmax is the true site
  double repair_acc = 0;       // buggy graphs whose best candidate at the true site is the fix
  double joint_acc = 0;        // buggy graphs localized and repaired
  double overall_acc = 0;      // all graphs: clean ones NO_BUG, buggy ones localized and repaired
  int num_graphs = 0;
  int num_buggy = 0;
  std::vector<float> per_sample_loss;   // [num_graphs] loc NLL + repair NLL of each graph
  std::vector<float> log_prob_correct;  // [num_graphs] log p(true site) + log p(fix | site);
                                        // clean graphs: log p(NO_BUG)
};

// One ranked repair proposal. Indices are local to the graph (as in its GraphFeatures).
struct Proposal {
  int32_t site = 0;       // index into GraphFeatures::site_node
  int32_t candidate = 0;  // index into GraphFeatures::cand_*
  float probability = 0;  // p(site) * p(candidate | site)
};

struct GraphPrediction {
  float p_no_bug = 1;
  std::vector<Proposal> proposals;  // highest probability first
};

class Detector {
 public:
  // Builds freshly initialized weights from `config` (validated) with torch's generator seeded by
  // `seed`, on `device` (kAuto resolves at construction). Throws UsageError / Error.
  Detector(const DetectorConfig& config, uint64_t seed, DeviceKind device = DeviceKind::kCpu);
  ~Detector();
  Detector(Detector&&) noexcept;
  Detector& operator=(Detector&&) noexcept;

  const DetectorConfig& config() const;
  std::string device_name() const;  // "cpu" or "cuda:0"
  bool on_cuda() const;
  int64_t num_parameters() const;

  // Training mode enables dropout. A new Detector is in training mode.
  void set_training(bool training);
  bool training() const;

  // Loss and metrics for a batch with targets, without gradients (use torch_api.h to train).
  // Like predict, runs in eval mode (no dropout) and restores the previous mode.
  LossOutput evaluate(const data::Batch& batch);

  // Per graph: p(NO_BUG) and the `top_k` best (site, candidate) proposals (0 = all), ranked.
  // Runs in eval mode under NoGradGuard and restores the previous mode.
  std::vector<GraphPrediction> predict(const data::Batch& batch, int top_k = 0);

  // Weights only (the config travels separately, see config_to_text); load checks names and
  // shapes and throws Error on mismatch. Loading keeps this Detector's device.
  std::string save_weights() const;
  void load_weights(std::string_view bytes);

  struct Impl;
  Impl& impl() { return *impl_; }
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// The element-wise mean of several weight sets (Detector::save_weights) of models with `config`:
// snapshots of one run averaged into one model (stochastic weight averaging; a "model soup").
// Throws Error if `weights` is empty or a set does not fit `config` (names, shapes).
std::string average_weights(const DetectorConfig& config, const std::vector<std::string>& weights);

}  // namespace bugseek::detector
