#include "selector/wiring.h"

#include <string>

#include "common/error.h"

namespace bugseek::selector {

std::vector<int> choose_bugs(const data::GraphFeatures& clean, const std::vector<float>& log_scores,
                             const PolicyConfig& policy, data::Rng& rng) {
  const auto num_rewrites = static_cast<int>(clean.cand_site.size());
  std::vector<int> rewrite_kind(clean.cand_site.size());
  for (size_t c = 0; c < clean.cand_site.size(); ++c) {
    rewrite_kind[c] = clean.site_kind[static_cast<size_t>(clean.cand_site[c])];
  }
  return sample_rewrites(
      apply_kind_mix(rewrite_distribution(log_scores, num_rewrites, policy), rewrite_kind,
                     policy.kind_mix),
      policy, rng);
}

data::GraphFeatures bug_target(const data::GraphFeatures& clean, int rewrite) {
  if (rewrite < 0 || static_cast<size_t>(rewrite) >= clean.cand_site.size()) {
    throw Error("selector target: rewrite " + std::to_string(rewrite) + " is not one of the " +
                std::to_string(clean.cand_site.size()) + " rewrites of the clean function");
  }
  data::GraphFeatures target = clean;
  target.target_cand = rewrite;
  target.target_site = clean.cand_site[static_cast<size_t>(rewrite)];
  return target;
}

SelectorTarget parse_selector_target(std::string_view text) {
  if (text == "hardest") return SelectorTarget::kHardest;
  if (text == "real") return SelectorTarget::kReal;
  if (text == "both") return SelectorTarget::kBoth;
  throw UsageError("--selector-target must be hardest, real or both, not '" + std::string(text) + "'");
}

std::optional<data::GraphFeatures> hardest_bug_target(const data::GraphFeatures& clean,
                                                      const std::vector<PlantedOutcome>& planted) {
  std::vector<float> log_probs;
  log_probs.reserve(planted.size());
  for (const PlantedOutcome& p : planted) log_probs.push_back(p.detector_log_prob);
  const int hard = hardest(log_probs);
  if (hard < 0) return std::nullopt;
  return bug_target(clean, planted[static_cast<size_t>(hard)].rewrite);
}

}  // namespace bugseek::selector
