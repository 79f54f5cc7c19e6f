// Settings of `bugseek train` and `bugseek doctor` from the command line: the chosen preset, then
// --config FILE (or, with --resume, the run's config.ini), then flags. One option per TrainConfig
// field, named and documented once in train/train_config.h.
#pragma once

#include <optional>
#include <string>

#include "train/train_config.h"

namespace bugseek::cli {

// The effective config, or nullopt when --help or --dump-config was answered (exit 0).
// Throws UsageError on bad flags or files.
std::optional<train::TrainConfig> train_config_from_args(int argc, char** argv,
                                                         const std::string& usage);

}  // namespace bugseek::cli
