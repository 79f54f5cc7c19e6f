// A temporary directory for one test, removed at its end; shared by every test suite.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

#include "common/fs.h"

namespace bugseek::testing {

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("bugseek_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `bytes` to `rel` under the directory (parents created) and returns the full path.
  std::filesystem::path write(const std::string& rel, const std::string& bytes) const {
    const auto p = path_ / rel;
    write_file_atomic(p, bytes);
    return p;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace bugseek::testing
