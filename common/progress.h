// Progress for long work (prepare, scan, train). On a terminal it redraws one `\r` line;
// otherwise it prints a plain line at most every `plain_interval_s` seconds, so logs stay short.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace bugseek {

class ProgressBar {
 public:
  // `total` = 0 means unknown (shows a count, no bar).
  ProgressBar(std::string label, uint64_t total, double plain_interval_s = 10.0);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Adds `n` finished items; `note` is shown after the count (e.g. "12 skipped"). Thread-safe.
  void advance(uint64_t n = 1, const std::string& note = "");
  // Prints the final line once; the destructor calls it if the caller did not.
  void finish();

 private:
  void draw(bool final_line);

  std::string label_;
  uint64_t total_;
  uint64_t done_ = 0;
  std::string note_;
  double plain_interval_s_;
  bool tty_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  std::mutex mutex_;
};

// "01:02:03" for a duration in seconds.
std::string format_duration(double seconds);

}  // namespace bugseek
