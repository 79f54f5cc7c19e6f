// Fuzz target (d): what `train` and `eval` read from a dataset directory: manifest.txt and the
// shard files. The first byte picks the reader. Bad input must end in bugseek::Error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/error.h"
#include "data/dataset.h"
#include "data/shard.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    if (data[0] & 1) {
      const auto manifest = bugseek::data::parse_manifest(bytes, "fuzz/manifest.txt");
      // What was parsed must write back and parse again to the same manifest text.
      const std::string text = bugseek::data::format_manifest(manifest);
      if (bugseek::data::format_manifest(bugseek::data::parse_manifest(text, "again")) != text) {
        __builtin_trap();
      }
    } else {
      const auto records = bugseek::data::decode_shard(bytes, "fuzz.shard");
      if (bugseek::data::decode_shard(bugseek::data::encode_shard(records), "again").size() !=
          records.size()) {
        __builtin_trap();
      }
    }
  } catch (const bugseek::Error&) {
  }
  return 0;
}
