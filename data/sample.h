// Sample production: one stored function becomes one training graph. The function is parsed;
// with some probability a bug is planted (a BugSelector picks the rewrite: uniformly at random,
// or the learned selector), the buggy code is re-parsed, and the rewrite that undoes the bug in
// the new code becomes the repair target. Then it is featurized.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "data/batch.h"
#include "data/featurize.h"
#include "data/function_graph.h"
#include "data/shard.h"

namespace bugseek::data {

using Rng = std::mt19937_64;

// What a BugSelector sees of a clean function.
struct CleanFunction {
  const FunctionRecord& record;
  const FunctionGraph& graph;        // graph.sites.rewrites are the choices
  const GraphFeatures* features;     // featurized clean graph if wants_features(), else null
};

// Picks which bug to plant. Called concurrently from producer threads: implementations must be
// thread-safe and draw randomness only from `rng` (the sample's own generator) to keep runs
// reproducible.
class BugSelector {
 public:
  virtual ~BugSelector() = default;
  // Index into clean.graph.sites.rewrites to plant, or -1 to leave the function clean.
  virtual int32_t choose(const CleanFunction& clean, Rng& rng) = 0;
  // True if choose() reads clean.features (the producer then featurizes the clean graph).
  virtual bool wants_features() const { return false; }
};

// The baseline: every rewrite of the function equally likely.
class RandomBugSelector : public BugSelector {
 public:
  int32_t choose(const CleanFunction& clean, Rng& rng) override;
};

struct SampleOptions {
  double buggy_fraction = 0.5;  // probability that a sample gets a planted bug
  uint32_t max_nodes = 0;       // graphs with more nodes are skipped (0 = no limit)
  int plant_attempts = 3;       // rewrites tried before falling back to the clean function
};

enum class SampleStatus : uint8_t {
  kBuggy = 0,      // a bug was planted; features carry the repair target
  kClean,          // no bug by choice
  kCleanFallback,  // planting failed (re-parse or inverse not found) in every attempt
  kSkipped,        // no features: the function did not parse or was too large
};

struct Sample {
  SampleStatus status = SampleStatus::kSkipped;
  GraphStatus graph_status = GraphStatus::kOk;  // why, when kSkipped
  GraphFeatures features;
  int32_t planted = -1;        // index of the planted rewrite among the clean function's rewrites
  parser::BugKind kind = parser::BugKind::kVariableMisuse;
  std::string buggy_text;      // the function with the bug (kBuggy only)
  parser::TextEdit repair;     // the target rewrite's edit: applied to buggy_text gives the original
};

// Builds the sample of `record` with randomness from `rng`. `selector` may be null (always
// clean). Never throws for bad code; exceptions from the parser's misuse checks are caught and
// reported as kSkipped with kParseFailed.
Sample make_sample(const FunctionRecord& record, const SampleOptions& options,
                   Featurizer& featurizer, BugSelector* selector, Rng& rng);

}  // namespace bugseek::data
