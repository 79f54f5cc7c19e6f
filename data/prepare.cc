#include "data/prepare.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <regex>
#include <sstream>
#include <unordered_map>

#include "common/error.h"
#include "common/fs.h"
#include "common/parallel.h"
#include "common/log.h"
#include "common/progress.h"
#include "data/dataset.h"

namespace bugseek::data {
namespace fs = std::filesystem;

namespace {

std::string per_split(const std::array<uint64_t, kNumSplits>& v) {
  std::ostringstream out;
  for (int s = 0; s < kNumSplits; ++s) {
    out << (s ? " | " : "") << split_name(static_cast<Split>(s)) << " " << v[s];
  }
  return out.str();
}

// Removes a previous run's manifest first (a directory without one is incomplete), then its
// shards, so no stale shard survives next to the new ones.
void clear_previous(const fs::path& dir) {
  std::error_code ec;
  fs::remove(dir / kManifestName, ec);
  const std::regex shard_name(R"((train|valid|test)-\d{5}\.shard)");
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (std::regex_match(entry.path().filename().string(), shard_name)) fs::remove(entry.path(), ec);
  }
}

struct FileState {
  ReadResult read;
  Fingerprint fingerprint;
  uint64_t rank = 0;
};

}  // namespace

std::string PrepareSummary::format_table() const {
  std::ostringstream out;
  auto row = [&](const std::string& key, const std::string& value) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "  %-26s ", key.c_str());
    out << buf << value << "\n";
  };
  std::string joined;
  for (const auto& r : roots) joined += (joined.empty() ? "" : " ") + r;
  out << "prepared " << joined << "\n";
  row("files listed", std::to_string(files_listed));
  row("files read", std::to_string(files_read));
  for (int r = 0; r < kNumSkipReasons; ++r) {
    if (skipped[r] > 0) {
      row("skipped: " + std::string(skip_reason_name(static_cast<SkipReason>(r))),
          std::to_string(skipped[r]));
    }
  }
  row("exact duplicate files", std::to_string(exact_duplicates) + " removed");
  row("near duplicate files", std::to_string(near_duplicates) + " kept with their twin (" +
                                  std::to_string(duplicate_clusters) + " clusters)");
  row("files that did not parse", std::to_string(parse_failures));
  row("files per split", per_split(files));
  row("functions found", std::to_string(functions_found));
  for (int r = 0; r < kNumDropReasons; ++r) {
    if (dropped[r] > 0) {
      row("dropped: " + std::string(drop_reason_name(static_cast<DropReason>(r))),
          std::to_string(dropped[r]));
    }
  }
  row("dropped: duplicate text", std::to_string(duplicate_functions));
  if (!exclude_files.empty()) {
    row("excluded (real-bug files)", std::to_string(excluded_exact) + " exact, " +
                                         std::to_string(excluded_near) + " near (" +
                                         per_split(excluded) + ")");
  }
  row("functions per split", per_split(functions));
  if (vocab_size > 0) {
    row("vocabulary", std::to_string(vocab_size) + " pieces from " +
                          std::to_string(vocab_sentences) + " training lines");
  }
  row("time", format_duration(seconds));
  return out.str();
}

