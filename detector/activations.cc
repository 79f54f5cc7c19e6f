// Torch-free summaries of layer outputs; the outputs themselves come from detector.cc.
#include "detector/activations.h"

#include <algorithm>
#include <cmath>

namespace bugseek::detector {

std::vector<double> activation_bin_edges() {
  std::vector<double> edges;
  for (int b = 0; b <= kActivationBins; ++b) {
    edges.push_back(-kActivationRange + 2 * kActivationRange * b / kActivationBins);
  }
  return edges;
}

ActivationStats summarize_activations(std::string layer, const float* values, int64_t rows,
                                      int64_t units) {
  ActivationStats s;
  s.layer = std::move(layer);
  s.rows = rows;
  s.units = units;
  s.histogram.assign(kActivationBins, 0.0);
  const int64_t n = rows * units;
  if (n <= 0) return s;
  double sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += values[i];
  s.mean = sum / double(n);
  double squares = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double d = values[i] - s.mean;
    squares += d * d;
    const double t = (values[i] + kActivationRange) / (2 * kActivationRange) * kActivationBins;
    const int b = std::isfinite(t) ? static_cast<int>(std::floor(std::clamp(t, -1.0, 1e9)))
                                   : (t > 0 ? kActivationBins : 0);
    s.histogram[static_cast<size_t>(std::clamp(b, 0, kActivationBins - 1))] += 1;
  }
  s.std = std::sqrt(squares / double(n));
  int64_t dead = 0;
  for (int64_t u = 0; u < units; ++u) {
    float lo = values[u], hi = values[u];
    for (int64_t r = 1; r < rows; ++r) {
      lo = std::min(lo, values[r * units + u]);
      hi = std::max(hi, values[r * units + u]);
    }
    // float noise of a saturated unit is below this; a live unit varies far more over a batch
    const float tolerance = 1e-6f * std::max(1.0f, std::fabs(hi));
    dead += rows > 1 ? (hi - lo <= tolerance) : (hi == 0.0f);
  }
  s.dead_fraction = double(dead) / double(units);
  return s;
}

}  // namespace bugseek::detector
