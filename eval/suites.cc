#include "eval/suites.h"

#include <algorithm>
#include <exception>
#include <memory>

#include "common/error.h"
#include "common/log.h"
#include "common/parallel.h"
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
  return outcome_of(prediction, sample.features, sample.kind);
}

SampleOutcome outcome_of(const detector::GraphPrediction& prediction,
                         const data::GraphFeatures& f, int kind) {
  const auto num_sites = static_cast<int32_t>(f.site_node.size());
  const detector::Decision decision = detector::decide(prediction, num_sites);
  // The best location other than NO_BUG: decide() with NO_BUG's mass set aside.
  detector::GraphPrediction bug_only = prediction;
  bug_only.p_no_bug = 0;
  const detector::Decision best_bug = detector::decide(bug_only, num_sites);

  SampleOutcome o;
  o.buggy = f.target_site >= 0;
  o.kind = kind;
  o.predicted_no_bug = decision.site < 0;
  o.bug_confidence =
      best_bug.site >= 0 ? std::clamp(static_cast<double>(best_bug.repair_probability), 0.0, 1.0)
                         : 0.0;
  o.num_sites = num_sites;
  if (o.buggy) {
    o.site_correct = best_bug.site == f.target_site;
    o.true_site_rank = detector::site_rank(prediction, num_sites, f.target_site);
    o.repair_correct = detector::best_repair_at(prediction, f.target_site) == f.target_cand;
  }
  o.p_no_bug = prediction.p_no_bug;
  return o;
}

std::vector<data::Batch> pack_in_order(const std::vector<LabeledSample>& samples,
                                       int32_t batch_nodes) {
  std::vector<data::Batch> batches;
  data::Batch batch;
  for (const LabeledSample& s : samples) {
    if (batch.num_graphs > 0 && batch.num_nodes + s.features.num_nodes > batch_nodes) {
      batches.push_back(std::move(batch));
      batch = data::Batch{};
    }
    data::append_to_batch(batch, s.features);
  }
  if (batch.num_graphs > 0) batches.push_back(std::move(batch));
  return batches;
}

void evaluate_samples(const detector::ModelFile& model, const std::vector<LabeledSample>& samples,
                      int32_t batch_nodes, int threads, MetricsAccumulator& metrics,
                      std::vector<SampleOutcome>* outcomes) {
  const std::vector<data::Batch> batches = pack_in_order(samples, batch_nodes);
  std::vector<std::vector<detector::GraphPrediction>> predictions(batches.size());
  // One torch thread per worker: a batch's numbers then do not depend on the thread count.
  detector::set_num_threads(1);
  std::vector<std::unique_ptr<detector::Detector>> detectors(
      std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(std::max(threads, 1)), batches.size())));
  parallel_for(batches.size(), threads, [&](size_t b, int w) {
    auto& detector = detectors[static_cast<size_t>(w)];
    if (!detector) {
      detector = std::make_unique<detector::Detector>(
          detector::make_detector(model, detector::DeviceKind::kCpu));
    }
    predictions[b] = detector->predict(batches[b], 0);
  });
  size_t index = 0;
  for (size_t b = 0; b < batches.size(); ++b) {
    if (predictions[b].size() != static_cast<size_t>(batches[b].num_graphs)) {
      throw Error(str_cat("evaluate_samples: ", predictions[b].size(), " predictions for ",
                          batches[b].num_graphs, " graphs"));
    }
    for (const detector::GraphPrediction& p : predictions[b]) {
      const SampleOutcome outcome = outcome_of(p, samples[index++]);
      metrics.add(outcome);
      if (outcomes != nullptr) outcomes->push_back(outcome);
    }
  }
}

namespace {

EvalReport evaluate(const detector::ModelFile& model, const SuiteSamples& set,
                    const SuiteOptions& options) {
  MetricsAccumulator metrics(bug_kind_names());
  std::vector<SampleOutcome> outcomes;
  evaluate_samples(model, set.samples, options.batch_nodes, options.threads, metrics,
                   options.keep_outcomes ? &outcomes : nullptr);
  EvalReport report;
  if (options.keep_outcomes) {
    for (size_t i = 0; i < outcomes.size(); ++i) {
      report.predictions.push_back({set.samples[i].id, outcomes[i]});
    }
  }
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
