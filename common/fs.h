// File helpers shared by every module: whole-file reads, atomic writes (temp file + rename,
// so a crash never leaves a half-written checkpoint or shard), and locating the machine's
// Python standard library, the default corpus.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace bugseek {

// Reads a whole file; throws Error naming the path if it cannot be read.
std::string read_file(const std::filesystem::path& path);

// Writes `bytes` to `path` atomically: write `path.tmp.<pid>`, fsync, rename over `path`.
void write_file_atomic(const std::filesystem::path& path, std::string_view bytes);

// The newest /usr/lib/python3.N directory (or $BUGSEEK_PYTHON_STDLIB), if any.
std::optional<std::filesystem::path> find_python_stdlib();

}  // namespace bugseek
