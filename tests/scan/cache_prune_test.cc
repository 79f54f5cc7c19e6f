// Pruning the scan cache (scan/cache_prune.h): least recently used entries go first down to 80% of
// the cap, entries unused for too long and temporary files of dead writers go whatever the size,
// files the cache did not write stay, a pass runs once an hour (or when forced) and one process at
// a time; hits mark entries used; a scan prunes at its end; concurrent scans and prunes never give
// a wrong answer.
#include "scan/cache_prune.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "common/json.h"
#include "scan/result_cache.h"
#include "scan/scanner.h"
#include "tests/common/temp_dir.h"
#include "tests/scan/scan_tree.h"
#include "tests/scan/tiny_model.h"

namespace bugseek::scan {
namespace {

namespace fs = std::filesystem;
using bugseek::testing::ScratchDir;

constexpr std::time_t kDay = 24 * 3600;

void set_mtime(const fs::path& p, std::time_t t) {
  const struct timespec times[2] = {{t, 0}, {t, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, p.c_str(), times, 0), 0) << p;
}

uint64_t disk_usage(const fs::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_blocks) * 512 : 0;
}

// A file of `bytes` bytes at `dir`/`rel`, last used at `used`.
fs::path put(const ScratchDir& dir, const std::string& rel, size_t bytes, std::time_t used) {
  const fs::path p = dir.path() / rel;
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << std::string(bytes, 'x');
  set_mtime(p, used);
  return p;
}

TEST(CachePrune, LeastRecentlyUsedEntriesGoFirstUntilUnderFourFifthsOfTheCap) {
  ScratchDir dir;
  const std::time_t now = std::time(nullptr);
  std::vector<fs::path> entries;
  uint64_t total = 0;
  for (int i = 0; i < 10; ++i) {  // entry i last used i + 1 days ago, in shards ab and cd
    entries.push_back(put(dir, (i % 2 ? "ab/" : "cd/") + std::string(30, 'a' + i) + ".file", 16384,
                          now - (i + 1) * kDay));
    total += disk_usage(entries.back());
  }
  const uint64_t each = total / 10;
  CacheLimits limits;
  limits.max_bytes = 6 * each + each / 2;  // over it by 3.5 entries; 80% of it holds 5
  const PruneResult r = prune_cache(dir.path(), limits, false, {}, now);
  EXPECT_TRUE(r.ran);
  EXPECT_EQ(r.entries_removed, 5u);
  EXPECT_EQ(r.bytes_removed, 5 * each);
  EXPECT_EQ(r.bytes_kept, 5 * each);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(fs::exists(entries[i]), i < 5) << i;
}

TEST(CachePrune, EntriesTheScanJustReadCountAsTheNewest) {
  ScratchDir dir;
  const std::time_t now = std::time(nullptr);
  // Marks are refreshed once an hour at most: what the scan read may look older than it is.
  const fs::path read = put(dir, "ab/read.file", 8192, now - 50 * 60);
  const fs::path other = put(dir, "ab/other.file", 8192, now - 40 * 60);
  const fs::path newest = put(dir, "cd/newest.units", 8192, now - 30 * 60);
  CacheLimits limits;
  limits.max_bytes = disk_usage(read) * 5 / 2;  // room for two
  const PruneResult r = prune_cache(dir.path(), limits, false, {"ab/read.file"}, now);
  EXPECT_EQ(r.entries_removed, 1u);
  EXPECT_TRUE(fs::exists(read));
  EXPECT_FALSE(fs::exists(other));
  EXPECT_TRUE(fs::exists(newest));
}

TEST(CachePrune, EntriesUnusedForTooLongGoWhateverTheSize) {
  ScratchDir dir;
  const std::time_t now = std::time(nullptr);
  const fs::path old_file = put(dir, "01/old.file", 10, now - 31 * kDay);
  const fs::path old_units = put(dir, "01/old.units", 10, now - 40 * kDay);
  const fs::path old_unit = put(dir, "02/older-bugseek.unit", 10, now - 31 * kDay);
  const fs::path recent = put(dir, "02/recent.file", 10, now - 29 * kDay);
  CacheLimits limits;
  limits.max_age_days = 30;
  const PruneResult r = prune_cache(dir.path(), limits, false, {}, now);
  EXPECT_EQ(r.entries_removed, 3u);
  EXPECT_FALSE(fs::exists(old_file));
  EXPECT_FALSE(fs::exists(old_units));
  EXPECT_FALSE(fs::exists(old_unit));
  EXPECT_TRUE(fs::exists(recent));
  // Without an age limit nothing is too old.
  put(dir, "01/old.file", 10, now - 400 * kDay);
  EXPECT_EQ(prune_cache(dir.path(), CacheLimits{}, true, {}, now).entries_removed, 0u);
}

TEST(CachePrune, DeadWritersTemporaryFilesGoAndOnlyTheCachesFilesAreTouched) {
  ScratchDir dir;
  const std::time_t now = std::time(nullptr);
  const fs::path stale = put(dir, "ab/x.file.tmp.123.456", 10, now - 2 * 3600);
  const fs::path writing = put(dir, "ab/y.file.tmp.123.456", 10, now - 600);
  const std::vector<fs::path> foreign = {
      put(dir, "ab/notes.txt", 10, now - 900 * kDay),  // not a cache file name
      put(dir, "zz/old.file", 10, now - 900 * kDay),   // not a shard folder
      put(dir, "ABC/old.file", 10, now - 900 * kDay),  // nor this
      put(dir, "top.file", 10, now - 900 * kDay),      // not in a shard folder
  };
  fs::create_directories(dir.path() / "cd");
  fs::create_symlink(foreign[0], dir.path() / "cd" / "link.file");  // a link, not an entry
  CacheLimits limits;
  limits.max_bytes = 1;  // everything over the cap
  limits.max_age_days = 1;
  const PruneResult r = prune_cache(dir.path(), limits, false, {}, now);
  EXPECT_TRUE(r.ran);
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(writing));
  for (const fs::path& p : foreign) EXPECT_TRUE(fs::exists(p)) << p;
  EXPECT_TRUE(fs::is_symlink(dir.path() / "cd" / "link.file"));
  EXPECT_EQ(r.entries_removed, 1u);
  EXPECT_EQ(r.bytes_kept, disk_usage(writing));
}

