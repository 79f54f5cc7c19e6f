#include "scan/scanner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <mutex>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <c10/core/InferenceMode.h>

#include "common/error.h"
#include "common/log.h"
#include "common/utf8.h"
#include "common/progress.h"
#include "data/batch.h"
#include "data/featurize.h"
#include "data/vocab.h"
#include "parser/units.h"
#include "scan/baseline.h"
#include "scan/cache_prune.h"
#include "scan/git_changes.h"
#include "scan/result_cache.h"
#include "scan/suppressions.h"

namespace bugseek::scan {
namespace {

namespace fs = std::filesystem;

// Trees with at least this many files get a progress bar.
constexpr size_t kProgressMinFiles = 20;
// Units wait until this many batches' worth of nodes are pending, then go to the detector sorted
// by size, so each batch holds graphs of similar size.
constexpr int64_t kPoolBatches = 16;
// Bump when what a cache entry means changes.
constexpr const char* kCacheVersion = "scan-cache v1";

// A file whose units are (partly) waiting for the detector.
struct PendingFile {
  std::string path;
  std::string key;  // canonical path (for --diff and the unit cache); "" until needed
  std::shared_ptr<const std::string> text;
  FileRecord record;
  size_t outstanding = 0;  // units still waiting
  bool from_cache = false;
  // Unit cache: the decisions stored for this path by an earlier scan (loaded at the first unit
  // that needs one), and this scan's (unit hash, decision) pairs; `ran` says whether the detector
  // decided any of them, i.e. whether the stored entry needs rewriting.
  bool previous_loaded = false;
  std::unordered_map<std::string, UnitDecision> previous;
  std::vector<std::pair<std::string, UnitDecision>> decided;
  bool ran = false;
};

// A featurized unit waiting for the next detector batch, with what its finding needs.
struct PendingUnit {
  data::GraphFeatures features;
  parser::Sites sites;
  std::shared_ptr<PendingFile> file;
  size_t unit = 0;       // index into file->record.units
  std::string unit_hash;  // ResultCache::unit_hash of the unit ("" without a cache)
};

// Reasons worth naming the path for; hidden, VCS and other-language paths are routine.
bool reported_skip(data::SkipReason reason) {
  return reason != data::SkipReason::kHidden && reason != data::SkipReason::kVcs &&
         reason != data::SkipReason::kNoLanguage;
}

struct WorkerOutput {
  std::vector<eval::Finding> findings;  // every candidate, no threshold applied yet
  std::vector<FileProblem> problems;
  std::vector<FileProblem> skipped;
  ScanStats stats;
};

int lines_of(const std::string& text) {
  int n = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  if (!text.empty() && text.back() != '\n') n += 1;
  return n;
}

// The text of 1-based line `line` of `text`, without its line break.
std::string line_text(const std::string& text, int line);

// What identifies a unit for the unit cache: its name, kind, text and a summary of its sites.
std::string unit_cache_key(const parser::Unit& unit, const std::string& text,
                           const parser::Sites& sites) {
  std::string key = str_cat(unit.qualified_name, '\x1f', static_cast<int>(unit.kind), '\x1f',
                            sites.sites.size(), '\x1f', sites.rewrites.size(), '\x1f');
  const uint32_t b = std::min<uint32_t>(unit.span.start_byte, static_cast<uint32_t>(text.size()));
  const uint32_t e = std::min<uint32_t>(unit.span.end_byte, static_cast<uint32_t>(text.size()));
  key.append(text, b, e > b ? e - b : 0);
  for (const parser::Site& site : sites.sites) {
    key += '\x1f';
    key += site.original;
  }
  for (const parser::Rewrite& rewrite : sites.rewrites) {
    key += '\x1f';
    key += rewrite.replacement;
  }
  return key;
}

UnitDecision decision_for(const detector::GraphPrediction& prediction, const parser::Sites& sites) {
  detector::GraphPrediction bug_only = prediction;
  bug_only.p_no_bug = 0;
  const detector::Decision d =
      detector::decide(bug_only, static_cast<int32_t>(sites.sites.size()));
  UnitDecision out;
  if (d.site < 0 || d.repair < 0 || static_cast<size_t>(d.repair) >= sites.rewrites.size()) {
    return out;
  }
  out.site = d.site;
  out.repair = d.repair;
  out.probability = std::clamp(static_cast<double>(d.repair_probability), 0.0, 1.0);
  return out;
}

bool finding_from_decision(const UnitDecision& d, const parser::Sites& sites,
                           const std::string& text, eval::Finding& out);

// Identifies this binary (size and modification time of the executable), so a rebuilt bugseek
// does not trust results an older build cached.
std::string build_identity() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "unknown-build";
  const auto size = fs::file_size(exe, ec);
  const auto time = fs::last_write_time(exe, ec).time_since_epoch().count();
  return str_cat(exe.string(), ':', size, ':', time);
}

// One scanning thread: its own Featurizer (label cache) and Detector copy.
class Worker {
 public:
  Worker(const detector::ModelFile& model, const data::Vocabulary& vocab,
         const parser::Language& language, const ScanOptions& options, ResultCache& cache,
         const ChangedLines* changed)
      : detector_(detector::make_detector(model, detector::DeviceKind::kCpu)),
        featurizer_(vocab, language),
        language_(language),
        options_(options),
        cache_(cache),
        changed_(changed) {}

