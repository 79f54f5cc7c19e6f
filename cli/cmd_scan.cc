// `bugseek scan PATH...`: runs a trained detector over files and folders and reports suspected
// bugs, most confident first, as compiler-style text, JSON or SARIF. One library call:
// scan::scan_paths. Exit 0, or 3 with --fail-on-findings when something was found.
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
#include "scan/scanner.h"

#ifndef BUGSEEK_VERSION
#define BUGSEEK_VERSION "unknown"
#endif

namespace bugseek::cli {
namespace {

const char* kUsage =
    "usage: bugseek scan PATH... [--model FILE] [--threshold P] [--top N]\n"
    "                    [--format text|json|sarif] [--fail-on-findings] [--threads N]\n"
    "\n"
    "Looks for single-token bugs (variable misuse, wrong operators, swapped arguments, wrong\n"
    "literals) in the source files under PATH (hidden, version-control and binary files are\n"
    "skipped). Findings go to stdout, most confident first; the summary goes to stderr.\n"
    "Without --model the newest runs/*/model-best.bugseek is used, else the model shipped\n"
    "with bugseek (models/python.bugseek).\n"
    "Exit status: 0, or 3 with --fail-on-findings when there are findings; 2 on usage errors.";

struct ScanCommand {
  std::vector<std::string> paths;
  std::string model;
  std::string format = "text";
  bool fail_on_findings = false;
  scan::ScanOptions options;
};

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
  scan_group.add_options()("threshold", po::value(&so.threshold)->default_value(so.threshold),
                           "report findings with p(location) * p(repair) >= P, in [0, 1]")(
      "top", po::value(&so.top)->default_value(so.top),
      "report at most N findings, most confident first (0 = all)")(
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
  if (!(so.threshold >= 0 && so.threshold <= 1)) {
    throw UsageError("--threshold must be a probability in [0, 1]");
  }
  if (so.top < 0) throw UsageError("--top must be 0 (all) or positive");
  if (so.batch_nodes <= 0) throw UsageError("--batch-nodes must be positive");
  std::vector<std::filesystem::path> roots;
  for (const std::string& p : cmd.paths) {
    std::error_code ec;
    if (!std::filesystem::exists(p, ec)) throw UsageError("no such file or directory: " + p);
    roots.emplace_back(p);
  }
  so.threads = resolve_threads(general.threads);
  so.progress = !general.quiet;

  const detector::ModelFile model = detector::load_model_file(scan::resolve_model(cmd.model, "scan"));
  const scan::ScanResult result = scan::scan_paths(roots, model, so);

  for (const scan::FileProblem& p : result.problems) {
    std::cerr << p.path << ": warning: not scanned: " << p.problem << "\n";
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
      out.set("summary", scan::summary_to_json(result));
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
