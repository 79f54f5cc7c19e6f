// `bugseek average MODEL... --out FILE`: one model whose weights are the mean of several model
// files' weights (stochastic weight averaging over a run's snapshots). One library call:
// detector::average_weights.
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "common/error.h"
#include "detector/model_file.h"

namespace bugseek::cli {

int run_average(int argc, char** argv) {
  GeneralOptions general;
  std::vector<std::string> paths;
  std::string out_path;
  po::options_description visible = general_group(general, false, false);
  po::options_description group("Averaging");
  group.add_options()("out", po::value(&out_path)->required(), "where to write the averaged model");
  visible.add(group);
  po::options_description hidden;
  hidden.add_options()("model", po::value(&paths)->required(), "model files");
  po::positional_options_description positional;
  positional.add("model", -1);
  po::variables_map vm;
  const char* usage =
      "usage: bugseek average MODEL MODEL... --out FILE\n\n"
      "Writes one model whose weights are the element-wise mean of the given models' weights:\n"
      "stochastic weight averaging over snapshots of one run (model-step<N>.bugseek), which\n"
      "evens out the step-to-step noise of the last steps. The models must share their detector\n"
      "config, vocabulary, language and grammar, as the snapshots of one run (or of runs warm-\n"
      "started from one model) do; averaging unrelated models gives a useless one. The training\n"
      "facts are the last model's, with the list of averaged files added. A calibration does not\n"
      "carry over to new weights: run `bugseek calibrate` on the result.";
  if (!parse_command_line(argc, argv, usage, visible, hidden, positional, vm, general)) return 0;
  if (paths.size() < 2) throw UsageError("average: give at least two model files");

  std::vector<std::string> weights;
  detector::ModelFile first;
  std::string sources;
  for (size_t i = 0; i < paths.size(); ++i) {
    detector::ModelFile model = detector::load_model_file(paths[i]);
    if (i == 0) {
      first = model;
    } else if (detector::config_to_text(model.config) != detector::config_to_text(first.config) ||
               model.vocab_model != first.vocab_model || model.language != first.language ||
               model.grammar_version != first.grammar_version) {
      throw Error("average: " + paths[i] + " is not the same kind of model as " + paths[0] +
                  " (detector config, vocabulary, language or grammar differ)");
    }
    weights.push_back(std::move(model.weights));
    sources += (i > 0 ? ", " : "") + paths[i];
    if (i + 1 == paths.size()) first.info = std::move(model.info);
  }
  detector::ModelFile averaged = std::move(first);
  averaged.weights = detector::average_weights(averaged.config, weights);
  averaged.info["averaged_from"] = sources;
  averaged.calibration.reset();
  detector::save_model_file(out_path, averaged);
  std::cout << "wrote " << out_path << ": the mean of " << paths.size()
            << " models' weights (uncalibrated: run bugseek calibrate --model " << out_path
            << ")\n";
  return 0;
}

}  // namespace bugseek::cli
