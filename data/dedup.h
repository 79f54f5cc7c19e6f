// De-duplication of corpus files before splitting: exact copies (same token sequence) and near
// copies (Jaccard similarity of identifier/number token sets >= a threshold, found with MinHash
// + LSH and then checked exactly). Files are grouped into clusters; a cluster lives in the split
// of its canonical member, so copies of one module never straddle train and test.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace bugseek::data {

constexpr int kMinHashBands = 20;
constexpr int kMinHashRows = 5;  // 20 x 5: a pair at Jaccard 0.8 is a candidate with p > 0.999
constexpr int kMinHashSize = kMinHashBands * kMinHashRows;

struct Fingerprint {
  uint64_t exact = 0;               // hash of the whole token sequence (layout-insensitive)
  std::vector<uint64_t> token_set;  // sorted distinct hashes of identifier and number tokens
  std::array<uint64_t, kMinHashSize> minhash{};  // per hash function, min over token_set
};

// Fingerprints `text` with a language-neutral lexer: words ([A-Za-z0-9_] and non-ASCII bytes)
// and single punctuation characters; whitespace is ignored.
Fingerprint fingerprint(std::string_view text);

// The LSH bucket key of `fp` in `band` (0 <= band < kMinHashBands): near copies share one with
// high probability (see kMinHashRows).
uint64_t minhash_band_key(const Fingerprint& fp, int band);

// Exact Jaccard similarity of two sorted distinct sets (1.0 when both are empty).
double jaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

struct DedupOptions {
  double near_threshold = 0.8;  // token-set Jaccard at or above which files are near duplicates
                                // (> 1 turns near-duplicate detection off)
  size_t min_tokens = 20;       // files with fewer distinct tokens are only matched exactly
  size_t max_bucket_checks = 256;  // LSH bucket members compared per file (bounds the worst case)
};

struct DedupResult {
  std::vector<int32_t> canonical;   // [files] index of the canonical member of its cluster
  std::vector<bool> exact_dup;      // [files] an exact copy of an earlier-ranked cluster member
  uint64_t exact_duplicates = 0;    // files marked exact_dup
  uint64_t near_duplicates = 0;     // files in a cluster, not canonical, not exact copies
  uint64_t clusters = 0;            // clusters with more than one member
};

// Clusters files by `fingerprints`. `rank[i]` orders files for choosing canonical members (the
// lowest rank wins, ties by index), e.g. their path hash, so a cluster's split is stable.
DedupResult find_duplicates(const std::vector<Fingerprint>& fingerprints,
                            const std::vector<uint64_t>& rank, const DedupOptions& options = {});

}  // namespace bugseek::data
