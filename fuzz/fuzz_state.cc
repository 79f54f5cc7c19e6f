// Fuzz target (e): the section container that model files and training state are stored in
// (common/section_file), and the training state read on `train --resume` (train/checkpoint).
// Truncated, bit-flipped or wrong-version bytes must end in bugseek::Error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/error.h"
#include "common/section_file.h"
#include "train/checkpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const bugseek::SectionFile file = bugseek::parse_sections(bytes, "fuzz");
    // What was parsed must survive a write and a read unchanged.
    const bugseek::SectionFile again =
        bugseek::parse_sections(bugseek::serialize_sections(file), "again");
    if (again.format != file.format || again.version != file.version ||
        again.sections != file.sections) {
      __builtin_trap();
    }
  } catch (const bugseek::Error&) {
  }
  try {
    (void)bugseek::train::parse_state(bytes, "fuzz");
  } catch (const bugseek::Error&) {
  }
  return 0;
}
