// Dropout for the encoders' training steps. LibTorch 1.13's CPU dropout draws its mask with
// bernoulli_ at about 19 ns per element and keeps it for backward; on the transformer's attention
// probabilities that was 40% of a training step. This one hashes (seed, element index) into the
// mask, with the seed drawn from torch's default CPU generator (so torch::manual_seed fixes it),
// and recomputes the mask in backward instead of storing it.
#pragma once

#include <ATen/ATen.h>

namespace bugseek::detector {

// x with each element zeroed with probability `p` and the rest scaled by 1 / (1 - p) when
// `training`; x itself otherwise. The mask does not depend on the number of threads.
at::Tensor hashed_dropout(const at::Tensor& x, double p, bool training);

}  // namespace bugseek::detector
