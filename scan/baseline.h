// `bugseek scan --baseline FILE`: report only findings that a previous scan's output (JSON or
// SARIF) did not already have. Findings are matched by file, function, bug kind, the text there
// and the proposed replacement, never by line number, so code that merely moved stays quiet.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/json.h"
#include "eval/findings.h"

namespace bugseek::scan {

// A finding's identity for baselines: path (lexically normalized), function, kind, original,
// replacement, joined with a separator byte.
std::string baseline_key(const eval::Finding& finding);

class Baseline {
 public:
  Baseline() = default;
  // Reads `scan --format json` output (an object with "findings", or a bare array of findings)
  // or a SARIF log (runs[].results[], as `scan --format sarif` writes them). Throws Error naming
  // the path when the file cannot be read or is neither.
  static Baseline load(const std::filesystem::path& path);
  // The same from a parsed value; `where` names it in errors.
  static Baseline from_json(const json::Value& value, const std::string& where);

  size_t size() const { return size_; }

  // Removes from `findings` those the baseline holds (each baseline entry absorbs one finding
  // with its key: two identical findings where the baseline had one leave one). Returns how many
  // were removed.
  size_t remove_known(std::vector<eval::Finding>& findings) const;

 private:
  void add(const std::string& key) {
    counts_[key] += 1;
    size_ += 1;
  }
  std::map<std::string, size_t> counts_;
  size_t size_ = 0;
};

}  // namespace bugseek::scan
