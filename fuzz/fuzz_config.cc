// Fuzz target (e): the INI config reader, as `bugseek train --config FILE` runs it
// (cli::train_config_from_args: Boost.Program_options over every TrainConfig field), followed by
// what train derives from the settings before any work (models, policy, --dump-config text).
// Bad files must end in bugseek::Error (UsageError), nothing else.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli/train_options.h"
#include "common/error.h"
#include "common/log.h"
#include "train/train_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = (std::filesystem::temp_directory_path() /
                                   ("bugseek-fuzz-config-" + std::to_string(getpid()) + ".ini"))
                                      .string();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  std::string arg0 = "train", arg1 = "--config", arg2 = path, arg3 = "-q";
  char* argv[] = {arg0.data(), arg1.data(), arg2.data(), arg3.data(), nullptr};
  try {
    const auto config = bugseek::cli::train_config_from_args(4, argv, "usage: bugseek train");
    if (!config) return 0;
    (void)bugseek::train::config_to_text(*config);
    (void)config->detector_config();
    (void)config->selector_config();
    (void)config->policy();
  } catch (const bugseek::Error&) {
  }
  return 0;
}
