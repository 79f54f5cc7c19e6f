// `bugseek doctor`: the pipeline checks itself before it trains, because a broken pipeline still
// trains "well enough". Each check reports pass/fail with the numbers behind it: splits share no
// function, planted bugs round-trip, the initial loss matches uniform predictions, every
// parameter gets a gradient, one batch can be overfit, and true targets beat shuffled ones.
// The checks below those run on what the production path itself built (train/phases.h, the
// trainer's batch, its optimizer and step), so a bug in the trainer's own code cannot pass them
// by hiding behind a copy; train/trainer.cc adds the learning check that drives its real step.
#pragma once

#include <cstdint>
#include <functional>
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

// run() as the check `name`, an exception (e.g. a batch the detector rejects) becoming its FAIL.
DoctorCheck guarded_check(const std::string& name, const std::function<DoctorCheck()>& run);

struct StepData;
struct StepBatch;

// labels: every planted bug's featurized target (the candidate index the loss reads) names the
// rewrite that, applied to the buggy text, gives the clean function back byte for byte, at the
// site the target says; and the batch holds each graph's target offset to the graph's place.
DoctorCheck check_step_labels(const StepData& step, const StepBatch& batch, uint32_t max_nodes);

// graphs: for every planted bug, the token sequences (node type and subtokens) of its graph and of
// its clean function's graph, as the batch holds them, agree outside the byte span of the edit
// the target names and differ inside it (unless the vocabulary's labels cannot tell the two
// codes apart). Token spans come from parsing the labelled buggy code and the clean code again;
// `featurizer` (a production one) only judges those look-alikes.
DoctorCheck check_step_graphs(const StepData& step, const StepBatch& batch, uint32_t max_nodes,
                              data::Featurizer& featurizer);

// inputs: per edge kind, the graphs' edges all reach the batch and both directions of the model's
// relation tensors; node types and subtokens are not constant across the batch.
DoctorCheck check_step_inputs(const StepBatch& batch, const detector::DetectorConfig& config);

// artefacts: a run records its vocabulary and dataset manifest, --resume accepts the same ones
// and refuses another vocabulary or another manifest (checked in a scratch run directory).
DoctorCheck check_run_artefacts(const std::string& vocabulary, const std::string& manifest);

// One line per check: "[doctor] PASS name: detail".
std::string format_doctor(const std::vector<DoctorCheck>& checks);

}  // namespace bugseek::train
