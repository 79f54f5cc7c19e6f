#include "train/phases.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "common/fault.h"
#include "common/parallel.h"
#include "data/producer.h"
#include "data/split.h"
#include "selector/wiring.h"
#include "train/validation.h"

namespace bugseek::train {

uint64_t mix_seed(uint64_t a, uint64_t b) {
  uint64_t x = a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL + (a << 6) + (a >> 2));
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  return x;
}

WeightedDraw::WeightedDraw(const std::vector<double>& weights) {
  cumulative_.reserve(weights.size());
  double total = 0;
  for (double w : weights) {
    total += w > 0 ? w : 0.0;
    cumulative_.push_back(total);
  }
  if (!(total > 0)) throw Error("WeightedDraw: no positive weight");
}

uint64_t WeightedDraw::index(uint64_t position, uint64_t seed, uint64_t salt) const {
  // A uniform double in [0, 1) from the top 53 bits of a hash of (seed, position, salt). An
  // item of weight 0 has the running sum of the one before it, so upper_bound never lands on it.
  const double u =
      static_cast<double>(data::mix64(mix_seed(seed, position) ^ salt) >> 11) * 0x1.0p-53;
  const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u * cumulative_.back());
  return std::min<uint64_t>(static_cast<uint64_t>(it - cumulative_.begin()),
                            cumulative_.size() - 1);
}

std::vector<double> kind_mix_weights(const std::vector<int32_t>& kinds,
                                     const std::vector<double>& mix) {
  if (mix.empty()) return std::vector<double>(kinds.size(), 1.0);
  std::vector<size_t> count(mix.size(), 0);
  for (int32_t k : kinds) {
    if (k >= 0 && static_cast<size_t>(k) < mix.size()) ++count[k];
  }
  std::vector<double> weights(kinds.size(), 0.0);
  for (size_t i = 0; i < kinds.size(); ++i) {
    const int32_t k = kinds[i];
    if (k >= 0 && static_cast<size_t>(k) < mix.size()) weights[i] = mix[k] / count[k];
  }
  return weights;
}

FunctionSampler::FunctionSampler(const std::vector<data::FunctionRecord>& functions,
                                 const std::string& mode)
    : count_(functions.size()) {
  if (mode == "uniform") return;
  if (mode != "size") {
    throw UsageError("--function-weight must be size or uniform, not '" + mode + "'");
  }
  std::vector<double> weights;
  weights.reserve(functions.size());
  for (const data::FunctionRecord& f : functions) {
    weights.push_back(static_cast<double>(std::clamp<size_t>(f.text.size(), 1, kSizeCapBytes)));
  }
  if (!weights.empty()) by_size_ = WeightedDraw(weights);
}

uint64_t FunctionSampler::index(uint64_t position, uint64_t seed) const {
  if (by_size_.empty()) return data::BatchProducer::function_index(position, count_, seed, true);
  return by_size_.index(position, seed, 0x73697a65ULL);
}

StepData take_clean_functions(const std::vector<data::FunctionRecord>& functions, uint64_t first,
                              size_t n, const PhaseContext& context) {
  StepData step;
  step.position.resize(n);
  step.records.resize(n);
  for (size_t i = 0; i < n; ++i) {
    step.position[i] = first + i;
    const uint64_t index =
        context.sampler != nullptr
            ? context.sampler->index(first + i, context.seed)
            : data::BatchProducer::function_index(first + i, functions.size(), context.seed, true);
    step.records[i] = &functions[index];
  }
  data::SampleOptions options;
  options.buggy_fraction = 0;
  options.max_nodes = context.max_nodes;
  step.clean.resize(n);
  parallel_for(n, context.threads, [&](size_t i, int w) {
    data::Rng rng(mix_seed(context.seed, step.position[i]));
    step.clean[i] =
        data::make_sample(*step.records[i], options, *(*context.featurizers)[w], nullptr, rng);
  });
  for (size_t i = 0; i < n; ++i) {
    if (step.clean[i].status == data::SampleStatus::kClean &&
        !step.clean[i].features.cand_site.empty()) {
      step.usable.push_back(i);
    }
  }
  step.chosen.resize(n);
  return step;
}

void keep_functions(StepData& step, const std::vector<size_t>& keep) {
  StepData kept;
  for (size_t i : keep) {
    kept.position.push_back(step.position.at(i));
    kept.records.push_back(step.records.at(i));
    kept.clean.push_back(std::move(step.clean.at(i)));
  }
  size_t u = 0;
  for (size_t k = 0; k < keep.size(); ++k) {
    while (u < step.usable.size() && step.usable[u] < keep[k]) ++u;
    if (u < step.usable.size() && step.usable[u] == keep[k]) kept.usable.push_back(k);
  }
  kept.chosen.resize(kept.clean.size());
  step = std::move(kept);
}

double training_cost(const data::Sample& clean, int bugs_per_function) {
  if (clean.status != data::SampleStatus::kClean || clean.features.cand_site.empty()) return 0;
  return static_cast<double>(clean.features.num_nodes) * (1 + std::max(bugs_per_function, 0));
}

