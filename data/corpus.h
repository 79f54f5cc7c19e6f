// Corpus walking: the first step of `bugseek prepare` (and of `bugseek scan` on a directory).
// Lists the source files under some roots, with a reason for every file or folder passed over,
// and reads a listed file as UTF-8 text. Broken or odd files are counted, never fatal.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/utf8.h"
#include "parser/language.h"

namespace bugseek::data {

// Why a path was passed over. The order is the order of the summary table.
enum class SkipReason : uint8_t {
  kHidden = 0,     // a dot file or dot folder below a root
  kVcs,            // a version-control folder (.git, .hg, .svn, CVS, ...)
  kNoLanguage,     // no registered language for the extension
  kTooLarge,       // over CorpusOptions::max_file_bytes
  kEmpty,          // zero bytes
  kBinary,         // NUL bytes in the first block
  kInvalidUtf8,    // not valid UTF-8
  kUnreadable,     // permission denied, vanished, not a regular file
  kSymlinkLoop,    // a folder reached again through a symbolic link
};
constexpr int kNumSkipReasons = 9;
std::string_view skip_reason_name(SkipReason reason);  // "hidden", "vcs", "too-large", ...

using SkipCounts = std::array<uint64_t, kNumSkipReasons>;

struct CorpusOptions {
  uint64_t max_file_bytes = 1u << 20;  // files larger than this are skipped (0 = no limit)
  bool follow_symlinks = true;         // follow links to files and folders (loops are detected)
  bool skip_hidden = true;             // skip dot files and dot folders below a root
};

struct SourceFile {
  std::filesystem::path path;  // as found (root joined with the relative path)
  std::string rel_path;        // relative to its root, '/'-separated; the root's own name if
                               // the root is a file. Split hashing uses this, so copies of a
                               // tree under different roots hash alike.
  const parser::Language* language = nullptr;
  uint64_t size_bytes = 0;
};

struct SkippedPath {
  std::filesystem::path path;
  SkipReason reason;
};

struct CorpusListing {
  std::vector<SourceFile> files;       // sorted by (rel_path, path): the order does not depend
                                       // on the file system's directory order
  std::vector<SkippedPath> skipped;    // folders and files passed over while walking
  SkipCounts counts{};                 // skipped paths per reason
};

// Walks `roots` (folders or single files) and lists candidate source files. A root that does
// not exist throws Error naming it; everything below a root is data.
CorpusListing list_source_files(const std::vector<std::filesystem::path>& roots,
                                const CorpusOptions& options = {});

// Result of reading one listed file: ok, or the reason it is skipped.
struct ReadResult {
  bool ok = false;
  SkipReason reason = SkipReason::kUnreadable;  // meaningful when !ok
  std::string text;
};

// Reads `path` and checks it is non-empty, under `max_file_bytes` (0 = no limit), free of NUL
// bytes and valid UTF-8. Never throws.
ReadResult read_source_text(const std::filesystem::path& path, uint64_t max_file_bytes);


}  // namespace bugseek::data
