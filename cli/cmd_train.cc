// `bugseek train`: settings from a preset, then --config FILE (or the resumed run's config.ini),
// then flags; one library call: train::run_training.
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/train_options.h"
#include "train/launch.h"
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
    "Settings: preset < --config FILE < flags. --dump-config prints the effective settings.\n"
    "Data-parallel: --nproc N starts N worker processes here (e.g. --nproc 2 --threads 1\n"
    "--torch-threads 1 on 2 cores); on several machines start one `bugseek train` per rank with\n"
    "torchrun's RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT (or --rank, --world-size, ...).";

bool has_flag(const std::vector<std::string>& args, const std::string& flag) {
  for (const std::string& a : args) {
    if (a == flag || a.rfind(flag + "=", 0) == 0) return true;
  }
  return false;
}

}  // namespace

int run_train(int argc, char** argv) {
  std::optional<train::TrainConfig> cfg = train_config_from_args(argc, argv, kUsage);
  if (!cfg) return 0;
  cfg->dist = train::resolve_dist_spec(cfg->dist);
  if (cfg->dist.distributed() || cfg->nproc <= 1) return train::run_training(*cfg).exit_code;

  // The launcher: the dataset is prepared once, here, and every rank gets the same run directory.
  train::prepare_dataset_if_missing(*cfg);
  train::LaunchOptions launch;
  launch.nproc = cfg->nproc;
  launch.args.assign(argv, argv + argc);
  if (!has_flag(launch.args, "--out")) {
    launch.args.push_back("--out");
    launch.args.push_back(cfg->out.empty() ? train::new_run_dir_name() : cfg->out);
  }
  return train::launch_local_ranks(launch);
}

}  // namespace bugseek::cli
