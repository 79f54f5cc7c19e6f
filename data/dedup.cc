#include "data/dedup.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "common/error.h"
#include "data/split.h"

namespace bugseek::data {
namespace {

bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c >= 0x80;
}

constexpr uint64_t kRowSeed = 0x6a09e667f3bcc908ULL;

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  int32_t find(int32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  void unite(int32_t a, int32_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<int32_t> parent_;
};

}  // namespace

Fingerprint fingerprint(std::string_view text) {
  Fingerprint fp;
  uint64_t seq = 0xcbf29ce484222325ULL;
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
      continue;
    }
    size_t j = i + 1;
    if (is_word_byte(c)) {
      while (j < n && is_word_byte(static_cast<unsigned char>(text[j]))) ++j;
    }
    const std::string_view token = text.substr(i, j - i);
    const uint64_t h = mix64(fnv1a64(token));
    seq = mix64(seq ^ h) + j - i;
    if (is_word_byte(c)) fp.token_set.push_back(h);
    i = j;
  }
  fp.exact = seq;
  std::sort(fp.token_set.begin(), fp.token_set.end());
  fp.token_set.erase(std::unique(fp.token_set.begin(), fp.token_set.end()), fp.token_set.end());
  fp.minhash.fill(std::numeric_limits<uint64_t>::max());
  for (uint64_t t : fp.token_set) {
    for (int k = 0; k < kMinHashSize; ++k) {
      const uint64_t v = mix64(t ^ (kRowSeed * static_cast<uint64_t>(k + 1)));
      if (v < fp.minhash[k]) fp.minhash[k] = v;
    }
  }
  return fp;
}

uint64_t minhash_band_key(const Fingerprint& fp, int band) {
  uint64_t key = static_cast<uint64_t>(band) * 0x9e3779b97f4a7c15ULL;
  for (int r = 0; r < kMinHashRows; ++r) key = mix64(key ^ fp.minhash[band * kMinHashRows + r]);
  return key;
}

double jaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  if (a.empty() && b.empty()) return 1.0;
  size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

DedupResult find_duplicates(const std::vector<Fingerprint>& fps, const std::vector<uint64_t>& rank,
                            const DedupOptions& options) {
  if (rank.size() != fps.size()) {
    throw_error("find_duplicates", "", "rank has " + std::to_string(rank.size()) +
                                           " entries, expected " + std::to_string(fps.size()));
  }
  const auto n = static_cast<int32_t>(fps.size());
  UnionFind uf(fps.size());

  std::unordered_map<uint64_t, int32_t> by_exact;
  by_exact.reserve(fps.size());
  for (int32_t i = 0; i < n; ++i) {
    auto [it, inserted] = by_exact.emplace(fps[i].exact, i);
    if (!inserted) uf.unite(it->second, i);
  }

  if (options.near_threshold <= 1.0) {
    // One bucket map per band; a file is compared with earlier files sharing any band.
    for (int band = 0; band < kMinHashBands; ++band) {
      std::unordered_map<uint64_t, std::vector<int32_t>> buckets;
      for (int32_t i = 0; i < n; ++i) {
        const Fingerprint& fp = fps[i];
        if (fp.token_set.size() < options.min_tokens) continue;
        std::vector<int32_t>& members = buckets[minhash_band_key(fp, band)];
        size_t checks = 0;
        for (int32_t other : members) {
          if (checks++ >= options.max_bucket_checks) break;
          if (uf.find(other) == uf.find(i)) continue;
          if (jaccard(fps[other].token_set, fp.token_set) >= options.near_threshold) {
            uf.unite(other, i);
          }
        }
        members.push_back(i);
      }
    }
  }

  DedupResult result;
  result.canonical.assign(fps.size(), -1);
  result.exact_dup.assign(fps.size(), false);
  // Files in rank order: the first member of a cluster seen is its canonical member, and the
  // first of each exact-hash group in a cluster is kept.
  std::vector<int32_t> order(fps.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    return rank[a] != rank[b] ? rank[a] < rank[b] : a < b;
  });
  std::vector<int32_t> root_canonical(fps.size(), -1);
  std::vector<int32_t> cluster_size(fps.size(), 0);
  std::unordered_map<uint64_t, int32_t> kept_exact;  // (root, exact) -> kept file
  for (int32_t i : order) {
    const int32_t root = uf.find(i);
    if (root_canonical[root] < 0) root_canonical[root] = i;
    result.canonical[i] = root_canonical[root];
    if (++cluster_size[root] == 2) result.clusters += 1;
    auto [it, inserted] = kept_exact.emplace(mix64(fps[i].exact ^ mix64(root)), i);
    if (!inserted) {
      result.exact_dup[i] = true;
      result.exact_duplicates += 1;
    } else if (result.canonical[i] != i) {
      result.near_duplicates += 1;
    }
  }
  return result;
}

}  // namespace bugseek::data
