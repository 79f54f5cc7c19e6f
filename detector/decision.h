// From a graph's ranked proposals to BugLab's decisions: the predicted location (a site or
// NO_BUG: the argmax of p(site), where p(site) sums its candidates' probabilities) and the
// predicted repair at a given site. Shared by validation in train/, by eval and by scan, so the
// three agree on what "localized" and "repaired" mean. Torch-free.
#pragma once

#include <cstdint>
#include <vector>

#include "detector/detector.h"

namespace bugseek::detector {

struct Decision {
  int32_t site = -1;            // predicted site (graph-local), -1 = NO_BUG
  float site_probability = 0;   // p(site), or p(NO_BUG) when site == -1
  int32_t repair = -1;          // argmax candidate at the predicted site (-1 for NO_BUG)
  float repair_probability = 0; // p(site) * p(repair | site)
};

// `num_sites` sites of the graph; `proposals` may be all or only the top ones (then p(site)
// sums only what is there).
Decision decide(const GraphPrediction& prediction, int32_t num_sites);

// 1 + the number of sites with a larger p(site) than `site` (NO_BUG aside); 0 if `site` is not
// one of the `num_sites`.
int32_t site_rank(const GraphPrediction& prediction, int32_t num_sites, int32_t site);

// Argmax candidate at `site` (-1 if the prediction lists none there).
int32_t best_repair_at(const GraphPrediction& prediction, int32_t site);

}  // namespace bugseek::detector
