// The data phases of one training step, in order: take the step's clean functions, let the
// selector score their rewrites and choose the bugs, plant them. Torch-free (the selector's
// network is called through detector::Detector::predict); train/trainer.cc then runs the detector
// and selector steps on the result. Every random draw is seeded by (seed, position of the
// function in the epoch order, ...), never by thread or batch layout, so a resumed run and the
// ranks of a distributed one draw what a single uninterrupted process would.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "data/sample.h"
#include "data/shard.h"
#include "detector/detector.h"
#include "selector/policy.h"

namespace bugseek::train {

uint64_t mix_seed(uint64_t a, uint64_t b);

// Independent draws of an index in [0, weights.size()) with probability in proportion to its
// weight (>= 0, not all 0), each a function of (seed, position, salt) alone.
class WeightedDraw {
 public:
  WeightedDraw() = default;
  explicit WeightedDraw(const std::vector<double>& weights);  // Error if no weight is positive
  bool empty() const { return cumulative_.empty(); }
  uint64_t index(uint64_t position, uint64_t seed, uint64_t salt) const;

 private:
  std::vector<double> cumulative_;  // running sums of the weights
};

// Weights that draw items with the kind shares of `mix` (indexed by kind): an item of kind k
// weighs mix[k] / (items of kind k). Kinds without items drop out and the others' shares grow in
// proportion; items of a kind outside the mix (or -1) weigh 0. Empty `mix`: every item weighs 1.
std::vector<double> kind_mix_weights(const std::vector<int32_t>& kinds, const std::vector<double>& mix);

// Which function each training position draws. Uniform: a seeded permutation per epoch (every
// function once an epoch). By size: independent draws with probability proportional to each
// function's length in bytes, capped; real bugs sit in functions drawn that way, since a bug is
// about as likely at any token (the real-bug suites' functions are 5x longer at the median than
// the standard library's). Both depend only on (seed, position).
class FunctionSampler {
 public:
  static constexpr size_t kSizeCapBytes = 4096;  // longer functions weigh as much as this
  FunctionSampler() = default;
  // mode: "uniform" or "size" (UsageError otherwise).
  FunctionSampler(const std::vector<data::FunctionRecord>& functions, const std::string& mode);
  uint64_t index(uint64_t position, uint64_t seed) const;
  bool by_size() const { return !by_size_.empty(); }

 private:
  uint64_t count_ = 0;
  WeightedDraw by_size_;
};

struct PhaseContext {
  uint64_t seed = 1;
  uint32_t max_nodes = 0;  // functions with larger graphs are skipped
  int threads = 1;
  const FunctionSampler* sampler = nullptr;  // null: uniform
  // One per thread.
  std::vector<std::unique_ptr<data::Featurizer>>* featurizers = nullptr;
};

struct StepData {
  std::vector<uint64_t> position;  // [n] epoch position of each function: seeds its draws
  std::vector<const data::FunctionRecord*> records;  // [n]
  std::vector<data::Sample> clean;                   // [n]
  std::vector<size_t> usable;                        // clean samples with at least one rewrite
  std::vector<std::vector<int>> chosen;              // [n] rewrites to plant, per function

  struct Job {
    size_t function;  // index into records
    int rewrite;      // candidate index in the clean graph
    size_t ordinal;   // among its function's bugs
  };
  std::vector<Job> jobs;
  std::vector<data::Sample> buggy;  // [jobs]
};

// 1. The n functions at positions first .. first + n - 1 (drawn by context.sampler; without
// one, a seeded order over `functions`, a new permutation each epoch) and their clean graphs.
StepData take_clean_functions(const std::vector<data::FunctionRecord>& functions, uint64_t first,
                              size_t n, const PhaseContext& context);

// Narrows `step` (from take_clean_functions, before choose_bugs) to the functions at indices
// `keep`, ascending; each keeps its position, so its draws do not change.
void keep_functions(StepData& step, const std::vector<size_t>& keep);

// The detector's work for one function of a step: its clean graph and the bugs planted in it
// (about as large), in nodes; 0 for a function the step does not train on.
double training_cost(const data::Sample& clean, int bugs_per_function);

// A split of a step's items between ranks with work as even as it can be made: longest first,
// each to the rank with the least work so far (`loads`: the work each rank already has, one per
// rank; ties to the lower rank). Returns the indices of `rank`'s items, ascending. Every rank
// computes the same split from the same costs, so the shares are disjoint and cover all items.
std::vector<size_t> balanced_share(const std::vector<double>& costs, std::vector<double> loads,
                                   int rank);

// 2. The bugs to plant in each usable function: the selector's scores (null selector: the random
// baseline) through the policy. Scoring batches hold at most `max_batch_nodes` nodes.
void choose_bugs(StepData& step, detector::Detector* selector, const selector::PolicyConfig& policy,
                 int32_t max_batch_nodes, const PhaseContext& context);

// 3. The chosen bugs planted (re-parse, the repairing rewrite found, featurized).
void plant_bugs(StepData& step, const PhaseContext& context);

// A buggy graph and its clean twin (the function it was planted in, or a real bug's fix) in the
// same batch, and the clean twin's site where the buggy one has its bug. Graph indices are the
// batch's; `clean_site` is local to the clean graph.
struct Twins {
  int32_t buggy_graph = 0;
  int32_t clean_graph = 0;
  int32_t clean_site = 0;
};

// The site of `clean` that sits where `buggy`'s target site does (same node, same bug kind), or -1
// (the rewrite changed the graph's shape there, or `buggy` has no target): for a real bug and its
// fix, where no rewrite index ties them. A single-token rewrite re-parsed keeps the node numbering
// in all but a few cases.
int32_t twin_site(const data::GraphFeatures& buggy, const data::GraphFeatures& clean);

// 4. The detector's batch: the usable clean graphs, then every bug that was planted.
struct StepBatch {
  data::Batch batch;
  std::vector<const data::GraphFeatures*> graphs;  // in batch order (they live in the StepData)
  std::vector<int> graph_of_job;                   // [jobs] graph of each bug, -1 if not planted
  std::array<int64_t, parser::kNumBugKinds> planted{};
  std::vector<Twins> twins;  // each planted bug with its clean function
};
StepBatch assemble_batch(const StepData& step);

// Appends `g` to the batch (graphs after the step's own, e.g. real fixes).
void append_graph(StepBatch& batch, const data::GraphFeatures& g);

}  // namespace bugseek::train
