#include "train/signals.h"

#include <csignal>

namespace bugseek::train {
namespace {
volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_stop_signal(int sig) {
  if (g_signal != 0) {  // second Ctrl-C: give up on saving
    std::signal(sig, SIG_DFL);
    std::raise(sig);
    return;
  }
  g_signal = sig;
}
}  // namespace

void install_stop_handlers() {
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
}

int stop_signal() { return g_signal; }

void request_stop(int signal_number) { g_signal = signal_number; }

}  // namespace bugseek::train
