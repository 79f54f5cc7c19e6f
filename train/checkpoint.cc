#include "train/checkpoint.h"

#include <cstdio>
#include <sstream>
#include <vector>

#include "common/checksum.h"
#include "common/error.h"
#include "common/fault.h"
#include "common/fs.h"
#include "common/section_file.h"

namespace bugseek::train {
namespace fs = std::filesystem;
namespace {

std::string identity(const std::string& what, std::string_view bytes) {
  char id[96];
  std::snprintf(id, sizeof id, "%s crc32 %08x, %zu bytes", what.c_str(), crc32(bytes),
                bytes.size());
  return id;
}

std::string progress_to_text(const Progress& p) {
  std::ostringstream out;
  out.precision(17);
  out << "step=" << p.step << "\ncursor=" << p.cursor << "\nelapsed_s=" << p.elapsed_s
      << "\nbest_overall=" << p.best_overall << "\nbest_step=" << p.best_step
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
      else if (key == "best_overall" || key == "best_joint") p.best_overall = std::stod(value);
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

void record_or_check_run_inputs(const fs::path& run_dir, bool resume, std::string_view vocabulary,
                                std::string_view manifest, const std::string& vocab_source,
                                const std::string& data_source) {
  const std::vector<std::string> now = {identity("vocabulary", vocabulary),
                                        identity("dataset manifest", manifest)};
  const fs::path record = run_dir / kInputsRecordName;
  if (!resume) {
    write_file_atomic(record, now[0] + "\n" + now[1] + "\n");
    return;
  }
  if (!fs::exists(record)) return;  // a run from before this record existed
  std::istringstream in(read_file(record));
  std::vector<std::string> recorded;
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) recorded.push_back(line);
  }
  for (size_t i = 0; i < now.size(); ++i) {
    const std::string was = i < recorded.size() ? recorded[i] : "(not recorded)";
    if (was == now[i] || test_fault("resume-ignores-mismatch")) continue;
    throw UsageError(
        "--resume: this run started with another " + std::string(i == 0 ? "vocabulary" : "dataset") +
        " (" + was + ") than the one it would read now (" + now[i] + ", from " +
        (i == 0 ? vocab_source : data_source) +
        "); resume with the dataset the run started with (--data), or start a new run");
  }
}

}  // namespace bugseek::train
