// Dropout for the encoders' training steps. LibTorch 1.13's CPU dropout draws its mask with
// bernoulli_ at about 19 ns per element and keeps it for backward; on the transformer's attention
// probabilities that was 40% of a training step. This one hashes (seed, element index) into the
// mask, with the seed drawn from torch's default CPU generator (so torch::manual_seed fixes it),
// and recomputes the mask in backward instead of storing it.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>

namespace bugseek::detector {

// The mask's parts, for kernels that fuse dropout into another pass (the attention's softmax):
// a seed from torch's default CPU generator; the 64 bits that decide elements 4 group ..
// 4 group + 3 (16 each: element i is kept when its draw reaches p * 65536, truncated); and x
// masked and scaled with a given seed. hashed_dropout keeps exactly the elements these keep.
uint64_t draw_dropout_seed();
inline uint64_t dropout_bits(uint64_t seed, uint64_t group) {
  uint64_t z = seed + group * 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
// Whether the element in `lane` (0-3) of a group whose bits are `bits` is kept.
inline bool dropout_keeps(uint64_t bits, int64_t lane, uint32_t threshold) {
  return static_cast<uint32_t>((bits >> (16 * lane)) & 0xFFFF) >= threshold;
}
at::Tensor dropout_with_seed(const at::Tensor& x, double p, uint64_t seed);

// x with each element zeroed with probability `p` and the rest scaled by 1 / (1 - p) when
// `training`; x itself otherwise. The mask does not depend on the number of threads.
at::Tensor hashed_dropout(const at::Tensor& x, double p, bool training);

}  // namespace bugseek::detector
