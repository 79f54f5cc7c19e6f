#include "mine/git_repo.h"

#include <git2.h>

#include <memory>

#include "common/error.h"
#include "common/git_handles.h"

namespace bugseek::mine {
namespace {

using namespace git;  // NOLINT(google-build-using-namespace): the handles and last_error()

void check(int rc, const std::string& path, const std::string& what) {
  if (rc < 0) throw_error("mine", path, what + ": " + last_error());
}

std::string oid_string(const git_oid* oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof(buf), oid);
  return buf;
}

bool is_blob_mode(uint16_t mode) {
  return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

size_t count_python(git_diff* diff) {
  size_t n = 0;
  for (size_t i = 0; i < git_diff_num_deltas(diff); ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    const char* a = d->old_file.path;
    const char* b = d->new_file.path;
    if ((a != nullptr && is_python_path(a)) || (b != nullptr && is_python_path(b))) ++n;
  }
  return n;
}

}  // namespace

std::vector<LineHunk> line_hunks(const std::string& before, const std::string& after) {
  git_libgit2_init();  // reference counted: cheap while a GitRepo holds it
  struct Shutdown {
    ~Shutdown() { git_libgit2_shutdown(); }
  } shutdown;
  git_diff_options options;
  git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
  options.context_lines = 0;
  options.interhunk_lines = 0;
  options.flags |= GIT_DIFF_FORCE_TEXT;
  git_patch* raw = nullptr;
  check(git_patch_from_buffers(&raw, before.data(), before.size(), nullptr, after.data(),
                               after.size(), nullptr, &options),
        "line diff", "cannot diff two texts");
  PatchPtr patch(raw);
  std::vector<LineHunk> out;
  const size_t hunks = git_patch_num_hunks(patch.get());
  out.reserve(hunks);
  for (size_t h = 0; h < hunks; ++h) {
    const git_diff_hunk* hunk = nullptr;
    size_t lines = 0;
    check(git_patch_get_hunk(&hunk, &lines, patch.get(), h), "line diff", "hunk");
    LineHunk lh;
    lh.old_start = static_cast<uint32_t>(hunk->old_start);
    lh.old_lines = static_cast<uint32_t>(hunk->old_lines);
    lh.new_start = static_cast<uint32_t>(hunk->new_start);
    lh.new_lines = static_cast<uint32_t>(hunk->new_lines);
    for (size_t l = 0; l < lines; ++l) {
      const git_diff_line* line = nullptr;
      check(git_patch_get_line_in_hunk(&line, patch.get(), h, l), "line diff", "line");
      if (line->origin == GIT_DIFF_LINE_DELETION) {
        lh.deleted.append(line->content, line->content_len);
      } else if (line->origin == GIT_DIFF_LINE_ADDITION) {
        lh.added.append(line->content, line->content_len);
      }
    }
    out.push_back(std::move(lh));
  }
  return out;
}

bool is_python_path(const std::string& path) {
  return path.size() > 3 && path.compare(path.size() - 3, 3, ".py") == 0;
}

GitRepo::GitRepo(const std::string& path) : path_(path) {
  git_libgit2_init();  // reference counted; the destructor's shutdown balances it
  const int rc =
      git_repository_open_ext(&repo_, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
  if (rc == GIT_ENOTFOUND) {
    git_libgit2_shutdown();
    throw_error("mine", path,
                "not a git repository (a work tree's root, a .git folder or a bare "
                "repository is expected)");
  }
  if (rc < 0) {
    const std::string message = last_error();
    git_libgit2_shutdown();
    throw_error("mine", path, "cannot open the repository: " + message);
  }
  const int shallow = git_repository_is_shallow(repo_);
  const int empty = shallow == 0 ? git_repository_is_empty(repo_) : 0;
  if (shallow != 0 || empty != 0) {
    const std::string message =
        shallow == 1 ? "a shallow clone: its history is cut off (run `git fetch --unshallow`)"
        : empty == 1 ? "an empty repository: no commits"
                     : "cannot read the repository: " + last_error();
    git_repository_free(repo_);
    git_libgit2_shutdown();
    throw_error("mine", path, message);
  }
}

GitRepo::~GitRepo() {
  git_repository_free(repo_);
  git_libgit2_shutdown();
}

std::string GitRepo::remote_url() const {
  git_strarray names{};
  if (git_remote_list(&names, repo_) < 0) return "";
  std::string chosen;
  for (size_t i = 0; i < names.count; ++i) {
    const std::string name = names.strings[i];
    if (chosen.empty() || name == "origin") chosen = name;
  }
  git_strarray_dispose(&names);
  if (chosen.empty()) return "";
  git_remote* raw = nullptr;
  if (git_remote_lookup(&raw, repo_, chosen.c_str()) < 0) return "";
  RemotePtr remote(raw);
  const char* url = git_remote_url(remote.get());
  return url != nullptr ? url : "";
}

std::vector<CommitInfo> GitRepo::commits(const std::vector<std::string>& revs) const {
  git_revwalk* raw_walk = nullptr;
  check(git_revwalk_new(&raw_walk, repo_), path_, "cannot walk the history");
  WalkPtr walk(raw_walk);
  check(git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME | GIT_SORT_REVERSE),
        path_, "cannot sort the history");
  if (revs.empty()) {
    if (git_repository_head_unborn(repo_) == 1) {
      throw_error("mine", path_,
                  "no commits on HEAD (an empty repository? name a branch with --rev)");
    }
    check(git_revwalk_push_head(walk.get()), path_, "cannot read HEAD");
  }
  for (const std::string& rev : revs) {
    git_object* raw_obj = nullptr;
    check(git_revparse_single(&raw_obj, repo_, rev.c_str()), path_, "revision '" + rev + "'");
    ObjectPtr obj(raw_obj);
    git_object* raw_commit = nullptr;
    check(git_object_peel(&raw_commit, obj.get(), GIT_OBJECT_COMMIT), path_,
          "revision '" + rev + "' is not a commit");
    ObjectPtr commit(raw_commit);
    check(git_revwalk_push(walk.get(), git_object_id(commit.get())), path_,
          "revision '" + rev + "'");
  }
  std::vector<CommitInfo> out;
  git_oid oid;
  for (;;) {
    const int rc = git_revwalk_next(&oid, walk.get());
    if (rc == GIT_ITEROVER) break;
    check(rc, path_, "broken history after " + std::to_string(out.size()) + " commits");
    git_commit* raw = nullptr;
    check(git_commit_lookup(&raw, repo_, &oid), path_, "commit " + oid_string(&oid));
    CommitPtr commit(raw);
    CommitInfo info;
    info.id = oid_string(&oid);
    info.time = git_commit_time(commit.get());
    info.offset_minutes = git_commit_time_offset(commit.get());
    info.parents = git_commit_parentcount(commit.get());
    const char* message = git_commit_message(commit.get());
    if (message != nullptr) info.message = message;
    out.push_back(std::move(info));
  }
  return out;
}

size_t GitRepo::python_changes(const std::string& id, size_t max_files, uint64_t max_file_bytes,
                               std::vector<FileChange>* out) const {
  git_oid oid;
  check(git_oid_fromstr(&oid, id.c_str()), path_, "commit id '" + id + "'");
  git_commit* raw = nullptr;
  check(git_commit_lookup(&raw, repo_, &oid), path_, "commit " + id);
  CommitPtr commit(raw);
  if (git_commit_parentcount(commit.get()) != 1) return 0;
  git_commit* raw_parent = nullptr;
  check(git_commit_parent(&raw_parent, commit.get(), 0), path_, "parent of " + id);
  CommitPtr parent(raw_parent);
  git_tree *raw_old = nullptr, *raw_new = nullptr;
  check(git_commit_tree(&raw_old, parent.get()), path_, "tree of the parent of " + id);
  TreePtr old_tree(raw_old);
  check(git_commit_tree(&raw_new, commit.get()), path_, "tree of " + id);
  TreePtr new_tree(raw_new);

  git_diff_options options;
  git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
  git_diff* raw_diff = nullptr;
  check(git_diff_tree_to_tree(&raw_diff, repo_, old_tree.get(), new_tree.get(), &options), path_,
        "diff of " + id);
  DiffPtr diff(raw_diff);
  size_t count = count_python(diff.get());
  // A rename shows as a deletion plus an addition until detected: past twice the limit, even
  // detection cannot bring the count under it, so skip the (costlier) similarity search.
  if (count == 0 || (max_files > 0 && count > 2 * max_files)) return count;
  git_diff_find_options find;
  git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
  find.flags = GIT_DIFF_FIND_RENAMES;
  check(git_diff_find_similar(diff.get(), &find), path_, "rename detection in " + id);
  count = count_python(diff.get());
  if (max_files > 0 && count > max_files) return count;

  auto read_blob = [&](const git_diff_file& file, std::string* text) {
    if (!is_blob_mode(file.mode)) return false;
    git_blob* raw_blob = nullptr;
    check(git_blob_lookup(&raw_blob, repo_, &file.id), path_,
          "blob of " + std::string(file.path) + " in " + id);
    BlobPtr blob(raw_blob);
    const auto size = static_cast<uint64_t>(git_blob_rawsize(blob.get()));
    if ((max_file_bytes > 0 && size > max_file_bytes) || git_blob_is_binary(blob.get())) {
      return false;
    }
    text->assign(static_cast<const char*>(git_blob_rawcontent(blob.get())), size);
    return true;
  };
  for (size_t i = 0; i < git_diff_num_deltas(diff.get()); ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
    const bool has_old = d->status != GIT_DELTA_ADDED;
    const bool has_new = d->status != GIT_DELTA_DELETED;
    const std::string old_path = has_old && d->old_file.path ? d->old_file.path : "";
    const std::string new_path = has_new && d->new_file.path ? d->new_file.path : "";
    if (!is_python_path(old_path) && !is_python_path(new_path)) continue;
    FileChange change;
    change.old_path = old_path;
    change.new_path = new_path;
    // Both texts or neither: half a pair would look like every function added or removed.
    const bool read_old = !has_old || read_blob(d->old_file, &change.before);
    const bool read_new = !has_new || read_blob(d->new_file, &change.after);
    if (!read_old || !read_new) change.before.clear(), change.after.clear();
    out->push_back(std::move(change));
  }
  return count;
}

}  // namespace bugseek::mine
