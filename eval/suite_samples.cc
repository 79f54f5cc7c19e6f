// Building the samples of the two suites: planting bugs in test functions, and explaining real
// bug-fix pairs as rewrites. Torch-free; parallel over inputs with one Featurizer per thread,
// and deterministic because every input draws from its own generator and keeps its slot.
#include <algorithm>
#include <exception>
#include <memory>
#include <numeric>

#include "common/error.h"
#include "common/log.h"
#include "common/parallel.h"
#include "data/featurize.h"
#include "data/function_graph.h"
#include "data/sample.h"
#include "eval/suites.h"
#include "parser/rewrites.h"

namespace bugseek::eval {
namespace {

// What one input gives: two samples, or a skip reason.
struct InputResult {
  bool ok = false;
  LabeledSample buggy;
  LabeledSample clean;
  SkippedInput skipped;
};

// Runs fn(i, featurizer) for i in [0, n) on `threads` threads (common/parallel.h), each with its
// own Featurizer; results go to slot i, so they do not depend on the thread count.
template <typename Fn>
void parallel_over(size_t n, int threads, const data::Vocabulary& vocab,
                   const parser::Language& language, Fn fn) {
  std::vector<std::unique_ptr<data::Featurizer>> featurizers(
      std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(std::max(threads, 1)), n)));
  parallel_for(n, threads, [&](size_t i, int w) {
    auto& featurizer = featurizers[static_cast<size_t>(w)];
    if (!featurizer) featurizer = std::make_unique<data::Featurizer>(vocab, language);
    fn(i, *featurizer);
  });
}

SuiteSamples collect(std::vector<InputResult>& results) {
  SuiteSamples out;
  out.inputs = static_cast<int64_t>(results.size());
  for (InputResult& r : results) {
    if (!r.ok) {
      out.skipped.push_back(std::move(r.skipped));
      continue;
    }
    out.samples.push_back(std::move(r.buggy));
    out.samples.push_back(std::move(r.clean));
  }
  return out;
}

const parser::Language& language_named(const std::string& name) {
  const parser::Language* language = parser::find_language(name);
  if (language == nullptr) throw Error("eval: the model's language '" + name + "' is unknown");
  return *language;
}

InputResult synthetic_input(const data::FunctionRecord& record, uint64_t rng_seed,
                            const std::string& language, const SuiteOptions& options,
                            data::Featurizer& featurizer) {
  InputResult r;
  r.skipped.id = record.file + ":" + record.name;
  if (record.language != language) {
    r.skipped.reason = "language " + record.language + " (the model reads " + language + ")";
    return r;
  }
  data::SampleOptions bug_options;
  bug_options.buggy_fraction = 1;
  bug_options.max_nodes = options.max_nodes;
  data::SampleOptions clean_options = bug_options;
  clean_options.buggy_fraction = 0;
  data::RandomBugSelector random;
  data::Rng rng(rng_seed);
  data::Sample buggy = data::make_sample(record, bug_options, featurizer, &random, rng);
  if (buggy.status == data::SampleStatus::kSkipped) {
    r.skipped.reason = std::string("graph: ") + std::string(data::graph_status_name(buggy.graph_status));
    return r;
  }
  if (buggy.status != data::SampleStatus::kBuggy) {
    r.skipped.reason = "no bug could be planted";
    return r;
  }
  data::Sample clean = data::make_sample(record, clean_options, featurizer, nullptr, rng);
  if (clean.status != data::SampleStatus::kClean) {
    r.skipped.reason = "clean graph failed";
    return r;
  }
  r.ok = true;
  r.buggy = {r.skipped.id, std::move(buggy.features), static_cast<int>(buggy.kind)};
  r.clean = {r.skipped.id, std::move(clean.features), static_cast<int>(buggy.kind)};
  return r;
}