PrepareSummary prepare_dataset(const PrepareConfig& config) {
  const auto start = std::chrono::steady_clock::now();
  check_split_fractions(config.split);
  PrepareSummary summary;
  std::vector<fs::path> roots;
  for (const auto& c : config.corpus) roots.emplace_back(c);
  if (roots.empty()) {
    auto stdlib = find_python_stdlib();
    if (!stdlib) throw UsageError("no --corpus given and no Python standard library found");
    roots.push_back(*stdlib);
  }
  for (const auto& r : roots) summary.roots.push_back(r.string());
  // Before anything is written, so a bad --exclude file leaves a previous dataset alone.
  const ExcludeSet exclude = ExcludeSet::load(config.exclude, config.dedup);
  summary.exclude_files = exclude.files();
  for (const auto& f : exclude.files()) {
    log_info("prepare", "excluding ", f.functions, " real-bug functions of ", f.file);
  }
  const fs::path out_dir(config.out);
  fs::create_directories(out_dir);
  clear_previous(out_dir);

  // 1. Walk.
  CorpusListing listing = list_source_files(roots, config.walk);
  summary.files_listed = listing.files.size();
  summary.skipped = listing.counts;
  log_info("prepare", listing.files.size(), " source files under ", roots.size(), " root(s)");

  // 2. Read and fingerprint.
  const size_t n = listing.files.size();
  std::vector<FileState> state(n);
  {
    ProgressBar bar("read", n);
    parallel_for(n, config.threads, [&](size_t i, int) {
      FileState& s = state[i];
      s.read = read_source_text(listing.files[i].path, config.walk.max_file_bytes);
      s.rank = path_hash(listing.files[i].rel_path);
      if (s.read.ok) s.fingerprint = fingerprint(s.read.text);
      bar.advance();
    });
  }
  std::vector<int32_t> readable;  // indices into listing.files
  for (size_t i = 0; i < n; ++i) {
    if (state[i].read.ok) {
      readable.push_back(static_cast<int32_t>(i));
    } else {
      summary.skipped[static_cast<int>(state[i].read.reason)] += 1;
    }
  }
  summary.files_read = readable.size();

  // 3. Duplicates and splits.
  std::vector<Fingerprint> fps;
  std::vector<uint64_t> ranks;
  fps.reserve(readable.size());
  for (int32_t i : readable) {
    fps.push_back(std::move(state[i].fingerprint));
    ranks.push_back(state[i].rank);
  }
  const DedupResult dups = find_duplicates(fps, ranks, config.dedup);
  fps.clear();
  fps.shrink_to_fit();
  summary.exact_duplicates = dups.exact_duplicates;
  summary.near_duplicates = dups.near_duplicates;
  summary.duplicate_clusters = dups.clusters;
  std::vector<Split> split(readable.size());
  std::ostringstream files_tsv;
  files_tsv << "# path\tsplit\tstatus\tcanonical\n";
  for (size_t k = 0; k < readable.size(); ++k) {
    const int32_t canonical = dups.canonical[k];
    split[k] = split_for_hash(ranks[canonical], config.split);
    const char* status = dups.exact_dup[k] ? "exact-duplicate"
                         : canonical != static_cast<int32_t>(k) ? "near-duplicate"
                                                                : "kept";
    if (!dups.exact_dup[k]) summary.files[static_cast<int>(split[k])] += 1;
    files_tsv << listing.files[readable[k]].path.string() << "\t" << split_name(split[k]) << "\t"
              << status << "\t" << listing.files[readable[canonical]].path.string() << "\n";
  }

  // 4. Functions.
  std::vector<ExtractResult> extracted(readable.size());
  {
    ProgressBar bar("extract", readable.size());
    std::atomic<uint64_t> functions{0};
    parallel_for(readable.size(), config.threads, [&](size_t k, int) {
      if (dups.exact_dup[k]) {
        bar.advance();
        return;
      }
      const SourceFile& file = listing.files[readable[k]];
      std::string text = std::move(state[readable[k]].read.text);
      extracted[k] = extract_functions(text, file.rel_path, *file.language, config.extract,
                                       config.train_vocab && split[k] == Split::kTrain,
                                       exclude.empty() ? nullptr : &exclude);
      functions += extracted[k].functions.size();
      bar.advance(1, std::to_string(functions.load()) + " functions");
    });
  }
  state.clear();

  // 5. Identical function text in several files: keep the copy of the lowest-ranked file.
  struct Owner {
    uint64_t rank;
    size_t file;
    size_t index;
  };
  std::unordered_map<uint64_t, Owner> owner;
  for (size_t k = 0; k < extracted.size(); ++k) {
    for (size_t j = 0; j < extracted[k].functions.size(); ++j) {
      const uint64_t h = function_text_key(extracted[k].functions[j].text);
      const Owner candidate{ranks[dups.canonical[k]], k, j};
      auto [it, inserted] = owner.emplace(h, candidate);
      if (!inserted && std::tie(candidate.rank, candidate.file) < std::tie(it->second.rank, it->second.file)) {
        it->second = candidate;
      }
    }
  }

  // 6. Shards (file order; the producer shuffles), vocabulary sentences.
  std::vector<ShardWriter> writers;
  for (int s = 0; s < kNumSplits; ++s) {
    writers.emplace_back(out_dir, static_cast<Split>(s), config.shard_functions);
  }
  std::vector<std::string> sentences;
  for (size_t k = 0; k < extracted.size(); ++k) {
    ExtractResult& r = extracted[k];
    if (dups.exact_dup[k]) continue;
    if (!r.parsed) summary.parse_failures += 1;
    summary.functions_found += r.units;
    for (int d = 0; d < kNumDropReasons; ++d) summary.dropped[d] += r.dropped[d];
    summary.excluded_exact += r.excluded_exact;
    summary.excluded_near += r.excluded_near;
    summary.excluded[static_cast<int>(split[k])] += r.excluded_exact + r.excluded_near;
    for (size_t j = 0; j < r.functions.size(); ++j) {
      const Owner& o = owner.at(function_text_key(r.functions[j].text));
      if (o.file != k || o.index != j) {
        summary.duplicate_functions += 1;
        continue;
      }
      summary.functions[static_cast<int>(split[k])] += 1;
      writers[static_cast<int>(split[k])].add(std::move(r.functions[j]));
    }
    for (auto& line : r.labels) sentences.push_back(std::move(line));
    r = ExtractResult{};
  }
  Manifest manifest;
  for (const auto& lang : parser::languages()) manifest.languages.emplace_back(lang.name, lang.grammar_version);
  for (auto& w : writers) {
    for (auto& sh : w.finish()) manifest.shards.push_back(sh);
  }
  manifest.files = summary.files;
  manifest.excludes = summary.exclude_files;
  manifest.functions = summary.functions;

  // 7. Vocabulary from the training split only.
  if (config.train_vocab) {
    summary.vocab_sentences = sentences.size();
    log_info("prepare", "training a ", config.vocab.model_type, " vocabulary of ",
             config.vocab.vocab_size, " pieces on ", sentences.size(), " lines");
    const std::string model = train_vocabulary(sentences, config.vocab);
    summary.vocab_size = Vocabulary::from_bytes(model).size();
    manifest.vocab_file = "vocab.model";
    manifest.vocab_bytes = model.size();
    manifest.vocab_crc32 = crc32(model);
    write_file_atomic(out_dir / manifest.vocab_file, model);
  }
  write_file_atomic(out_dir / "files.tsv", files_tsv.str());

  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  manifest.stats = {
      {"files_listed", summary.files_listed},
      {"files_read", summary.files_read},
      {"exact_duplicates", summary.exact_duplicates},
      {"near_duplicates", summary.near_duplicates},
      {"parse_failures", summary.parse_failures},
      {"functions_found", summary.functions_found},
      {"duplicate_functions", summary.duplicate_functions},
  };
  if (!summary.exclude_files.empty()) {
    manifest.stats.emplace_back("excluded_exact", summary.excluded_exact);
    manifest.stats.emplace_back("excluded_near", summary.excluded_near);
    for (int sp = 0; sp < kNumSplits; ++sp) {
      manifest.stats.emplace_back("excluded_" + std::string(split_name(static_cast<Split>(sp))),
                                  summary.excluded[sp]);
    }
  }
  for (int r = 0; r < kNumSkipReasons; ++r) {
    manifest.stats.emplace_back("skipped_" + std::string(skip_reason_name(static_cast<SkipReason>(r))),
                                summary.skipped[r]);
  }
  for (int r = 0; r < kNumDropReasons; ++r) {
    manifest.stats.emplace_back("dropped_" + std::string(drop_reason_name(static_cast<DropReason>(r))),
                                summary.dropped[r]);
  }
  write_manifest(out_dir, manifest);
  return summary;
}

}  // namespace bugseek::data
