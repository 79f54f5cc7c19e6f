#include "train/validation.h"

#include <algorithm>
#include <numeric>

#include "detector/decision.h"

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
  ValidationResult r;
  std::vector<const data::GraphFeatures*> graphs;
  graphs.reserve(set.size());
  for (const auto& g : set) graphs.push_back(&g.features);

  int64_t clean_right = 0, loc = 0, rep = 0, joint = 0;
  double loss_sum = 0;
  size_t index = 0;
  for (const data::Batch& batch : pack_batches(graphs, max_nodes_per_batch)) {
    loss_sum += detector.evaluate(batch).loss * batch.num_graphs;
    std::vector<detector::GraphPrediction> predictions = detector.predict(batch, 0);
    for (size_t g = 0; g < predictions.size(); ++g, ++index) {
      const LabeledGraph& item = set[index];
      const auto& f = item.features;
      const auto num_sites = static_cast<int32_t>(f.site_node.size());
      detector::Decision d = detector::decide(predictions[g], num_sites);
      if (f.target_site < 0) {
        ++r.clean;
        clean_right += d.site < 0;
        continue;
      }
      ++r.buggy;
      const bool localized = d.site == f.target_site;
      const bool repaired = detector::best_repair_at(predictions[g], f.target_site) == f.target_cand;
      loc += localized;
      rep += repaired;
      joint += localized && repaired;
      if (item.kind >= 0 && item.kind < parser::kNumBugKinds) {
        KindCounts& k = r.by_kind[item.kind];
        ++k.buggy;
        k.localized += localized;
        k.repaired_at_true += repaired;
        k.joint += localized && repaired;
      }
    }
  }
  auto ratio = [](int64_t a, int64_t b) { return b > 0 ? double(a) / double(b) : 0.0; };
  r.loss = set.empty() ? 0 : loss_sum / double(set.size());
  r.no_bug_acc = ratio(clean_right, r.clean);
  r.loc_acc = ratio(loc, r.buggy);
  r.repair_acc = ratio(rep, r.buggy);
  r.joint_acc = ratio(joint, r.buggy);
  r.overall_acc = ratio(clean_right + joint, r.clean + r.buggy);
  return r;
}

}  // namespace bugseek::train
