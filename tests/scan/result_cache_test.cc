// The scan cache's layout on disk: one record per file text and one set of unit decisions per
// file path (not one file per unit), and the unit decisions an edit leaves behind.
#include "scan/result_cache.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "scan/scanner.h"
#include "tests/common/temp_dir.h"
#include "tests/scan/scan_tree.h"
#include "tests/scan/tiny_model.h"

namespace bugseek::scan {
namespace {

namespace fs = std::filesystem;

using bugseek::testing::kTwoFunctions;

struct Tree : bugseek::testing::ScanTree {
  // Cache entries by kind ("file", "units", ...); the top folder holds only prune.lock.
  std::map<std::string, int> entries() const {
    std::map<std::string, int> out;
    for (const auto& e : fs::recursive_directory_iterator(cache())) {
      if (e.is_regular_file() && e.path().parent_path() != cache()) {
        out[e.path().extension().string()] += 1;
      }
    }
    return out;
  }
};

TEST(CacheLayout, OneRecordPerFileAndOneSetOfUnitDecisionsPerPath) {
  Tree tree;
  const ScanResult first = tree.scan();
  ASSERT_GE(first.stats.units_run, 4u);
  // Creating a file costs the kernel ~0.4 ms on ext4: a file per unit was 40% of a first scan.
  EXPECT_EQ(tree.entries(), (std::map<std::string, int>{{".file", 2}, {".units", 2}}));
  tree.scan();
  EXPECT_EQ(tree.entries(), (std::map<std::string, int>{{".file", 2}, {".units", 2}}));
}

TEST(CacheLayout, UndoingAnEditFindsTheEarlierDecisions) {
  Tree tree;
  tree.scan();
  std::string edited = kTwoFunctions;
  edited.replace(edited.find("item * 2"), 8, "item * 3");
  tree.dir.write("src/a.py", edited);
  const ScanResult after_edit = tree.scan();
  EXPECT_EQ(after_edit.stats.cache_unit_hits, 1u);  // clamp
  tree.dir.write("src/a.py", kTwoFunctions);                // the file entry of the original text
  const ScanResult undone = tree.scan();
  EXPECT_EQ(undone.stats.cache_file_hits, 2u);
  EXPECT_EQ(undone.stats.units_run, 0u);
  // Edited once more in another place: total's original decision is still in a.py's entry.
  std::string other = std::string("import os\n") + kTwoFunctions;
  tree.dir.write("src/a.py", other);
  const ScanResult moved = tree.scan();
  EXPECT_EQ(moved.stats.cache_unit_hits, 2u);  // clamp and total
  EXPECT_LE(moved.stats.units_run, 1u);        // the module unit, if it has sites
}

}  // namespace
}  // namespace bugseek::scan
