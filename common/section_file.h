// A small versioned container for model files and training state: a format name, a version, and
// named byte sections, each with a CRC32 so corruption is caught on load with a clear message.
// Written atomically (temp + rename). Layout (little endian):
//   magic "BUGSEEK\0" | u32 name_len | format name | u32 version | u32 count |
//   count x { u32 name_len | name | u64 size | u32 crc32 | bytes }
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace bugseek {

struct SectionFile {
  std::string format;   // e.g. "bugseek-model"
  uint32_t version = 0;
  std::map<std::string, std::string> sections;

  // Throws Error naming the section if it is missing.
  const std::string& at(const std::string& name) const;
};

std::string serialize_sections(const SectionFile& file);
// Throws Error (with `where`, e.g. the path) on a bad magic, truncation or checksum mismatch.
SectionFile parse_sections(std::string_view bytes, const std::string& where);

void save_section_file(const std::filesystem::path& path, const SectionFile& file);
SectionFile load_section_file(const std::filesystem::path& path);

}  // namespace bugseek
