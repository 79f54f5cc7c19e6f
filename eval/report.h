// What `bugseek eval` prints: a markdown table for people (stdout), JSON for machines
// (--format json) and an SVG precision-recall plot (--plots DIR). Built from Metrics alone, so
// the same writers serve the synthetic and the real-bug suites and the README's comparisons.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "common/json.h"
#include "eval/metrics.h"

namespace bugseek::eval {

// An input the suite could not evaluate (e.g. a real pair no single rewrite explains).
struct SkippedInput {
  std::string id;
  std::string reason;
};

// One evaluated sample, for `eval --predictions`: which input it came from and how it went.
struct SamplePrediction {
  std::string id;  // the function (file:name) or the real pair's id; buggy and clean twins share it
  SampleOutcome outcome;
};

struct EvalReport {
  std::string suite;  // "synthetic" or "real"
  std::string model;  // model file, as given
  std::string data;   // data file or directory, as given
  uint64_t seed = 0;
  int64_t inputs = 0;  // functions or pairs read, before skipping
  std::vector<SkippedInput> skipped;
  Metrics metrics;
  std::vector<SamplePrediction> predictions;  // filled when SuiteOptions::keep_outcomes is set
};

struct MarkdownOptions {
  size_t max_skipped_listed = SIZE_MAX;  // skipped inputs listed one per line; the rest counted
};

// The markdown report of `report`: header facts, one row per bug kind plus "all", the operating
// point at the threshold, and the skipped inputs with reasons.
std::string render_markdown(const EvalReport& report, const MarkdownOptions& options = {});

// Several runs side by side (e.g. learned vs random selector): one row per run and metric
// column, then joint accuracy per kind with one column per run.
std::string render_comparison_markdown(const std::vector<std::pair<std::string, Metrics>>& runs);

// JSON for one Metrics: counts and rates overall and per kind, threshold point, AP, and the PR
// curve thinned to at most `max_pr_points` points (0 = all; the end points are always kept).
json::Value metrics_to_json(const Metrics& metrics, size_t max_pr_points = 200);

// The whole report as JSON (metrics_to_json under "metrics", plus suite facts and skipped list).
json::Value report_to_json(const EvalReport& report, size_t max_pr_points = 200);

// An SVG precision-recall plot with one line per named run.
std::string render_pr_curve_svg(const std::vector<std::pair<std::string, const Metrics*>>& runs,
                                const std::string& title);

// Writes DIR/pr_curve.svg (atomically) for `report`; returns the path written.
// JSON Lines, one object per sample in evaluation order (each buggy sample before its clean
// twin): id, buggy, kind, predicted_no_bug, p_no_bug, bug_confidence, num_sites, and for buggy
// samples site_correct, repair_correct, joint and true_site_rank.
std::string predictions_to_jsonl(const EvalReport& report);

std::filesystem::path write_plots(const std::filesystem::path& dir, const EvalReport& report);

// "81.3%" (one decimal) or "n/a" when total is 0: how every rate is shown in markdown.
std::string percent(const Ratio& ratio);

}  // namespace bugseek::eval