  void scan_file(const data::SourceFile& file) {
    auto pending = std::make_shared<PendingFile>();
    pending->path = file.path.string();
    if (changed_ != nullptr) {
      pending->key = canonical_key(file.path);
      if (!changed_->has_file(pending->key)) {
        out_.stats.files_unchanged += 1;
        return;
      }
    }
    data::ReadResult read = data::read_source_text(file.path, options_.max_file_bytes);
    if (!read.ok) {
      out_.stats.skipped[static_cast<int>(read.reason)] += 1;
      if (reported_skip(read.reason)) {
        out_.skipped.push_back({file.path.string(), std::string(data::skip_reason_name(read.reason))});
      }
      return;
    }
    pending->text = std::make_shared<const std::string>(std::move(read.text));
    if (std::optional<FileRecord> cached = cache_.find_file(*pending->text)) {
      pending->record = std::move(*cached);
      pending->from_cache = true;
      finish(*pending);
      return;
    }
    std::vector<PendingUnit> units;
    try {
      analyze(pending, units);
    } catch (const std::exception& e) {
      // A parser bug must not end the scan: report the file and go on.
      out_.stats.files_unparseable += 1;
      out_.problems.push_back({pending->path, str_cat("internal error: ", e.what())});
      return;
    }
    if (units.empty()) {
      finish(*pending);
      return;
    }
    for (PendingUnit& u : units) {
      pending_nodes_ += u.features.num_nodes;
      pending_.push_back(std::move(u));
    }
    if (pending_nodes_ >= kPoolBatches * options_.batch_nodes) flush();
  }

  // Runs the detector on every pending unit, smallest graphs first, in batches of about
  // batch_nodes nodes, and finishes the files that were waiting for them.
  void flush() {
    // Inference only: besides no autograd (predict's NoGradGuard), no version counters or view
    // tracking; about 7% less time in the detector. Thread-local, so set by each worker.
    c10::InferenceMode inference;
    std::stable_sort(pending_.begin(), pending_.end(),
                     [](const PendingUnit& a, const PendingUnit& b) {
                       return a.features.num_nodes < b.features.num_nodes;
                     });
    for (size_t begin = 0; begin < pending_.size();) {
      data::Batch batch;
      int64_t nodes = 0;
      size_t end = begin;
      while (end < pending_.size() && (end == begin || nodes < options_.batch_nodes)) {
        nodes += pending_[end].features.num_nodes;
        data::append_to_batch(batch, pending_[end].features);
        ++end;
      }
      const std::vector<detector::GraphPrediction> predictions = detector_.predict(batch, 0);
      for (size_t i = begin; i < end; ++i) {
        PendingUnit& u = pending_[i];
        UnitDecision d;
        if (i - begin < predictions.size()) d = decision_for(predictions[i - begin], u.sites);
        if (!u.unit_hash.empty()) {
          u.file->decided.emplace_back(std::move(u.unit_hash), d);
          u.file->ran = true;
        }
        out_.stats.units_run += 1;
        UnitRecord& record = u.file->record.units[u.unit];
        record.has_finding = finding_from_decision(d, u.sites, *u.file->text, record.finding);
        if (--u.file->outstanding == 0) finish(*u.file);
      }
      begin = end;
    }
    pending_.clear();
    pending_nodes_ = 0;
  }

  WorkerOutput& output() { return out_; }

