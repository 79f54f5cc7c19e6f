#include "common/progress.h"

#include <unistd.h>

#include <cstdio>

#include "common/log.h"

namespace bugseek {

std::string format_duration(double seconds) {
  if (seconds < 0) seconds = 0;
  auto s = static_cast<long>(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

ProgressBar::ProgressBar(std::string label, uint64_t total, double plain_interval_s)
    : label_(std::move(label)),
      total_(total),
      plain_interval_s_(plain_interval_s),
      tty_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::advance(uint64_t n, const std::string& note) {
  std::lock_guard<std::mutex> lock(mutex_);
  done_ += n;
  if (!note.empty()) note_ = note;
  auto now = std::chrono::steady_clock::now();
  double since = std::chrono::duration<double>(now - last_draw_).count();
  if (log_level() == LogLevel::kQuiet) return;
  if ((tty_ && since >= 0.1) || (!tty_ && since >= plain_interval_s_)) {
    last_draw_ = now;
    draw(false);
  }
}

void ProgressBar::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_) return;
  finished_ = true;
  if (log_level() != LogLevel::kQuiet) draw(true);
}

void ProgressBar::draw(bool final_line) {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string line = "[" + label_ + "] ";
  if (total_ > 0) {
    constexpr int kWidth = 30;
    double frac = std::min(1.0, static_cast<double>(done_) / static_cast<double>(total_));
    int filled = static_cast<int>(frac * kWidth);
    line += "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "] ";
    line += std::to_string(done_) + "/" + std::to_string(total_);
    if (!final_line && done_ > 0) {
      double left = elapsed * (static_cast<double>(total_) / static_cast<double>(done_) - 1.0);
      line += " | eta " + format_duration(left);
    }
  } else {
    line += std::to_string(done_);
  }
  if (!note_.empty()) line += " | " + note_;
  line += " | " + format_duration(elapsed);
  if (tty_) {
    std::fprintf(stderr, "\r\033[K%s%s", line.c_str(), final_line ? "\n" : "");
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::fflush(stderr);
}

}  // namespace bugseek
