#include "data/shard.h"

#include <array>
#include <cstring>

#include "common/error.h"
#include "common/log.h"

namespace bugseek::data {
namespace {

constexpr size_t kHeaderBytes = 8 + 4 + 4 + 8 + 4 + 4;
// The smallest record: four empty strings (their u32 lengths) and nine u32 fields.
constexpr size_t kMinRecordBytes = 4 * 4 + 9 * 4;

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void put_str(std::string& out, std::string_view s) {
  put_u32(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}

class Reader {
 public:
  Reader(std::string_view bytes, const std::string& path) : bytes_(bytes), path_(path) {}
  uint32_t u32() {
    need(4);
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<uint8_t>(bytes_[pos_ + i])) << (8 * i);
    pos_ += 4;
    return v;
  }
  uint64_t u64() {
    const uint64_t lo = u32();
    return lo | (static_cast<uint64_t>(u32()) << 32);
  }
  std::string str() {
    const uint32_t n = u32();
    need(n);
    std::string s(bytes_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  size_t pos() const { return pos_; }

 private:
  void need(size_t n) {
    if (bytes_.size() - pos_ < n) {
      throw_error("decode_shard", path_,
                  str_cat("truncated record at byte ", pos_, " (need ", n, " more bytes, have ",
                          bytes_.size() - pos_, "); the shard is corrupt: re-run bugseek prepare"));
    }
  }
  std::string_view bytes_;
  const std::string& path_;
  size_t pos_ = 0;
};

}  // namespace

std::string encode_shard(const std::vector<FunctionRecord>& records) {
  std::string payload;
  for (const FunctionRecord& r : records) {
    put_str(payload, r.text);
    put_str(payload, r.file);
    put_str(payload, r.name);
    put_str(payload, r.language);
    put_u32(payload, r.span.start_byte);
    put_u32(payload, r.span.end_byte);
    put_u32(payload, r.span.start.row);
    put_u32(payload, r.span.start.column);
    put_u32(payload, r.span.end.row);
    put_u32(payload, r.span.end.column);
    put_u32(payload, r.indent);
    put_u32(payload, r.num_sites);
    put_u32(payload, r.num_nodes);
  }
  std::string out(kShardMagic, sizeof(kShardMagic));
  put_u32(out, kShardVersion);
  put_u32(out, static_cast<uint32_t>(records.size()));
  put_u64(out, payload.size());
  put_u32(out, crc32(payload));
  put_u32(out, 0);  // reserved
  out += payload;
  return out;
}

std::vector<FunctionRecord> decode_shard(std::string_view bytes, const std::string& path) {
  if (bytes.size() < kHeaderBytes || std::memcmp(bytes.data(), kShardMagic, 8) != 0) {
    throw_error("decode_shard", path, "not a bugseek shard (bad magic or shorter than a header)");
  }
  Reader header(bytes.substr(8, kHeaderBytes - 8), path);
  const uint32_t version = header.u32();
  const uint32_t count = header.u32();
  const uint64_t payload_bytes = header.u64();
  const uint32_t expected_crc = header.u32();
  if (version > kShardVersion) {
    throw_error("decode_shard", path,
                str_cat("shard format version ", version, " is newer than this binary (",
                        kShardVersion, "); update bugseek or re-run bugseek prepare"));
  }
  const std::string_view payload = bytes.substr(kHeaderBytes);
  if (payload.size() != payload_bytes) {
    throw_error("decode_shard", path,
                str_cat("payload is ", payload.size(), " bytes, header says ", payload_bytes,
                        " (truncated or corrupt; re-run bugseek prepare)"));
  }
  const uint32_t actual_crc = crc32(payload);
  if (actual_crc != expected_crc) {
    throw_error("decode_shard", path,
                str_cat("checksum mismatch: expected crc32 ", std::hex, expected_crc, ", got ",
                        actual_crc, " (corrupt; re-run bugseek prepare)"));
  }
  // The count is outside the checksum: a damaged one must not reserve gigabytes.
  if (count > payload.size() / kMinRecordBytes) {
    throw_error("decode_shard", path,
                str_cat("header says ", count, " records, more than ", payload.size(),
                        " payload bytes can hold (corrupt; re-run bugseek prepare)"));
  }
  std::vector<FunctionRecord> records;
  records.reserve(count);
  Reader in(payload, path);
  for (uint32_t i = 0; i < count; ++i) {
    FunctionRecord r;
    r.text = in.str();
    r.file = in.str();
    r.name = in.str();
    r.language = in.str();
    r.span.start_byte = in.u32();
    r.span.end_byte = in.u32();
    r.span.start.row = in.u32();
    r.span.start.column = in.u32();
    r.span.end.row = in.u32();
    r.span.end.column = in.u32();
    r.indent = in.u32();
    r.num_sites = in.u32();
    r.num_nodes = in.u32();
    records.push_back(std::move(r));
  }
  if (in.pos() != payload.size()) {
    throw_error("decode_shard", path,
                str_cat(payload.size() - in.pos(), " bytes left after ", count, " records"));
  }
  return records;
}

}  // namespace bugseek::data
