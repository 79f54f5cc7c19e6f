// The learned selector's place in a training step, apart from the network itself: turning its
// scores over a clean function's rewrites into the bugs to plant, planting exactly those, and
// building its training target from what the detector made of them (BugLab's selector learns to
// propose the bug the detector found hardest). Torch-free; train/ runs the network.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "data/batch.h"
#include "data/sample.h"
#include "selector/policy.h"

namespace bugseek::selector {

// Plants exactly the rewrite it is given: the choice was made before, by the policy.
class FixedChoice : public data::BugSelector {
 public:
  explicit FixedChoice(int32_t rewrite) : rewrite_(rewrite) {}
  int32_t choose(const data::CleanFunction&, data::Rng&) override { return rewrite_; }

 private:
  int32_t rewrite_;
};

// The rewrites (candidate indices of the clean graph `clean`) to plant as bugs: the policy's
// distribution over the selector's log-scores (empty: the random baseline) with the kind mix
// applied, sampled without replacement.
std::vector<int> choose_bugs(const data::GraphFeatures& clean, const std::vector<float>& log_scores,
                             const PolicyConfig& policy, data::Rng& rng);

// One planted bug and how the detector did on it.
struct PlantedOutcome {
  int rewrite = -1;                  // candidate index in the clean graph
  float detector_log_prob = 0;       // log p(localize and repair) the detector gave it
};

// `clean` labelled with its rewrite `rewrite` as the selector's target: the bug it should have
// proposed. Throws Error if `rewrite` is not one of the graph's rewrites.
data::GraphFeatures bug_target(const data::GraphFeatures& clean, int rewrite);

// Which bugs the selector learns to propose (--selector-target).
enum class SelectorTarget {
  kHardest,  // the planted bug the detector found hardest (BugLab's adversary)
  kReal,     // the bugs of real fixes: each fixed function labelled with the bug its author made
  kBoth,     // both kinds of sample in one batch: hard, and like the bugs people make
};
// Parses "hardest", "real" or "both"; throws UsageError naming the option otherwise.
SelectorTarget parse_selector_target(std::string_view text);
inline bool learns_real_bugs(SelectorTarget t) { return t != SelectorTarget::kHardest; }
inline bool learns_hardest(SelectorTarget t) { return t != SelectorTarget::kReal; }

// The selector's training sample for one function: its clean graph labelled with the planted bug
// the detector found hardest (lowest log-probability; ties to the first). nullopt when no bug of
// the function reached the detector.
std::optional<data::GraphFeatures> hardest_bug_target(const data::GraphFeatures& clean,
                                                      const std::vector<PlantedOutcome>& planted);

}  // namespace bugseek::selector
