// Ctrl-C and SIGTERM during training: the first signal asks the loop to save and stop (exit
// 128 + signal); a second one kills the process the default way. Async-signal-safe flag only.
#pragma once

namespace bugseek::train {

// Installs the handlers for SIGINT and SIGTERM. Call once from the training command.
void install_stop_handlers();
// Signal number received (0 if none).
int stop_signal();
// For tests: pretend a signal arrived / clear it.
void request_stop(int signal_number);

}  // namespace bugseek::train
