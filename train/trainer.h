// `bugseek train` as a library call: the selector-versus-detector loop. Each step takes clean
// functions from the training split, lets the selector (or the random baseline) choose bugs to
// plant, trains the detector on the buggy and clean graphs, and trains the selector towards the
// bug the detector found hardest. Validation, checkpoints, metrics.jsonl and report.html live
// in the run directory; --resume continues from the last checkpoint.
#pragma once

#include <cstdint>
#include <string>

#include "train/train_config.h"

namespace bugseek::train {

struct TrainResult {
  int exit_code = 0;        // 0, or 128 + signal when interrupted (state saved)
  std::string run_dir;
  uint64_t step = 0;
  double best_overall = 0;  // best validation overall accuracy (what model-best is chosen by)
  std::string best_model;   // path of model-best.bugseek
};

TrainResult run_training(TrainConfig config);

// `bugseek doctor`: loads (or prepares) the dataset and runs the self-checks of train/doctor.h
// with the models `config` describes. True if every check passed.
bool run_doctor_command(TrainConfig config);

// Prepares `config.data` from `config.corpus` (as `bugseek prepare`) when it holds no dataset yet.
void prepare_dataset_if_missing(const TrainConfig& config);

// A fresh run's default directory: runs/<local time stamp>.
std::string new_run_dir_name();

// The run directory to resume: `out` if given, else the newest runs/* holding a checkpoint.
// Throws UsageError if there is none.
std::string find_resume_dir(const std::string& out);

}  // namespace bugseek::train
