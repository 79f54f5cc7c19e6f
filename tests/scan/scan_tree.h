// A small source tree for the scan tests: two files holding the same two functions (the second
// with one more), a tiny untrained model beside them, and a cache folder.
#pragma once

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

// Options that keep every finding (threshold 0: each checked unit reports its best guess),
// without a progress bar.
inline scan::ScanOptions every_finding() {
  scan::ScanOptions o;
  o.threshold = 0;
  o.progress = false;
  return o;
}

struct ScanTree {
  ScratchDir dir;
  std::filesystem::path model;
  ScanTree() {
    dir.write("src/a.py", kTwoFunctions);
    dir.write("src/b.py", std::string(kTwoFunctions) + "\n\ndef other(x, y):\n    return x - y\n");
    model = write_tiny_model(dir.path());
  }
  std::filesystem::path cache() const { return dir.path() / "cache"; }
  // Scans src/ with the cache in cache().
  scan::ScanResult scan(scan::ScanOptions o = every_finding()) const {
    o.cache_dir = cache().string();
    return scan_uncached(o);
  }
  scan::ScanResult scan_uncached(const scan::ScanOptions& o = every_finding()) const {
    return scan::scan_paths({dir.path() / "src"}, detector::load_model_file(model), o);
  }
};

}  // namespace bugseek::testing
