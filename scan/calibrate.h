// `bugseek calibrate`: picks a model's finding threshold for a false-alarm rate from the scores it
// gives clean code, the files of a prepared dataset's validation split (files.tsv), scanned by
// the same code path as `bugseek scan` at threshold 0 (every checked unit's best guess is a
// score; a unit without a valid proposal scores 0). The dataset's code is taken as clean: the
// threshold bounds how often scan flags code like it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "detector/calibration.h"
#include "detector/model_file.h"
#include "scan/scanner.h"

namespace bugseek::scan {

struct CalibrateOptions {
  std::string data = "runs/dataset";  // prepared dataset (bugseek prepare)
  std::string split = "valid";        // its split whose files are scored
  double false_alarm_rate = detector::kDefaultFalseAlarmRate;
  ScanOptions scan;  // threads, cache, sizes (threshold etc. are overridden)
};

// The files of `split` in `data_dir`/files.tsv, exact duplicates left out, that still exist.
// Throws UsageError when there is no files.tsv or no such file.
std::vector<std::filesystem::path> dataset_split_files(const std::filesystem::path& data_dir,
                                                       const std::string& split);

struct CalibrateResult {
  detector::Calibration calibration;
  ScanStats stats;  // of the scan that produced the scores
};

// Scores every checked unit of the split's files with `model` and calibrates at the rate.
CalibrateResult calibrate_model(const detector::ModelFile& model, const CalibrateOptions& options);

// Loads the model file at `model_path`, calibrates it (calibrate_model) and writes it with its
// calibration to `out_path` (empty: over `model_path`), atomically; the weights are untouched.
// What `bugseek calibrate` runs, and what training calls on its best model at the end of a run.
CalibrateResult calibrate_model_file(const std::filesystem::path& model_path,
                                     const CalibrateOptions& options,
                                     const std::filesystem::path& out_path = {});

}  // namespace bugseek::scan
