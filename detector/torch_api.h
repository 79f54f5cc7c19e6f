// The detector seen with tensors, for train/ (optimizer, backward, checkpoints) and for tests.
// Includes torch: keep it out of headers that torch-free code includes.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <torch/nn/module.h>

#include "data/batch.h"
#include "detector/detector.h"

namespace bugseek::detector {

struct ForwardOutput {
  at::Tensor loss;              // [] mean per-sample loss, with autograd history
  at::Tensor per_sample_loss;   // [G] localization NLL + repair NLL per graph
  at::Tensor log_prob_correct;  // [G] log p(true site or NO_BUG) + log p(true repair | site)
  at::Tensor site_logp;         // [S] log p(site) in its graph's softmax (batch site order)
  LossOutput metrics;           // the same numbers on the CPU, plus accuracies
};

// One forward pass with gradients in the detector's current mode (set_training). Call
// loss.backward() and step an optimizer over parameters(detector).
ForwardOutput forward(Detector& detector, const data::Batch& batch);

std::vector<at::Tensor> parameters(Detector& detector);
std::vector<std::pair<std::string, at::Tensor>> named_parameters(Detector& detector);
at::Device device_of(const Detector& detector);
torch::nn::Module& module(Detector& detector);

}  // namespace bugseek::detector
