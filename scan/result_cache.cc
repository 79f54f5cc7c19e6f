#include "scan/result_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <thread>
#include <unordered_set>

#include "common/checksum.h"
#include "common/json.h"

namespace bugseek::scan {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kEntryHeader = "bugseek-scan-cache 1\n";
// A hit marks its entry used (mtime = now) when the last mark is older than this.
constexpr std::time_t kMarkUsedAfterSeconds = 3600;

__extension__ typedef unsigned __int128 U128;

const char* status_code(UnitStatus s) {
  switch (s) {
    case UnitStatus::kChecked:
      return "checked";
    case UnitStatus::kNoSites:
      return "no-sites";
    case UnitStatus::kSyntaxErrors:
      return "syntax-errors";
    case UnitStatus::kTooLarge:
      return "too-large";
    case UnitStatus::kNotAsked:
      return "not-asked";
  }
  return "?";
}

UnitStatus status_from_code(const std::string& s) {
  if (s == "checked") return UnitStatus::kChecked;
  if (s == "no-sites") return UnitStatus::kNoSites;
  if (s == "syntax-errors") return UnitStatus::kSyntaxErrors;
  if (s == "too-large") return UnitStatus::kTooLarge;
  throw Error("cache: unknown unit status '" + s + "'");
}

eval::Finding finding_from_json(const json::Value& v) {
  eval::Finding f;
  f.line = static_cast<int>(v.at("line").as_int());
  f.column = static_cast<int>(v.at("column").as_int());
  f.end_line = static_cast<int>(v.at("end_line").as_int());
  f.end_column = static_cast<int>(v.at("end_column").as_int());
  f.kind = v.at("kind").as_string();
  f.kind_title = v.at("title").as_string();
  f.original = v.at("original").as_string();
  f.replacement = v.at("replacement").as_string();
  f.probability = v.at("probability").as_double();
  f.source_line = v.at("source_line").as_string();
  f.function = v.at("function").as_string();
  return f;
}

std::string record_to_json(const FileRecord& r) {
  json::Value v = json::Value::object();
  v.set("parsed", r.parsed);
  v.set("problem", r.problem);
  v.set("lines", r.lines);
  v.set("bytes", r.bytes);
  v.set("syntax_errors", r.syntax_errors);
  json::Value units = json::Value::array();
  for (const UnitRecord& u : r.units) {
    json::Value j = json::Value::object();
    j.set("function", u.is_function);
    j.set("start", u.start_line);
    j.set("end", u.end_line);
    j.set("status", status_code(u.status));
    if (u.has_finding) j.set("finding", eval::finding_to_json(u.finding));  // the fields below read back
    units.push_back(std::move(j));
  }
  v.set("units", std::move(units));
  return json::dump(v);
}

FileRecord record_from_json(const std::string& text) {
  const json::Value v = json::parse(text);
  FileRecord r;
  r.parsed = v.at("parsed").as_bool();
  r.problem = v.at("problem").as_string();
  r.lines = static_cast<uint64_t>(v.at("lines").as_int());
  r.bytes = static_cast<uint64_t>(v.at("bytes").as_int());
  r.syntax_errors = v.at("syntax_errors").as_bool();
  for (const json::Value& j : v.at("units").as_array()) {
    UnitRecord u;
    u.is_function = j.at("function").as_bool();
    u.start_line = static_cast<int>(j.at("start").as_int());
    u.end_line = static_cast<int>(j.at("end").as_int());
    u.status = status_from_code(j.at("status").as_string());
    if (const json::Value* f = j.find("finding"); f != nullptr) {
      u.has_finding = true;
      u.finding = finding_from_json(*f);
    }
    r.units.push_back(std::move(u));
  }
  return r;
}

}  // namespace

Hash128& Hash128::add(std::string_view bytes) {
  // FNV-1a with the 128-bit prime 2^88 + 2^8 + 0x3b.
  const U128 prime = (static_cast<U128>(1) << 88) + 0x13b;
  U128 h = (static_cast<U128>(hi) << 64) | lo;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= prime;
  }
  // A length marker, so ("ab", "c") and ("a", "bc") hash apart.
  const uint64_t n = bytes.size();
  for (int i = 0; i < 8; ++i) {
    h ^= static_cast<unsigned char>(n >> (8 * i));
    h *= prime;
  }
  hi = static_cast<uint64_t>(h >> 64);
  lo = static_cast<uint64_t>(h);
  return *this;
}

std::string Hash128::hex() const {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(hi),
                static_cast<unsigned long long>(lo));
  return buf;
}

std::string model_checksum(const detector::ModelFile& model) {
  Hash128 h;
  h.add(detector::config_to_text(model.config))
      .add(model.vocab_model)
      .add(model.language)
      .add(model.grammar_version)
      .add(model.weights);
  return h.hex();
}

fs::path default_cache_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/') {
    return fs::path(xdg) / "bugseek";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return fs::path(home) / ".cache" / "bugseek";
  }
  return {};
}

ResultCache::ResultCache(fs::path dir, std::string context)
    : dir_(std::move(dir)), context_(std::move(context)) {}

fs::path ResultCache::entry_path(std::string_view tag, std::string_view text) const {
  const std::string key = Hash128().add(context_).add(tag).add(text).hex();
  return dir_ / key.substr(0, 2) / (key.substr(2) + "." + std::string(tag));
}

