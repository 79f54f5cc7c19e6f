#include "scan/calibrate.h"

#include <sstream>

#include "common/error.h"
#include "common/fs.h"
#include "common/log.h"

namespace bugseek::scan {

namespace fs = std::filesystem;

std::vector<fs::path> dataset_split_files(const fs::path& data_dir, const std::string& split) {
  const fs::path tsv = data_dir / "files.tsv";
  std::error_code ec;
  if (!fs::is_regular_file(tsv, ec)) {
    throw UsageError("no " + tsv.string() +
                     ": pass a dataset made by `bugseek prepare --out DIR` with --data DIR");
  }
  std::vector<fs::path> files;
  std::istringstream in(read_file(tsv));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    // path \t split \t status \t canonical
    const size_t a = line.find('\t');
    const size_t b = a == std::string::npos ? a : line.find('\t', a + 1);
    const size_t c = b == std::string::npos ? b : line.find('\t', b + 1);
    if (c == std::string::npos) continue;
    if (line.compare(a + 1, b - a - 1, split) != 0) continue;
    if (line.compare(b + 1, c - b - 1, "exact-duplicate") == 0) continue;
    fs::path path = line.substr(0, a);
    if (fs::is_regular_file(path, ec)) files.push_back(std::move(path));
  }
  if (files.empty()) {
    throw UsageError("no readable file of split '" + split + "' listed in " + tsv.string());
  }
  return files;
}

CalibrateResult calibrate_model(const detector::ModelFile& model, const CalibrateOptions& options) {
  const std::vector<fs::path> files = dataset_split_files(options.data, options.split);
  ScanOptions so = options.scan;
  so.threshold = 0;  // every checked unit's best guess, however unlikely
  so.top = 0;
  so.diff_rev.clear();
  so.baseline.clear();
  so.suppressions = false;  // the model's scores, whatever the code's comments say
  so.show_suppressed = false;
  const ScanResult result = scan_paths(files, model, so);
  std::vector<double> scores;
  scores.reserve(result.stats.units_checked);
  for (const eval::Finding& f : result.findings) scores.push_back(f.probability);
  while (scores.size() < result.stats.units_checked) scores.push_back(0);
  if (scores.empty())
    throw Error("calibrate: no unit of the " + options.split + " files was checked");
  CalibrateResult out;
  out.calibration =
      detector::calibrate(std::move(scores), options.false_alarm_rate,
                          str_cat(fs::absolute(options.data).lexically_normal().string(), " (",
                                  options.split, ": ", files.size(), " files)"));
  out.stats = result.stats;
  return out;
}

CalibrateResult calibrate_model_file(const fs::path& model_path, const CalibrateOptions& options,
                                     const fs::path& out_path) {
  detector::ModelFile model = detector::load_model_file(model_path);
  CalibrateResult r = calibrate_model(model, options);
  model.calibration = r.calibration;
  detector::save_model_file(out_path.empty() ? model_path : out_path, model);
  return r;
}

}  // namespace bugseek::scan
