#include "common/fs.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include "common/error.h"

namespace bugseek {
namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_error("read_file", path.string(), std::strerror(errno));
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) throw_error("read_file", path.string(), "read failed");
  return out.str();
}

void write_file_atomic(const fs::path& path, std::string_view bytes) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  fs::path tmp = path;
  tmp += ".tmp." + std::to_string(getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw_error("write_file_atomic", tmp.string(), std::strerror(errno));
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw_error("write_file_atomic", tmp.string(), std::strerror(err));
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw_error("write_file_atomic", tmp.string(), std::strerror(err));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw_error("write_file_atomic", path.string(), std::strerror(err));
  }
}

void append_file(const fs::path& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw_error("append_file", path.string(), std::strerror(errno));
  ssize_t n = -1;
  do {
    n = ::write(fd, bytes.data(), bytes.size());
  } while (n < 0 && errno == EINTR);
  const int err = n < 0 ? errno : 0;
  ::close(fd);
  if (n < 0) throw_error("append_file", path.string(), std::strerror(err));
  if (static_cast<size_t>(n) != bytes.size()) {
    throw_error("append_file", path.string(),
                "wrote " + std::to_string(n) + " of " + std::to_string(bytes.size()) + " bytes");
  }
}

int remove_stale_temp_files(const fs::path& dir) {
  int removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    const size_t at = name.rfind(".tmp.");
    if (at == std::string::npos || at + 5 >= name.size()) continue;
    if (name.find_first_not_of("0123456789", at + 5) != std::string::npos) continue;
    std::error_code remove_error;
    if (entry.is_regular_file() && fs::remove(entry.path(), remove_error)) ++removed;
  }
  return removed;
}

std::optional<fs::path> find_python_stdlib() {
  if (const char* env = std::getenv("BUGSEEK_PYTHON_STDLIB"); env && *env) {
    if (fs::is_directory(env)) return fs::path(env);
    return std::nullopt;
  }
  const std::regex pattern(R"(python3\.(\d+))");
  std::optional<fs::path> best;
  int best_minor = -1;
  for (const char* base : {"/usr/lib", "/usr/local/lib"}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(base, ec)) {
      std::smatch m;
      std::string name = entry.path().filename().string();
      if (!std::regex_match(name, m, pattern)) continue;
      if (!fs::exists(entry.path() / "os.py")) continue;
      int minor = std::stoi(m[1]);
      if (minor > best_minor) {
        best_minor = minor;
        best = entry.path();
      }
    }
  }
  return best;
}

}  // namespace bugseek
