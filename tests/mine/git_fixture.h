// Small git repositories built inside a test with the git command (only the fixtures use it;
// bugseek itself reads them with libgit2). Dates are fixed so commit order and ids are stable.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include "tests/common/temp_dir.h"

namespace bugseek::testing {

// Runs `command` in a shell; returns its stdout without the trailing newline. Fails the test
// (and returns "") if it exits non-zero.
inline std::string shell(const std::string& command) {
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return out;
  }
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  const int status = pclose(pipe);
  if (status != 0) ADD_FAILURE() << command << " failed:\n" << out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

class GitFixture {
 public:
  // A new repository `name` under `parent` with branch "main".
  GitFixture(const std::filesystem::path& parent, const std::string& name) : path_(parent / name) {
    std::filesystem::create_directories(path_);
    git("init -q -b main");
  }

  const std::filesystem::path& path() const { return path_; }

  // `git ARGS` in the repository, with a fixed identity and, for commits, `date_`.
  std::string git(const std::string& args) const {
    const std::string env =
        "GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 "
        "GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org "
        "GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org "
        "GIT_AUTHOR_DATE='" +
        date_ + "' GIT_COMMITTER_DATE='" + date_ + "' ";
    return shell(env + "git -C '" + path_.string() + "' " + args);
  }

  void write(const std::string& rel, const std::string& text) const {
    const auto p = path_ / rel;
    std::filesystem::create_directories(p.parent_path());
    write_file_atomic(p, text);
  }

  // Stages everything and commits at `date` (ISO 8601); returns the commit id.
  std::string commit(const std::string& message, const std::string& date) {
    date_ = date;
    git("add -A");
    git("commit -q --allow-empty -m '" + message + "'");
    return git("rev-parse HEAD");
  }

  // Sets the date used by the next git() calls that create commits (merges, cherry-picks).
  void set_date(const std::string& date) { date_ = date; }

 private:
  std::filesystem::path path_;
  std::string date_ = "2020-01-01T00:00:00+00:00";
};

}  // namespace bugseek::testing
