#include "common/memory.h"

#include <malloc.h>

namespace bugseek {

void keep_freed_memory() {
  // Measured with `train` of 60 default steps: 0.92-0.95x the CPU time (two alternating runs;
  // bench_detector with similar settings: 1.1-1.2x the steps/s). How two processes scale did not
  // clearly depend on it (bench_cores --workloads mixed, README performance table).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, 64 << 20);
}

}  // namespace bugseek
