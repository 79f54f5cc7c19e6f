// `bugseek inspect MODEL`: what a model file holds (format, config, vocabulary, grammar,
// parameter count, how it was trained), without running it.
#include <cstdio>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "cli/options.h"
#include "common/checksum.h"
#include "common/error.h"
#include "data/vocab.h"
#include "detector/model_file.h"

namespace bugseek::cli {

int run_inspect(int argc, char** argv) {
  GeneralOptions general;
  std::string path;
  po::options_description visible = general_group(general, false, false);
  po::options_description hidden;
  hidden.add_options()("model", po::value(&path)->required(), "model file");
  po::positional_options_description positional;
  positional.add("model", 1);
  po::variables_map vm;
  const char* usage =
      "usage: bugseek inspect MODEL\n\n"
      "Prints what a model file written by `bugseek train` holds: format version, detector\n"
      "config, language and grammar version, vocabulary size, parameters, training facts, and\n"
      "the calibrated finding threshold (`bugseek calibrate`).";
  if (!parse_command_line(argc, argv, usage, visible, hidden, positional, vm, general)) return 0;

  detector::ModelFile model = detector::load_model_file(path);
  data::Vocabulary vocab = data::Vocabulary::from_bytes(model.vocab_model);
  detector::Detector det = detector::make_detector(model, detector::DeviceKind::kCpu);
  char weights_crc[16];
  std::snprintf(weights_crc, sizeof weights_crc, "%08x", crc32(model.weights));
  std::cout << "file             " << path << "\n"
            << "format           " << detector::kModelFormatName << " v"
            << detector::kModelFormatVersion << "\n"
            << "language         " << model.language << " (grammar " << model.grammar_version
            << ")\n"
            << "vocabulary       " << vocab.size() << " SentencePiece pieces ("
            << model.vocab_model.size() << " bytes)\n"
            << "parameters       " << det.num_parameters() << " (" << model.weights.size()
            << " bytes, weights crc32 " << weights_crc << ")\n";
  for (const auto& [key, value] : model.info) {
    std::cout << key << std::string(key.size() < 17 ? 17 - key.size() : 1, ' ') << value << "\n";
  }
  if (model.calibration) {
    const detector::Calibration& c = *model.calibration;
    char line[200];
    std::snprintf(line, sizeof line, "%.4g (%s; %llu clean units of %s)", c.threshold,
                  detector::describe_rate(c.false_alarm_rate).c_str(),
                  static_cast<unsigned long long>(c.functions), c.data.c_str());
    std::cout << "threshold        " << line << "\n";
    std::string others;
    for (double rate : {0.001, 0.01, 0.05}) {
      std::snprintf(line, sizeof line, "%s%g -> %.4g", others.empty() ? "" : ", ", rate,
                    detector::threshold_for_rate(c, rate));
      others += line;
    }
    std::cout << "  other rates    " << others << "\n";
  } else {
    std::cout << "threshold        not calibrated (scan uses 0.5; see `bugseek calibrate`)\n";
  }
  std::cout << "\n[detector config]\n" << detector::config_to_text(model.config);
  return 0;
}

}  // namespace bugseek::cli
