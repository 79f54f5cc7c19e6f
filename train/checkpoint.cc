#include "train/checkpoint.h"

#include <sstream>

#include "common/error.h"
#include "common/fs.h"
#include "common/section_file.h"

namespace bugseek::train {
namespace {

std::string progress_to_text(const Progress& p) {
  std::ostringstream out;
  out.precision(17);
  out << "step=" << p.step << "\ncursor=" << p.cursor << "\nelapsed_s=" << p.elapsed_s
      << "\nbest_joint=" << p.best_joint << "\nbest_step=" << p.best_step
      << "\nstalls=" << p.stalls << "\ngraphs_seen=" << p.graphs_seen << "\n";
  return out.str();
}

Progress progress_from_text(const std::string& text, const std::string& where) {
  Progress p;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    try {
      if (key == "step") p.step = std::stoull(value);
      else if (key == "cursor") p.cursor = std::stoull(value);
      else if (key == "elapsed_s") p.elapsed_s = std::stod(value);
      else if (key == "best_joint") p.best_joint = std::stod(value);
      else if (key == "best_step") p.best_step = std::stoull(value);
      else if (key == "stalls") p.stalls = std::stoi(value);
      else if (key == "graphs_seen") p.graphs_seen = std::stoull(value);
    } catch (const std::exception&) {
      throw_error("load_state", where, "bad progress value '" + line + "'");
    }
  }
  return p;
}

}  // namespace

void save_state(const std::filesystem::path& path, const TrainState& state) {
  SectionFile file;
  file.format = "bugseek-train-state";
  file.version = kStateFormatVersion;
  file.sections["config"] = state.config_text;
  file.sections["progress"] = progress_to_text(state.progress);
  file.sections["detector"] = state.detector_weights;
  file.sections["detector_optimizer"] = state.detector_optimizer;
  file.sections["selector"] = state.selector_weights;
  file.sections["selector_optimizer"] = state.selector_optimizer;
  file.sections["history"] = state.history;
  save_section_file(path, file);
}

TrainState load_state(const std::filesystem::path& path) {
  return parse_state(read_file(path), path.string());
}

TrainState parse_state(std::string_view bytes, const std::string& where) {
  SectionFile file = parse_sections(bytes, where);
  if (file.format != "bugseek-train-state") {
    throw_error("load_state", where, "not a training state file ('" + file.format + "')");
  }
  if (file.version > kStateFormatVersion) {
    throw_error("load_state", where, "state format is newer than this bugseek");
  }
  TrainState s;
  s.config_text = file.at("config");
  s.progress = progress_from_text(file.at("progress"), where);
  s.detector_weights = file.at("detector");
  s.detector_optimizer = file.at("detector_optimizer");
  s.selector_weights = file.at("selector");
  s.selector_optimizer = file.at("selector_optimizer");
  s.history = file.at("history");
  return s;
}

}  // namespace bugseek::train
