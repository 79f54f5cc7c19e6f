// A small source tree for the scan tests: two files holding the same two functions (the second
// with one more), a tiny untrained model beside them, and a cache folder; `scan_tree(...)` scans
// it with every finding kept (threshold 0) and no progress output.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "detector/model_file.h"
#include "scan/scanner.h"
#include "tests/scan/tiny_model.h"

namespace bugseek::testing {

inline const char* const kTwoFunctions = R"PY(def clamp(value, low, high):
    if value < low:
        return low
    if value > high:
        return high
    return value


def total(items, start):
    result = start
    for item in items:
        result += item * 2
    return result
)PY";

struct ScanTree {
  ScratchDir dir;
  std::filesystem::path model;
  ScanTree() {
    dir.write("src/a.py", kTwoFunctions);
    dir.write("src/b.py", std::string(kTwoFunctions) + "\n\ndef other(x, y):\n    return x - y\n");
    model = write_tiny_model(dir.path());
  }
  std::filesystem::path cache() const { return dir.path() / "cache"; }
  // Scans src/ with the cache in cache() (none if `use_cache` is false), capped at `max_mb`
  // (0 = the default cap).
  scan::ScanResult scan(bool use_cache = true, uint64_t max_mb = 0) const {
    scan::ScanOptions o;
    o.threshold = 0;
    o.progress = false;
    if (max_mb > 0) o.cache_max_mb = max_mb;
    if (use_cache) o.cache_dir = cache().string();
    return scan::scan_paths({dir.path() / "src"}, detector::load_model_file(model), o);
  }
};

}  // namespace bugseek::testing
