// `bugseek scan PATH...`: runs a trained detector over files and folders and reports suspected
// bugs, most confident first, as compiler-style text, JSON or SARIF. One library call:
// scan::scan_paths. Exit 0, or 3 with --fail-on-findings when something was found.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "common/error.h"
#include "common/json.h"
#include "common/log.h"
#include "eval/findings.h"
#include "scan/result_cache.h"
#include "scan/scanner.h"

#ifndef BUGSEEK_VERSION
#define BUGSEEK_VERSION "unknown"
#endif

namespace bugseek::cli {
namespace {

const char* kUsage =
    "usage: bugseek scan PATH... [--model FILE] [--threshold P | --max-false-alarm-rate R]\n"
    "                    [--diff REV] [--baseline FILE] [--show-suppressed] [--top N]\n"
    "                    [--format text|json|sarif] [--fail-on-findings] [--threads N]\n"
    "                    [--cache DIR | --no-cache]\n"
    "\n"
    "Looks for single-token bugs (variable misuse, wrong operators, swapped arguments, wrong\n"
    "literals) in the source files under PATH (hidden, version-control and binary files are\n"
    "skipped). Findings go to stdout, most confident first; the summary goes to stderr.\n"
    "Without --model the newest runs/*/model-best.bugseek is used, else the model shipped\n"
    "with bugseek (models/python.bugseek).\n"
    "\n"
    "Threshold: a calibrated model (`bugseek calibrate`) reports a finding when its score is\n"
    "at or above the threshold that flagged at most 1 in 200 clean validation functions;\n"
    "--max-false-alarm-rate picks another rate, --threshold a score. Uncalibrated: 0.5.\n"
    "\n"
    "Suppressions: a comment `# bugseek: ignore` on a line silences findings there;\n"
    "`# bugseek: ignore[variable-misuse, wrong-literal]` only those kinds (the names in\n"
    "[bugseek/...] of each finding). --show-suppressed lists them, marked.\n"
    "\n"
    "Only what changed: --diff REV checks only functions whose lines differ from git revision\n"
    "REV (staged, unstaged and untracked changes included); --baseline FILE (an earlier\n"
    "--format json or sarif output) hides findings it already has, matched by file, function,\n"
    "kind and token, not by line. Results are cached (see --cache; pruned to --cache-max-mb),\n"
    "so rescanning unchanged code is fast.\n"
    "Exit status: 0, or 3 with --fail-on-findings when there are findings; 2 on usage errors.";

struct ScanCommand {
  std::vector<std::string> paths;
  std::string model;
  std::string format = "text";
  bool fail_on_findings = false;
  double threshold = -1;        // < 0: not given
  double false_alarm_rate = -1;  // < 0: not given
  std::string cache;
  bool no_cache = false;
  scan::ScanOptions options;
};

// The threshold to use and a note saying where it comes from.
double pick_threshold(const ScanCommand& cmd, const detector::ModelFile& model,
                      std::string& note) {
  char buf[64];
  if (cmd.threshold >= 0) {
    std::snprintf(buf, sizeof buf, "%.3g", cmd.threshold);
    note = str_cat("threshold ", buf, " (--threshold)");
    return cmd.threshold;
  }
  if (!model.calibration) {
    if (cmd.false_alarm_rate >= 0) {
      throw UsageError(
          "--max-false-alarm-rate needs a calibrated model; run `bugseek calibrate --model "
          "FILE` first, or pass --threshold");
    }
    note = "threshold 0.5 (the model is not calibrated, so how many false alarms this gives is "
           "unknown; see `bugseek calibrate`)";
    return 0.5;
  }
  const detector::Calibration& c = *model.calibration;
  const double rate = cmd.false_alarm_rate >= 0 ? cmd.false_alarm_rate : c.false_alarm_rate;
  const double t = cmd.false_alarm_rate >= 0 ? detector::threshold_for_rate(c, rate) : c.threshold;
  std::snprintf(buf, sizeof buf, "%.4g", t);
  note = str_cat("threshold ", buf, " (calibrated: ", detector::describe_rate(rate), " of the ",
                 c.functions, " it was calibrated on)");
  return t;
}

}  // namespace

int run_scan(int argc, char** argv) {
  GeneralOptions general;
  ScanCommand cmd;
  scan::ScanOptions& so = cmd.options;
  po::options_description visible = general_group(general, true, false);
  po::options_description model_group("Model");
  model_group.add_options()(
      "model", po::value(&cmd.model),
      "model file written by `bugseek train` (default: newest runs/*/model-best.bugseek, "
      "else the shipped models/python.bugseek)");
  po::options_description scan_group("Scan");
  scan_group.add_options()(
      "threshold", po::value(&cmd.threshold),
      "report findings with p(location) * p(repair) >= P, in [0, 1] (default: the model's "
      "calibrated threshold, else 0.5)")(
      "max-false-alarm-rate", po::value(&cmd.false_alarm_rate),
      "use the calibrated model's threshold for this share of clean functions flagged "
      "(e.g. 0.01 = 1 in 100; default: the rate it was calibrated for)")(
      "top", po::value(&so.top)->default_value(so.top),
      "report at most N findings, most confident first (0 = all)")(
      "diff", po::value(&so.diff_rev),
      "only functions changed since git revision REV, work-tree changes included")(
      "baseline", po::value(&so.baseline),
      "do not report findings already in FILE (an earlier --format json or sarif output)")(
      "show-suppressed", po::bool_switch(&so.show_suppressed),
      "also list findings silenced by `# bugseek: ignore` comments, marked as suppressed")(
      "cache", po::value(&cmd.cache),
      "result cache folder (default: $XDG_CACHE_HOME/bugseek, else ~/.cache/bugseek)")(
      "no-cache", po::bool_switch(&cmd.no_cache), "neither read nor write the result cache")(
      "cache-max-mb", po::value(&so.cache_max_mb)->default_value(so.cache_max_mb),
      "after the scan, prune the cache to this disk usage in MB, least recently used entries "
      "first (checked once an hour; 0 = no limit)")(
      "cache-max-days", po::value(&so.cache_max_days)->default_value(so.cache_max_days),
      "and remove entries unused for this many days, e.g. those of other models (0 = keep)")(
      "max-nodes", po::value(&so.max_nodes)->default_value(so.max_nodes),
      "skip functions whose graph has more nodes (0 = no limit)")(
      "batch-nodes", po::value(&so.batch_nodes)->default_value(so.batch_nodes),
      "graph nodes per detector batch")(
      "max-file-bytes", po::value(&so.max_file_bytes)->default_value(so.max_file_bytes),
      "skip larger files (0 = no limit)");
  po::options_description output_group("Output");
  output_group.add_options()("format", po::value(&cmd.format)->default_value(cmd.format),
                             "text (compiler style) | json | sarif (SARIF 2.1.0)")(
      "fail-on-findings", po::bool_switch(&cmd.fail_on_findings),
      "exit with status 3 when there are findings");
  visible.add(model_group).add(scan_group).add(output_group);
  po::options_description hidden;
  hidden.add_options()("path", po::value(&cmd.paths)->multitoken(), "files or folders to scan");
  po::positional_options_description positional;
  positional.add("path", -1);
  po::variables_map vm;
  if (!parse_command_line(argc, argv, kUsage, visible, hidden, positional, vm, general)) return 0;

  if (cmd.paths.empty()) throw UsageError("no PATH given: what should be scanned?");
  if (cmd.format != "text" && cmd.format != "json" && cmd.format != "sarif") {
    throw UsageError("--format must be text, json or sarif, not '" + cmd.format + "'");
  }
  if (vm.count("threshold") && !(cmd.threshold >= 0 && cmd.threshold <= 1)) {
    throw UsageError("--threshold must be a probability in [0, 1]");
  }
  if (vm.count("max-false-alarm-rate") &&
      !(cmd.false_alarm_rate >= 0 && cmd.false_alarm_rate <= 1)) {
    throw UsageError("--max-false-alarm-rate must be in [0, 1]");
  }
  if (vm.count("threshold") && vm.count("max-false-alarm-rate")) {
    throw UsageError("give --threshold or --max-false-alarm-rate, not both");
  }
  if (vm.count("cache") && cmd.no_cache) throw UsageError("give --cache or --no-cache, not both");
  if (vm.count("diff") && so.diff_rev.empty()) throw UsageError("--diff needs a revision");
  if (so.top < 0) throw UsageError("--top must be 0 (all) or positive");
  if (so.batch_nodes <= 0) throw UsageError("--batch-nodes must be positive");
  if (so.cache_max_days < 0) throw UsageError("--cache-max-days must be 0 (keep) or positive");
  if (so.cache_max_mb > (uint64_t{1} << 40)) throw UsageError("--cache-max-mb is too large");
  std::vector<std::filesystem::path> roots;
  for (const std::string& p : cmd.paths) {
    std::error_code ec;
    if (!std::filesystem::exists(p, ec)) throw UsageError("no such file or directory: " + p);
    roots.emplace_back(p);
  }
  if (!so.baseline.empty() && !std::filesystem::is_regular_file(so.baseline)) {
    throw UsageError("no such baseline file: " + so.baseline);
  }
  so.threads = resolve_threads(general.threads);
  so.progress = !general.quiet;
  if (!cmd.no_cache) {
    so.cache_dir = vm.count("cache") ? cmd.cache : scan::default_cache_dir().string();
  }

  const detector::ModelFile model =
      detector::load_model_file(scan::resolve_model(cmd.model, "scan"));
  std::string note;
  so.threshold = pick_threshold(cmd, model, note);
  log_info("scan", note);
  const scan::ScanResult result = scan::scan_paths(roots, model, so);

  for (const scan::FileProblem& p : result.problems) {
    std::cerr << scan::printable_path(p.path) << ": warning: not scanned: " << p.problem << "\n";
  }
  for (const scan::FileProblem& p : result.skipped) {
    std::cerr << scan::printable_path(p.path) << ": note: skipped: " << p.problem << "\n";
  }
  if (cmd.format == "text") {
    std::cout << eval::format_text(result.findings) << std::flush;
  } else {
    json::DumpOptions dump;
    dump.indent = 2;
    json::Value out;
    if (cmd.format == "json") {
      out = json::Value::object();
      out.set("findings", eval::findings_to_json(result.findings));
      json::Value summary = scan::summary_to_json(result);
      summary.set("threshold", so.threshold);
      out.set("summary", std::move(summary));
    } else {
      eval::SarifTool tool;
      tool.version = BUGSEEK_VERSION;
      out = eval::findings_to_sarif(result.findings, tool, scan::sarif_rules());
    }
    std::cout << json::dump(out, dump) << "\n";
  }
  if (!general.quiet) std::cerr << scan::format_summary(result);
  return cmd.fail_on_findings && result.stats.findings_total > 0 ? 3 : 0;
}

}  // namespace bugseek::cli
