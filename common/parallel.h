// The one worker pool: runs body(i, worker) for every i in [0, n) on up to `threads` threads
// (worker in [0, threads), so callers keep per-worker state such as a parser or featurizer).
// Items are handed out one at a time; the first exception is rethrown after every thread joined.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace bugseek {

template <typename F>
void parallel_for(size_t n, int threads, F&& body) {
  const int workers = std::max(1, static_cast<int>(std::min<size_t>(static_cast<size_t>(std::max(threads, 1)), n)));
  if (workers == 1) {
    for (size_t i = 0; i < n; ++i) body(i, 0);
    return;
  }
  std::atomic<size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(workers));
  for (int w = 0; w < workers; ++w) {
    pool.emplace_back([&, w] {
      try {
        for (size_t i = next++; i < n; i = next++) body(i, w);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        next = n;  // stop handing out work
      }
    });
  }
  for (std::thread& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace bugseek
