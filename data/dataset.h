// A prepared dataset directory: shards of functions per split, the SentencePiece model, and a
// manifest (text, one fact per line) with counts and checksums of every file. Written by
// `bugseek prepare`, read by training and evaluation; every read is checked against it.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "data/exclude.h"
#include "data/shard.h"
#include "data/split.h"

namespace bugseek::data {

constexpr uint32_t kDatasetVersion = 1;
constexpr const char* kManifestName = "manifest.txt";

struct ShardInfo {
  Split split = Split::kTrain;
  std::string file;        // relative to the dataset directory
  uint64_t functions = 0;
  uint64_t bytes = 0;
  uint32_t crc32 = 0;      // of the whole file
};

struct Manifest {
  uint32_t version = kDatasetVersion;
  std::vector<std::pair<std::string, std::string>> languages;  // (name, grammar version)
  std::array<uint64_t, kNumSplits> files{};      // files kept per split
  std::array<uint64_t, kNumSplits> functions{};  // functions per split
  std::vector<ShardInfo> shards;
  std::string vocab_file;  // relative; empty if no vocabulary was trained
  uint64_t vocab_bytes = 0;
  uint32_t vocab_crc32 = 0;
  // Real-bug files the functions were decontaminated against (`prepare --exclude`); empty in
  // manifests written before the option existed.
  std::vector<ExcludeFileInfo> excludes;
  std::vector<std::pair<std::string, uint64_t>> stats;  // prepare's counters, in order
};

std::string format_manifest(const Manifest& manifest);
// Parses manifest text; throws Error naming `path` on unknown versions or malformed lines.
Manifest parse_manifest(std::string_view text, const std::string& path);
// Reads `dir`/manifest.txt; throws Error with a hint to run `bugseek prepare` if it is missing.
Manifest read_manifest(const std::filesystem::path& dir);
// Writes `dir`/manifest.txt atomically (last, so a manifest only exists for a complete dataset).
void write_manifest(const std::filesystem::path& dir, const Manifest& manifest);

// Reads one shard file and checks its size and CRC-32 against `info` before decoding.
std::vector<FunctionRecord> read_shard(const std::filesystem::path& dir, const ShardInfo& info);
// All functions of `split`, in shard order, every shard checked.
std::vector<FunctionRecord> load_functions(const std::filesystem::path& dir, const Manifest& manifest,
                                           Split split);
// The SentencePiece model bytes, checked against the manifest.
std::string load_vocab_model(const std::filesystem::path& dir, const Manifest& manifest);

// Writes the functions of one split into shards of at most `max_functions` records each, named
// "<split>-00000.shard", each written atomically as soon as it fills.
class ShardWriter {
 public:
  ShardWriter(std::filesystem::path dir, Split split, size_t max_functions);
  void add(FunctionRecord record);
  // Writes the last partial shard; returns every shard written. Call once.
  std::vector<ShardInfo> finish();

 private:
  void flush();
  std::filesystem::path dir_;
  Split split_;
  size_t max_functions_;
  std::vector<FunctionRecord> pending_;
  std::vector<ShardInfo> written_;
};

}  // namespace bugseek::data
