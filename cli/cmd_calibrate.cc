// `bugseek calibrate --model FILE [--data DATASET]`: scores the clean functions of a prepared
// dataset's validation split with the model, picks the threshold that keeps false alarms at the
// requested rate, and rewrites the model file (atomically) with that calibration, so `scan` uses
// it by default. One library call: scan::calibrate_model_file. Works on any model, the shipped one
// included, without retraining.
#include <cstdio>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "cli/options.h"
#include "common/error.h"
#include "common/log.h"
#include "detector/model_file.h"
#include "scan/calibrate.h"
#include "scan/result_cache.h"

namespace bugseek::cli {

int run_calibrate(int argc, char** argv) {
  GeneralOptions general;
  scan::CalibrateOptions opts;
  std::string model_path, out_path, cache;
  bool no_cache = false;
  po::options_description visible = general_group(general, true, false);
  po::options_description group("Calibration");
  group.add_options()("model", po::value(&model_path)->required(), "model file to calibrate")(
      "data", po::value(&opts.data)->default_value(opts.data),
      "dataset made by `bugseek prepare` (its files.tsv lists each file's split)")(
      "split", po::value(&opts.split)->default_value(opts.split),
      "split whose files are taken as clean code: valid | test")(
      "max-false-alarm-rate",
      po::value(&opts.false_alarm_rate)->default_value(opts.false_alarm_rate),
      "share of clean functions the threshold may flag (0.005 = 1 in 200)")(
      "out", po::value(&out_path), "write the calibrated model here (default: over --model)")(
      "cache", po::value(&cache),
      "scan result cache (default: $XDG_CACHE_HOME/bugseek, else ~/.cache/bugseek)")(
      "no-cache", po::bool_switch(&no_cache), "neither read nor write the result cache");
  visible.add(group);
  po::options_description hidden;
  po::positional_options_description positional;
  po::variables_map vm;
  const char* usage =
      "usage: bugseek calibrate --model FILE [--data DATASET] [--max-false-alarm-rate R]\n"
      "                         [--out FILE]\n\n"
      "Scores every function of the dataset's validation files with the model (taking that code\n"
      "as clean), picks the smallest threshold that flags at most the given share of them, and\n"
      "stores it, with the score distribution, in the model file (rewritten atomically; the\n"
      "weights are untouched). `bugseek scan` then uses that threshold by default, `scan\n"
      "--max-false-alarm-rate` picks another rate from the stored scores, and `bugseek inspect`\n"
      "shows it.";
  if (!parse_command_line(argc, argv, usage, visible, hidden, positional, vm, general)) return 0;
  if (!(opts.false_alarm_rate >= 0 && opts.false_alarm_rate <= 1)) {
    throw UsageError("--max-false-alarm-rate must be in [0, 1]");
  }
  if (opts.split != "valid" && opts.split != "test" && opts.split != "train") {
    throw UsageError("--split must be valid, test or train");
  }
  opts.scan.threads = resolve_threads(general.threads);
  opts.scan.progress = !general.quiet;
  if (!no_cache)
    opts.scan.cache_dir = vm.count("cache") ? cache : scan::default_cache_dir().string();

  if (out_path.empty()) out_path = model_path;
  const scan::CalibrateResult r = scan::calibrate_model_file(model_path, opts, out_path);
  const detector::Calibration& c = r.calibration;
  char line[256];
  std::snprintf(line, sizeof line, "threshold %.4g: %s (%llu units of %llu files scored in %.1f s)",
                c.threshold, detector::describe_rate(c.false_alarm_rate).c_str(),
                static_cast<unsigned long long>(c.functions),
                static_cast<unsigned long long>(r.stats.files_scanned), r.stats.seconds);
  std::cout << "calibrated " << out_path << "\n" << line << "\n";
  for (double rate : {0.001, 0.005, 0.01, 0.05}) {
    std::snprintf(line, sizeof line, "  at %-6g -> threshold %.4g", rate,
                  detector::threshold_for_rate(c, rate));
    std::cout << line << "\n";
  }
  return 0;
}

}  // namespace bugseek::cli
