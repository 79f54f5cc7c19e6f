// The inference artifact: one self-describing, versioned file that `scan` and `eval` load alone.
// It holds the detector config, the SentencePiece model (so tokenization cannot drift from the
// weights), the language and grammar version the node types come from, the weights, and a few
// facts about how it was trained. Stored as a SectionFile ("bugseek-model"), written atomically.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "detector/calibration.h"
#include "detector/detector.h"

namespace bugseek::detector {

constexpr uint32_t kModelFormatVersion = 1;
constexpr const char* kModelFormatName = "bugseek-model";

struct ModelFile {
  DetectorConfig config;
  std::string vocab_model;      // SentencePiece model bytes
  std::string language;         // "python"
  std::string grammar_version;  // of the grammar the node type ids come from
  std::string weights;          // Detector::save_weights()
  std::map<std::string, std::string> info;  // step, selector, run dir, validation numbers...
  // The false-alarm calibration (`bugseek calibrate`); absent in uncalibrated and older files.
  // An optional section: older binaries ignore it, so the format version stays 1.
  std::optional<Calibration> calibration;
};

void save_model_file(const std::filesystem::path& path, const ModelFile& model);
// Throws Error naming the path on corrupt files, on a format newer than this binary, and on a
// grammar version other than the one compiled in.
ModelFile load_model_file(const std::filesystem::path& path);

// Builds a Detector from a loaded model file (weights loaded) on `device`.
Detector make_detector(const ModelFile& model, DeviceKind device);

}  // namespace bugseek::detector
