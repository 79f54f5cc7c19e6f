// How bugs are chosen. The selector scores every candidate rewrite of a clean function; this file
// turns those scores into choices (softmax at a temperature mixed with uniform exploration, as in
// BugLab) and picks the training target for the selector: the sampled bug the detector found
// hardest. The random baseline is the same policy with no scores. Torch-free: the scoring network
// is a detector-family model wired in train/.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace bugseek::selector {

struct PolicyConfig {
  int samples_per_function = 4;  // bugs planted per clean function (BugLab: 4)
  double temperature = 1.0;      // softmax temperature over the selector's log-scores
  double exploration = 0.02;     // probability mass spread uniformly over all rewrites
};

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
