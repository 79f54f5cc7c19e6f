// Runs the real `bugseek` binary for integration tests: exit status, stdout and stderr apart.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include "common/fs.h"

namespace bugseek::testing {

struct CliRun {
  int status = -1;
  std::string out;
  std::string err;
};

// `args` are appended to the binary's path as shell words; `cwd` (if set) is changed to first;
// `env` (if set) is more NAME=value words for the environment. The scan cache defaults to
// `scratch`/cache, so tests never touch the user's cache.
inline CliRun run_bugseek(const std::string& args, const std::filesystem::path& scratch,
                          const std::string& cwd = "", const std::string& env = "") {
  CliRun r;
  const auto err_file = scratch / "stderr.txt";
  std::string cmd = "XDG_CACHE_HOME=" + (scratch / "cache").string() + " " + env + " " +
                    std::string(BUGSEEK_BINARY) + " " + args + " 2>" + err_file.string();
  if (!cwd.empty()) cmd = "cd " + cwd + " && " + cmd;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::error_code ec;
  if (std::filesystem::exists(err_file, ec)) r.err = read_file(err_file);
  return r;
}

}  // namespace bugseek::testing
