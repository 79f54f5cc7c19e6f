#include "data/exclude.h"

#include "common/checksum.h"
#include "common/error.h"
#include "common/fs.h"
#include "data/function_graph.h"
#include "data/split.h"
#include "eval/real_bug_file.h"

namespace bugseek::data {

uint64_t function_text_key(std::string_view text) {
  std::string squeezed;
  squeezed.reserve(text.size());
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') squeezed += c;
  }
  return mix64(fnv1a64(squeezed));
}

ExcludeSet ExcludeSet::load(const std::vector<std::string>& paths, const DedupOptions& options) {
  ExcludeSet set;
  set.options_ = options;
  for (const std::string& path : paths) {
    const std::string bytes = read_file(path);
    ExcludeFileInfo info{path, bytes.size(), crc32(bytes), 0};
    for (eval::RealBugPair& pair : eval::parse_real_bug_pairs(bytes, path)) {
      for (std::string* source : {&pair.buggy_source, &pair.fixed_source}) {
        if (source->find_first_not_of(" \t\r\n\f\v") == std::string::npos) continue;
        set.add(std::move(*source));
        info.functions += 1;
      }
    }
    set.files_.push_back(std::move(info));
  }
  return set;
}

void ExcludeSet::add(std::string text) {
  uint32_t removed = 0;
  dedent(text, &removed);  // leaves the text alone when it cannot be dedented, as extraction does
  exact_.insert(function_text_key(text));
  if (options_.near_threshold > 1.0) return;
  Fingerprint fp = fingerprint(text);
  if (fp.token_set.size() < options_.min_tokens) return;
  const auto index = static_cast<int32_t>(near_.size());
  bands_.resize(kMinHashBands);
  for (int band = 0; band < kMinHashBands; ++band) {
    bands_[band][minhash_band_key(fp, band)].push_back(index);
  }
  near_.push_back(std::move(fp));
}

ExcludeMatch ExcludeSet::match(std::string_view text) const {
  if (exact_.empty()) return ExcludeMatch::kNone;
  if (exact_.count(function_text_key(text))) return ExcludeMatch::kExact;
  if (near_.empty()) return ExcludeMatch::kNone;
  const Fingerprint fp = fingerprint(text);
  if (fp.token_set.size() < options_.min_tokens) return ExcludeMatch::kNone;
  for (int band = 0; band < kMinHashBands; ++band) {
    const auto it = bands_[band].find(minhash_band_key(fp, band));
    if (it == bands_[band].end()) continue;
    for (int32_t other : it->second) {
      if (jaccard(near_[other].token_set, fp.token_set) >= options_.near_threshold) {
        return ExcludeMatch::kNear;
      }
    }
  }
  return ExcludeMatch::kNone;
}

}  // namespace bugseek::data
