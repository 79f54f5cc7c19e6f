// UTF-8 validation shared by the corpus reader, the JSON reader/writer and anything else that
// must tell text from bytes: strict (no overlong forms, no surrogates, nothing past U+10FFFF).
#pragma once

#include <cstddef>
#include <string_view>

namespace bugseek {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if the bytes there are not one.
size_t utf8_sequence_length(std::string_view s, size_t i);

// True if all of `bytes` is valid UTF-8.
bool is_valid_utf8(std::string_view bytes);

}  // namespace bugseek
