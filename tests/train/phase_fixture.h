// The data phases of a training step (train/phases.h) over the data tests' small pipeline
// fixture: one featurizer and a context with a given seed.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "data/featurize.h"
#include "parser/language.h"
#include "tests/data/pipeline_fixture.h"
#include "train/phases.h"

namespace bugseek::train::testing {

struct PhaseFixture {
  explicit PhaseFixture(uint64_t seed) : fx(data::testing::pipeline_fixture()) {
    featurizers.push_back(
        std::make_unique<data::Featurizer>(fx.vocab, *parser::find_language("python")));
    context.seed = seed;
    context.featurizers = &featurizers;
  }
  PhaseFixture(const PhaseFixture&) = delete;
  PhaseFixture& operator=(const PhaseFixture&) = delete;

  const data::testing::PipelineFixture& fx;
  std::vector<std::unique_ptr<data::Featurizer>> featurizers;
  PhaseContext context;
};

}  // namespace bugseek::train::testing
