// The detector's learning-rate schedule: a linear warm-up, then either the full rate (constant)
// or a half-cosine from the full rate down to `final_scale` of it over `decay_steps` steps
// (counted from step 0, warm-up included), held there afterwards. A function of the step alone,
// so a resumed run follows the same curve as an uninterrupted one. Torch-free.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace bugseek::train {

struct LrSchedule {
  std::string kind = "constant";  // constant | cosine
  int warmup_steps = 0;
  uint64_t decay_steps = 0;       // cosine: the step where the decay ends
  double final_scale = 0.05;      // cosine: the rate's share left at decay_steps

  // The share of the configured rate used by step `step` (0-based).
  double scale(uint64_t step) const {
    double s = 1.0;
    if (kind == "cosine" && decay_steps > 0) {
      const double t = std::min(1.0, double(step) / double(decay_steps));
      s = final_scale + (1.0 - final_scale) * 0.5 * (1.0 + std::cos(M_PI * t));
    }
    if (warmup_steps > 0) s *= std::min(1.0, double(step + 1) / warmup_steps);
    return s;
  }
};

}  // namespace bugseek::train
