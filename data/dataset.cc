#include "data/dataset.h"

#include <cstdio>
#include <sstream>

#include "common/error.h"
#include "common/fs.h"
#include "common/log.h"

namespace bugseek::data {
namespace fs = std::filesystem;

namespace {

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%08x", v);
  return buf;
}

std::string checked_read(const fs::path& path, uint64_t bytes, uint32_t crc, const char* what) {
  if (!fs::exists(path)) {
    throw_error("load_dataset", path.string(),
                str_cat(what, " listed in the manifest is missing; re-run bugseek prepare"));
  }
  std::string data = read_file(path);
  if (data.size() != bytes) {
    throw_error("load_dataset", path.string(),
                str_cat(what, " is ", data.size(), " bytes, manifest says ", bytes,
                        " (truncated or replaced; re-run bugseek prepare)"));
  }
  const uint32_t actual = crc32(data);
  if (actual != crc) {
    throw_error("load_dataset", path.string(),
                str_cat(what, " checksum mismatch: manifest crc32 ", hex32(crc), ", file ",
                        hex32(actual), " (corrupt; re-run bugseek prepare)"));
  }
  return data;
}

}  // namespace

std::string format_manifest(const Manifest& m) {
  std::ostringstream out;
  out << "bugseek-dataset " << m.version << "\n";
  for (const auto& [name, version] : m.languages) out << "language " << name << " " << version << "\n";
  for (int s = 0; s < kNumSplits; ++s) {
    out << "split " << split_name(static_cast<Split>(s)) << " files " << m.files[s] << " functions "
        << m.functions[s] << "\n";
  }
  for (const ShardInfo& sh : m.shards) {
    out << "shard " << split_name(sh.split) << " " << sh.file << " functions " << sh.functions
        << " bytes " << sh.bytes << " crc32 " << hex32(sh.crc32) << "\n";
  }
  if (!m.vocab_file.empty()) {
    out << "vocab " << m.vocab_file << " bytes " << m.vocab_bytes << " crc32 " << hex32(m.vocab_crc32)
        << "\n";
  }
  for (const ExcludeFileInfo& e : m.excludes) {
    out << "exclude crc32 " << hex32(e.crc32) << " bytes " << e.bytes << " functions "
        << e.functions << " " << e.file << "\n";
  }
  for (const auto& [key, value] : m.stats) out << "stat " << key << " " << value << "\n";
  return out.str();
}

Manifest parse_manifest(std::string_view text, const std::string& path) {
  Manifest m;
  std::istringstream in{std::string(text)};
  std::string line;
  int line_no = 0;
  bool saw_header = false;
  auto fail = [&](const std::string& why) {
    throw_error("parse_manifest", path, str_cat("line ", line_no, ": ", why));
  };
  // format_manifest writes 8 hex digits; anything std::stoul would reject or overflow on is refused
  // here, so a damaged manifest ends in an Error naming the line.
  auto parse_crc32 = [&](const std::string& hex) {
    if (hex.empty() || hex.size() > 8 ||
        hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
      fail("crc32 '" + hex + "' is not a hexadecimal 32-bit number");
    }
    return static_cast<uint32_t>(std::stoul(hex, nullptr, 16));
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    std::istringstream ls(line);
    std::string key;
    ls >> key;
    if (!saw_header) {
      if (key != "bugseek-dataset" || !(ls >> m.version)) fail("not a bugseek dataset manifest");
      if (m.version > kDatasetVersion) {
        fail(str_cat("dataset version ", m.version, " is newer than this binary (", kDatasetVersion,
                     "); re-run bugseek prepare or update bugseek"));
      }
      saw_header = true;
      continue;
    }
    std::string a, b, word;
    if (key == "language") {
      if (!(ls >> a >> b)) fail("expected: language NAME VERSION");
      m.languages.emplace_back(a, b);
    } else if (key == "split") {
      uint64_t files = 0, functions = 0;
      std::string w1, w2;
      if (!(ls >> a >> w1 >> files >> w2 >> functions)) fail("expected: split NAME files N functions N");
      auto split = split_from_name(a);
      if (!split) fail("unknown split '" + a + "'");
      m.files[static_cast<int>(*split)] = files;
      m.functions[static_cast<int>(*split)] = functions;
    } else if (key == "shard") {
      ShardInfo sh;
      std::string w1, w2, w3, crc;
      if (!(ls >> a >> sh.file >> w1 >> sh.functions >> w2 >> sh.bytes >> w3 >> crc)) {
        fail("expected: shard SPLIT FILE functions N bytes N crc32 HEX");
      }
      auto split = split_from_name(a);
      if (!split) fail("unknown split '" + a + "'");
      sh.split = *split;
      sh.crc32 = parse_crc32(crc);
      m.shards.push_back(sh);
    } else if (key == "vocab") {
      std::string w1, w2, crc;
      if (!(ls >> m.vocab_file >> w1 >> m.vocab_bytes >> w2 >> crc)) {
        fail("expected: vocab FILE bytes N crc32 HEX");
      }
      m.vocab_crc32 = parse_crc32(crc);
    } else if (key == "exclude") {
      ExcludeFileInfo e;
      std::string w1, w2, w3, crc;
      if (!(ls >> w1 >> crc >> w2 >> e.bytes >> w3 >> e.functions) || w1 != "crc32") {
        fail("expected: exclude crc32 HEX bytes N functions N FILE");
      }
      e.crc32 = parse_crc32(crc);
      std::getline(ls >> std::ws, e.file);
      if (e.file.empty()) fail("expected: exclude crc32 HEX bytes N functions N FILE");
      m.excludes.push_back(std::move(e));
    } else if (key == "stat") {
      uint64_t v = 0;
      if (!(ls >> a >> v)) fail("expected: stat NAME N");
      m.stats.emplace_back(a, v);
    }  // unknown keys are skipped: newer minor additions stay readable
  }
  if (!saw_header) throw_error("parse_manifest", path, "empty manifest");
  return m;
}

