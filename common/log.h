// Logging to stderr with a level set once by the CLI (-v / -q). Results go to stdout, never here.
#pragma once

#include <sstream>
#include <string>

namespace bugseek {

enum class LogLevel { kQuiet = 0, kInfo = 1, kDebug = 2 };

void set_log_level(LogLevel level);
LogLevel log_level();

// Writes one line "[tag] message" to stderr if `level` is enabled. Thread-safe.
void log_line(LogLevel level, const std::string& tag, const std::string& message);

template <typename... Args>
std::string str_cat(const Args&... args) {
  std::ostringstream out;
  (out << ... << args);
  return out.str();
}

template <typename... Args>
void log_info(const std::string& tag, const Args&... args) {
  if (log_level() >= LogLevel::kInfo) log_line(LogLevel::kInfo, tag, str_cat(args...));
}

template <typename... Args>
void log_debug(const std::string& tag, const Args&... args) {
  if (log_level() >= LogLevel::kDebug) log_line(LogLevel::kDebug, tag, str_cat(args...));
}

// Warnings print even with -q.
template <typename... Args>
void log_warn(const std::string& tag, const Args&... args) {
  log_line(LogLevel::kQuiet, tag, "warning: " + str_cat(args...));
}

}  // namespace bugseek
