// The fixed validation sample: a seeded choice of validation-split functions, each once clean and
// once with one randomly planted bug, featurized once at the start of a run. Evaluating the
// detector on it gives BugLab's accuracies overall and per bug kind. Torch-free.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "data/batch.h"
#include "data/sample.h"
#include "data/shard.h"
#include "detector/detector.h"
#include "parser/rewrites.h"

namespace bugseek::train {

struct LabeledGraph {
  data::GraphFeatures features;
  int32_t kind = -1;  // parser::BugKind of the planted bug, -1 for clean
  int32_t twin_site = -1;  // a real pair's buggy graph: its bug site in the fixed twin (twin_site())
  int32_t plant = -1;  // a real pair's fixed graph: the rewrite back to the buggy one, or -1
};

// Up to `count` functions of `functions` (seeded choice), each clean and buggy; functions whose
// graph is skipped or whose bug cannot be planted are left out.
std::vector<LabeledGraph> make_validation_set(const std::vector<data::FunctionRecord>& functions,
                                              int count, uint64_t seed, uint32_t max_nodes,
                                              data::Featurizer& featurizer);

// Graphs packed into batches of at most `max_nodes` nodes, in order.
std::vector<data::Batch> pack_batches(const std::vector<const data::GraphFeatures*>& graphs,
                                      int32_t max_nodes);

struct KindCounts {
  int64_t buggy = 0, localized = 0, repaired_at_true = 0, joint = 0;
};

struct ValidationResult {
  double loss = 0;
  double no_bug_acc = 0;   // clean graphs predicted NO_BUG
  double loc_acc = 0;      // buggy graphs: predicted site is the bug's site
  double repair_acc = 0;   // buggy graphs: best repair at the true site is the fix
  double joint_acc = 0;    // buggy graphs localized and repaired
  double overall_acc = 0;  // all graphs: clean right or buggy localized and repaired
  std::array<KindCounts, parser::kNumBugKinds> by_kind{};
  int64_t clean = 0, buggy = 0;
};

ValidationResult validate(detector::Detector& detector, const std::vector<LabeledGraph>& set,
                          int32_t max_nodes_per_batch);

}  // namespace bugseek::train
