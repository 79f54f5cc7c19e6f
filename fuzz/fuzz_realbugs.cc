// Fuzz target (b): the real-bug JSON Lines reader (`eval --suite real`, `train --real-fixes`,
// `prepare --exclude`). Malformed input must end in bugseek::Error, nothing else.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/error.h"
#include "eval/real_bug_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto pairs = bugseek::eval::parse_real_bug_pairs(text, "fuzz.jsonl");
    for (const auto& p : pairs) {
      if (p.line == 0) __builtin_trap();
    }
  } catch (const bugseek::Error&) {
  }
  return 0;
}
