// Repositories that must not feed training: the projects behind the real-bug suites
// (../shared/realbugs/exclude-repos.txt). URLs are compared after normalization, so
// https://github.com/Owner/Name.git/ and git@github.com:owner/name are the same repository.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>

namespace bugseek::mine {

// `url` lower-cased, without scheme, user, `www.`, trailing slashes and `.git`; the scp form
// host:path becomes host/path. "https://GitHub.com/a/b.git" -> "github.com/a/b".
std::string normalize_repo_url(std::string_view url);

// The GitHub URL of a repository the team's fetch tool put at .mirror/<owner>+<name>/...
// (these copies have no remote), or "" when `path` is not such a copy.
std::string mirror_url(const std::filesystem::path& path);

class ExclusionList {
 public:
  ExclusionList() = default;
  // Reads one URL a line (blank lines and lines starting with # are skipped). Throws Error
  // naming the path if it cannot be read.
  static ExclusionList read(const std::filesystem::path& path);
  // Whether `url` (any form) is listed; "" never is.
  bool contains(std::string_view url) const;
  size_t size() const { return urls_.size(); }
  void add(std::string_view url);

 private:
  std::unordered_set<std::string> urls_;
};

// The project's default list, <source root>/../shared/realbugs/exclude-repos.txt, or "" when
// that file is absent.
std::string default_exclusion_file();

}  // namespace bugseek::mine
