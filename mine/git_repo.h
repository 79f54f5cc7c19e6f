// Reading git history for `bugseek mine` through libgit2 (never the git command): open a
// repository (a work tree, its .git directory or a bare one), list the commits to mine, and give
// the Python files one commit changed as text before and after. No other file of mine/ sees a
// libgit2 type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

struct git_repository;

namespace bugseek::mine {

struct CommitInfo {
  std::string id;          // 40 hex digits
  int64_t time = 0;        // committer time, seconds since the epoch
  int offset_minutes = 0;  // the committer's time zone, minutes east of UTC
  uint32_t parents = 0;
  std::string message;
};

// One changed Python file of a commit. A path is "" on the side where the file does not exist;
// a text is "" there too, and where the blob is binary, a link or submodule, or over the limit.
struct FileChange {
  std::string old_path;
  std::string new_path;
  std::string before;
  std::string after;
};

// One hunk of a line diff with 0 lines of context: the lines it deletes and adds, each with its
// newline (the last line of a file may have none).
struct LineHunk {
  uint32_t old_start = 0;  // 1-based first deleted line (the line before, if none is deleted)
  uint32_t old_lines = 0;
  uint32_t new_start = 0;
  uint32_t new_lines = 0;
  std::string deleted;
  std::string added;
};

// The hunks of the line diff (libgit2's, 0 lines of context) from `before` to `after`, both taken
// as text. Throws Error if libgit2 fails.
std::vector<LineHunk> line_hunks(const std::string& before, const std::string& after);

// `path` with an `.py` suffix.
bool is_python_path(const std::string& path);

class GitRepo {
 public:
  // Opens `path` exactly (parent folders are not searched). Throws Error naming the path when it
  // is not a repository, is a shallow clone (its history is cut off), or has no commits.
  explicit GitRepo(const std::string& path);
  ~GitRepo();
  GitRepo(const GitRepo&) = delete;
  GitRepo& operator=(const GitRepo&) = delete;

  // The URL of remote "origin", else of the first remote; "" when there is none.
  std::string remote_url() const;

  // Commits reachable from `revs` (revision strings; HEAD when empty), oldest first (parents
  // before children, then by time). Throws Error on an unknown revision or a broken object.
  std::vector<CommitInfo> commits(const std::vector<std::string>& revs) const;

  // The Python files (old or new path ending in .py) that commit `id` changed against its only
  // parent, with renames detected. Returns how many there are; `out` is filled only when that is
  // at most `max_files` (0 = no limit). Blobs over `max_file_bytes` (0 = no limit) are not read.
  size_t python_changes(const std::string& id, size_t max_files, uint64_t max_file_bytes,
                        std::vector<FileChange>* out) const;

 private:
  std::string path_;
  git_repository* repo_ = nullptr;
};

}  // namespace bugseek::mine