TEST(CachePrune, RunsOnceAnHourUnlessForced) {
  ScratchDir dir;
  const std::time_t now = std::time(nullptr);
  put(dir, "ab/a.file", 10, now - kDay);
  CacheLimits limits;
  limits.max_age_days = 30;
  EXPECT_TRUE(prune_cache(dir.path(), limits, false, {}, now).ran);
  const fs::path b = put(dir, "ab/b.file", 10, now - 90 * kDay);
  EXPECT_FALSE(prune_cache(dir.path(), limits, false, {}, now + 600).ran);  // not due
  EXPECT_TRUE(fs::exists(b));
  EXPECT_TRUE(prune_cache(dir.path(), limits, true, {}, now + 600).ran);  // forced
  EXPECT_FALSE(fs::exists(b));
  EXPECT_FALSE(prune_cache(dir.path(), limits, false, {}, now + 1200).ran);
  EXPECT_TRUE(prune_cache(dir.path(), limits, false, {}, now + 600 + kPruneIntervalSeconds).ran);
  // No cache folder: nothing to do, nothing created.
  EXPECT_FALSE(prune_cache(dir.path() / "none", limits, true, {}, now).ran);
  EXPECT_FALSE(fs::exists(dir.path() / "none"));
}

TEST(CachePrune, SkippedWhileAnotherProcessPrunes) {
  ScratchDir dir;
  const std::time_t now = std::time(nullptr);
  const fs::path old = put(dir, "ab/a.file", 10, now - 90 * kDay);
  CacheLimits limits;
  limits.max_age_days = 30;
  // flock locks belong to an open file description: this one stands for another process.
  const int fd = ::open((dir.path() / "prune.lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  EXPECT_FALSE(prune_cache(dir.path(), limits, true, {}, now).ran);
  EXPECT_TRUE(fs::exists(old));
  ::close(fd);
  EXPECT_TRUE(prune_cache(dir.path(), limits, true, {}, now).ran);
  EXPECT_FALSE(fs::exists(old));
}

TEST(CachePrune, AHitMarksTheEntryUsed) {
  ScratchDir dir;
  ResultCache cache(dir.path(), "context");
  FileRecord record;
  record.lines = 3;
  cache.store_file("text", record);
  fs::path entry;
  for (const auto& e : fs::recursive_directory_iterator(dir.path())) {
    if (e.is_regular_file()) entry = e.path();
  }
  ASSERT_FALSE(entry.empty());
  const std::time_t now = std::time(nullptr);
  set_mtime(entry, now - 10 * kDay);
  EXPECT_TRUE(cache.entries_read().empty());
  ASSERT_TRUE(cache.find_file("text").has_value());
  struct stat st {};
  ASSERT_EQ(::stat(entry.c_str(), &st), 0);
  EXPECT_GE(st.st_mtime, now - 60);
  EXPECT_GT(cache.counters().bytes_written, 0u);
  const std::string name = (entry.parent_path().filename() / entry.filename()).string();
  EXPECT_EQ(cache.entries_read(), std::unordered_set<std::string>{name});
}

using Tree = bugseek::testing::ScanTree;

// Every finding, the cache pruned to 1 MB after each scan.
ScanOptions capped_at_1mb() {
  ScanOptions o = bugseek::testing::every_finding();
  o.cache_max_mb = 1;
  return o;
}

std::string findings_text(const ScanResult& r) {
  return json::dump(eval::findings_to_json(r.findings));
}

// Same findings, probabilities equal up to float rounding (a unit's batch mates change its
// rounding, and a scan that reads part of its answers from the cache batches differently).
void expect_same_findings(const ScanResult& got, const ScanResult& want) {
  ASSERT_EQ(got.findings.size(), want.findings.size());
  for (size_t i = 0; i < got.findings.size(); ++i) {
    const eval::Finding& a = got.findings[i];
    const eval::Finding& b = want.findings[i];
    EXPECT_EQ(std::tie(a.path, a.function, a.line, a.column, a.kind, a.replacement),
              std::tie(b.path, b.function, b.line, b.column, b.kind, b.replacement));
    EXPECT_NEAR(a.probability, b.probability, 1e-6) << a.path << ":" << a.line;
  }
}

TEST(CachePrune, AScanPrunesOldEntriesAtItsEnd) {
  Tree tree;
  const std::time_t now = std::time(nullptr);
  std::vector<fs::path> old;
  for (int i = 0; i < 300; ++i) {  // 1.2 MB or more of other models' entries, a week old
    old.push_back(put(
        tree.dir,
        "cache/" + std::string(1, "0123456789abcdef"[i % 16]) + "0/" + std::to_string(i) + ".file",
        4096, now - 7 * kDay));
  }
  const ScanResult first = tree.scan(capped_at_1mb());
  EXPECT_GE(first.stats.cache_entries_pruned, 60u);
  uint64_t kept = 0;
  size_t old_left = 0;
  for (const auto& e : fs::recursive_directory_iterator(tree.cache())) {
    if (e.path().filename() != "prune.lock" && e.is_regular_file()) kept += disk_usage(e.path());
  }
  for (const fs::path& p : old) old_left += fs::exists(p);
  EXPECT_LE(kept, (1u << 20) / 5 * 4);
  EXPECT_LT(old_left, old.size());
  // The scan's own entries are the newest: they stay, and the next scan reads them.
  const ScanResult second = tree.scan(capped_at_1mb());
  EXPECT_EQ(second.stats.cache_file_hits, 2u);
  EXPECT_EQ(second.stats.units_run, 0u);
  EXPECT_EQ(second.stats.cache_entries_pruned, 0u);  // not due again within the hour
  EXPECT_EQ(findings_text(second), findings_text(first));
}

TEST(CachePrune, AScanKeepsTheEntriesItUsedOverNewerOnes) {
  Tree tree;
  tree.scan(capped_at_1mb());
  const std::time_t now = std::time(nullptr);
  for (const auto& e : fs::recursive_directory_iterator(tree.cache())) {
    if (e.is_regular_file()) set_mtime(e.path(), now - 30 * 60);  // used half an hour ago
  }
  fs::remove(tree.cache() / "prune.lock");  // due again
  for (int i = 0; i < 300; ++i) {           // 1.2 MB or more of newer entries another scan wrote
    put(tree.dir,
        "cache/" + std::string(1, "0123456789abcdef"[i % 16]) + "1/" + std::to_string(i) + ".units",
        4096, now - 60);
  }
  const ScanResult second = tree.scan(capped_at_1mb());
  EXPECT_EQ(second.stats.cache_file_hits, 2u);
  EXPECT_GT(second.stats.cache_entries_pruned, 0u);
  const ScanResult third = tree.scan(capped_at_1mb());
  EXPECT_EQ(third.stats.cache_file_hits, 2u);
}

TEST(CachePrune, ConcurrentScansAndPrunesNeverGiveAWrongAnswer) {
  Tree tree;
  const ScanResult expected = tree.scan_uncached();
  std::atomic<bool> stop{false};
  std::thread pruner([&] {
    CacheLimits limits;
    limits.max_bytes = 1;  // remove everything it finds
    while (!stop) prune_cache(tree.cache(), limits, true, {});
  });
  std::vector<ScanResult> got(6);
  std::vector<std::thread> scans;
  for (size_t t = 0; t < 2; ++t) {
    scans.emplace_back([&, t] {
      for (size_t i = t; i < got.size(); i += 2) got[i] = tree.scan(capped_at_1mb());
    });
  }
  for (std::thread& s : scans) s.join();
  stop = true;
  pruner.join();
  for (const ScanResult& g : got) expect_same_findings(g, expected);
  expect_same_findings(tree.scan(capped_at_1mb()), expected);
}

}  // namespace
}  // namespace bugseek::scan
