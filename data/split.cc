#include "data/split.h"

#include "common/error.h"
#include "common/log.h"

namespace bugseek::data {

std::string_view split_name(Split split) {
  switch (split) {
    case Split::kTrain: return "train";
    case Split::kValid: return "valid";
    case Split::kTest: return "test";
  }
  return "unknown";
}

std::optional<Split> split_from_name(std::string_view name) {
  for (int s = 0; s < kNumSplits; ++s) {
    if (split_name(static_cast<Split>(s)) == name) return static_cast<Split>(s);
  }
  return std::nullopt;
}

void check_split_fractions(const SplitFractions& f) {
  if (!(f.valid >= 0.0 && f.test >= 0.0 && f.valid + f.test <= 1.0)) {
    throw UsageError(str_cat("split fractions must be >= 0 with valid + test <= 1; got valid ",
                             f.valid, ", test ", f.test));
  }
}

uint64_t path_hash(std::string_view rel_path) { return mix64(fnv1a64(rel_path)); }

Split split_for_hash(uint64_t hash, const SplitFractions& f) {
  // Top 53 bits as a uniform double in [0, 1).
  const double u = static_cast<double>(hash >> 11) * (1.0 / 9007199254740992.0);
  const double train = 1.0 - f.valid - f.test;
  if (u < train) return Split::kTrain;
  if (u < train + f.valid) return Split::kValid;
  return Split::kTest;
}

}  // namespace bugseek::data
