#include "data/sample.h"

#include <exception>

#include "common/log.h"

namespace bugseek::data {

int32_t RandomBugSelector::choose(const CleanFunction& clean, Rng& rng) {
  const size_t n = clean.graph.sites.rewrites.size();
  if (n == 0) return -1;
  return static_cast<int32_t>(std::uniform_int_distribution<size_t>(0, n - 1)(rng));
}

namespace {

// Plants rewrite `index` of `clean`; on success fills `sample` with the buggy graph.
bool plant(const FunctionGraph& clean, int32_t index, const SampleOptions& options,
           Featurizer& featurizer, Sample& sample) {
  const parser::Rewrite& rewrite = clean.sites.rewrites[index];
  const parser::BugKind kind = clean.sites.sites[rewrite.site].kind;
  parser::AppliedRewrite applied = parser::apply_rewrite(clean.file, clean.unit, clean.sites, index);
  if (!applied.file.ok() || applied.file.has_syntax_errors() || !applied.unit) return false;
  if (options.max_nodes > 0 && applied.graph.nodes.size() > options.max_nodes) return false;
  const parser::Sites buggy_sites = parser::enumerate_rewrites(applied.file, applied.graph);
  const int32_t inverse = parser::find_inverse(buggy_sites, applied, kind);
  if (inverse < 0) return false;
  sample.features = featurizer.featurize(applied.graph, buggy_sites, inverse);
  sample.status = SampleStatus::kBuggy;
  sample.planted = index;
  sample.kind = kind;
  sample.buggy_text = applied.file.text;
  sample.repair = buggy_sites.rewrites[inverse].edit;
  return true;
}

}  // namespace

Sample make_sample(const FunctionRecord& record, const SampleOptions& options,
                   Featurizer& featurizer, BugSelector* selector, Rng& rng) {
  Sample sample;
  // Draw the coin first so the number of draws per sample does not depend on parse results.
  const bool want_bug = std::bernoulli_distribution(options.buggy_fraction)(rng);
  try {
    const parser::Language* language = parser::find_language(record.language);
    if (language == nullptr) {
      sample.graph_status = GraphStatus::kParseFailed;
      return sample;
    }
    FunctionGraph clean;
    sample.graph_status = build_function_graph(record.text, *language, options.max_nodes, clean);
    if (sample.graph_status != GraphStatus::kOk) return sample;

    if (want_bug && selector != nullptr && !clean.sites.rewrites.empty()) {
      GraphFeatures clean_features;
      if (selector->wants_features()) clean_features = featurizer.featurize(clean.graph, clean.sites);
      const CleanFunction view{record, clean, selector->wants_features() ? &clean_features : nullptr};
      for (int attempt = 0; attempt < options.plant_attempts; ++attempt) {
        const int32_t index = selector->choose(view, rng);
        if (index < 0 || static_cast<size_t>(index) >= clean.sites.rewrites.size()) break;
        try {
          if (plant(clean, index, options, featurizer, sample)) return sample;
        } catch (const std::exception& e) {
          log_debug("sample", record.file, ": ", record.name, ": planting rewrite ", index, ": ",
                    e.what());
        }
        sample.status = SampleStatus::kCleanFallback;
      }
      if (sample.status == SampleStatus::kCleanFallback) {
        sample.features = selector->wants_features() ? std::move(clean_features)
                                                     : featurizer.featurize(clean.graph, clean.sites);
        return sample;
      }
    }
    sample.status = SampleStatus::kClean;
    sample.features = featurizer.featurize(clean.graph, clean.sites);
  } catch (const std::exception& e) {
    log_debug("sample", record.file, ": ", record.name, ": ", e.what());
    sample = Sample{};
    sample.graph_status = GraphStatus::kParseFailed;
  }
  return sample;
}

}  // namespace bugseek::data
