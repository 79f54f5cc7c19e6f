// What N processes gain over one on this machine, for the kinds of work a training step does: the
// ceiling that `bugseek train --nproc N` is measured against. Each workload runs for --seconds in
// one process alone, then in N processes at once (forked, one torch thread each, nothing shared);
// the result is the N processes' summed rate over the lone one's.
//
//   build/bench/bench_cores [--procs N] [--seconds S] [--workloads onednn,mm,stream,mixed]
//                           [--malloc keep|default]
//
// onednn: 512^3 products by oneDNN's sgemm (detector/cpu_gemm.h), as the detector's training
//         products run; mm: the same by torch::mm (torch's BLAS);
// stream: out = a + b over 3 x 64 MB, bound by memory bandwidth, as the element-wise passes are
//         at their largest;
// mixed:  a detector-shaped sequence: 600-row products at k = 128 with a layer norm, GELU and
//         index_select over 4 MB tensors between them.
// --malloc keep (the default) keeps freed memory in the process as every bugseek command does
// (common/memory.h); default leaves glibc's settings, the baseline.
// On N cores that share nothing the ratio is N; what it falls short says how much of --nproc's
// shortfall is the machine's (shared caches, memory bandwidth, a host's other tenants) rather
// than bugseek's. Run it with nothing else busy.
#include <sys/wait.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <functional>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "common/memory.h"
#include "detector/cpu_gemm.h"
#include "detector/torch_api.h"

namespace {

namespace po = boost::program_options;
using namespace bugseek;
using Clock = std::chrono::steady_clock;

struct Options {
  int procs = 2;
  double seconds = 8;
  std::string workloads = "onednn,mm,stream,mixed";
  std::string malloc = "keep";
};

// Runs `workload` repeatedly for `seconds` after one warm-up call; returns the calls per second.
double rate_of(const std::string& workload, double seconds) {
  detector::set_num_threads(1);
  std::function<void()> call;
  if (workload == "onednn" || workload == "mm") {
    const int64_t n = 512;
    auto a = at::randn({n, n}), b = at::randn({n, n}), c = at::empty({n, n});
    const bool onednn = workload == "onednn";
    call = [a, b, c, n, onednn]() mutable {
      if (!onednn || !detector::onednn_sgemm('N', 'N', n, n, n, a.data_ptr<float>(), n,
                                             b.data_ptr<float>(), n, 0.0f,
                                             c.data_ptr<float>(), n)) {
        at::mm_out(c, a, b);
      }
    };
  } else if (workload == "stream") {
    const int64_t n = 16 << 20;  // 64 MB of floats each
    auto a = at::randn({n}), b = at::randn({n}), out = at::empty({n});
    call = [a, b, out]() mutable { at::add_out(out, a, b); };
  } else if (workload == "mixed") {
    const int64_t rows = 600, k = 128, nodes = 8000;
    auto h = at::randn({nodes, k}), w = at::randn({k, k}), idx = at::randint(nodes, {rows * 5});
    auto gamma = at::ones({k}), beta = at::zeros({k});
    call = [h, w, idx, gamma, beta, rows, k]() {
      auto x = h.index_select(0, idx);
      for (int64_t r = 0; r < 5; ++r) {
        auto y = at::mm(x.narrow(0, r * rows, rows), w);
        y = at::gelu(at::layer_norm(y, {k}, gamma, beta));
        (void)y;
      }
    };
  } else {
    throw std::runtime_error("unknown workload '" + workload + "' (onednn, mm, stream, mixed)");
  }
  call();
  int64_t calls = 0;
  const auto t0 = Clock::now();
  double elapsed = 0;
  while (elapsed < seconds) {
    call();
    ++calls;
    elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  }
  return static_cast<double>(calls) / elapsed;
}

// The rates of `procs` processes running `workload` at once, each forked before any torch work.
std::vector<double> concurrent_rates(const std::string& workload, int procs, double seconds) {
  std::vector<int> fds;
  std::vector<pid_t> pids;
  for (int p = 0; p < procs; ++p) {
    int fd[2];
    if (pipe(fd) != 0) throw std::runtime_error("pipe failed");
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      close(fd[0]);
      double r = 0;
      try {
        r = rate_of(workload, seconds);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_cores: %s\n", e.what());
      }
      const ssize_t written = write(fd[1], &r, sizeof r);
      _exit(written == static_cast<ssize_t>(sizeof r) ? 0 : 1);
    }
    close(fd[1]);
    fds.push_back(fd[0]);
    pids.push_back(pid);
  }
  std::vector<double> rates;
  for (size_t p = 0; p < pids.size(); ++p) {
    double r = 0;
    if (read(fds[p], &r, sizeof r) != static_cast<ssize_t>(sizeof r)) r = 0;
    close(fds[p]);
    int status = 0;
    waitpid(pids[p], &status, 0);
    rates.push_back(r);
  }
  return rates;
}

int run(const Options& o) {
  if (o.malloc == "keep") {
    keep_freed_memory();
  } else if (o.malloc != "default") {
    throw std::runtime_error("--malloc must be keep or default");
  }
  std::printf("%d processes against 1, %.0f s each, one torch thread per process, malloc %s\n",
              o.procs, o.seconds, o.malloc.c_str());
  std::printf("%-8s %12s %s %10s\n", "workload", "alone /s", "  each of N /s", "N / alone");
  std::stringstream list(o.workloads);
  for (std::string w; std::getline(list, w, ',');) {
    const double alone = concurrent_rates(w, 1, o.seconds).at(0);
    const auto each = concurrent_rates(w, o.procs, o.seconds);
    double sum = 0;
    std::string rates;
    for (double r : each) {
      sum += r;
      char buf[32];
      std::snprintf(buf, sizeof buf, " %.1f", r);
      rates += buf;
    }
    std::printf("%-8s %12.1f %s %10.2fx\n", w.c_str(), alone, rates.c_str(),
                alone > 0 ? sum / alone : 0.0);
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  po::options_description desc("bench_cores options");
  desc.add_options()("help,h", "show this help")(
      "procs", po::value(&o.procs)->default_value(o.procs), "processes run at once")(
      "seconds", po::value(&o.seconds)->default_value(o.seconds), "timed seconds per run")(
      "workloads", po::value(&o.workloads)->default_value(o.workloads),
      "comma list: onednn, mm, stream, mixed")(
      "malloc", po::value(&o.malloc)->default_value(o.malloc),
      "keep (freed memory stays in the process, as in bugseek) | default (glibc's)");
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
    if (vm.count("help")) {
      std::cout << desc << "\n";
      return 0;
    }
    if (o.procs < 1 || o.seconds <= 0) {
      std::cerr << "bench_cores: --procs must be >= 1 and --seconds > 0\n";
      return 2;
    }
    return run(o);
  } catch (const po::error& e) {
    std::cerr << "bench_cores: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "bench_cores: error: " << e.what() << "\n";
    return 1;
  }
}
