// `bugseek doctor`: the pipeline checks itself before it trains, because a broken pipeline still
// trains "well enough". Each check reports pass/fail with the numbers behind it: splits share no
// function, planted bugs round-trip, the initial loss matches uniform predictions, every
// parameter gets a gradient, one batch can be overfit, and true targets beat shuffled ones.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/featurize.h"
#include "data/shard.h"
#include "data/vocab.h"
#include "detector/detector.h"

namespace bugseek::train {

struct DoctorCheck {
  std::string name;
  bool passed = false;
  std::string detail;  // the numbers: measured vs expected
};

struct DoctorInputs {
  const std::vector<data::FunctionRecord>* train = nullptr;
  const std::vector<data::FunctionRecord>* valid = nullptr;
  const std::vector<data::FunctionRecord>* test = nullptr;
  data::Featurizer* featurizer = nullptr;
  detector::DetectorConfig config;  // vocabulary sizes filled in
  detector::DeviceKind device = detector::DeviceKind::kCpu;
  uint64_t seed = 1;
  uint32_t max_nodes = 1500;
  int learning_steps = 40;  // steps for the overfit and shuffled-target checks
};

std::vector<DoctorCheck> run_doctor(const DoctorInputs& inputs);

// One line per check: "[doctor] PASS name: detail".
std::string format_doctor(const std::vector<DoctorCheck>& checks);

}  // namespace bugseek::train
