#include "scan/git_changes.h"

#include <git2.h>

#include <algorithm>
#include <climits>
#include <memory>

#include "common/error.h"
#include "common/git_handles.h"

namespace bugseek::scan {
namespace {

namespace fs = std::filesystem;

using namespace git;  // NOLINT(google-build-using-namespace): the handles and last_error()

struct DiffState {
  ChangedLines* out;
  std::string workdir;  // canonical, with a trailing separator
};

int on_hunk(const git_diff_delta* delta, const git_diff_hunk* hunk, void* payload) {
  auto* state = static_cast<DiffState*>(payload);
  if (delta->new_file.path == nullptr) return 0;
  const std::string file = state->workdir + delta->new_file.path;
  if (hunk->new_lines > 0) {
    state->out->add(file, hunk->new_start, hunk->new_start + hunk->new_lines - 1);
  } else {
    // Lines were only deleted, between new_start and new_start + 1.
    state->out->add(file, std::max(1, hunk->new_start), hunk->new_start + 1);
  }
  return 0;
}

int on_file(const git_diff_delta* delta, float, void* payload) {
  auto* state = static_cast<DiffState*>(payload);
  // Untracked and added files are new as a whole, whatever their hunks say (an empty file has
  // none, a binary one no lines).
  if ((delta->status == GIT_DELTA_UNTRACKED || delta->status == GIT_DELTA_ADDED) &&
      delta->new_file.path != nullptr) {
    state->out->add(state->workdir + delta->new_file.path, 1, INT_MAX);
  }
  return 0;
}

}  // namespace

void ChangedLines::add(const std::string& file, int first, int last) {
  ranges_[file].emplace_back(first, std::max(first, last));
}

bool ChangedLines::intersects(const std::string& file, int first, int last) const {
  const auto it = ranges_.find(file);
  if (it == ranges_.end()) return false;
  for (const auto& [a, b] : it->second) {
    if (a <= last && first <= b) return true;
  }
  return false;
}

std::string canonical_key(const fs::path& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec) p = fs::absolute(path).lexically_normal();
  return p.string();
}

ChangedLines changed_since(const fs::path& inside, const std::string& rev) {
  git_libgit2_init();
  struct Shutdown {
    ~Shutdown() { git_libgit2_shutdown(); }
  } shutdown;
  const std::string where = inside.string();
  git_repository* raw_repo = nullptr;
  if (git_repository_open_ext(&raw_repo, where.c_str(), 0, nullptr) < 0) {
    throw UsageError("--diff: " + where + " is not inside a git repository (" + last_error() +
                     ")");
  }
  RepoPtr repo(raw_repo);
  const char* workdir = git_repository_workdir(repo.get());
  if (workdir == nullptr) throw UsageError("--diff: " + where + " is in a bare repository");

  git_object* raw_object = nullptr;
  if (git_revparse_single(&raw_object, repo.get(), rev.c_str()) < 0) {
    throw UsageError("--diff: no revision '" + rev + "' in " + workdir + " (" + last_error() +
                     ")");
  }
  ObjectPtr object(raw_object);
  git_object* raw_tree = nullptr;
  if (git_object_peel(&raw_tree, object.get(), GIT_OBJECT_TREE) < 0) {
    throw UsageError("--diff: '" + rev + "' names no commit or tree (" + last_error() + ")");
  }
  TreePtr tree(reinterpret_cast<git_tree*>(raw_tree));

  git_diff_options options;
  git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
  options.context_lines = 0;
  options.interhunk_lines = 0;
  // Untracked files are whole (on_file): their content is not read, so a work tree full of
  // large untracked files costs nothing.
  options.flags |= GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
  git_diff* raw_diff = nullptr;
  if (git_diff_tree_to_workdir_with_index(&raw_diff, repo.get(), tree.get(), &options) < 0) {
    throw_error("changed_since", workdir, "diff against " + rev + ": " + last_error());
  }
  DiffPtr diff(raw_diff);

  ChangedLines out;
  DiffState state{&out, canonical_key(workdir)};
  if (state.workdir.empty() || state.workdir.back() != '/') state.workdir += '/';
  if (git_diff_foreach(diff.get(), on_file, nullptr, on_hunk, nullptr, &state) < 0) {
    throw_error("changed_since", workdir, "reading the diff: " + last_error());
  }
  return out;
}

}  // namespace bugseek::scan
