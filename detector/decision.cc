#include "detector/decision.h"

namespace bugseek::detector {
namespace {

// p(site) for each of the graph's sites: the sum of its listed candidates' probabilities.
std::vector<float> site_masses(const GraphPrediction& prediction, int32_t num_sites) {
  std::vector<float> site_mass(static_cast<size_t>(num_sites > 0 ? num_sites : 0), 0.0f);
  for (const Proposal& p : prediction.proposals) {
    if (p.site >= 0 && p.site < num_sites) site_mass[p.site] += p.probability;
  }
  return site_mass;
}

}  // namespace

Decision decide(const GraphPrediction& prediction, int32_t num_sites) {
  const std::vector<float> site_mass = site_masses(prediction, num_sites);
  Decision d;
  d.site_probability = prediction.p_no_bug;
  for (int32_t s = 0; s < num_sites; ++s) {
    if (site_mass[s] > d.site_probability) {
      d.site = s;
      d.site_probability = site_mass[s];
    }
  }
  if (d.site >= 0) {
    d.repair = best_repair_at(prediction, d.site);
    for (const Proposal& p : prediction.proposals) {
      if (p.site == d.site && p.candidate == d.repair) d.repair_probability = p.probability;
    }
  }
  return d;
}

int32_t site_rank(const GraphPrediction& prediction, int32_t num_sites, int32_t site) {
  if (site < 0 || site >= num_sites) return 0;
  const std::vector<float> site_mass = site_masses(prediction, num_sites);
  int32_t rank = 1;
  for (int32_t s = 0; s < num_sites; ++s) {
    // Ties rank as decide() breaks them: the earlier site wins.
    if (site_mass[s] > site_mass[site] || (s < site && site_mass[s] == site_mass[site])) ++rank;
  }
  return rank;
}

int32_t best_repair_at(const GraphPrediction& prediction, int32_t site) {
  int32_t best = -1;
  float best_p = -1;
  for (const Proposal& p : prediction.proposals) {
    if (p.site == site && p.probability > best_p) {
      best = p.candidate;
      best_p = p.probability;
    }
  }
  return best;
}

}  // namespace bugseek::detector
