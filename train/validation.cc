#include "train/validation.h"

#include <algorithm>
#include <numeric>

#include "eval/metrics.h"
#include "eval/suites.h"

namespace bugseek::train {

std::vector<LabeledGraph> make_validation_set(const std::vector<data::FunctionRecord>& functions,
                                              int count, uint64_t seed, uint32_t max_nodes,
                                              data::Featurizer& featurizer) {
  std::vector<size_t> order(functions.size());
  std::iota(order.begin(), order.end(), size_t{0});
  data::Rng shuffle_rng(seed ^ 0x76616c6964ULL);
  std::shuffle(order.begin(), order.end(), shuffle_rng);

  data::SampleOptions clean_options;
  clean_options.buggy_fraction = 0;
  clean_options.max_nodes = max_nodes;
  data::SampleOptions bug_options = clean_options;
  bug_options.buggy_fraction = 1;
  data::RandomBugSelector random;

  std::vector<LabeledGraph> set;
  int taken = 0;
  for (size_t i = 0; i < order.size() && taken < count; ++i) {
    const auto& record = functions[order[i]];
    data::Rng rng(seed * 1000003ULL + i);
    data::Sample buggy = data::make_sample(record, bug_options, featurizer, &random, rng);
    if (buggy.status != data::SampleStatus::kBuggy) continue;
    data::Sample clean = data::make_sample(record, clean_options, featurizer, nullptr, rng);
    if (clean.status != data::SampleStatus::kClean) continue;
    set.push_back({std::move(clean.features), -1});
    set.push_back({std::move(buggy.features), static_cast<int32_t>(buggy.kind)});
    ++taken;
  }
  return set;
}

std::vector<data::Batch> pack_batches(const std::vector<const data::GraphFeatures*>& graphs,
                                      int32_t max_nodes) {
  std::vector<data::Batch> batches;
  data::Batch current;
  for (const data::GraphFeatures* g : graphs) {
    if (current.num_graphs > 0 && current.num_nodes + g->num_nodes > max_nodes) {
      batches.push_back(std::move(current));
      current = data::Batch{};
    }
    data::append_to_batch(current, *g);
  }
  if (current.num_graphs > 0) batches.push_back(std::move(current));
  return batches;
}

ValidationResult validate(detector::Detector& detector, const std::vector<LabeledGraph>& set,
                          int32_t max_nodes_per_batch) {
  std::vector<const data::GraphFeatures*> graphs;
  graphs.reserve(set.size());
  for (const auto& g : set) graphs.push_back(&g.features);

  // Judged and counted by eval's own code, so validation's numbers mean what `bugseek eval`'s do.
  eval::MetricsAccumulator accumulator(eval::bug_kind_names());
  double loss_sum = 0;
  size_t index = 0;
  for (const data::Batch& batch : pack_batches(graphs, max_nodes_per_batch)) {
    loss_sum += detector.evaluate(batch).loss * batch.num_graphs;
    for (const detector::GraphPrediction& p : detector.predict(batch, 0)) {
      const LabeledGraph& item = set[index++];
      const bool buggy = item.features.target_site >= 0;
      accumulator.add(eval::outcome_of(p, item.features, buggy ? item.kind : -1));
    }
  }
  const eval::Metrics m = accumulator.finish();
  ValidationResult r;
  r.clean = m.num_clean;
  r.buggy = m.num_buggy;
  r.loss = set.empty() ? 0 : loss_sum / double(set.size());
  r.no_bug_acc = m.overall.no_bug.value();
  r.loc_acc = m.overall.localization.value();
  r.repair_acc = m.overall.repair.value();
  r.joint_acc = m.overall.joint.value();
  const int64_t all = m.num_clean + m.num_buggy;
  r.overall_acc = all > 0 ? double(m.overall.no_bug.correct + m.overall.joint.correct) / all : 0.0;
  for (size_t k = 0; k < m.per_kind.size() && k < r.by_kind.size(); ++k) {
    const eval::KindMetrics& km = m.per_kind[k];
    r.by_kind[k] = {km.localization.total, km.localization.correct, km.repair.correct,
                    km.joint.correct};
  }
  return r;
}

}  // namespace bugseek::train