Manifest read_manifest(const fs::path& dir) {
  const fs::path path = dir / kManifestName;
  if (!fs::exists(path)) {
    throw_error("read_manifest", path.string(),
                "no dataset manifest here; run `bugseek prepare --out " + dir.string() + "` first");
  }
  return parse_manifest(read_file(path), path.string());
}

void write_manifest(const fs::path& dir, const Manifest& manifest) {
  write_file_atomic(dir / kManifestName, format_manifest(manifest));
}

std::vector<FunctionRecord> read_shard(const fs::path& dir, const ShardInfo& info) {
  const fs::path path = dir / info.file;
  std::string bytes = checked_read(path, info.bytes, info.crc32, "shard");
  std::vector<FunctionRecord> records = decode_shard(bytes, path.string());
  if (records.size() != info.functions) {
    throw_error("read_shard", path.string(),
                str_cat(records.size(), " functions, manifest says ", info.functions));
  }
  return records;
}

std::vector<FunctionRecord> load_functions(const fs::path& dir, const Manifest& manifest,
                                           Split split) {
  std::vector<FunctionRecord> out;
  out.reserve(manifest.functions[static_cast<int>(split)]);
  for (const ShardInfo& sh : manifest.shards) {
    if (sh.split != split) continue;
    std::vector<FunctionRecord> records = read_shard(dir, sh);
    for (auto& r : records) out.push_back(std::move(r));
  }
  return out;
}

std::string load_vocab_model(const fs::path& dir, const Manifest& manifest) {
  if (manifest.vocab_file.empty()) {
    throw_error("load_vocab_model", dir.string(), "dataset has no vocabulary; re-run bugseek prepare");
  }
  return checked_read(dir / manifest.vocab_file, manifest.vocab_bytes, manifest.vocab_crc32,
                      "vocabulary");
}

ShardWriter::ShardWriter(fs::path dir, Split split, size_t max_functions)
    : dir_(std::move(dir)), split_(split), max_functions_(max_functions == 0 ? 1 : max_functions) {}

void ShardWriter::add(FunctionRecord record) {
  pending_.push_back(std::move(record));
  if (pending_.size() >= max_functions_) flush();
}

void ShardWriter::flush() {
  if (pending_.empty()) return;
  char name[64];
  std::snprintf(name, sizeof(name), "%s-%05zu.shard", std::string(split_name(split_)).c_str(),
                written_.size());
  const std::string bytes = encode_shard(pending_);
  write_file_atomic(dir_ / name, bytes);
  written_.push_back({split_, name, pending_.size(), bytes.size(), crc32(bytes)});
  pending_.clear();
}

std::vector<ShardInfo> ShardWriter::finish() {
  flush();
  return written_;
}

}  // namespace bugseek::data
