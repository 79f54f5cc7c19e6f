// runs/<time>/report.html: the pictures of a training run, so a person can see training go
// wrong. train/ collects plain numbers (curves, per-kind accuracies, the selector's bug-kind mix,
// per-layer histograms) at each validation and calls write_training_report; this unit only draws.
// Self-contained HTML with inline SVG: no scripts, no network, no external fonts.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "common/svg_plot.h"

namespace bugseek::eval {

struct NamedHistogram {
  std::string name;           // layer or tensor name ("encoder.layers.0.weight")
  std::vector<double> edges;  // counts.size() + 1 bin edges
  std::vector<double> counts;
};

struct TrainingReportData {
  std::string title = "bugseek training run";
  std::string updated;  // shown as "updated ..."; the caller formats the time (keeps this pure)
  std::vector<std::pair<std::string, std::string>> facts;  // key/value table: run dir, step, ...
  std::vector<std::string> notes;  // free lines (doctor results, warnings), shown as a list

  std::vector<svg::Series> losses;      // x = step; e.g. "detector", "selector", "val detector"
  std::vector<svg::Series> accuracies;  // x = step, y in [0, 1]; e.g. "val joint", "train loc"

  std::vector<std::string> kind_names;  // bug kinds, index order of the per-kind fields below
  // Latest validation, per kind: metric_names[m] at kind k is latest_by_kind[m][k], in [0, 1].
  std::vector<std::string> latest_metric_names;  // e.g. {"localization", "repair", "joint"}
  std::vector<std::vector<double>> latest_by_kind;
  // Joint accuracy per kind over validations: kind_joint[k][i] at validation_steps[i].
  std::vector<double> validation_steps;
  std::vector<std::vector<double>> kind_joint;

  // The selector's bug-kind mix: mix[k][i] is how many (or what share of) planted bugs were of
  // kind k around mix_steps[i]. Drawn as shares.
  std::vector<double> mix_steps;
  std::vector<std::vector<double>> mix;

  // Training monitors: per tensor, log10 of its update-to-weight ratio per step at each
  // validation (x = step; drawn one chart per top-level module, the name before the first '.'),
  // and the latest validation batch's activations per layer over fixed bins.
  std::vector<svg::Series> update_ratios;
  std::vector<NamedHistogram> weight_histograms;
  std::vector<NamedHistogram> activation_histograms;
};

// The report as one HTML document. Sections with no data say so instead of drawing empty charts.
// Throws Error when shapes disagree (e.g. a kind row shorter than the steps).
std::string render_training_report(const TrainingReportData& data);

// Renders and writes `path` atomically (temp file + rename), so a browser never sees half a file.
void write_training_report(const std::filesystem::path& path, const TrainingReportData& data);

}  // namespace bugseek::eval
