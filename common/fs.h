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

// Appends `bytes` to `path` (created if missing) with one write(2) to an O_APPEND descriptor, so
// a killed process leaves either all of a short record or none of it. Throws Error (e.g. a full
// disk) naming the path.
void append_file(const std::filesystem::path& path, std::string_view bytes);

// Removes the temporary files write_file_atomic leaves in `dir` when a process dies mid-write
// (NAME.tmp.PID); returns how many. Only for a directory no live process is writing to.
int remove_stale_temp_files(const std::filesystem::path& dir);

// The newest /usr/lib/python3.N directory (or $BUGSEEK_PYTHON_STDLIB), if any.
std::optional<std::filesystem::path> find_python_stdlib();

}  // namespace bugseek
