// CRC-32 (IEEE 802.3, the zlib/PNG polynomial) for every file bugseek writes and checks: model
// files, training state, dataset shards and the manifest.
#pragma once

#include <cstdint>
#include <string_view>

namespace bugseek {

// CRC-32 of `bytes`; pass an earlier result as `crc` to continue over more bytes.
uint32_t crc32(std::string_view bytes, uint32_t crc = 0);

}  // namespace bugseek
