#include "common/section_file.h"

#include <array>
#include <cstring>

#include "common/checksum.h"
#include "common/error.h"
#include "common/fs.h"

namespace bugseek {
namespace {

constexpr char kMagic[8] = {'B', 'U', 'G', 'S', 'E', 'E', 'K', '\0'};

template <typename T>
void put(std::string& out, T value) {
  char buf[sizeof(T)];
  std::memcpy(buf, &value, sizeof(T));
  out.append(buf, sizeof(T));
}

void put_string(std::string& out, std::string_view s) {
  put<uint32_t>(out, static_cast<uint32_t>(s.size()));
  out.append(s.data(), s.size());
}

class Reader {
 public:
  Reader(std::string_view bytes, const std::string& where) : bytes_(bytes), where_(where) {}
  template <typename T>
  T get() {
    need(sizeof(T));
    T value;
    std::memcpy(&value, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return value;
  }
  std::string_view take(uint64_t n) {
    need(n);
    std::string_view s = bytes_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::string_view take_string() { return take(get<uint32_t>()); }
  bool done() const { return pos_ == bytes_.size(); }

 private:
  void need(uint64_t n) {
    if (n > bytes_.size() - pos_) {
      throw_error("load", where_, "file is truncated or corrupt (needed " + std::to_string(n) +
                                      " bytes at offset " + std::to_string(pos_) + ", file has " +
                                      std::to_string(bytes_.size()) + ")");
    }
  }
  std::string_view bytes_;
  const std::string& where_;
  uint64_t pos_ = 0;
};

}  // namespace

const std::string& SectionFile::at(const std::string& name) const {
  auto it = sections.find(name);
  if (it == sections.end()) {
    throw Error(format + " file has no section '" + name + "'");
  }
  return it->second;
}

std::string serialize_sections(const SectionFile& file) {
  std::string out(kMagic, sizeof kMagic);
  put_string(out, file.format);
  put<uint32_t>(out, file.version);
  put<uint32_t>(out, static_cast<uint32_t>(file.sections.size()));
  for (const auto& [name, bytes] : file.sections) {
    put_string(out, name);
    put<uint64_t>(out, bytes.size());
    put<uint32_t>(out, crc32(bytes));
    out += bytes;
  }
  return out;
}

SectionFile parse_sections(std::string_view bytes, const std::string& where) {
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    throw_error("load", where, "not a bugseek file (bad magic)");
  }
  Reader in(bytes.substr(sizeof kMagic), where);
  SectionFile file;
  file.format = std::string(in.take_string());
  file.version = in.get<uint32_t>();
  auto count = in.get<uint32_t>();
  for (uint32_t i = 0; i < count; ++i) {
    std::string name(in.take_string());
    auto size = in.get<uint64_t>();
    auto crc = in.get<uint32_t>();
    std::string_view data = in.take(size);
    if (crc32(data) != crc) {
      throw_error("load", where, "checksum mismatch in section '" + name + "' (file is corrupt)");
    }
    file.sections.emplace(std::move(name), std::string(data));
  }
  if (!in.done()) throw_error("load", where, "trailing bytes after the last section");
  return file;
}

void save_section_file(const std::filesystem::path& path, const SectionFile& file) {
  write_file_atomic(path, serialize_sections(file));
}

SectionFile load_section_file(const std::filesystem::path& path) {
  return parse_sections(read_file(path), path.string());
}

}  // namespace bugseek
