// Helpers shared by the data tests: a temporary directory removed at the end of a test.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

#include "common/fs.h"

namespace bugseek::data::testing {

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("bugseek_data_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& rel, const std::string& bytes) const {
    const auto p = path_ / rel;
    write_file_atomic(p, bytes);
    return p;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace bugseek::data::testing
