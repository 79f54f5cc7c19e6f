#include "scan/scanner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

#include "common/error.h"
#include "common/log.h"
#include "common/progress.h"
#include "data/batch.h"
#include "data/featurize.h"
#include "data/vocab.h"
#include "parser/units.h"

namespace bugseek::scan {
namespace {

namespace fs = std::filesystem;

// Trees with at least this many files get a progress bar.
constexpr size_t kProgressMinFiles = 20;

// A featurized unit waiting for the next detector batch, with what its finding needs.
struct PendingUnit {
  data::GraphFeatures features;
  parser::Sites sites;
  std::string function;
  std::string path;
  std::shared_ptr<const std::string> text;
};

struct WorkerOutput {
  std::vector<eval::Finding> findings;
  std::vector<FileProblem> problems;
  ScanStats stats;
};

// One scanning thread: its own Featurizer (label cache) and Detector copy.
class Worker {
 public:
  Worker(const detector::ModelFile& model, const data::Vocabulary& vocab,
         const parser::Language& language, const ScanOptions& options)
      : detector_(detector::make_detector(model, detector::DeviceKind::kCpu)),
        featurizer_(vocab, language),
        language_(language),
        options_(options) {}

  void scan_file(const data::SourceFile& file) {
    const std::string path = file.path.string();
    data::ReadResult read = data::read_source_text(file.path, options_.max_file_bytes);
    if (!read.ok) {
      out_.stats.skipped[static_cast<int>(read.reason)] += 1;
      return;
    }
    try {
      scan_text(path, std::move(read.text));
    } catch (const std::exception& e) {
      // A parser bug must not end the scan: report the file and go on.
      out_.stats.files_unparseable += 1;
      out_.problems.push_back({path, str_cat("internal error: ", e.what())});
    }
  }

  // Runs the detector on every pending unit.
  void flush() {
    if (pending_.empty()) return;
    data::Batch batch;
    for (const PendingUnit& u : pending_) data::append_to_batch(batch, u.features);
    const std::vector<detector::GraphPrediction> predictions = detector_.predict(batch, 0);
    for (size_t i = 0; i < pending_.size() && i < predictions.size(); ++i) {
      const PendingUnit& u = pending_[i];
      eval::Finding finding;
      if (!finding_for(predictions[i], u.sites, *u.text, options_.threshold, finding)) continue;
      finding.path = u.path;
      finding.function = u.function;
      out_.findings.push_back(std::move(finding));
    }
    pending_.clear();
    pending_nodes_ = 0;
  }

  WorkerOutput& output() { return out_; }

 private:
  void scan_text(const std::string& path, std::string text) {
    ScanStats& s = out_.stats;
    parser::ParsedFile parsed = parser::parse_source(std::move(text), language_, path);
    if (!parsed.ok()) {
      s.files_unparseable += 1;
      std::string why = str_cat("not parsed: ", parser::parse_status_name(parsed.status));
      if (!parsed.problem.empty()) why += " (" + parsed.problem + ")";
      out_.problems.push_back({path, why});
      return;
    }
    s.files_scanned += 1;
    s.bytes += parsed.text.size();
    s.lines += static_cast<uint64_t>(std::count(parsed.text.begin(), parsed.text.end(), '\n'));
    if (!parsed.text.empty() && parsed.text.back() != '\n') s.lines += 1;
    if (parsed.has_syntax_errors()) s.files_syntax_errors += 1;
    std::shared_ptr<const std::string> shared_text;
    for (const parser::Unit& unit : parser::extract_units(parsed)) {
      s.units += 1;
      if (unit.kind != parser::UnitKind::kModule) s.functions += 1;
      if (unit.has_syntax_errors) {
        s.units_syntax_errors += 1;
        continue;
      }
      parser::CodeGraph graph = parser::build_graph(parsed, unit);
      if (options_.max_nodes > 0 && graph.nodes.size() > options_.max_nodes) {
        s.units_too_large += 1;
        continue;
      }
      parser::Sites sites = parser::enumerate_rewrites(parsed, graph);
      if (sites.rewrites.empty()) {
        s.units_no_sites += 1;
        continue;
      }
      s.units_checked += 1;
      if (!shared_text) shared_text = std::make_shared<const std::string>(parsed.text);
      PendingUnit pending;
      pending.features = featurizer_.featurize(graph, sites);
      pending.sites = std::move(sites);
      pending.function = unit.qualified_name;
      pending.path = path;
      pending.text = shared_text;
      pending_nodes_ += pending.features.num_nodes;
      pending_.push_back(std::move(pending));
      if (pending_nodes_ >= options_.batch_nodes) flush();
    }
  }

  detector::Detector detector_;
  data::Featurizer featurizer_;
  const parser::Language& language_;
  const ScanOptions& options_;
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
}

// The text of the line holding byte `at`, without its line break.
std::string line_at(const std::string& text, uint32_t at) {
  if (at > text.size()) return "";
  const size_t begin = at == 0 ? 0 : text.rfind('\n', at - 1);
  const size_t from = begin == std::string::npos || at == 0 ? 0 : begin + 1;
  size_t to = text.find('\n', at);
  if (to == std::string::npos) to = text.size();
  if (to > from && text[to - 1] == '\r') --to;
  return text.substr(from, to - from);
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
  const auto num_sites = static_cast<int32_t>(sites.sites.size());
  detector::GraphPrediction bug_only = prediction;
  bug_only.p_no_bug = 0;
  const detector::Decision d = detector::decide(bug_only, num_sites);
  if (d.site < 0 || d.repair < 0 || static_cast<size_t>(d.repair) >= sites.rewrites.size()) {
    return false;
  }
  const double p = std::clamp(static_cast<double>(d.repair_probability), 0.0, 1.0);
  if (p < threshold) return false;
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
  out.probability = p;
  out.source_line = line_at(text, site.span.start_byte);
  return true;
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
  std::vector<data::SourceFile> files;
  for (data::SourceFile& f : listing.files) {
    if (f.language != language) {
      result.stats.skipped[static_cast<int>(data::SkipReason::kNoLanguage)] += 1;
    } else {
      files.push_back(std::move(f));
    }
  }
  result.stats.files_listed = files.size();

  const int threads = std::max(1, std::min<int>(options.threads, static_cast<int>(files.size())));
  detector::set_num_threads(1);  // parallel over files, one torch thread per worker
  std::vector<std::unique_ptr<Worker>> workers;
  for (int t = 0; t < threads; ++t) {
    workers.push_back(std::make_unique<Worker>(model, vocab, *language, options));
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

  for (const auto& w : workers) {
    WorkerOutput& o = w->output();
    add_stats(result.stats, o.stats);
    for (auto& f : o.findings) result.findings.push_back(std::move(f));
    for (auto& p : o.problems) result.problems.push_back(std::move(p));
  }
  eval::sort_findings(result.findings);
  std::sort(result.problems.begin(), result.problems.end(),
            [](const FileProblem& a, const FileProblem& b) { return a.path < b.path; });
  result.stats.findings_total = result.findings.size();
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

}  // namespace bugseek::scan
