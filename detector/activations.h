// What the detector's layers output on a batch, for training's monitors (train/monitors.h) and
// report.html: per layer the mean, spread and share of dead units of its activations, and a
// histogram over fixed bins so that layers and validations compare at a glance. Torch-free:
// detector.cc records the layer outputs, summarize_activations turns each into numbers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/batch.h"
#include "detector/detector.h"

namespace bugseek::detector {

// Histogram bins of every layer: kActivationBins equal bins over [-kActivationRange,
// kActivationRange]; values outside fall into the end bins.
constexpr int kActivationBins = 40;
constexpr double kActivationRange = 4.0;

struct ActivationStats {
  std::string layer;  // "embedding", "gnn.layer0", "gnn.layer0.gelu", "heads.loc_hidden", ...
  int64_t rows = 0;   // nodes, tokens, sites or graphs the layer saw
  int64_t units = 0;  // width of the layer
  double mean = 0, std = 0;  // over all rows x units values (population std)
  // Units that take one value on every row: never non-zero, or stuck at a saturated level. With
  // a single row, units that are exactly zero.
  double dead_fraction = 0;
  std::vector<double> histogram;  // kActivationBins counts, see activation_bin_edges()
};

// The kActivationBins + 1 edges of ActivationStats::histogram.
std::vector<double> activation_bin_edges();

// Statistics of `layer`'s output `values`, row-major [rows, units].
ActivationStats summarize_activations(std::string layer, const float* values, int64_t rows,
                                      int64_t units);

// Every monitored layer of `detector` on `batch`: one forward pass in eval mode without
// gradients (the mode is restored), so the model's outputs and weights are untouched.
std::vector<ActivationStats> activation_stats(Detector& detector, const data::Batch& batch);

}  // namespace bugseek::detector
