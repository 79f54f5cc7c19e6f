// `bugseek train --nproc N` on one machine: starts N copies of this program as the ranks of one
// distributed run (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT set as torchrun sets
// them) and supervises them. Ctrl-C or SIGTERM is passed on to every rank (which save and stop
// together); a rank that fails or is killed stops the others, so the job never hangs.
#pragma once

#include <string>
#include <vector>

namespace bugseek::train {

struct LaunchOptions {
  int nproc = 2;
  std::vector<std::string> args;    // the command line after the program name, as given
  int master_port = 0;              // 0: a free port on the loopback interface
  double grace_s = 15;              // after a failure, SIGTERM, then SIGKILL after this long
};

// Runs the ranks to their end. Returns 0 when all succeeded, 128 + signal when the job was
// interrupted and every rank stopped cleanly, and 1 (with a message naming the rank and how it
// ended) when any rank failed; the others are then stopped.
int launch_local_ranks(const LaunchOptions& options);

}  // namespace bugseek::train
