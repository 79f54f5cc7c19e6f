// Owning handles for libgit2 objects and libgit2's last error message, for the translation units
// that read git repositories (mine/git_repo.cc, scan/git_changes.cc). Header-only: including it
// needs libgit2's headers, and the including target links libgit2.
#pragma once

#include <git2.h>

#include <memory>
#include <string>

namespace bugseek::git {

template <typename T, void (*Free)(T*)>
struct Freer {
  void operator()(T* p) const { Free(p); }
};

using RepoPtr = std::unique_ptr<git_repository, Freer<git_repository, git_repository_free>>;
using CommitPtr = std::unique_ptr<git_commit, Freer<git_commit, git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, Freer<git_tree, git_tree_free>>;
using DiffPtr = std::unique_ptr<git_diff, Freer<git_diff, git_diff_free>>;
using BlobPtr = std::unique_ptr<git_blob, Freer<git_blob, git_blob_free>>;
using ObjectPtr = std::unique_ptr<git_object, Freer<git_object, git_object_free>>;
using WalkPtr = std::unique_ptr<git_revwalk, Freer<git_revwalk, git_revwalk_free>>;
using RemotePtr = std::unique_ptr<git_remote, Freer<git_remote, git_remote_free>>;
using PatchPtr = std::unique_ptr<git_patch, Freer<git_patch, git_patch_free>>;

// libgit2's message for the last failed call on this thread.
inline std::string last_error() {
  const git_error* e = git_error_last();
  return e != nullptr && e->message != nullptr ? e->message : "unknown libgit2 error";
}

}  // namespace bugseek::git
