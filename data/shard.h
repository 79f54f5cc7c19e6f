// Dataset shards: functions stored as source (not graphs, since bugs are planted on the fly),
// in a compact binary file with a header checksum. Readers check magic, version, sizes and
// CRC-32 and say which file is broken and how, instead of training on garbage.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/checksum.h"
#include "parser/code_graph.h"

namespace bugseek::data {

// One function of the corpus, as `bugseek prepare` stored it.
struct FunctionRecord {
  std::string text;      // source of the function, indentation removed so it parses on its own
  std::string file;      // corpus-relative path of the file it came from
  std::string name;      // qualified name ("Cls.method")
  std::string language;  // registry name ("python")
  parser::Span span;     // where `text` came from in the original file
  uint32_t indent = 0;   // columns of indentation removed from every line
  uint32_t num_sites = 0;  // bug sites when prepared
  uint32_t num_nodes = 0;  // graph nodes when prepared
};

constexpr char kShardMagic[8] = {'B', 'S', 'K', 'S', 'H', 'A', 'R', 'D'};
constexpr uint32_t kShardVersion = 1;


// Serializes `records` into one shard: header (magic, version, count, payload size, payload
// CRC-32) then the records.
std::string encode_shard(const std::vector<FunctionRecord>& records);

// Parses a shard produced by encode_shard. Throws Error naming `path_for_errors` on a wrong
// magic, a newer version, a size or checksum mismatch, or truncated records.
std::vector<FunctionRecord> decode_shard(std::string_view bytes, const std::string& path_for_errors);

}  // namespace bugseek::data