InputResult real_input(const RealBugPair& pair, const std::string& model_language,
                       const SuiteOptions& options, data::Featurizer& featurizer) {
  InputResult r;
  r.skipped.id = pair.id;
  const std::string name = pair.language.empty() ? options.default_language : pair.language;
  if (name != model_language) {
    r.skipped.reason = "language " + name + " (the model reads " + model_language + ")";
    return r;
  }
  const parser::Language& language = language_named(name);
  // A method cut out of its class parses only without its indentation.
  std::string buggy = pair.buggy_source;
  std::string fixed = pair.fixed_source;
  uint32_t buggy_indent = 0, fixed_indent = 0;
  if (!data::dedent(buggy, &buggy_indent) || !data::dedent(fixed, &fixed_indent) ||
      buggy_indent != fixed_indent) {
    buggy = pair.buggy_source;
    fixed = pair.fixed_source;
  }
  const parser::BugFixMatch match = parser::match_bug_fix(buggy, fixed, language);
  if (!match.matched) {
    r.skipped.reason = "unmatched: " + match.reason;
    return r;
  }
  const parser::ParsedFile file = parser::parse_source(std::move(buggy), language, pair.path);
  const std::vector<parser::Unit> units = parser::extract_units(file);
  if (match.unit >= units.size()) {
    r.skipped.reason = "matched unit not found again";
    return r;
  }
  const parser::Unit& unit = units[match.unit];
  const parser::CodeGraph graph = parser::build_graph(file, unit);
  const parser::Sites sites = parser::enumerate_rewrites(file, graph);
  if (match.rewrite >= sites.rewrites.size()) {
    r.skipped.reason = "matched rewrite not found again";
    return r;
  }
  // The fixed twin: the matched rewrite applied (token for token the pair's fixed source).
  const parser::AppliedRewrite applied = parser::apply_rewrite(file, unit, sites, match.rewrite);
  if (!applied.file.ok() || !applied.unit) {
    r.skipped.reason = "the fixed function does not parse";
    return r;
  }
  const parser::Sites fixed_sites = parser::enumerate_rewrites(applied.file, applied.graph);
  const int kind = static_cast<int>(match.kind);
  r.buggy = {pair.id, featurizer.featurize(graph, sites, static_cast<int32_t>(match.rewrite)), kind};
  r.clean = {pair.id, featurizer.featurize(applied.graph, fixed_sites), kind,
             parser::find_inverse(fixed_sites, applied, match.kind)};
  r.ok = true;
  return r;
}

}  // namespace

SuiteSamples make_synthetic_samples(const std::vector<data::FunctionRecord>& functions,
                                    const data::Vocabulary& vocab, const std::string& language,
                                    const SuiteOptions& options) {
  std::vector<size_t> chosen(functions.size());
  std::iota(chosen.begin(), chosen.end(), size_t{0});
  if (options.max_functions > 0 && options.max_functions < chosen.size()) {
    data::Rng shuffle_rng(options.seed ^ 0x73796e7468ULL);
    std::shuffle(chosen.begin(), chosen.end(), shuffle_rng);
    chosen.resize(options.max_functions);
    std::sort(chosen.begin(), chosen.end());
  }
  std::vector<InputResult> results(chosen.size());
  parallel_over(chosen.size(), options.threads, vocab, language_named(language),
                [&](size_t i, data::Featurizer& featurizer) {
                  const size_t f = chosen[i];
                  const uint64_t seed = options.seed * 0x9E3779B97F4A7C15ULL + f;
                  try {
                    results[i] = synthetic_input(functions[f], seed, language, options, featurizer);
                  } catch (const std::exception& e) {
                    results[i] = InputResult{};
                    results[i].skipped = {functions[f].file + ":" + functions[f].name,
                                          std::string("internal error: ") + e.what()};
                  }
                });
  return collect(results);
}

SuiteSamples make_real_samples(const std::vector<RealBugPair>& pairs,
                               const data::Vocabulary& vocab, const std::string& language,
                               const SuiteOptions& options) {
  std::vector<InputResult> results(pairs.size());
  parallel_over(pairs.size(), options.threads, vocab, language_named(language),
                [&](size_t i, data::Featurizer& featurizer) {
                  try {
                    results[i] = real_input(pairs[i], language, options, featurizer);
                  } catch (const std::exception& e) {
                    results[i] = InputResult{};
                    results[i].skipped = {pairs[i].id, std::string("internal error: ") + e.what()};
                  }
                });
  return collect(results);
}

}  // namespace bugseek::eval
