#include "eval/suites.h"

#include <algorithm>

#include "common/error.h"
#include "common/log.h"
#include "data/dataset.h"
#include "detector/decision.h"
#include "parser/rewrites.h"

namespace bugseek::eval {

std::vector<std::string> bug_kind_names() {
  std::vector<std::string> names;
  for (int k = 0; k < parser::kNumBugKinds; ++k) {
    names.emplace_back(parser::bug_kind_name(static_cast<parser::BugKind>(k)));
  }
  return names;
}

SampleOutcome outcome_of(const detector::GraphPrediction& prediction, const LabeledSample& sample) {
  const data::GraphFeatures& f = sample.features;
  const auto num_sites = static_cast<int32_t>(f.site_node.size());
  const detector::Decision decision = detector::decide(prediction, num_sites);
  // The best location other than NO_BUG: decide() with NO_BUG's mass set aside.
  detector::GraphPrediction bug_only = prediction;
  bug_only.p_no_bug = 0;
  const detector::Decision best_bug = detector::decide(bug_only, num_sites);

  SampleOutcome o;
  o.buggy = f.target_site >= 0;
  o.kind = sample.kind;
  o.predicted_no_bug = decision.site < 0;
  o.bug_confidence =
      best_bug.site >= 0 ? std::clamp(static_cast<double>(best_bug.repair_probability), 0.0, 1.0)
                         : 0.0;
  if (o.buggy) {
    o.site_correct = best_bug.site == f.target_site;
    o.repair_correct = detector::best_repair_at(prediction, f.target_site) == f.target_cand;
  }
  o.p_no_bug = prediction.p_no_bug;
  return o;
}

void evaluate_samples(detector::Detector& detector, const std::vector<LabeledSample>& samples,
                      int32_t batch_nodes, MetricsAccumulator& metrics) {
  size_t begin = 0;
  while (begin < samples.size()) {
    data::Batch batch;
    size_t end = begin;
    while (end < samples.size() &&
           (batch.num_graphs == 0 || batch.num_nodes + samples[end].features.num_nodes <= batch_nodes)) {
      data::append_to_batch(batch, samples[end].features);
      ++end;
    }
    const std::vector<detector::GraphPrediction> predictions = detector.predict(batch, 0);
    if (predictions.size() != end - begin) {
      throw Error(str_cat("evaluate_samples: ", predictions.size(), " predictions for ",
                          end - begin, " graphs"));
    }
    for (size_t i = begin; i < end; ++i) metrics.add(outcome_of(predictions[i - begin], samples[i]));
    begin = end;
  }
}

namespace {

EvalReport evaluate(const detector::ModelFile& model, const SuiteSamples& set,
                    const SuiteOptions& options) {
  detector::set_num_threads(options.threads);
  detector::Detector detector = detector::make_detector(model, detector::DeviceKind::kCpu);
  MetricsAccumulator metrics(bug_kind_names());
  evaluate_samples(detector, set.samples, options.batch_nodes, metrics);
  EvalReport report;
  report.seed = options.seed;
  report.inputs = set.inputs;
  report.skipped = set.skipped;
  report.metrics = metrics.finish(options.threshold);
  return report;
}

}  // namespace

EvalReport run_synthetic_suite(const detector::ModelFile& model,
                               const std::filesystem::path& data_dir,
                               const SuiteOptions& options) {
  const data::Manifest manifest = data::read_manifest(data_dir);
  const std::vector<data::FunctionRecord> functions =
      data::load_functions(data_dir, manifest, data::Split::kTest);
  if (functions.empty()) {
    throw_error("run_synthetic_suite", data_dir.string(), "the test split holds no functions");
  }
  const data::Vocabulary vocab = data::Vocabulary::from_bytes(model.vocab_model);
  log_info("eval", "synthetic suite: ", functions.size(), " test functions in ", data_dir.string());
  const SuiteSamples set = make_synthetic_samples(functions, vocab, model.language, options);
  EvalReport report = evaluate(model, set, options);
  report.suite = "synthetic";
  report.data = data_dir.string();
  return report;
}

EvalReport run_real_suite(const detector::ModelFile& model, const std::filesystem::path& pairs_file,
                          const SuiteOptions& options) {
  const std::vector<RealBugPair> pairs = read_real_bug_pairs(pairs_file);
  const data::Vocabulary vocab = data::Vocabulary::from_bytes(model.vocab_model);
  log_info("eval", "real-bug suite: ", pairs.size(), " pairs in ", pairs_file.string());
  const SuiteSamples set = make_real_samples(pairs, vocab, model.language, options);
  EvalReport report = evaluate(model, set, options);
  report.suite = "real";
  report.data = pairs_file.string();
  return report;
}

}  // namespace bugseek::eval
