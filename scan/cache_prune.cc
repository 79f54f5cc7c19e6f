// One pass over the cache's 256 two-hex-digit folders with lstat per file; runs once an hour at
// most, so a scan normally pays one stat for it.
#include "scan/cache_prune.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <vector>

namespace bugseek::scan {
namespace {

namespace fs = std::filesystem;

bool is_shard_folder(const std::string& name) {
  auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
  return name.size() == 2 && hex(name[0]) && hex(name[1]);
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// The cache's own file names: entries (".unit" is an entry of an older bugseek) and the
// temporary files they are written to ("NAME.tmp.PID.THREAD").
bool is_temp_file(const std::string& name) { return name.find(".tmp.") != std::string::npos; }
bool is_entry(const std::string& name) {
  return !is_temp_file(name) &&
         (ends_with(name, ".file") || ends_with(name, ".units") || ends_with(name, ".unit"));
}

struct Entry {
  std::string path;
  bool in_use = false;   // read by the scan now ending
  std::time_t used = 0;  // mtime
  uint64_t bytes = 0;    // disk usage
};

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);  // also releases the flock
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

PruneResult prune_cache(const fs::path& dir, const CacheLimits& limits, bool force,
                        const std::unordered_set<std::string>& in_use, std::time_t now) {
  PruneResult out;
  struct stat st {};
  if (dir.empty() || ::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return out;
  const fs::path lock_path = dir / "prune.lock";
  if (!force && ::stat(lock_path.c_str(), &st) == 0) {
    const std::time_t since = now - st.st_mtime;
    if (since >= 0 && since < kPruneIntervalSeconds) return out;  // (a future stamp: prune)
  }
  const Fd lock(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (lock.get() < 0 || ::flock(lock.get(), LOCK_EX | LOCK_NB) != 0) return out;
  out.ran = true;

  auto remove = [&](const std::string& path, uint64_t bytes) {
    if (::unlink(path.c_str()) != 0) return false;
    out.entries_removed += 1;
    out.bytes_removed += bytes;
    return true;
  };
  const int64_t max_age = static_cast<int64_t>(limits.max_age_days) * 24 * 3600;
  std::vector<Entry> entries;
  uint64_t total = 0;
  std::error_code ec;
  for (fs::directory_iterator shard(dir, ec), end; !ec && shard != end; shard.increment(ec)) {
    const std::string shard_name = shard->path().filename().string();
    std::error_code e2;
    if (!is_shard_folder(shard_name) || !shard->is_directory(e2) || shard->is_symlink(e2)) {
      continue;
    }
    for (fs::directory_iterator it(shard->path(), e2), last; !e2 && it != last; it.increment(e2)) {
      const std::string name = it->path().filename().string();
      const bool temp = is_temp_file(name);
      if (!temp && !is_entry(name)) continue;  // not the cache's: left alone
      const std::string path = it->path().string();
      if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      const auto bytes = static_cast<uint64_t>(st.st_blocks) * 512;
      const std::time_t age = now - st.st_mtime;
      if (temp) {
        if (age >= kStaleTempSeconds && remove(path, bytes)) continue;
        total += bytes;
        continue;
      }
      const bool used_now = in_use.count(shard_name + "/" + name) > 0;
      if (max_age > 0 && age > max_age && !used_now && remove(path, bytes)) continue;
      entries.push_back({path, used_now, st.st_mtime, bytes});
      total += bytes;
    }
  }
  if (limits.max_bytes > 0 && total > limits.max_bytes) {
    // Least recently used first; down to 80% of the cap, so the next scans have room.
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      return std::tie(a.in_use, a.used, a.path) < std::tie(b.in_use, b.used, b.path);
    });
    const uint64_t target = limits.max_bytes / 5 * 4;
    for (const Entry& e : entries) {
      if (total <= target) break;
      if (remove(e.path, e.bytes) || errno == ENOENT) total -= e.bytes;
    }
  }
  out.bytes_kept = total;
  const struct timespec stamp[2] = {{now, 0}, {now, 0}};
  ::futimens(lock.get(), stamp);
  return out;
}

}  // namespace bugseek::scan
