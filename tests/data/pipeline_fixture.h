// A small Python module, its functions as `prepare` extracts them, and a vocabulary trained on
// their labels: the fixture of the featurize, sample and producer tests.
#pragma once

#include <string>
#include <vector>

#include "data/extract.h"
#include "data/vocab.h"
#include "parser/language.h"

namespace bugseek::data::testing {

inline const char* kModule = R"PY(
import os


def clamp(value, low, high):
    if value < low:
        return low
    if value > high:
        return high
    return value


class Counter:
    def __init__(self, start=0):
        self.count = start
        self.step = 1

    def bump(self, times):
        total = 0
        for i in range(times):
            total += self.step
            if i % 2 == 0 and total > 10:
                break
        self.count = self.count + total
        return self.count

    def describe(self, prefix, suffix):
        text = os.path.join(prefix, suffix)
        return text if self.count != 0 else None


def pass_only():
    pass


def walk(root, limit=2):
    seen = []
    for name in os.listdir(root):
        if not name.startswith("."):
            seen.append(name)
        if len(seen) >= limit:
            break
    return seen
)PY";

struct PipelineFixture {
  std::vector<FunctionRecord> functions;
  std::vector<std::string> labels;
  Vocabulary vocab;
};

inline const PipelineFixture& pipeline_fixture() {
  static const PipelineFixture fixture = [] {
    PipelineFixture f;
    ExtractResult r = extract_functions(kModule, "pkg/mod.py", *parser::find_language("python"),
                                        ExtractOptions{}, true);
    f.functions = r.functions;
    f.labels = r.labels;
    VocabTrainOptions o;
    o.vocab_size = 200;
    f.vocab = Vocabulary::from_bytes(train_vocabulary(f.labels, o));
    return f;
  }();
  return fixture;
}

}  // namespace bugseek::data::testing
