#include "detector/model_file.h"

#include <sstream>

#include "common/error.h"
#include "common/section_file.h"
#include "parser/language.h"

namespace bugseek::detector {

void save_model_file(const std::filesystem::path& path, const ModelFile& model) {
  SectionFile file;
  file.format = kModelFormatName;
  file.version = kModelFormatVersion;
  file.sections["config"] = config_to_text(model.config);
  file.sections["vocab"] = model.vocab_model;
  file.sections["language"] = model.language;
  file.sections["grammar_version"] = model.grammar_version;
  file.sections["weights"] = model.weights;
  std::string info;
  for (const auto& [key, value] : model.info) info += key + "=" + value + "\n";
  file.sections["info"] = info;
  if (model.calibration) file.sections["calibration"] = calibration_to_text(*model.calibration);
  save_section_file(path, file);
}

ModelFile load_model_file(const std::filesystem::path& path) {
  SectionFile file = load_section_file(path);
  const std::string where = path.string();
  if (file.format != kModelFormatName) {
    throw_error("load_model_file", where,
                "not a model file (it is a '" + file.format + "' file)");
  }
  if (file.version > kModelFormatVersion) {
    throw_error("load_model_file", where,
                "model format version " + std::to_string(file.version) +
                    " is newer than this bugseek understands (" +
                    std::to_string(kModelFormatVersion) + "); upgrade bugseek");
  }
  ModelFile model;
  model.config = config_from_text(file.at("config"));
  model.vocab_model = file.at("vocab");
  model.language = file.at("language");
  model.grammar_version = file.at("grammar_version");
  model.weights = file.at("weights");
  const parser::Language* language = parser::find_language(model.language);
  if (language == nullptr) {
    throw_error("load_model_file", where, "unknown language '" + model.language + "'");
  }
  if (language->grammar_version != model.grammar_version) {
    throw_error("load_model_file", where,
                "trained with " + model.language + " grammar " + model.grammar_version +
                    " but this bugseek has " + language->grammar_version);
  }
  std::istringstream info(file.at("info"));
  for (std::string line; std::getline(info, line);) {
    auto eq = line.find('=');
    if (eq != std::string::npos) model.info[line.substr(0, eq)] = line.substr(eq + 1);
  }
  if (const auto it = file.sections.find("calibration"); it != file.sections.end()) {
    try {
      model.calibration = calibration_from_text(it->second);
    } catch (const Error& e) {
      throw_error("load_model_file", where, std::string("bad calibration section: ") + e.what());
    }
  }
  return model;
}

Detector make_detector(const ModelFile& model, DeviceKind device) {
  Detector detector(model.config, /*seed=*/0, device);
  detector.load_weights(model.weights);
  return detector;
}

}  // namespace bugseek::detector
