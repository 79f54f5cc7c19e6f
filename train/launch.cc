#include "train/launch.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "common/error.h"
#include "common/log.h"

namespace bugseek::train {
namespace {

volatile sig_atomic_t g_forward = 0;  // the last stop signal the launcher received

extern "C" void on_launcher_signal(int sig) { g_forward = sig; }

// A TCP port free on the loopback interface now (the kernel's choice; a tiny race until rank 0
// binds it, as with torchrun's own --master-port 0).
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw Error(std::string("--nproc: no socket for a free port: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw Error(std::string("--nproc: could not find a free port: ") + std::strerror(errno));
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string describe(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    return std::string("was killed by signal ") + std::to_string(WTERMSIG(status)) + " (" +
           strsignal(WTERMSIG(status)) + ")";
  }
  return "ended with wait status " + std::to_string(status);
}

struct Rank {
  pid_t pid = -1;
  bool running = false;
  int status = 0;
};

}  // namespace

int launch_local_ranks(const LaunchOptions& options) {
  if (options.nproc < 1) throw UsageError("--nproc must be at least 1");
  const int port = options.master_port > 0 ? options.master_port : free_port();
  std::vector<std::string> argv_strings = {"bugseek"};
  argv_strings.insert(argv_strings.end(), options.args.begin(), options.args.end());
  std::vector<char*> argv;
  for (std::string& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  struct sigaction action {};
  action.sa_handler = on_launcher_signal;
  sigemptyset(&action.sa_mask);
  struct sigaction old_int {}, old_term {};
  sigaction(SIGINT, &action, &old_int);
  sigaction(SIGTERM, &action, &old_term);

  const pid_t launcher = ::getpid();
  std::vector<Rank> ranks(static_cast<size_t>(options.nproc));
  for (int r = 0; r < options.nproc; ++r) {
    const pid_t pid = ::fork();
    if (pid < 0) throw Error(std::string("--nproc: fork failed: ") + std::strerror(errno));
    if (pid == 0) {
      // Own process group: a terminal's Ctrl-C reaches the launcher, which passes it on once.
      ::setpgid(0, 0);
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != launcher) ::_exit(1);
      ::signal(SIGINT, SIG_DFL);
      ::signal(SIGTERM, SIG_DFL);
      ::setenv("RANK", std::to_string(r).c_str(), 1);
      ::setenv("LOCAL_RANK", std::to_string(r).c_str(), 1);
      ::setenv("WORLD_SIZE", std::to_string(options.nproc).c_str(), 1);
      ::setenv("LOCAL_WORLD_SIZE", std::to_string(options.nproc).c_str(), 1);
      ::setenv("MASTER_ADDR", "127.0.0.1", 1);
      ::setenv("MASTER_PORT", std::to_string(port).c_str(), 1);
      ::execv("/proc/self/exe", argv.data());
      std::fprintf(stderr, "bugseek: error: --nproc: could not start rank %d: %s\n", r,
                   std::strerror(errno));
      ::_exit(127);
    }
    ranks[static_cast<size_t>(r)] = {pid, true, 0};
    log_info("train", "started rank ", r, " of ", options.nproc, " (pid ", pid, ")");
  }

  int forwarded = 0;  // the signal passed on to the ranks
  int failed = -1;    // the first rank that failed
  std::chrono::steady_clock::time_point kill_at{};
  size_t running = ranks.size();
  while (running > 0) {
    if (g_forward != 0 && g_forward != forwarded) {
      forwarded = g_forward;
      g_forward = 0;
      for (const Rank& rank : ranks) {
        if (rank.running) ::kill(rank.pid, forwarded);
      }
    }
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid <= 0) {
      if (failed >= 0 && std::chrono::steady_clock::now() >= kill_at) {
        for (const Rank& rank : ranks) {
          if (rank.running) ::kill(rank.pid, SIGKILL);
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    for (size_t r = 0; r < ranks.size(); ++r) {
      if (ranks[r].pid != pid || !ranks[r].running) continue;
      ranks[r].running = false;
      ranks[r].status = status;
      --running;
      // A rank stopped by the signal passed on to it (saved and exited 128 + signal, or killed
      // by it before training began) ended as asked.
      const bool clean =
          (WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
          (forwarded != 0 && ((WIFEXITED(status) && WEXITSTATUS(status) == 128 + forwarded) ||
                              (WIFSIGNALED(status) && WTERMSIG(status) == forwarded)));
      if (clean || failed >= 0) break;
      failed = static_cast<int>(r);
      std::fprintf(stderr, "bugseek: error: rank %zu (pid %d) %s%s\n", r, static_cast<int>(pid),
                   describe(status).c_str(), running > 0 ? "; stopping the other ranks" : "");
      for (const Rank& rank : ranks) {
        if (rank.running) ::kill(rank.pid, SIGTERM);
      }
      kill_at = std::chrono::steady_clock::now() +
                std::chrono::milliseconds(static_cast<int64_t>(options.grace_s * 1000));
    }
  }
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  if (failed >= 0) return 1;
  return forwarded != 0 ? 128 + forwarded : 0;
}

}  // namespace bugseek::train