std::vector<size_t> balanced_share(const std::vector<double>& costs, std::vector<double> loads,
                                   int rank) {
  if (loads.empty() || rank < 0 || static_cast<size_t>(rank) >= loads.size()) {
    throw Error("balanced_share: rank " + std::to_string(rank) + " of " +
                std::to_string(loads.size()));
  }
  std::vector<size_t> order(costs.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return costs[a] > costs[b]; });
  std::vector<size_t> mine;
  for (size_t i : order) {
    const auto least = static_cast<size_t>(std::min_element(loads.begin(), loads.end()) - loads.begin());
    loads[least] += costs[i];
    if (least == static_cast<size_t>(rank)) mine.push_back(i);
  }
  std::sort(mine.begin(), mine.end());
  return mine;
}

void choose_bugs(StepData& step, detector::Detector* selector, const selector::PolicyConfig& policy,
                 int32_t max_batch_nodes, const PhaseContext& context) {
  std::vector<std::vector<float>> log_scores(step.clean.size());
  if (selector != nullptr && !step.usable.empty()) {
    std::vector<const data::GraphFeatures*> graphs;
    for (size_t i : step.usable) graphs.push_back(&step.clean[i].features);
    size_t u = 0;
    for (const data::Batch& batch : pack_batches(graphs, max_batch_nodes)) {
      for (const auto& prediction : selector->predict(batch, 0)) {
        const size_t i = step.usable[u++];
        std::vector<float>& scores = log_scores[i];
        scores.assign(step.clean[i].features.cand_site.size(), -1e9f);
        for (const auto& p : prediction.proposals) {
          scores[static_cast<size_t>(p.candidate)] = std::log(std::max(p.probability, 1e-30f));
        }
      }
    }
  }
  step.jobs.clear();
  for (size_t i : step.usable) {
    data::Rng rng(mix_seed(mix_seed(context.seed, step.position[i]), 1));
    step.chosen[i] = selector::choose_bugs(step.clean[i].features, log_scores[i], policy, rng);
    for (size_t k = 0; k < step.chosen[i].size(); ++k) {
      step.jobs.push_back({i, step.chosen[i][k], k});
    }
  }
}

void plant_bugs(StepData& step, const PhaseContext& context) {
  data::SampleOptions options;
  options.buggy_fraction = 1;
  options.plant_attempts = 1;
  options.max_nodes = context.max_nodes;
  step.buggy.assign(step.jobs.size(), data::Sample{});
  parallel_for(step.jobs.size(), context.threads, [&](size_t j, int w) {
    const StepData::Job& job = step.jobs[j];
    selector::FixedChoice choice(job.rewrite);
    data::Rng rng(mix_seed(mix_seed(context.seed, step.position[job.function]), job.ordinal + 2));
    step.buggy[j] = data::make_sample(*step.records[job.function], options,
                                      *(*context.featurizers)[w], &choice, rng);
    if (test_fault("plant-clean-graph")) {  // a planted pipeline bug for the doctor's tests
      // The buggy sample keeps its labels but its nodes are the clean code's: the bug never
      // reaches the model.
      const data::GraphFeatures& clean = step.clean[job.function].features;
      data::GraphFeatures& f = step.buggy[j].features;
      if (f.num_nodes == clean.num_nodes) {
        f.subtokens = clean.subtokens;
        f.node_types = clean.node_types;
        f.edge_src = clean.edge_src;
        f.edge_dst = clean.edge_dst;
        f.tokens = clean.tokens;
      }
    }
  });
}

int32_t twin_site(const data::GraphFeatures& buggy, const data::GraphFeatures& clean) {
  const int32_t target = buggy.target_site;
  if (target < 0 || static_cast<size_t>(target) >= buggy.site_node.size()) return -1;
  const int32_t node = buggy.site_node[static_cast<size_t>(target)];
  const int32_t kind = buggy.site_kind[static_cast<size_t>(target)];
  for (size_t s = 0; s < clean.site_node.size(); ++s) {
    if (clean.site_node[s] == node && clean.site_kind[s] == kind) return static_cast<int32_t>(s);
  }
  return -1;
}

StepBatch assemble_batch(const StepData& step) {
  StepBatch out;
  out.graph_of_job.assign(step.jobs.size(), -1);
  std::vector<int32_t> graph_of_function(step.clean.size(), -1);
  for (size_t i : step.usable) {
    graph_of_function[i] = out.batch.num_graphs;
    append_graph(out, step.clean[i].features);
  }
  for (size_t j = 0; j < step.jobs.size(); ++j) {
    if (step.buggy[j].status != data::SampleStatus::kBuggy) continue;
    const StepData::Job& job = step.jobs[j];
    out.graph_of_job[j] = out.batch.num_graphs;
    // The clean site is the one whose rewrite planted the bug.
    const auto& cand_site = step.clean[job.function].features.cand_site;
    if (graph_of_function[job.function] >= 0 && job.rewrite >= 0 &&
        static_cast<size_t>(job.rewrite) < cand_site.size()) {
      out.twins.push_back({out.batch.num_graphs, graph_of_function[job.function],
                           cand_site[static_cast<size_t>(job.rewrite)]});
    }
    append_graph(out, step.buggy[j].features);
    out.planted[static_cast<size_t>(step.buggy[j].kind)] += 1;
  }
  return out;
}

void append_graph(StepBatch& batch, const data::GraphFeatures& g) {
  data::append_to_batch(batch.batch, g);
  batch.graphs.push_back(&g);
}

}  // namespace bugseek::train
