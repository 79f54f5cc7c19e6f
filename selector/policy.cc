#include "selector/policy.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "common/error.h"

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

namespace bugseek::selector {

std::vector<double> real_kind_mix() {
  // Bug counts per kind in parser::BugKind order: variable misuse, binary, assignment,
  // comparison, boolean, argument swap, literal (404 PyPIBugs pairs).
  const std::vector<double> counts = {218, 7, 6, 75, 34, 45, 19};
  const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
  std::vector<double> mix;
  for (double c : counts) mix.push_back(0.8 * c / total + 0.2 / static_cast<double>(counts.size()));
  return mix;
}

std::vector<double> parse_kind_mix(std::string_view text, const std::vector<std::string>& kind_names,
                                   std::string_view option) {
  if (text == "rewrites" || text.empty()) return {};
  if (text == "real") return real_kind_mix();
  std::vector<double> mix(kind_names.size(), 0.0);
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(pos, comma - pos);
    const size_t eq = item.find('=');
    const auto bad = [&](const std::string& why) {
      return UsageError(std::string(option) + ": " + why + " in '" + std::string(item) +
                        "' (see " + std::string(option) + " in bugseek train --help)");
    };
    if (eq == std::string_view::npos) throw bad("no '='");
    const std::string name(item.substr(0, eq));
    const auto it = std::find(kind_names.begin(), kind_names.end(), name);
    if (it == kind_names.end()) throw bad("unknown bug kind '" + name + "'");
    double w = 0;
    try {
      size_t used = 0;
      const std::string value(item.substr(eq + 1));
      w = std::stod(value, &used);
      if (used != value.size()) throw std::invalid_argument(value);
    } catch (const std::exception&) {
      throw bad("not a number");
    }
    if (!(w >= 0) || !std::isfinite(w)) throw bad("weights must be finite and >= 0");
    mix[static_cast<size_t>(it - kind_names.begin())] = w;
    pos = comma + 1;
  }
  if (std::accumulate(mix.begin(), mix.end(), 0.0) <= 0) {
    throw UsageError(std::string(option) + ": every weight is 0");
  }
  return mix;
}

std::vector<double> apply_kind_mix(const std::vector<double>& probs,
                                   const std::vector<int>& rewrite_kind,
                                   const std::vector<double>& mix) {
  if (mix.empty() || probs.empty()) return probs;
  std::vector<double> kind_mass(mix.size(), 0.0);
  for (size_t i = 0; i < probs.size(); ++i) {
    const int k = rewrite_kind[i];
    if (k >= 0 && static_cast<size_t>(k) < mix.size()) kind_mass[k] += probs[i];
  }
  double share_total = 0;
  for (size_t k = 0; k < mix.size(); ++k) {
    if (kind_mass[k] > 0) share_total += mix[k];
  }
  if (share_total <= 0) return probs;  // only kinds the mix gives no weight: leave it alone
  std::vector<double> out(probs.size(), 0.0);
  for (size_t i = 0; i < probs.size(); ++i) {
    const int k = rewrite_kind[i];
    if (k < 0 || static_cast<size_t>(k) >= mix.size() || kind_mass[k] <= 0) continue;
    out[i] = mix[k] / share_total * probs[i] / kind_mass[k];
  }
  return out;
}

}  // namespace bugseek::selector
