// What a run remembers for its pictures: the training curves (raw and smoothed), validation
// results per bug kind, the selector's bug-kind mix over time, the monitors' update ratios and the
// latest activations per layer. Kept in the resume state (as JSON lines) so a resumed run's
// report.html still shows the whole run. Torch-free: the trainer passes weight histograms in as
// plain numbers.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "detector/activations.h"
#include "eval/training_report.h"
#include "parser/rewrites.h"
#include "train/checkpoint.h"
#include "train/validation.h"

namespace bugseek::train {

struct ReportHistory {
  struct StepPoint {
    uint64_t step;
    double det_loss, sel_loss, joint;
    double det_loss_ema;  // exponential moving average of det_loss over every step (kLossEmaWeight)
  };
  struct ValidPoint {
    uint64_t step;
    double loss, no_bug, loc, repair, joint, overall;
    std::array<double, parser::kNumBugKinds> kind_loc{}, kind_repair{}, kind_joint{};
    std::array<int64_t, parser::kNumBugKinds> kind_count{};
  };
  struct MixPoint {
    uint64_t step;
    std::array<int64_t, parser::kNumBugKinds> planted{};
  };
  std::vector<StepPoint> steps;   // thinned: at most ~2000 points are kept
  std::vector<ValidPoint> validations;
  std::vector<MixPoint> mix;
  // Real bugs validated beside the planted ones: held-out real fixes (--real-fixes) and real-bug
  // files watched with --real-data, one curve per source.
  struct RealPoint {
    uint64_t step;
    double loss, loc, joint;
    std::string source = "real fixes (held out)";
  };
  std::vector<RealPoint> real;
  // Monitors at each validation: update ratios of the weight matrices (train/monitors.h).
  struct MonitorPoint {
    uint64_t step;
    uint64_t steps_since;  // training steps the ratios span
    std::vector<std::string> names;
    std::vector<double> update_ratios;
  };
  std::vector<MonitorPoint> monitors;
  uint64_t activations_step = 0;
  std::vector<detector::ActivationStats> activations;  // the latest validation's only

  void add_step(uint64_t step, double det_loss, double sel_loss, double joint);
  void add_validation(uint64_t step, const ValidationResult& v);
  void add_kind_mix(uint64_t step, const std::array<int64_t, parser::kNumBugKinds>& planted);
  void add_real_validation(uint64_t step, const ValidationResult& v,
                           const std::string& source = "real fixes (held out)");
  // Update ratios (name, ratio) over `steps_since` steps, and the activations at `step`.
  void add_monitor(uint64_t step, uint64_t steps_since,
                   const std::vector<std::pair<std::string, double>>& update_ratios,
                   std::vector<detector::ActivationStats> activations);

  std::string to_text() const;  // JSON lines
  static ReportHistory from_text(const std::string& text);
};

// Weight of the newest step in the smoothed training loss (about a 20-step window).
constexpr double kLossEmaWeight = 0.05;

// Builds the report data (raw and smoothed curves, per-kind bars, mix, update ratios, the latest
// activation histograms and the given weight histograms) and writes it.
void write_run_report(const std::filesystem::path& path, const ReportHistory& history,
                      std::vector<eval::NamedHistogram> weight_histograms,
                      std::vector<std::pair<std::string, std::string>> facts);

// `bins` equal-width bins over [min, max] of `values`.
eval::NamedHistogram make_histogram(std::string name, const std::vector<float>& values, int bins);

}  // namespace bugseek::train
