// Keeping the scan cache (scan/result_cache.h) small: at the end of a scan, entries unused for a
// while (those of other models and older builds among them: nothing reads them any more) and then
// the least recently used ones beyond a size cap are removed. An entry's modification time is its
// last use (ResultCache refreshes it on a hit), so least recently used is oldest mtime. Cheap
// when there is nothing to do (one stat of the lock file), one pruning process at a time, and
// safe beside running scans: removing a file is atomic, and a removed entry is only a miss.
// Torch-free.
#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <string>
#include <unordered_set>

namespace bugseek::scan {

struct CacheLimits {
  uint64_t max_bytes = 0;  // disk usage (as du counts it) kept under this; 0 = no limit
  int max_age_days = 0;    // entries unused for longer are removed; 0 = no limit
};

struct PruneResult {
  bool ran = false;  // false: not due, no cache folder, or another process was pruning
  uint64_t entries_removed = 0;
  uint64_t bytes_removed = 0;  // disk usage freed
  uint64_t bytes_kept = 0;     // disk usage of what is left
};

// A full pass runs at most once per kPruneInterval (the mtime of DIR/prune.lock records the last
// one), or at once when `force` (the scan wrote much, see ResultCache::bytes_written).
constexpr int64_t kPruneIntervalSeconds = 3600;
// A temporary file older than this belongs to a writer that died; younger ones may be in use.
constexpr int64_t kStaleTempSeconds = 3600;

// Prunes the cache folder `dir` to `limits`: temporary files of dead writers, entries older than
// limits.max_age_days, then the oldest entries until the disk usage of the entries is at most 80%
// of limits.max_bytes (so the next scans need not prune again). Entries named in `in_use`
// ("xx/NAME.units", as ResultCache::entries_read lists them: the scan just used them, though
// their marks may be up to an hour old) count as the most recently used. Only files the cache
// writes are touched (DIR/xx/NAME.file, .units, .unit, and their .tmp. files). Holds an exclusive
// flock on DIR/prune.lock meanwhile; another process holding it means someone is pruning:
// skipped. `now` (seconds since the epoch) is for tests. Never throws for file-system trouble:
// what cannot be read or removed is left alone.
PruneResult prune_cache(const std::filesystem::path& dir, const CacheLimits& limits, bool force,
                        const std::unordered_set<std::string>& in_use,
                        std::time_t now = std::time(nullptr));

}  // namespace bugseek::scan
