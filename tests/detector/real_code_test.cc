// Each model family overfits 32 buggy and clean samples of real Python (functions of a few small
// standard-library modules, bugs planted by the random selector) to >= 95% joint accuracy: the
// first sanity check of the whole pipeline, parser -> featurize -> batch -> detector. Skipped where
// /usr/lib/python3.11 is missing.
#include <gtest/gtest.h>

#include <torch/optim/adam.h>

#include <filesystem>

#include "common/fs.h"
#include "data/extract.h"
#include "data/featurize.h"
#include "data/node_vocab.h"
#include "data/sample.h"
#include "data/vocab.h"
#include "detector/detector.h"
#include "detector/torch_api.h"
#include "parser/language.h"

namespace bugseek::detector {
namespace {

struct RealSamples {
  data::Batch batch;
  int num_buggy = 0;
  int32_t subtoken_vocab = 0;
  int32_t node_type_vocab = 0;
  std::string skipped;  // why there is no batch
};

const RealSamples& real_samples() {
  static const RealSamples samples = [] {
    RealSamples s;
    const parser::Language* python = parser::find_language("python");
    std::vector<data::FunctionRecord> functions;
    std::vector<std::string> labels;
    for (const char* name : {"colorsys.py", "bisect.py", "heapq.py", "textwrap.py",
                             "fnmatch.py", "genericpath.py", "posixpath.py", "shlex.py"}) {
      const std::filesystem::path path = std::filesystem::path("/usr/lib/python3.11") / name;
      if (!std::filesystem::exists(path)) continue;
      auto r = data::extract_functions(read_file(path), name, *python, data::ExtractOptions{}, true);
      functions.insert(functions.end(), r.functions.begin(), r.functions.end());
      labels.insert(labels.end(), r.labels.begin(), r.labels.end());
    }
    if (functions.size() < 16) {
      s.skipped = "needs /usr/lib/python3.11 (colorsys, bisect, heapq, textwrap, ...)";
      return s;
    }
    data::VocabTrainOptions vo;
    vo.vocab_size = 300;
    const auto vocab = data::Vocabulary::from_bytes(data::train_vocabulary(labels, vo));
    data::Featurizer featurizer(vocab, *python);
    data::RandomBugSelector selector;
    data::SampleOptions so;
    so.max_nodes = 250;  // keeps the transformer's padded length near 120
    data::Rng rng(5);
    for (const auto& f : functions) {
      if (s.batch.num_graphs == 32) break;
      data::Sample sample = data::make_sample(f, so, featurizer, &selector, rng);
      if (sample.status == data::SampleStatus::kSkipped) continue;
      s.num_buggy += sample.features.target_site >= 0;
      data::append_to_batch(s.batch, sample.features);
    }
    s.subtoken_vocab = vocab.size();
    s.node_type_vocab = featurizer.node_type_vocab_size();
    if (s.batch.num_graphs < 32) s.skipped = "fewer than 32 usable functions";
    return s;
  }();
  return samples;
}

class RealCodeOverfit : public ::testing::TestWithParam<ModelFamily> {};

TEST_P(RealCodeOverfit, ThirtyTwoSamplesToNinetyFivePercentJoint) {
  const RealSamples& s = real_samples();
  if (!s.skipped.empty()) GTEST_SKIP() << s.skipped;
  ASSERT_GE(s.num_buggy, 8);
  ASSERT_LE(s.num_buggy, 24);
  DetectorConfig c = detector_preset("tiny", GetParam());
  c.hidden = 64;
  c.layers = 4;
  c.heads = 4;
  c.dropout = 0.0;
  c.subtoken_vocab = s.subtoken_vocab;
  c.node_type_vocab = s.node_type_vocab;
  c.text_vocab = data::text_vocab_size();
  Detector d(c, 3);
  torch::optim::Adam opt(parameters(d), torch::optim::AdamOptions(3e-3));
  constexpr int kMaxSteps = 400;
  int step = 0;
  double overall = 0;
  for (; step < kMaxSteps && overall < 0.97; ++step) {
    opt.zero_grad();
    auto out = forward(d, s.batch);
    out.loss.backward();
    opt.step();
    overall = out.metrics.overall_acc;
  }
  d.set_training(false);
  const LossOutput final_out = d.evaluate(s.batch);
  EXPECT_GE(final_out.overall_acc, 0.95) << "after " << step << " steps, loss " << final_out.loss;
  RecordProperty("steps", step);
}

INSTANTIATE_TEST_SUITE_P(Families, RealCodeOverfit,
                         ::testing::Values(ModelFamily::kGnn, ModelFamily::kTransformer),
                         [](const auto& info) { return std::string(family_name(info.param)); });

}  // namespace
}  // namespace bugseek::detector
