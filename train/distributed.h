// Data-parallel training on PyTorch's own distributed engine (c10d, Gloo backend): each rank
// trains on its own share of the step's functions and the ranks average their gradients with one
// all-reduce per model per step, so every rank keeps identical weights. Ranks find each other the
// way torchrun's do: MASTER_ADDR and MASTER_PORT name rank 0's store, RANK and WORLD_SIZE say who
// is who (flags override the environment). `bugseek train --nproc N` starts N local ranks
// (train/launch.h); on several machines each is started by hand or by a cluster launcher.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace bugseek::detector {
class Detector;
}

namespace bugseek::train {

struct DistSpec {
  int rank = -1;            // -1: from RANK, else 0
  int world_size = 0;       // 0: from WORLD_SIZE, else 1
  std::string master_addr;  // empty: from MASTER_ADDR, else 127.0.0.1
  int master_port = 0;      // 0: from MASTER_PORT, else 29500
  double timeout_s = 600;   // longest wait for another rank (connecting, or in a collective)

  bool distributed() const { return world_size > 1; }
};

// `flags` with every unset field taken from the environment or its default. Throws UsageError
// for malformed numbers, a rank outside [0, world size) or a port outside 1..65535.
DistSpec resolve_dist_spec(DistSpec flags);

// This process's membership in a distributed run. Every rank must call the collectives in the
// same order; a rank that dies or loses its connection makes the others' next collective throw
// Error (at the latest after timeout_s), never hang.
class ProcessGroup {
 public:
  // Connects to the other ranks (rank 0 hosts the store). Throws Error naming the address on
  // failure or timeout.
  static std::unique_ptr<ProcessGroup> connect(const DistSpec& spec);
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  int rank() const;
  int world_size() const;

  // Replaces the gradients of `model` by their weighted average over the ranks,
  // sum_r weight_r * grad_r / sum_r weight_r (weight: the samples the rank's mean loss is over),
  // in one all-reduce; a gradient no rank has stays undefined. Returns sum_r weight_r; when it
  // is 0 the gradients are left as they were and the caller skips the optimizer step.
  double average_gradients(detector::Detector& model, double weight);
  // Copies rank 0's parameter values to every rank.
  void broadcast_parameters(detector::Detector& model);
  // Element-wise sum over the ranks.
  std::vector<double> sum(const std::vector<double>& values);

 private:
  struct Impl;
  explicit ProcessGroup(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bugseek::train
