// Helpers shared by the JSON writer (json.cc) and parser (json_parse.cc); not for other units.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace bugseek::json::internal {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not valid (overlong forms,
// surrogates and code points above U+10FFFF are invalid).
size_t utf8_sequence_length(std::string_view s, size_t i);

// Appends code point `cp` (at most U+10FFFF) to `out` as UTF-8.
void append_utf8(std::string& out, uint32_t cp);

}  // namespace bugseek::json::internal
