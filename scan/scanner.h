// `bugseek scan`: the detector run over a codebase. Walks the given paths (data/corpus), parses
// every file once, builds the graph of each unit (functions and module-level code) in place,
// featurizes it and asks the detector in batches packed by size; every unit whose best bug
// location and repair pass the threshold becomes an eval::Finding. Worker threads each own a
// Featurizer and a Detector, so nothing model-side is shared between threads. For daily use:
// results are cached per file and per unit (scan/result_cache.h), `--diff REV` limits the scan to
// functions changed since a git revision, `# bugseek: ignore` comments silence findings, and a
// baseline (an earlier output) hides findings already known.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "data/corpus.h"
#include "detector/decision.h"
#include "detector/model_file.h"
#include "eval/findings.h"
#include "parser/rewrites.h"

namespace bugseek::scan {

struct ScanOptions {
  double threshold = 0.5;          // report findings with p(location) * p(repair) >= this
  int top = 0;                     // findings kept, most confident first (0 = all)
  int threads = 1;                 // worker threads (each parses, featurizes and runs a model)
  uint32_t max_nodes = 6000;       // units with larger graphs are not checked (0 = no limit)
  int32_t batch_nodes = 1024;      // graph nodes per detector batch (0.93x the CPU time of
                                   // 256 on the standard library: bigger matrix products, and
                                   // more nodes with equal labels share messages)
  uint64_t max_file_bytes = 1u << 20;  // larger files are skipped (0 = no limit)
  bool progress = true;            // progress bar on stderr for trees of many files
  std::string cache_dir;           // result cache folder ("" = no cache)
  uint64_t cache_max_mb = 512;     // after a scan, the cache is pruned to this disk usage,
                                   // least recently used entries first (0 = no limit)
  int cache_max_days = 30;         // ... and entries unused this long go (0 = no limit)
  std::string diff_rev;            // "" = all code; else only functions changed since this git
                                   // revision (work-tree changes included)
  std::string baseline;            // "" = none; else a previous JSON/SARIF output whose findings
                                   // are not reported again
  bool suppressions = true;        // honour `# bugseek: ignore` comments
  bool show_suppressed = false;    // report suppressed findings, marked, instead of dropping them
};

struct ScanStats {
  uint64_t files_listed = 0;        // source files of the model's language found
  uint64_t files_scanned = 0;       // parsed (maybe with syntax errors) and checked
  uint64_t files_unparseable = 0;   // read but not parsed (timeout, too deep, ...)
  uint64_t files_syntax_errors = 0; // parsed with ERROR/MISSING nodes; their clean units checked
  data::SkipCounts skipped{};       // paths passed over while walking or reading, per reason
  uint64_t lines = 0;               // lines of the scanned files
  uint64_t bytes = 0;               // bytes of the scanned files
  uint64_t units = 0;               // functions and module units of the scanned files
  uint64_t functions = 0;           // of which functions (and lambdas)
  uint64_t units_checked = 0;       // units the detector looked at
  uint64_t units_no_sites = 0;      // nothing to check: no bug sites
  uint64_t units_syntax_errors = 0; // not checked: syntax errors inside
  uint64_t units_too_large = 0;     // not checked: graph over ScanOptions::max_nodes
  uint64_t findings_total = 0;      // findings over the threshold before --top (neither
                                    // suppressed nor in the baseline)
  uint64_t findings_suppressed = 0; // over the threshold but silenced by a comment
  uint64_t findings_baselined = 0;  // over the threshold but already in the baseline
  uint64_t files_unchanged = 0;     // --diff: files without changes, not read
  uint64_t units_unchanged = 0;     // --diff: units outside the changed lines, not counted above
  uint64_t units_run = 0;           // checked units the detector ran on (the rest: cached)
  uint64_t cache_file_hits = 0;     // files whose whole result came from the cache
  uint64_t cache_unit_hits = 0;     // units whose detector decision came from the cache
  uint64_t cache_write_failures = 0;
  uint64_t cache_entries_pruned = 0;  // removed from the cache after the scan (old or over the cap)
  uint64_t cache_bytes_pruned = 0;    // their disk usage
  double seconds = 0;               // wall time of the whole scan
  uint64_t skipped_total() const;
};

struct FileProblem {
  std::string path;
  std::string problem;  // "not parsed: timeout", "internal error: ..."
};

struct ScanResult {
  std::vector<eval::Finding> findings;  // sorted (eval::sort_findings), cut to ScanOptions::top
  std::vector<FileProblem> problems;    // unparseable files, sorted by path
  // Paths passed over while walking or reading (too large, binary, invalid UTF-8, unreadable,
  // a FIFO, a symlink loop, ...), each once with its reason, sorted by path. Hidden and VCS
  // paths and files of other languages are only counted (ScanStats::skipped).
  std::vector<FileProblem> skipped;
  ScanStats stats;
};

// `path` for a terminal line or a JSON string: control characters (a newline in a file name)
// and bytes that are not valid UTF-8 are written as \xNN, so one path is one line.
std::string printable_path(std::string_view path);

// Scans `roots` (files or folders) with `model`. A root that does not exist throws Error, so do a
// bad --diff revision (UsageError) and an unreadable baseline; broken files are counted in the
// result. Deterministic up to floating-point batching effects.
ScanResult scan_paths(const std::vector<std::filesystem::path>& roots,
                      const detector::ModelFile& model, const ScanOptions& options);

// The finding a prediction gives for one unit, or false if none passes `threshold`: the site
// decide() picks among the unit's sites (NO_BUG set aside, as eval's PR curve does) with its best
// repair. `sites` are the unit's (candidate i = sites.rewrites[i]); `text` is the file's text,
// so spans are file positions.
bool finding_for(const detector::GraphPrediction& prediction, const parser::Sites& sites,
                 const std::string& text, double threshold, eval::Finding& out);

// The text the rewrite puts over its site's span (e.g. "b, a" for a swap of "a, b").
std::string replacement_text(const parser::Site& site, const parser::Rewrite& rewrite);

// The footer for people: files scanned and skipped (with reasons), functions, findings, time.
std::string format_summary(const ScanResult& result);
// The same facts as JSON (scan --format json puts them next to the findings).
json::Value summary_to_json(const ScanResult& result);

// SARIF rules: one per bug kind, with a short description.
std::vector<eval::RuleInfo> sarif_rules();

// The newest (by modification time) `runs_dir`/*/model-best.bugseek; empty if there is none.
std::filesystem::path find_default_model(const std::filesystem::path& runs_dir);

// The model shipped with bugseek, models/python.bugseek: under $BUGSEEK_HOME when it is set (and
// nowhere else), else in the source tree this binary was built from (found from the executable's
// path, then from the path compiled in). Empty if there is none.
std::filesystem::path find_shipped_model();

// The model `command` (scan, eval) runs when none is given: `given` if not empty, else the newest
// runs/*/model-best.bugseek, else the shipped model; says on stderr which one and why. Throws
// UsageError when there is none.
std::string resolve_model(const std::string& given, const std::string& command);

}  // namespace bugseek::scan
