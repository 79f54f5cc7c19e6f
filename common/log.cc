#include "common/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace bugseek {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::mutex g_mutex;
}  // namespace

void set_log_level(LogLevel level) { g_level = static_cast<int>(level); }
LogLevel log_level() { return static_cast<LogLevel>(g_level.load()); }

void log_line(LogLevel level, const std::string& tag, const std::string& message) {
  if (static_cast<int>(level) > g_level.load()) return;
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fprintf(stderr, "[%s] %s\n", tag.c_str(), message.c_str());
  std::fflush(stderr);
}

}  // namespace bugseek
