// `bugseek scan --diff REV`: which lines of which files changed since a git revision, counting
// staged and unstaged work-tree changes, and untracked files as wholly new. Read with libgit2
// (never the git command); no other file of scan/ sees a libgit2 type.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace bugseek::scan {

class ChangedLines {
 public:
  // Marks lines [first, last] (1-based, inclusive) of `file` (an absolute, canonical path) changed.
  void add(const std::string& file, int first, int last);
  // Whether the file has any change (a file that is absent has none).
  bool has_file(const std::string& file) const { return ranges_.count(file) > 0; }
  // Whether any line in [first, last] of `file` changed.
  bool intersects(const std::string& file, int first, int last) const;
  size_t num_files() const { return ranges_.size(); }

 private:
  std::map<std::string, std::vector<std::pair<int, int>>> ranges_;
};

// The lines of the work tree that differ from revision `rev` (anything `git rev-parse` takes:
// HEAD, main, a commit id, HEAD~3) in the repository holding `inside` (a file or folder; parent
// folders are searched). A deletion marks the lines on both sides of where it was. Throws
// UsageError when `inside` is not in a work tree or `rev` names no commit, Error on libgit2
// failures.
ChangedLines changed_since(const std::filesystem::path& inside, const std::string& rev);

// `path` made absolute and canonical (symbolic links resolved where they exist), as a string:
// the key ChangedLines uses.
std::string canonical_key(const std::filesystem::path& path);

}  // namespace bugseek::scan
