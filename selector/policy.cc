#include "selector/policy.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace bugseek::selector {

std::vector<double> rewrite_distribution(const std::vector<float>& log_scores, int num_rewrites,
                                         const PolicyConfig& config) {
  std::vector<double> probs(static_cast<size_t>(std::max(num_rewrites, 0)), 0.0);
  if (num_rewrites <= 0) return probs;
  const double uniform = 1.0 / num_rewrites;
  if (log_scores.empty()) {
    std::fill(probs.begin(), probs.end(), uniform);
    return probs;
  }
  const double t = config.temperature > 0 ? config.temperature : 1.0;
  double max_score = -INFINITY;
  for (int i = 0; i < num_rewrites; ++i) max_score = std::max(max_score, double(log_scores[i]) / t);
  double total = 0;
  for (int i = 0; i < num_rewrites; ++i) {
    probs[i] = std::exp(double(log_scores[i]) / t - max_score);
    total += probs[i];
  }
  const double eps = std::clamp(config.exploration, 0.0, 1.0);
  for (double& p : probs) p = (1.0 - eps) * (p / total) + eps * uniform;
  return probs;
}

std::vector<int> sample_rewrites(const std::vector<double>& probs, const PolicyConfig& config,
                                 std::mt19937_64& rng) {
  const int n = static_cast<int>(probs.size());
  const int k = std::min(config.samples_per_function, n);
  std::vector<double> weights = probs;
  std::vector<int> chosen;
  chosen.reserve(static_cast<size_t>(k));
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int draw = 0; draw < k; ++draw) {
    double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    if (total <= 0) break;
    double r = unit(rng) * total;
    int pick = n - 1;
    for (int i = 0; i < n; ++i) {
      r -= weights[i];
      if (r < 0 && weights[i] > 0) {
        pick = i;
        break;
      }
    }
    while (weights[pick] <= 0 && pick > 0) --pick;  // rounding at the end of the range
    chosen.push_back(pick);
    weights[pick] = 0;  // without replacement: distinct bugs per function
  }
  return chosen;
}

int hardest(const std::vector<float>& detector_log_prob_correct) {
  if (detector_log_prob_correct.empty()) return -1;
  return static_cast<int>(std::min_element(detector_log_prob_correct.begin(),
                                           detector_log_prob_correct.end()) -
                          detector_log_prob_correct.begin());
}

}  // namespace bugseek::selector