 private:
  // Parses the file and fills its record; units the cache cannot answer go to `units`.
  void analyze(const std::shared_ptr<PendingFile>& file, std::vector<PendingUnit>& units) {
    FileRecord& record = file->record;
    const std::string& text = *file->text;
    parser::ParsedFile parsed = parser::parse_source(text, language_, file->path);
    if (!parsed.ok()) {
      record.parsed = false;
      record.problem = str_cat("not parsed: ", parser::parse_status_name(parsed.status));
      if (!parsed.problem.empty()) record.problem += " (" + parsed.problem + ")";
      return;
    }
    record.bytes = parsed.text.size();
    record.lines = static_cast<uint64_t>(lines_of(parsed.text));
    record.syntax_errors = parsed.has_syntax_errors();
    for (const parser::Unit& unit : parser::extract_units(parsed)) {
      UnitRecord u;
      u.is_function = unit.kind != parser::UnitKind::kModule;
      u.start_line = static_cast<int>(unit.span.start.row) + 1;
      u.end_line = static_cast<int>(unit.span.end.row) + 1;
      u.status = classify(file->key, unit, parsed, u, units, file, record.units.size());
      record.units.push_back(std::move(u));
    }
  }

  // The status of one unit; a checked unit's finding comes from the unit cache or, queued in
  // `units`, from the detector later.
  UnitStatus classify(const std::string& key, const parser::Unit& unit,
                      const parser::ParsedFile& parsed, UnitRecord& u,
                      std::vector<PendingUnit>& units, const std::shared_ptr<PendingFile>& file,
                      size_t index) {
    if (unit.has_syntax_errors) return UnitStatus::kSyntaxErrors;
    if (changed_ != nullptr && u.is_function &&
        !changed_->intersects(key, u.start_line, u.end_line)) {
      return UnitStatus::kNotAsked;
    }
    parser::CodeGraph graph = parser::build_graph(parsed, unit);
    if (options_.max_nodes > 0 && graph.nodes.size() > options_.max_nodes) {
      return UnitStatus::kTooLarge;
    }
    parser::Sites sites = parser::enumerate_rewrites(parsed, graph);
    if (sites.rewrites.empty()) return UnitStatus::kNoSites;
    std::string unit_hash;
    if (cache_.enabled()) {
      unit_hash = ResultCache::unit_hash(unit_cache_key(unit, parsed.text, sites));
      if (!file->previous_loaded) {
        if (file->key.empty()) file->key = canonical_key(file->path);
        file->previous = cache_.find_units(file->key);
        file->previous_loaded = true;
      }
      const auto found = file->previous.find(unit_hash);
      if (found != file->previous.end()) {
        const UnitDecision& d = found->second;
        const bool valid = d.site < static_cast<int32_t>(sites.sites.size()) &&
                           d.repair < static_cast<int32_t>(sites.rewrites.size());
        if (valid) {
          u.has_finding = finding_from_decision(d, sites, parsed.text, u.finding);
          u.finding.function = unit.qualified_name;
          out_.stats.cache_unit_hits += 1;
          file->decided.emplace_back(std::move(unit_hash), d);
          return UnitStatus::kChecked;
        }
      }
    }
    PendingUnit pending;
    pending.features = featurizer_.featurize(graph, sites);
    pending.sites = std::move(sites);
    pending.file = file;
    pending.unit = index;
    pending.unit_hash = std::move(unit_hash);
    u.finding.function = unit.qualified_name;
    file->outstanding += 1;
    units.push_back(std::move(pending));
    return UnitStatus::kChecked;
  }

  // Every unit of the file is known: cache the record, count it, collect its findings.
  void finish(PendingFile& file) {
    FileRecord& record = file.record;
    ScanStats& s = out_.stats;
    if (!file.from_cache) {
      cache_.store_file(*file.text, record);
      if (file.ran) store_units(file);
    }
    if (file.from_cache) s.cache_file_hits += 1;
    if (!record.parsed) {
      s.files_unparseable += 1;
      out_.problems.push_back({file.path, record.problem});
      return;
    }
    s.files_scanned += 1;
    s.bytes += record.bytes;
    s.lines += record.lines;
    if (record.syntax_errors) s.files_syntax_errors += 1;
    std::map<int, LineSuppression> suppressions;
    if (options_.suppressions) suppressions = find_suppressions(*file.text);
    for (UnitRecord& u : record.units) {
      if (!selected(file.key, u)) {
        s.units_unchanged += 1;
        continue;
      }
      s.units += 1;
      if (u.is_function) s.functions += 1;
      switch (u.status) {
        case UnitStatus::kChecked: s.units_checked += 1; break;
        case UnitStatus::kNoSites: s.units_no_sites += 1; break;
        case UnitStatus::kSyntaxErrors: s.units_syntax_errors += 1; break;
        case UnitStatus::kTooLarge: s.units_too_large += 1; break;
        case UnitStatus::kNotAsked: break;  // not selected, see above
      }
      if (!u.has_finding) continue;
      eval::Finding f = std::move(u.finding);
      f.path = file.path;
      f.suppressed = is_suppressed(suppressions, f);
      out_.findings.push_back(std::move(f));
    }
    record.units.clear();
  }

