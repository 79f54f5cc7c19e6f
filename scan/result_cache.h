// The scan cache: what the detector said about a file or a unit, on disk, so a scan of unchanged
// code costs reading files rather than running the model. Two kinds of entries:
//  - file records: every unit of a file (lines, status, best finding whatever the threshold),
//    keyed by the file's text, so an unchanged file is not even parsed;
//  - unit decisions: the detector's best (site, repair, probability) for each unit of the last
//    version of a file scanned, one entry per file path, looked up by a hash of the unit's text,
//    name and sites, so editing one function of a file reruns only that function. (One entry per
//    unit cost a file creation each, ~0.4 ms of kernel time on ext4: 40% of a first scan.)
// Every key also holds the context: the model's checksum, this binary's identity and the options
// that change results. Entries are written atomically (temp file + rename) and checksummed; a
// corrupt or unreadable entry is a miss. An entry read is marked used (its mtime set to now, once
// an hour at most), so scan/cache_prune.h can drop the least recently used ones. Torch-free.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "detector/model_file.h"
#include "eval/findings.h"

namespace bugseek::scan {

enum class UnitStatus : uint8_t {
  kChecked,       // the detector looked at it (has_finding says whether it proposed a fix)
  kNoSites,       // nothing to check
  kSyntaxErrors,  // not checked: syntax errors inside
  kTooLarge,      // not checked: graph over max_nodes
  kNotAsked,      // not checked: outside the lines --diff selects (never cached)
};

struct UnitRecord {
  bool is_function = true;  // false: the module unit
  int start_line = 1;       // 1-based, inclusive
  int end_line = 1;
  UnitStatus status = UnitStatus::kChecked;
  bool has_finding = false;
  eval::Finding finding;  // path left empty; no threshold applied
};

struct FileRecord {
  bool parsed = true;   // false: not parsed; `problem` says why
  std::string problem;  // "not parsed: timeout"
  uint64_t lines = 0;
  uint64_t bytes = 0;
  bool syntax_errors = false;
  std::vector<UnitRecord> units;
};

struct UnitDecision {
  int32_t site = -1;    // -1: no proposal
  int32_t repair = -1;  // index into the unit's rewrites
  double probability = 0;
};

// 128-bit FNV-1a as 32 hex digits, continued from `state` (two 64-bit halves, high first).
struct Hash128 {
  uint64_t hi = 0x6c62272e07bb0142ull;
  uint64_t lo = 0x62b821756295c58dull;
  Hash128& add(std::string_view bytes);
  std::string hex() const;
};

// The model's identity for caching: a hash of its config, vocabulary, language, grammar and
// weights (not its info or calibration, which do not change scores).
std::string model_checksum(const detector::ModelFile& model);

// $XDG_CACHE_HOME/bugseek, else $HOME/.cache/bugseek; empty when neither variable is set.
std::filesystem::path default_cache_dir();

struct CacheCounters {
  std::atomic<uint64_t> file_hits{0};
  std::atomic<uint64_t> misses{0};   // lookups that found nothing usable
  std::atomic<uint64_t> corrupt{0};  // entries present but unreadable (also misses)
  std::atomic<uint64_t> write_failures{0};
  std::atomic<uint64_t> bytes_written{0};  // entries written (their size), for pruning
};

class ResultCache {
 public:
  // `dir` empty: disabled (every lookup misses, nothing is written). `context`: whatever besides
  // the keyed text changes results. Safe to share between threads.
  ResultCache(std::filesystem::path dir, std::string context);

  bool enabled() const { return !dir_.empty(); }
  const std::filesystem::path& dir() const { return dir_; }
  const CacheCounters& counters() const { return counters_; }

  std::optional<FileRecord> find_file(std::string_view text);
  void store_file(std::string_view text, const FileRecord& record);

  // The unit decisions last stored for the file at `path_key` (a canonical path), by unit hash;
  // empty if none. Counts no hits: the scanner counts the units it reuses.
  std::unordered_map<std::string, UnitDecision> find_units(std::string_view path_key);
  // Replaces them with `decisions` (unit hash, decision), in order; later duplicates are dropped.
  void store_units(std::string_view path_key,
                   const std::vector<std::pair<std::string, UnitDecision>>& decisions);
  // The hash find_units and store_units key a unit by; `unit_key` is the unit's identity (name,
  // text, site summary), see the scanner.
  static std::string unit_hash(std::string_view unit_key);

  // The entries read so far, as "xx/NAME.file" under dir() (for prune_cache's in_use).
  std::unordered_set<std::string> entries_read() const;

 private:
  std::filesystem::path entry_path(std::string_view tag, std::string_view text) const;
  std::optional<std::string> read_entry(const std::filesystem::path& path);
  void write_entry(const std::filesystem::path& path, const std::string& payload);

  std::filesystem::path dir_;
  std::string context_;
  mutable std::mutex read_mutex_;
  std::unordered_set<std::string> read_;  // guarded by read_mutex_
  CacheCounters counters_;
};

}  // namespace bugseek::scan
