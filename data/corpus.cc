#include "data/corpus.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <tuple>
#include <utility>

#include "common/error.h"

namespace bugseek::data {
namespace fs = std::filesystem;

std::string_view skip_reason_name(SkipReason reason) {
  switch (reason) {
    case SkipReason::kHidden: return "hidden";
    case SkipReason::kVcs: return "vcs-folder";
    case SkipReason::kNoLanguage: return "not-source";
    case SkipReason::kTooLarge: return "too-large";
    case SkipReason::kEmpty: return "empty";
    case SkipReason::kBinary: return "binary";
    case SkipReason::kInvalidUtf8: return "invalid-utf8";
    case SkipReason::kUnreadable: return "unreadable";
    case SkipReason::kSymlinkLoop: return "symlink-loop";
  }
  return "unknown";
}

namespace {

bool is_vcs_folder(const std::string& name) {
  static const char* const kNames[] = {".git", ".hg", ".svn", ".bzr", "CVS", "_darcs", ".jj"};
  for (const char* n : kNames) {
    if (name == n) return true;
  }
  return false;
}

class Walker {
 public:
  Walker(const CorpusOptions& options, CorpusListing& out) : options_(options), out_(out) {}

  void walk_root(const fs::path& root) {
    struct stat st {};
    if (::stat(root.c_str(), &st) != 0) {
      throw_error("list_source_files", root.string(), std::strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) {
      visited_.insert({st.st_dev, st.st_ino});
      walk_dir(root, "");
    } else {
      add_file(root, root.filename().generic_string(), st);
    }
  }

 private:
  void skip(const fs::path& path, SkipReason reason) {
    out_.skipped.push_back({path, reason});
    out_.counts[static_cast<int>(reason)] += 1;
  }

  void walk_dir(const fs::path& dir, const std::string& rel) {
    std::error_code ec;
    fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
      skip(dir, SkipReason::kUnreadable);
      return;
    }
    // Sort entries so that which of two links to one folder is walked does not depend on the
    // file system's order.
    std::vector<fs::path> entries;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      entries.push_back(it->path());
    }
    std::sort(entries.begin(), entries.end());
    for (const fs::path& path : entries) {
      const std::string name = path.filename().string();
      const std::string child_rel = rel.empty() ? name : rel + "/" + name;
      struct stat st {};
      if (::stat(path.c_str(), &st) != 0) {  // follows links; a dangling link fails here
        skip(path, SkipReason::kUnreadable);
        continue;
      }
      if (S_ISDIR(st.st_mode)) {
        if (is_vcs_folder(name)) {
          skip(path, SkipReason::kVcs);
        } else if (options_.skip_hidden && name[0] == '.') {
          skip(path, SkipReason::kHidden);
        } else if (!visited_.insert({st.st_dev, st.st_ino}).second) {
          skip(path, SkipReason::kSymlinkLoop);
        } else {
          walk_dir(path, child_rel);
        }
      } else if (options_.skip_hidden && name[0] == '.') {
        skip(path, SkipReason::kHidden);
      } else {
        add_file(path, child_rel, st);
      }
    }
  }

  void add_file(const fs::path& path, std::string rel, const struct stat& st) {
    if (!S_ISREG(st.st_mode)) {
      skip(path, SkipReason::kUnreadable);
      return;
    }
    const parser::Language* language = parser::language_for_path(path.string());
    if (language == nullptr) {
      skip(path, SkipReason::kNoLanguage);
      return;
    }
    const auto size = static_cast<uint64_t>(st.st_size);
    if (size == 0) {
      skip(path, SkipReason::kEmpty);
      return;
    }
    if (options_.max_file_bytes > 0 && size > options_.max_file_bytes) {
      skip(path, SkipReason::kTooLarge);
      return;
    }
    out_.files.push_back({path, std::move(rel), language, size});
  }

  const CorpusOptions& options_;
  CorpusListing& out_;
  std::set<std::pair<dev_t, ino_t>> visited_;
};

}  // namespace

CorpusListing list_source_files(const std::vector<fs::path>& roots, const CorpusOptions& options) {
  CorpusListing out;
  Walker walker(options, out);
  for (const fs::path& root : roots) walker.walk_root(root);
  std::sort(out.files.begin(), out.files.end(), [](const SourceFile& a, const SourceFile& b) {
    return std::tie(a.rel_path, a.path) < std::tie(b.rel_path, b.path);
  });
  return out;
}

ReadResult read_source_text(const fs::path& path, uint64_t max_file_bytes) {
  ReadResult result;
  std::ifstream in(path, std::ios::binary);
  if (!in) return result;  // kUnreadable
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) return result;
  if (size == 0) {
    result.reason = SkipReason::kEmpty;
    return result;
  }
  if (max_file_bytes > 0 && static_cast<uint64_t>(size) > max_file_bytes) {
    result.reason = SkipReason::kTooLarge;
    return result;
  }
  in.seekg(0, std::ios::beg);
  result.text.resize(static_cast<size_t>(size));
  if (!in.read(result.text.data(), size)) {
    result.text.clear();
    return result;
  }
  if (result.text.find('\0') != std::string::npos) {
    result.reason = SkipReason::kBinary;
    result.text.clear();
    return result;
  }
  if (!is_valid_utf8(result.text)) {
    result.reason = SkipReason::kInvalidUtf8;
    result.text.clear();
    return result;
  }
  result.ok = true;
  return result;
}

}  // namespace bugseek::data