std::optional<std::string> ResultCache::read_entry(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    counters_.misses += 1;
    return std::nullopt;
  }
  std::string bytes;
  struct stat st {};
  bool ok = ::fstat(fd, &st) == 0;
  if (ok) {
    bytes.resize(static_cast<size_t>(st.st_size));
    size_t got = 0;
    while (ok && got < bytes.size()) {
      const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
      ok = n > 0;
      if (ok) got += static_cast<size_t>(n);
    }
    // Mark it used for pruning (least recently used = oldest mtime), to the hour.
    if (ok && std::time(nullptr) - st.st_mtime >= kMarkUsedAfterSeconds) ::futimens(fd, nullptr);
  }
  ::close(fd);
  if (!ok) {
    counters_.corrupt += 1;
    counters_.misses += 1;
    return std::nullopt;
  }
  {
    const std::lock_guard<std::mutex> lock(read_mutex_);
    read_.insert((path.parent_path().filename() / path.filename()).string());
  }
  // Header, then "crc32-in-hex\n", then the payload.
  const size_t nl = bytes.find('\n', kEntryHeader.size());
  if (bytes.compare(0, kEntryHeader.size(), kEntryHeader) != 0 || nl == std::string::npos) {
    counters_.corrupt += 1;
    counters_.misses += 1;
    return std::nullopt;
  }
  const std::string crc_text = bytes.substr(kEntryHeader.size(), nl - kEntryHeader.size());
  std::string payload = bytes.substr(nl + 1);
  char expected[16];
  std::snprintf(expected, sizeof expected, "%08x", crc32(payload));
  if (crc_text != expected) {
    counters_.corrupt += 1;
    counters_.misses += 1;
    return std::nullopt;
  }
  return payload;
}

void ResultCache::write_entry(const fs::path& path, const std::string& payload) {
  char crc[16];
  std::snprintf(crc, sizeof crc, "%08x", crc32(payload));
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  // Unique per process and thread: two threads may store the same entry (identical files).
  const fs::path tmp = path.string() + ".tmp." + std::to_string(::getpid()) + "." +
                       std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << kEntryHeader << crc << '\n' << payload;
    out.flush();
    if (!out) {
      counters_.write_failures += 1;
      fs::remove(tmp, ec);
      return;
    }
  }
  counters_.bytes_written += kEntryHeader.size() + 9 + payload.size();
  fs::rename(tmp, path, ec);
  if (ec) {
    counters_.write_failures += 1;
    fs::remove(tmp, ec);
  }
}

std::optional<FileRecord> ResultCache::find_file(std::string_view text) {
  if (!enabled()) return std::nullopt;
  std::optional<std::string> payload = read_entry(entry_path("file", text));
  if (!payload) return std::nullopt;
  try {
    FileRecord r = record_from_json(*payload);
    counters_.file_hits += 1;
    return r;
  } catch (const std::exception&) {
    counters_.corrupt += 1;
    counters_.misses += 1;
    return std::nullopt;
  }
}

void ResultCache::store_file(std::string_view text, const FileRecord& record) {
  if (!enabled()) return;
  for (const UnitRecord& u : record.units) {
    if (u.status == UnitStatus::kNotAsked) return;  // incomplete: not a record of the file
  }
  write_entry(entry_path("file", text), record_to_json(record));
}

std::unordered_set<std::string> ResultCache::entries_read() const {
  const std::lock_guard<std::mutex> lock(read_mutex_);
  return read_;
}

std::string ResultCache::unit_hash(std::string_view unit_key) {
  return Hash128().add(unit_key).hex();
}

std::unordered_map<std::string, UnitDecision> ResultCache::find_units(std::string_view path_key) {
  std::unordered_map<std::string, UnitDecision> out;
  if (!enabled()) return out;
  std::optional<std::string> payload = read_entry(entry_path("units", path_key));
  if (!payload) return out;
  // One line per unit: "HASH SITE REPAIR PROBABILITY".
  const char* p = payload->c_str();
  const char* const end = p + payload->size();
  while (p < end) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    if (nl == nullptr) nl = end;
    char hash[33] = {};
    UnitDecision d;
    int used = 0;
    const std::string line(p, nl);
    if (std::sscanf(line.c_str(), "%32s %d %d %lf%n", hash, &d.site, &d.repair, &d.probability,
                    &used) != 4 ||
        static_cast<size_t>(used) != line.size() || std::strlen(hash) != 32) {
      counters_.corrupt += 1;  // checksummed, so only a bug writes this: trust none of it
      return {};
    }
    out.emplace(hash, d);
    p = nl + 1;
  }
  return out;
}

void ResultCache::store_units(std::string_view path_key,
                              const std::vector<std::pair<std::string, UnitDecision>>& decisions) {
  if (!enabled()) return;
  std::string payload;
  std::unordered_set<std::string_view> seen;
  for (const auto& [hash, d] : decisions) {
    if (hash.size() != 32 || !seen.insert(hash).second) continue;
    char buf[96];
    std::snprintf(buf, sizeof buf, " %d %d %.17g\n", d.site, d.repair, d.probability);
    payload += hash;
    payload += buf;
  }
  write_entry(entry_path("units", path_key), payload);
}

}  // namespace bugseek::scan
