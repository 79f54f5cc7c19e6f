// How bugs are chosen. The selector scores every candidate rewrite of a clean function; this file
// turns those scores into choices (softmax at a temperature mixed with uniform exploration, as in
// BugLab) and picks the training target for the selector: the sampled bug the detector found
// hardest. The random baseline is the same policy with no scores. Torch-free: the scoring network
// is a detector-family model wired in train/.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace bugseek::selector {

struct PolicyConfig {
  int samples_per_function = 4;  // bugs planted per clean function (BugLab: 4)
  double temperature = 1.0;      // softmax temperature over the selector's log-scores
  double exploration = 0.02;     // probability mass spread uniformly over all rewrites
  // Share of the bugs planted per bug kind (indexed by parser::BugKind), or empty: every rewrite
  // counts alike (BugLab's random selector). See apply_kind_mix.
  std::vector<double> kind_mix;
};

// The built-in kind mix "real": the kind composition of real single-token bugs (the PyPIBugs
// pairs of ../shared/realbugs: variable misuse 54%, comparison 19%, argument swap 11%, boolean 8%,
// literal 5%, binary 2%, assignment 1.5%), mixed 80/20 with a uniform share over the 7 kinds so
// no kind starves. Planting uniformly over rewrites instead gives about 56% variable misuse, 18%
// assignment and 17% binary operators but only 3% comparisons and 1% boolean operators (measured
// on the standard library), so a detector learns that real bugs' most common kinds are rare.
std::vector<double> real_kind_mix();

// Parses --kind-mix: "rewrites" (empty: uniform over rewrites), "real" (real_kind_mix()), or
// "KIND=W,KIND=W,..." with kind names as parser::bug_kind_name (unlisted kinds get 0).
// Throws UsageError naming `option`. `kind_names` gives the names in kind order.
std::vector<double> parse_kind_mix(std::string_view text, const std::vector<std::string>& kind_names,
                                   std::string_view option = "--kind-mix");

// Reweights a rewrite distribution so that each bug kind present in the function gets its share
// of `mix` (renormalized over the kinds present), split among that kind's rewrites in proportion
// to `probs`. `rewrite_kind[i]` is rewrite i's kind. An empty mix returns `probs` unchanged.
std::vector<double> apply_kind_mix(const std::vector<double>& probs,
                                   const std::vector<int>& rewrite_kind,
                                   const std::vector<double>& mix);

// Probabilities over `num_rewrites` rewrites from the selector's log-scores (empty = uniform).
// Result sums to 1; each entry is at least exploration / num_rewrites.
std::vector<double> rewrite_distribution(const std::vector<float>& log_scores, int num_rewrites,
                                         const PolicyConfig& config);

// Draws min(samples_per_function, num_rewrites) distinct rewrite indices from `probs`.
std::vector<int> sample_rewrites(const std::vector<double>& probs, const PolicyConfig& config,
                                 std::mt19937_64& rng);

// Index (into `chosen`) of the bug the detector found hardest: the lowest log-probability of
// localizing and repairing it. Ties go to the first. -1 if empty.
int hardest(const std::vector<float>& detector_log_prob_correct);

}  // namespace bugseek::selector