  // Stores the file's unit decisions: this scan's, then earlier ones of units no longer (or, with
  // --diff, not now) seen, up to twice the file's units, so undoing an edit or scanning other
  // changed lines later still finds them. A stale one is harmless: its hash names its text.
  void store_units(PendingFile& file) {
    const size_t cap = 2 * file.record.units.size() + 16;
    std::unordered_set<std::string> seen;
    for (const auto& [hash, d] : file.decided) seen.insert(hash);
    for (auto& [hash, d] : file.previous) {
      if (file.decided.size() >= cap) break;
      if (seen.count(hash) == 0) file.decided.emplace_back(hash, d);
    }
    cache_.store_units(file.key, file.decided);
  }

  // Whether --diff keeps the unit: functions whose lines changed; the module unit when its
  // finding's line changed (its own lines are spread over the file).
  bool selected(const std::string& key, const UnitRecord& u) const {
    if (changed_ == nullptr) return true;
    if (u.status == UnitStatus::kNotAsked) return false;
    if (u.is_function) return changed_->intersects(key, u.start_line, u.end_line);
    return u.has_finding && changed_->intersects(key, u.finding.line, u.finding.end_line);
  }

  detector::Detector detector_;
  data::Featurizer featurizer_;
  const parser::Language& language_;
  const ScanOptions& options_;
  ResultCache& cache_;
  const ChangedLines* changed_;
  std::vector<PendingUnit> pending_;
  int64_t pending_nodes_ = 0;
  WorkerOutput out_;
};

void add_stats(ScanStats& into, const ScanStats& s) {
  into.files_scanned += s.files_scanned;
  into.files_unparseable += s.files_unparseable;
  into.files_syntax_errors += s.files_syntax_errors;
  for (int r = 0; r < data::kNumSkipReasons; ++r) into.skipped[r] += s.skipped[r];
  into.lines += s.lines;
  into.bytes += s.bytes;
  into.units += s.units;
  into.functions += s.functions;
  into.units_checked += s.units_checked;
  into.units_no_sites += s.units_no_sites;
  into.units_syntax_errors += s.units_syntax_errors;
  into.units_too_large += s.units_too_large;
  into.files_unchanged += s.files_unchanged;
  into.units_unchanged += s.units_unchanged;
  into.units_run += s.units_run;
  into.cache_file_hits += s.cache_file_hits;
  into.cache_unit_hits += s.cache_unit_hits;
}

std::string line_text(const std::string& text, int line) {
  size_t from = 0;
  for (int l = 1; l < line; ++l) {
    from = text.find('\n', from);
    if (from == std::string::npos) return "";
    from += 1;
  }
  size_t to = text.find('\n', from);
  if (to == std::string::npos) to = text.size();
  if (to > from && text[to - 1] == '\r') --to;
  return text.substr(from, to - from);
}

bool finding_from_decision(const UnitDecision& d, const parser::Sites& sites,
                           const std::string& text, eval::Finding& out) {
  if (d.site < 0 || d.repair < 0 || static_cast<size_t>(d.site) >= sites.sites.size() ||
      static_cast<size_t>(d.repair) >= sites.rewrites.size()) {
    return false;
  }
  const parser::Site& site = sites.sites[d.site];
  const parser::Rewrite& rewrite = sites.rewrites[d.repair];
  out.line = static_cast<int>(site.span.start.row) + 1;
  out.column = static_cast<int>(site.span.start.column) + 1;
  out.end_line = static_cast<int>(site.span.end.row) + 1;
  out.end_column = static_cast<int>(site.span.end.column) + 1;
  out.kind = std::string(parser::bug_kind_name(site.kind));
  out.kind_title = std::string(parser::bug_kind_title(site.kind));
  out.original = site.original;
  out.replacement = replacement_text(site, rewrite);
  out.probability = d.probability;
  out.source_line = line_text(text, out.line);
  return true;
}

}  // namespace

