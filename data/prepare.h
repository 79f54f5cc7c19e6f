// `bugseek prepare` as a library call: corpus folders in, a dataset directory out (shards of
// functions per split, the SentencePiece model, files.tsv and the manifest). Steps: list files,
// read and fingerprint them, cluster duplicates, split, extract functions (dropping copies of
// --exclude's real-bug functions), drop duplicate functions, write shards, train the vocabulary on the training split, write the manifest last.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "data/corpus.h"
#include "data/dedup.h"
#include "data/exclude.h"
#include "data/extract.h"
#include "data/split.h"
#include "data/vocab.h"

namespace bugseek::data {

struct PrepareConfig {
  std::vector<std::string> corpus;  // folders or files; empty = the machine's Python stdlib
  std::string out = "data";         // dataset directory
  std::vector<std::string> exclude;  // real-bug JSON Lines files to decontaminate against
  int threads = 1;
  CorpusOptions walk;
  SplitFractions split;
  DedupOptions dedup;
  ExtractOptions extract;
  VocabTrainOptions vocab;
  bool train_vocab = true;
  uint32_t shard_functions = 20000;  // functions per shard file
};

struct PrepareSummary {
  std::vector<std::string> roots;
  uint64_t files_listed = 0;   // candidate source files found by the walk
  uint64_t files_read = 0;     // read as UTF-8 text
  SkipCounts skipped{};        // walk + read, per reason
  uint64_t exact_duplicates = 0;
  uint64_t near_duplicates = 0;
  uint64_t duplicate_clusters = 0;
  uint64_t parse_failures = 0;  // files without a usable tree
  std::array<uint64_t, kNumSplits> files{};  // files kept per split
  uint64_t functions_found = 0;
  std::array<uint64_t, kNumDropReasons> dropped{};
  uint64_t duplicate_functions = 0;  // identical function text seen in another file
  std::vector<ExcludeFileInfo> exclude_files;  // --exclude files, in order
  uint64_t excluded_exact = 0;  // functions equal (up to whitespace) to a real-bug function
  uint64_t excluded_near = 0;   // near duplicates of one
  std::array<uint64_t, kNumSplits> excluded{};  // both, per split
  std::array<uint64_t, kNumSplits> functions{};
  uint64_t vocab_sentences = 0;
  int32_t vocab_size = 0;
  double seconds = 0;

  // The end-of-run table (plain text, one fact per line).
  std::string format_table() const;
};

// Runs the whole preparation. Throws UsageError for bad settings (no corpus found, bad
// fractions), Error for I/O failures; broken input files are counted, never fatal.
PrepareSummary prepare_dataset(const PrepareConfig& config);

}  // namespace bugseek::data
