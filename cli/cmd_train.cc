// `bugseek train`: settings from a preset, then --config FILE (or the resumed run's config.ini),
// then flags; one library call: train::run_training.
#include <string>

#include "cli/commands.h"
#include "cli/train_options.h"
#include "train/trainer.h"

namespace bugseek::cli {
namespace {

const char* kUsage =
    "usage: bugseek train [--preset tiny|default|large] [--config FILE] [--out RUN_DIR] [--resume]\n"
    "                     [--selector learned|random] [--family gnn|transformer] [--max-time S]\n"
    "\n"
    "Trains a bug detector against a bug selector (BugLab's loop) on the training split of a\n"
    "prepared dataset (prepared from --corpus, default the Python standard library, when missing).\n"
    "Writes RUN_DIR/{config.ini,metrics.jsonl,report.html,model-best.bugseek,model-latest.bugseek,\n"
    "state.bugseek}. Ctrl-C saves and exits 130; --resume continues from the last checkpoint\n"
    "(the newest run under runs/ unless --out is given), e.g. --resume --max-time 1800.\n"
    "Settings: preset < --config FILE < flags. --dump-config prints the effective settings.";

}  // namespace

int run_train(int argc, char** argv) {
  std::optional<train::TrainConfig> cfg = train_config_from_args(argc, argv, kUsage);
  if (!cfg) return 0;
  return train::run_training(*cfg).exit_code;
}

}  // namespace bugseek::cli