uint64_t ScanStats::skipped_total() const {
  uint64_t n = 0;
  for (uint64_t c : skipped) n += c;
  return n;
}

std::string replacement_text(const parser::Site& site, const parser::Rewrite& rewrite) {
  const parser::TextEdit& e = rewrite.edit;
  if (e.start_byte < site.span.start_byte || e.old_end_byte < e.start_byte) {
    return rewrite.replacement;
  }
  const size_t offset = e.start_byte - site.span.start_byte;
  const size_t length = e.old_end_byte - e.start_byte;
  if (offset + length > site.original.size()) return rewrite.replacement;
  std::string out = site.original;
  out.replace(offset, length, e.new_text);
  return out;
}

bool finding_for(const detector::GraphPrediction& prediction, const parser::Sites& sites,
                 const std::string& text, double threshold, eval::Finding& out) {
  const UnitDecision d = decision_for(prediction, sites);
  if (d.site < 0 || d.probability < threshold) return false;
  return finding_from_decision(d, sites, text, out);
}

ScanResult scan_paths(const std::vector<fs::path>& roots, const detector::ModelFile& model,
                      const ScanOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const parser::Language* language = parser::find_language(model.language);
  if (language == nullptr) {
    throw_error("scan_paths", "", "the model is for language '" + model.language +
                                      "', which this binary does not know");
  }
  const data::Vocabulary vocab = data::Vocabulary::from_bytes(model.vocab_model);

  data::CorpusOptions corpus_options;
  corpus_options.max_file_bytes = options.max_file_bytes;
  data::CorpusListing listing = data::list_source_files(roots, corpus_options);
  ScanResult result;
  result.stats.skipped = listing.counts;
  for (const data::SkippedPath& p : listing.skipped) {
    if (reported_skip(p.reason)) {
      result.skipped.push_back({p.path.string(), std::string(data::skip_reason_name(p.reason))});
    }
  }
  std::vector<data::SourceFile> files;
  for (data::SourceFile& f : listing.files) {
    if (f.language != language) {
      result.stats.skipped[static_cast<int>(data::SkipReason::kNoLanguage)] += 1;
    } else {
      files.push_back(std::move(f));
    }
  }
  result.stats.files_listed = files.size();

  std::optional<Baseline> baseline;
  if (!options.baseline.empty()) baseline = Baseline::load(options.baseline);
  std::optional<ChangedLines> changed;
  if (!options.diff_rev.empty()) {
    std::error_code ec;
    const fs::path& first = roots.at(0);
    changed = changed_since(fs::is_directory(first, ec) ? first : first.parent_path() / ".",
                            options.diff_rev);
  }
  ResultCache cache(options.cache_dir,
                    str_cat(kCacheVersion, '\n', model_checksum(model), '\n', build_identity(),
                            "\nmax_nodes=", options.max_nodes));

  const int threads = std::max(1, std::min<int>(options.threads, static_cast<int>(files.size())));
  detector::set_num_threads(1);  // parallel over files, one torch thread per worker
  std::vector<std::unique_ptr<Worker>> workers;
  for (int t = 0; t < threads; ++t) {
    workers.push_back(std::make_unique<Worker>(model, vocab, *language, options, cache,
                                              changed ? &*changed : nullptr));
  }
  std::unique_ptr<ProgressBar> progress;
  if (options.progress && files.size() >= kProgressMinFiles) {
    progress = std::make_unique<ProgressBar>("scan", files.size());
  }
  std::atomic<size_t> next{0};
  std::vector<std::exception_ptr> errors(workers.size());
  auto work = [&](size_t t) {
    try {
      for (size_t i = next++; i < files.size(); i = next++) {
        workers[t]->scan_file(files[i]);
        if (progress) progress->advance(1);
      }
      workers[t]->flush();
    } catch (...) {
      errors[t] = std::current_exception();
      next = files.size();  // stop the others early
    }
  };
  if (workers.size() == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (size_t t = 0; t < workers.size(); ++t) pool.emplace_back(work, t);
    for (std::thread& th : pool) th.join();
  }
  if (progress) progress->finish();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }

  std::vector<eval::Finding> reported, suppressed;
  for (const auto& w : workers) {
    WorkerOutput& o = w->output();
    add_stats(result.stats, o.stats);
    for (auto& f : o.findings) {
      if (f.probability < options.threshold) continue;
      (f.suppressed ? suppressed : reported).push_back(std::move(f));
    }
    for (auto& p : o.problems) result.problems.push_back(std::move(p));
    for (auto& p : o.skipped) result.skipped.push_back(std::move(p));
  }
  result.stats.cache_write_failures = cache.counters().write_failures;
  if (cache.enabled()) {
    CacheLimits limits;
    limits.max_bytes = options.cache_max_mb << 20;
    limits.max_age_days = options.cache_max_days;
    // Due once an hour, or now when this scan alone wrote a twentieth of the cap.
    const bool wrote_much =
        limits.max_bytes > 0 && cache.counters().bytes_written >= limits.max_bytes / 20;
    const PruneResult pruned = prune_cache(cache.dir(), limits, wrote_much, cache.entries_read());
    result.stats.cache_entries_pruned = pruned.entries_removed;
    result.stats.cache_bytes_pruned = pruned.bytes_removed;
  }
  result.stats.findings_suppressed = suppressed.size();
  if (baseline) {
    eval::sort_findings(reported);  // the baseline absorbs the most confident copies first
    result.stats.findings_baselined = baseline->remove_known(reported);
  }
  result.stats.findings_total = reported.size();
  result.findings = std::move(reported);
  if (options.show_suppressed) {
    for (auto& f : suppressed) result.findings.push_back(std::move(f));
  }
  eval::sort_findings(result.findings);
  std::sort(result.problems.begin(), result.problems.end(),
            [](const FileProblem& a, const FileProblem& b) { return a.path < b.path; });
  std::sort(result.skipped.begin(), result.skipped.end(),
            [](const FileProblem& a, const FileProblem& b) { return a.path < b.path; });
  if (options.top > 0 && result.findings.size() > static_cast<size_t>(options.top)) {
    result.findings.resize(static_cast<size_t>(options.top));
  }
  result.stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

