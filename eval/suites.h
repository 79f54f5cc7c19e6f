// The two benchmark suites of `bugseek eval`, run with a model file. Synthetic: held-out test
// functions, each once with one randomly planted bug and once clean. Real: bug-fix pairs, each
// explained as one rewrite by the bug-fix matcher; the buggy function and its fixed version are
// evaluated. Both featurize exactly as training does and judge predictions with
// detector::decide, so eval, scan and training validation agree.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "data/batch.h"
#include "data/shard.h"
#include "data/vocab.h"
#include "detector/detector.h"
#include "detector/model_file.h"
#include "eval/metrics.h"
#include "eval/real_bug_file.h"
#include "eval/report.h"

namespace bugseek::eval {

struct SuiteOptions {
  uint64_t seed = 1;             // synthetic: which bug is planted in which function
  double threshold = 0.5;        // operating point and false alarm rate
  int threads = 1;               // featurizing threads, then detector threads (one torch thread each)
  int32_t batch_nodes = 256;     // graph nodes per detector batch (small is faster on CPU)
  uint32_t max_nodes = 0;        // synthetic: functions with larger graphs are skipped (0 = no limit)
  size_t max_functions = 0;      // synthetic: a seeded choice of this many test functions (0 = all)
  std::string default_language = "python";  // real: for pairs without `language`
  bool keep_outcomes = false;    // fill EvalReport::predictions, one per sample
};

// One graph to evaluate with its truth (GraphFeatures::target_* set for a buggy graph).
struct LabeledSample {
  std::string id;  // the function (file:name) or the real pair's id; twins share it
  data::GraphFeatures features;
  int kind = -1;  // parser::BugKind of the bug; for a clean sample, that of its buggy twin
  // A real pair's fixed sample: the rewrite (candidate index) that turns it back into the buggy
  // version, i.e. the bug its author made, as a selector would plant it; -1 otherwise.
  int32_t plant = -1;
};

// The evaluation inputs a suite built, before any model runs.
struct SuiteSamples {
  std::vector<LabeledSample> samples;  // buggy and clean twins, side by side
  int64_t inputs = 0;                  // functions or pairs read
  std::vector<SkippedInput> skipped;   // inputs that gave no samples, with reasons
};

// The names of the bug kinds in parser::BugKind order (the metrics' kind list).
std::vector<std::string> bug_kind_names();

// Judges one prediction: predicted NO_BUG is decide()'s answer; the confidence, site and repair
// are those of the best location other than NO_BUG (what scan would report).
SampleOutcome outcome_of(const detector::GraphPrediction& prediction, const LabeledSample& sample);
// The same for a graph and its bug kind (train's validation judges its samples with it).
SampleOutcome outcome_of(const detector::GraphPrediction& prediction,
                         const data::GraphFeatures& features, int kind);

// Runs the detector of `model` over `samples`, packed in order into batches of at most
// `batch_nodes` nodes, on `threads` threads (one Detector and one torch thread each, so the
// numbers do not depend on the thread count), and adds every outcome to `metrics` in order (and
// to `outcomes`, when given).
void evaluate_samples(const detector::ModelFile& model, const std::vector<LabeledSample>& samples,
                      int32_t batch_nodes, int threads, MetricsAccumulator& metrics,
                      std::vector<SampleOutcome>* outcomes = nullptr);

// Synthetic samples of `functions` (a test split): per function a bug planted by the random
// selector with a generator seeded from (seed, index), and the function clean. Functions that do
// not parse, are too large, or take no bug are skipped with a reason.
SuiteSamples make_synthetic_samples(const std::vector<data::FunctionRecord>& functions,
                                    const data::Vocabulary& vocab, const std::string& language,
                                    const SuiteOptions& options);

// Real samples of `pairs`: each pair matched with parser::match_bug_fix (indented code is
// dedented first); the matched unit becomes a buggy sample whose target is the matched rewrite,
// and the unit with the fix applied a clean one. Unmatched pairs are skipped with the reason.
SuiteSamples make_real_samples(const std::vector<RealBugPair>& pairs,
                               const data::Vocabulary& vocab, const std::string& language,
                               const SuiteOptions& options);

// Loads the test split of the dataset in `data_dir` and evaluates `model` on it.
EvalReport run_synthetic_suite(const detector::ModelFile& model,
                               const std::filesystem::path& data_dir, const SuiteOptions& options);

// Reads the JSON Lines bug-fix pairs in `pairs_file` and evaluates `model` on them.
EvalReport run_real_suite(const detector::ModelFile& model, const std::filesystem::path& pairs_file,
                          const SuiteOptions& options);

}  // namespace bugseek::eval
