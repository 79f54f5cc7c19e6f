// Train / valid / test assignment. A file's split comes from a hash of its path relative to its
// corpus root, so it never changes when other files are added, and the same module found under
// two roots (two Python versions, two packages) hashes alike. Near-duplicate clusters follow
// their canonical member (data/dedup.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace bugseek::data {

enum class Split : uint8_t { kTrain = 0, kValid = 1, kTest = 2 };
constexpr int kNumSplits = 3;
std::string_view split_name(Split split);  // "train", "valid", "test"
std::optional<Split> split_from_name(std::string_view name);

struct SplitFractions {
  double valid = 0.1;  // fraction of files in valid, [0, 1]
  double test = 0.1;   // fraction of files in test; train gets the rest
};
// Throws UsageError if a fraction is negative or valid + test > 1.
void check_split_fractions(const SplitFractions& fractions);

// Stable 64-bit hash of a '/'-separated relative path (FNV-1a, then a 64-bit finalizer).
uint64_t path_hash(std::string_view rel_path);

// The split of a file whose path hashes to `hash`: train for the lowest 1 - valid - test of the
// hash range, then valid, then test.
Split split_for_hash(uint64_t hash, const SplitFractions& fractions);

// splitmix64's finalizer: a bijective 64-bit mix, shared by hashing and seeding code.
inline uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// FNV-1a over bytes (not mixed; combine with mix64 where the low bits matter).
inline uint64_t fnv1a64(std::string_view bytes, uint64_t h = 0xcbf29ce484222325ULL) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace bugseek::data