fs::path find_default_model(const fs::path& runs_dir) {
  std::error_code ec;
  if (!fs::is_directory(runs_dir, ec)) return {};
  fs::path best;
  fs::file_time_type best_time{};
  for (const fs::directory_entry& entry : fs::directory_iterator(runs_dir, ec)) {
    const fs::path candidate = entry.path() / "model-best.bugseek";
    std::error_code e2;
    if (!fs::is_regular_file(candidate, e2)) continue;
    const fs::file_time_type t = fs::last_write_time(candidate, e2);
    if (e2) continue;
    if (best.empty() || t > best_time || (t == best_time && candidate < best)) {
      best = candidate;
      best_time = t;
    }
  }
  return best;
}

fs::path find_shipped_model() {
  const fs::path relative = fs::path("models") / "python.bugseek";
  std::vector<fs::path> roots;
  if (const char* home = std::getenv("BUGSEEK_HOME"); home != nullptr && *home != '\0') {
    roots.emplace_back(home);  // set: the only place looked at
  } else {
    std::error_code ec;
    // build/cli/bugseek (or any build dir two levels under the source root).
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) roots.push_back(exe.parent_path().parent_path().parent_path());
#ifdef BUGSEEK_SOURCE_ROOT
    roots.emplace_back(BUGSEEK_SOURCE_ROOT);
#endif
  }
  for (const fs::path& root : roots) {
    std::error_code e2;
    if (fs::is_regular_file(root / relative, e2)) return root / relative;
  }
  return {};
}

std::string resolve_model(const std::string& given, const std::string& command) {
  if (!given.empty()) return given;
  fs::path found = find_default_model("runs");
  if (!found.empty()) {
    log_info(command, "model ", found.string(), " (the newest trained run; --model picks another)");
    return found.string();
  }
  found = find_shipped_model();
  if (!found.empty()) {
    log_info(command, "model ", found.string(),
             " (the model shipped with bugseek: no --model given and no runs/*/model-best.bugseek)");
    return found.string();
  }
  throw UsageError(
      "no --model given, no runs/*/model-best.bugseek and no shipped models/python.bugseek.\n"
      "  Train one with `bugseek train --out runs/NAME` (see `bugseek train --help`),\n"
      "  or pass a model file with --model FILE.");
}

std::string printable_path(std::string_view path) {
  const bool utf8 = is_valid_utf8(path);
  std::string out;
  for (unsigned char c : path) {
    if (c < 0x20 || c == 0x7f || (!utf8 && c >= 0x80)) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace bugseek::scan
