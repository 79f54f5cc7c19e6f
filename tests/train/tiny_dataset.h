// The integration tests' corpus: a dozen small standard-library modules prepared into a dataset
// with a 300-piece vocabulary, in seconds.
#pragma once

#include <filesystem>
#include <string>

#include "common/fs.h"
#include "tests/scan/cli_run.h"

namespace bugseek::testing {

// Copies the modules to `root`/corpus and prepares `root`/data. Returns the prepare run
// (status 0 on success); a machine without a standard library gives status -1.
inline CliRun prepare_tiny_dataset(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  fs::create_directories(root / "corpus");
  const auto stdlib = find_python_stdlib();
  if (!stdlib) return CliRun{-1, "", "no Python standard library on this machine"};
  for (const char* name : {"bisect.py", "heapq.py", "textwrap.py", "shlex.py", "fnmatch.py",
                           "colorsys.py", "keyword.py", "glob.py", "ntpath.py", "posixpath.py",
                           "copy.py", "queue.py", "sched.py", "graphlib.py"}) {
    if (fs::exists(*stdlib / name)) fs::copy_file(*stdlib / name, root / "corpus" / name);
  }
  return run_bugseek("prepare -q --corpus " + (root / "corpus").string() + " --out " +
                         (root / "data").string() + " --vocab-size 300 --threads 2",
                     root);
}

}  // namespace bugseek::testing
