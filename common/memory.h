// How the process keeps the memory it frees.
#pragma once

namespace bugseek {

// Keeps freed memory in the process instead of handing it back to the kernel: the detector
// allocates and frees the same tensor sizes every step, and glibc's defaults return them and
// fault them in again (~6,000 page faults per GNN training step). Call once, at start-up, before
// any thread starts. Every bugseek command runs with it; bench_cores calls it to measure what
// bugseek runs.
void keep_freed_memory();

}  // namespace bugseek
