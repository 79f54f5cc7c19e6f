#include "common/fs.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/error.h"
#include "common/progress.h"

namespace bugseek {
namespace {
namespace fs = std::filesystem;

TEST(Fs, AtomicWriteReplacesWholeFileAndLeavesNoTemp) {
  fs::path dir = fs::temp_directory_path() / ("bugseek_fs_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path target = dir / "sub" / "file.bin";
  write_file_atomic(target, "first version");
  write_file_atomic(target, std::string("second\0bytes", 12));
  EXPECT_EQ(read_file(target), std::string("second\0bytes", 12));
  int entries = 0;
  for (const auto& e : fs::directory_iterator(dir / "sub")) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
  fs::remove_all(dir);
}

TEST(Fs, ReadMissingFileNamesThePath) {
  try {
    read_file("/nonexistent/bugseek/file.py");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/bugseek/file.py"), std::string::npos);
  }
}

TEST(Fs, FindsAPythonStdlibWithOsPy) {
  auto stdlib = find_python_stdlib();
  ASSERT_TRUE(stdlib.has_value()) << "no /usr/lib/python3.N on this machine";
  EXPECT_TRUE(fs::exists(*stdlib / "os.py"));
}

TEST(Progress, FormatsDurations) {
  EXPECT_EQ(format_duration(0), "00:00:00");
  EXPECT_EQ(format_duration(3725), "01:02:05");
}

}  // namespace
}  // namespace bugseek
