// `bugseek doctor`: the pipeline's self-checks, with the same settings as `bugseek train`.
#include <string>

#include "cli/commands.h"
#include "cli/train_options.h"
#include "train/trainer.h"

namespace bugseek::cli {

int run_doctor(int argc, char** argv) {
  const char* usage =
      "usage: bugseek doctor [--preset P] [--config FILE] [train settings...]\n\n"
      "Checks the pipeline before trusting a training run: no function in two splits, planted\n"
      "bugs round-trip through their repair, the initial loss matches uniform predictions, every\n"
      "parameter gets a gradient, one batch overfits, and a detector trained on shuffled targets\n"
      "does clearly worse than one trained on true targets. Then, on what training itself builds:\n"
      "labels (each planted bug's featurized target restores the clean code; the batch keeps it),\n"
      "graphs (each bug's graph in the batch differs from its clean graph only inside the edit\n"
      "its target names), inputs (every edge kind reaches the model's tensors; features are not\n"
      "constant), artefacts (--resume refuses another vocabulary or dataset) and learning (six\n"
      "real training steps move every reached parameter and lower the loss; undone afterwards).\n"
      "Prints PASS/FAIL with numbers; exits 1 if any check fails. `bugseek train` runs the same\n"
      "checks first unless --doctor false.";
  std::optional<train::TrainConfig> cfg = train_config_from_args(argc, argv, usage);
  if (!cfg) return 0;
  return train::run_doctor_command(*cfg) ? 0 : 1;
}

}  // namespace bugseek::cli
