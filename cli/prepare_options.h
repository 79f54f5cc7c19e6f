// The "Data" option group of `bugseek prepare`, shared with `bugseek train` (which prepares a
// dataset when its --data directory has none). Defined in cli/cmd_prepare.cc.
#pragma once

#include "cli/options.h"
#include "data/prepare.h"

namespace bugseek::cli {

// Binds --corpus, --out and the corpus, split, extraction, vocabulary and shard settings of
// `cfg` (the struct's values are the defaults shown by --help).
po::options_description prepare_options_group(data::PrepareConfig& cfg);

}  // namespace bugseek::cli
