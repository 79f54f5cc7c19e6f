// Helpers shared by the JSON writer (json.cc) and parser (json_parse.cc); not for other units.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace bugseek::json::internal {


// Appends code point `cp` (at most U+10FFFF) to `out` as UTF-8.
void append_utf8(std::string& out, uint32_t cp);

}  // namespace bugseek::json::internal
