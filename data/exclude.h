// Decontamination for `prepare --exclude`: the buggy and fixed functions of real-bug evaluation
// files (JSON Lines, eval/real_bug_file.h), fingerprinted once up front, so that extraction can
// drop every corpus function that is an exact or near copy of one (data/dedup.h's measure, per
// function text) before it reaches a shard or the vocabulary.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "data/dedup.h"

namespace bugseek::data {

// Identity of a function's text: a hash of it with all whitespace removed, so copies that differ
// only in layout (re-indented, re-wrapped) are one function. Used by prepare's de-duplication.
uint64_t function_text_key(std::string_view text);

enum class ExcludeMatch : uint8_t { kNone = 0, kExact, kNear };

struct ExcludeFileInfo {
  std::string file;        // the path as given
  uint64_t bytes = 0;
  uint32_t crc32 = 0;      // of the whole file
  uint64_t functions = 0;  // buggy and fixed sources read from it
};

class ExcludeSet {
 public:
  ExcludeSet() = default;
  // Reads the real-bug files at `paths` and fingerprints each pair's buggy and fixed source
  // (dedented as extraction dedents corpus functions). `options` gives the near-duplicate
  // threshold and min_tokens as for files. Throws Error naming the file for an unreadable or
  // malformed one.
  static ExcludeSet load(const std::vector<std::string>& paths, const DedupOptions& options);
  // Adds one function text (tests build sets from strings with this).
  void add(std::string text);

  bool empty() const { return exact_.empty(); }
  // How `text` (a dedented corpus function) matches the set: the same text up to whitespace,
  // else token-set Jaccard >= the threshold with a function of at least min_tokens distinct
  // tokens (both sides), else none. Thread-safe.
  ExcludeMatch match(std::string_view text) const;
  const std::vector<ExcludeFileInfo>& files() const { return files_; }

 private:
  DedupOptions options_;
  std::vector<ExcludeFileInfo> files_;
  std::unordered_set<uint64_t> exact_;   // function_text_key of every function
  std::vector<Fingerprint> near_;        // functions with >= min_tokens distinct tokens
  // Per LSH band: band key -> indices into near_.
  std::vector<std::unordered_map<uint64_t, std::vector<int32_t>>> bands_;
};

}  // namespace bugseek::data
