// `bugseek eval`: a model file against the synthetic suite (planted bugs in the held-out test
// split) or the real-bug suite (JSON Lines bug-fix pairs); markdown or JSON on stdout, an SVG
// precision-recall plot with --plots. One library call: eval::run_*_suite.
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "cli/options.h"
#include "common/error.h"
#include "common/fs.h"
#include "common/json.h"
#include "common/log.h"
#include "eval/report.h"
#include "eval/suites.h"
#include "scan/scanner.h"

namespace bugseek::cli {
namespace {

const char* kUsage =
    "usage: bugseek eval [--model FILE] [--suite synthetic|real] [--data FILE_OR_DIR]\n"
    "                    [--format md|json] [--plots DIR] [--predictions FILE] [--seed N]\n"
    "                    [--threshold P]\n"
    "\n"
    "Measures a detector as BugLab does: no-bug, localization, repair and joint accuracy per bug\n"
    "kind, the false alarm rate at --threshold, and precision/recall of \"bug found and fixed\" as\n"
    "the threshold varies.\n"
    "  synthetic  the test split of a prepared dataset (--data DIR, default runs/dataset), each\n"
    "             function once with a randomly planted bug (--seed) and once clean\n"
    "  real       JSON Lines bug-fix pairs (--data FILE, e.g. ../shared/realbugs/dev.jsonl),\n"
    "             each explained as one rewrite; unexplained pairs are counted and listed\n"
    "Without --model the newest runs/*/model-best.bugseek is used, else the model shipped with\n"
    "bugseek (models/python.bugseek).\n"
    "--predictions FILE writes one JSON line per evaluated sample (id, truth, the model's answer,\n"
    "the rank of the true site), to compare detectors sample by sample.";

struct EvalCommand {
  std::string model;
  std::string suite = "synthetic";
  std::string data;
  std::string format = "md";
  std::string plots;
  std::string predictions;
  eval::SuiteOptions suite_options;
};

}  // namespace

int run_eval(int argc, char** argv) {
  GeneralOptions general;
  EvalCommand cmd;
  eval::SuiteOptions& so = cmd.suite_options;
  po::options_description visible = general_group(general, true, true);
  po::options_description model_group("Model");
  model_group.add_options()("model", po::value(&cmd.model),
                            "model file written by `bugseek train` (default: newest "
                            "runs/*/model-best.bugseek, else the shipped models/python.bugseek)");
  po::options_description data_group("Data");
  data_group.add_options()("suite", po::value(&cmd.suite)->default_value(cmd.suite),
                           "synthetic | real")(
      "data", po::value(&cmd.data),
      "dataset directory (synthetic; default runs/dataset) or JSON Lines file (real; required)")(
      "max-functions", po::value(&so.max_functions)->default_value(so.max_functions),
      "synthetic: evaluate a seeded choice of this many test functions (0 = all)")(
      "max-nodes", po::value(&so.max_nodes)->default_value(so.max_nodes),
      "synthetic: skip functions whose graph has more nodes (0 = no limit)")(
      "batch-nodes", po::value(&so.batch_nodes)->default_value(so.batch_nodes),
      "graph nodes per detector batch");
  po::options_description output_group("Output");
  output_group.add_options()("format", po::value(&cmd.format)->default_value(cmd.format),
                             "md (markdown table) | json")(
      "plots", po::value(&cmd.plots), "write DIR/pr_curve.svg (precision-recall plot)")(
      "predictions", po::value(&cmd.predictions),
      "write FILE: JSON Lines, one per sample (buggy before its clean twin): id, buggy, kind, "
      "predicted_no_bug, p_no_bug, bug_confidence, num_sites; buggy: site_correct, "
      "repair_correct, joint, true_site_rank (1 = the localizer's best site)")(
      "threshold", po::value(&so.threshold)->default_value(so.threshold),
      "confidence p(location) * p(repair) at which a warning is raised, in [0, 1]");
  visible.add(model_group).add(data_group).add(output_group);
  po::variables_map vm;
  if (!parse_command_line(argc, argv, kUsage, visible, {}, {}, vm, general)) return 0;

  if (cmd.suite != "synthetic" && cmd.suite != "real") {
    throw UsageError("--suite must be synthetic or real, not '" + cmd.suite + "'");
  }
  if (cmd.format != "md" && cmd.format != "json") {
    throw UsageError("--format must be md or json, not '" + cmd.format + "'");
  }
  if (!(so.threshold >= 0 && so.threshold <= 1)) {
    throw UsageError("--threshold must be a probability in [0, 1]");
  }
  if (so.batch_nodes <= 0) throw UsageError("--batch-nodes must be positive");
  if (cmd.data.empty()) {
    if (cmd.suite == "real") {
      throw UsageError("the real suite needs --data FILE (JSON Lines bug-fix pairs, e.g. "
                       "../shared/realbugs/dev.jsonl)");
    }
    cmd.data = "runs/dataset";
  }
  so.seed = general.seed;
  so.keep_outcomes = !cmd.predictions.empty();
  so.threads = resolve_threads(general.threads);

  cmd.model = scan::resolve_model(cmd.model, "eval");
  const detector::ModelFile model = detector::load_model_file(cmd.model);
  eval::EvalReport report = cmd.suite == "real" ? eval::run_real_suite(model, cmd.data, so)
                                                : eval::run_synthetic_suite(model, cmd.data, so);
  report.model = cmd.model;
  if (cmd.format == "json") {
    json::DumpOptions dump;
    dump.indent = 2;
    std::cout << json::dump(eval::report_to_json(report), dump) << "\n";
  } else {
    eval::MarkdownOptions md;
    if (cmd.suite == "synthetic") md.max_skipped_listed = 20;
    std::cout << eval::render_markdown(report, md);
  }
  if (!cmd.predictions.empty()) {
    write_file_atomic(cmd.predictions, eval::predictions_to_jsonl(report));
    log_info("eval", "wrote ", report.predictions.size(), " predictions to ", cmd.predictions);
  }
  if (!cmd.plots.empty()) {
    const auto path = eval::write_plots(cmd.plots, report);
    log_info("eval", "wrote ", path.string());
  }
  return 0;
}

}  // namespace bugseek::cli
