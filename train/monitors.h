// Training's monitors, taken at every validation so that a run shows its own trouble while it
// trains: per parameter tensor the update-to-weight ratio since the previous validation and the
// gradient norm of the latest step, per detector layer the activations on the validation batch
// (detector/activations.h). The trainer appends them to metrics.jsonl as {"type":"monitor"} and
// logs MonitorAlarms' warnings. Torch-free header; monitors.cc reads the tensors.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/json.h"
#include "detector/activations.h"
#include "detector/detector.h"
#include "train/report.h"

namespace bugseek::train {

struct TensorMonitor {
  std::string name;  // parameter name, e.g. "gnn.layer0.update.weight"
  int64_t dims = 0;  // tensor rank: 2 and more are weight matrices
  int64_t numel = 0;
  double weight_norm = 0;     // L2 norm now
  double reference_norm = 0;  // L2 norm at the previous validation
  // ||W - W_prev|| / ||W_prev|| with W_prev the weights at the previous validation (or at the
  // start or resume of training); NaN when W_prev is zero and W moved.
  double update_ratio = 0;
  double grad_norm = 0;  // L2 norm of the latest step's gradient (before clipping); 0 if none
};

struct MonitorSnapshot {
  uint64_t step = 0;
  uint64_t steps_since = 0;  // training steps since the previous validation (or start / resume)
  std::vector<TensorMonitor> tensors;
  std::vector<detector::ActivationStats> activations;
};

// The metrics.jsonl record: {"type":"monitor","step":..,"steps_since":..,"tensors":[{"name",
// "update_ratio","grad_norm","weight_norm"}..],"activations":[{"layer","rows","units","mean",
// "std","dead_fraction"}..]}. Non-finite numbers are written as null.
json::Value monitor_record(const MonitorSnapshot& m);

// One grep-able log line: "step N | update/step median X max Y (tensor) | grad norm max Z
// (tensor) | activations std A..B, dead max D% (layer)".
std::string monitor_summary(const MonitorSnapshot& m);

// What the monitors keep between validations: a copy of the weights at the previous validation
// and the gradient norms of the latest step.
// Per weight matrix of `detector` (biases and norms say little), a histogram of its values in
// `bins` equal bins, for report.html.
std::vector<eval::NamedHistogram> weight_histograms(detector::Detector& detector, int bins);

class ParameterMonitor {
 public:
  // The weights of `detector` now (at `step`) become the reference.
  ParameterMonitor(detector::Detector& detector, uint64_t step);
  ~ParameterMonitor();
  ParameterMonitor(const ParameterMonitor&) = delete;
  ParameterMonitor& operator=(const ParameterMonitor&) = delete;

  // Call after backward and before clipping: keeps each parameter's gradient norm.
  void record_gradients();
  // Numbers of every parameter tensor at `step` against the reference; the weights now become
  // the next reference.
  MonitorSnapshot measure(uint64_t step);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Ratios per training step above this mean a tensor explodes (Adam moves a weight by about the
// learning rate per step, about 1e-3 of its norm; 1e-1 is far beyond any sane step). Judged per
// step because a validation interval of a few hundred steps moves young weights by more than 10%
// of their norm in healthy training.
constexpr double kMaxUpdateRatioPerStep = 1e-1;
// Tensors whose RMS at the previous validation was below this (zero-initialized biases on their
// way up) have no scale yet: their ratio is not judged as exploding.
constexpr double kMinJudgedRms = 1e-2;

// The warnings of one validation, each given once per occurrence (again only after the
// condition has cleared): a tensor whose update ratio is exactly zero (it did not move); one that
// explodes: weights or ratio not finite, or a ratio above kMaxUpdateRatioPerStep per step while
// the tensor did not shrink (a bias crossing zero has a large ratio and is fine) and had a scale
// (kMinJudgedRms); a gradient norm that is not finite; validation numbers equal to the previous
// validation's (the last two of `validations`).
class MonitorAlarms {
 public:
  std::vector<std::string> check(const MonitorSnapshot& m,
                                 const std::vector<ReportHistory::ValidPoint>& validations);

 private:
  std::set<std::string> active_;  // "<tensor>|<condition>" now raised
};

}  // namespace bugseek::train
