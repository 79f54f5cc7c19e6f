// Detector-level checks for both families: config text, output shapes and masks (batching does
// not change a graph's answer), gradients reach every parameter, seeding, save/load, ranking,
// and overfitting 32 synthetic buggy/clean samples.
#include <gtest/gtest.h>

#include <torch/optim/adam.h>
#include <torch/utils.h>

#include <cmath>
#include <random>

#include "common/error.h"
#include "detector/detector.h"
#include "detector/synthetic.h"
#include "detector/torch_api.h"

namespace bugseek::detector {
namespace {

SyntheticSpec spec() {
  SyntheticSpec s;
  s.num_nodes = 40;
  s.num_symbols = 5;
  s.num_sites = 6;
  s.edges = 120;
  s.subtoken_vocab = 300;
  s.node_type_vocab = 60;
  s.text_vocab = 16;
  return s;
}

DetectorConfig config(ModelFamily family) {
  DetectorConfig c = detector_preset("tiny", family);
  c.subtoken_vocab = 300;
  c.node_type_vocab = 60;
  c.text_vocab = 16;
  return c;
}

// A batch whose targets cover every candidate kind and both clean and buggy graphs, so that every
// head parameter takes part in the loss.
data::Batch covering_batch(uint64_t seed) {
  std::mt19937_64 rng(seed);
  data::Batch b;
  bool kinds[3] = {false, false, false};
  bool clean = false;
  while (!(kinds[0] && kinds[1] && kinds[2] && clean) || b.num_graphs < 6) {
    auto g = synthetic_graph(spec(), rng);
    if (g.target_site < 0) {
      if (clean && b.num_graphs >= 3) continue;
      clean = true;
    } else {
      // A site with one candidate has a constant repair log-probability (0): no gradient.
      int at_site = 0;
      for (int32_t s : g.cand_site) at_site += s == g.target_site;
      if (at_site < 2) continue;
      kinds[g.cand_kind[g.target_cand]] = true;
    }
    data::append_to_batch(b, g);
  }
  return b;
}

class DetectorTest : public ::testing::TestWithParam<ModelFamily> {};

TEST(DetectorConfig, TextRoundTripAndPresets) {
  for (auto family : {ModelFamily::kGnn, ModelFamily::kTransformer}) {
    for (const char* preset : {"tiny", "default", "large"}) {
      DetectorConfig c = detector_preset(preset, family);
      c.aggregation = Aggregation::kMean;
      c.dropout = 0.25;
      c.subtoken_vocab = 1234;
      const DetectorConfig back = config_from_text(config_to_text(c));
      EXPECT_EQ(config_to_text(back), config_to_text(c));
      EXPECT_EQ(back.family, family);
    }
  }
  EXPECT_EQ(detector_preset("large", ModelFamily::kGnn).hidden, 256);
  EXPECT_EQ(detector_preset("large", ModelFamily::kGnn).layers, 8);
  EXPECT_THROW(detector_preset("huge", ModelFamily::kGnn), UsageError);
  EXPECT_THROW(config_from_text("hidden = 12\nheads = 5\n"), UsageError);
  EXPECT_THROW(config_from_text("colour = red\n"), Error);
  EXPECT_THROW(family_from_name("rnn"), UsageError);
  EXPECT_EQ(device_from_name("auto"), DeviceKind::kAuto);
}

TEST_P(DetectorTest, OutputsHaveOneEntryPerGraph) {
  Detector d(config(GetParam()), 1);
  const data::Batch b = covering_batch(21);
  const LossOutput out = d.evaluate(b);
  EXPECT_EQ(out.num_graphs, b.num_graphs);
  EXPECT_EQ(out.per_sample_loss.size(), static_cast<size_t>(b.num_graphs));
  EXPECT_EQ(out.log_prob_correct.size(), static_cast<size_t>(b.num_graphs));
  for (int g = 0; g < b.num_graphs; ++g) {
    EXPECT_LE(out.log_prob_correct[g], 0.0f);
    EXPECT_FLOAT_EQ(out.per_sample_loss[g], -out.log_prob_correct[g]);
  }
  EXPECT_TRUE(std::isfinite(out.loss));
  EXPECT_GE(out.joint_acc, 0.0);
  EXPECT_LE(out.joint_acc, out.loc_acc + 1e-9);
}

TEST_P(DetectorTest, BatchingDoesNotChangeAGraphsAnswer) {
  // Padding (transformer) and disjoint unions (GNN) must be masked exactly.
  Detector d(config(GetParam()), 2);
  std::mt19937_64 rng(22);
  SyntheticSpec s = spec();
  auto a = synthetic_graph(s, rng);
  s.num_nodes = 70;  // a longer neighbour pads `a` in the transformer
  auto c = synthetic_graph(s, rng);
  data::Batch alone, both;
  data::append_to_batch(alone, a);
  data::append_to_batch(both, a);
  data::append_to_batch(both, c);
  const auto p1 = d.predict(alone);
  const auto p2 = d.predict(both);
  ASSERT_EQ(p2.size(), 2u);
  EXPECT_NEAR(p1[0].p_no_bug, p2[0].p_no_bug, 1e-5);
  ASSERT_EQ(p1[0].proposals.size(), p2[0].proposals.size());
  for (size_t i = 0; i < p1[0].proposals.size(); ++i) {
    EXPECT_NEAR(p1[0].proposals[i].probability, p2[0].proposals[i].probability, 1e-5);
  }
}

TEST_P(DetectorTest, PredictRanksProbabilities) {
  Detector d(config(GetParam()), 3);
  const data::Batch b = synthetic_batch(spec(), 4, 23);
  const auto preds = d.predict(b);
  ASSERT_EQ(preds.size(), 4u);
  EXPECT_TRUE(d.training());  // predict restores the mode
  int32_t cand_base = 0;
  for (int g = 0; g < b.num_graphs; ++g) {
    const auto& p = preds[g];
    double total = p.p_no_bug;
    const int32_t sites = b.site_offsets[g + 1] - b.site_offsets[g];
    int32_t cands = 0;
    for (int32_t c = 0; c < static_cast<int32_t>(b.cand_site.size()); ++c) {
      cands += b.site_graph[b.cand_site[c]] == g;
    }
    EXPECT_EQ(p.proposals.size(), static_cast<size_t>(cands));
    for (size_t i = 0; i < p.proposals.size(); ++i) {
      const Proposal& x = p.proposals[i];
      total += x.probability;
      if (i > 0) {
        EXPECT_GE(p.proposals[i - 1].probability, x.probability);
      }
      ASSERT_GE(x.site, 0);
      ASSERT_LT(x.site, sites);
      ASSERT_GE(x.candidate, 0);
      ASSERT_LT(x.candidate, cands);
      EXPECT_EQ(b.cand_site[cand_base + x.candidate], b.site_offsets[g] + x.site);
    }
    EXPECT_LE(total, 1.0 + 1e-4);  // sites without candidates keep their mass
    cand_base += cands;
  }
  const auto top = d.predict(b, 2);
  for (const auto& p : top) EXPECT_LE(p.proposals.size(), 2u);
}

TEST_P(DetectorTest, EveryParameterGetsAGradient) {
  DetectorConfig c = config(GetParam());
  c.layers = 2;
  Detector d(c, 4);
  const data::Batch b = covering_batch(24);
  auto out = forward(d, b);
  out.loss.backward();
  for (auto& [name, p] : named_parameters(d)) {
    ASSERT_TRUE(p.grad().defined()) << name;
    EXPECT_GT(p.grad().abs().sum().item<double>(), 0.0) << name;
  }
}

TEST_P(DetectorTest, SameSeedSameOutput) {
  DetectorConfig c = config(GetParam());
  c.dropout = 0.1;
  const data::Batch b = synthetic_batch(spec(), 4, 25);
  Detector a(c, 7), same(c, 7), other(c, 8);
  a.set_training(false);
  same.set_training(false);
  other.set_training(false);
  EXPECT_EQ(a.evaluate(b).per_sample_loss, same.evaluate(b).per_sample_loss);
  EXPECT_NE(a.evaluate(b).per_sample_loss, other.evaluate(b).per_sample_loss);
}

TEST_P(DetectorTest, EvaluateRunsWithoutDropoutAndKeepsTheMode) {
  DetectorConfig c = config(GetParam());
  c.dropout = 0.5;
  const data::Batch b = synthetic_batch(spec(), 4, 25);
  Detector d(c, 7);
  ASSERT_TRUE(d.training());
  const LossOutput first = d.evaluate(b);
  const LossOutput second = d.evaluate(b);
  EXPECT_EQ(first.per_sample_loss, second.per_sample_loss);  // dropout would redraw its masks
  EXPECT_TRUE(d.training());
  d.set_training(false);
  EXPECT_EQ(d.evaluate(b).per_sample_loss, first.per_sample_loss);
  EXPECT_FALSE(d.training());
}

TEST_P(DetectorTest, SaveThenLoadGivesBitIdenticalForward) {
  const DetectorConfig c = config(GetParam());
  const data::Batch b = covering_batch(26);
  Detector a(c, 9);
  torch::optim::Adam opt(parameters(a), torch::optim::AdamOptions(1e-2));
  for (int i = 0; i < 2; ++i) {  // move away from the initialization
    opt.zero_grad();
    forward(a, b).loss.backward();
    opt.step();
  }
  const std::string bytes = a.save_weights();
  Detector loaded(c, 10);
  loaded.load_weights(bytes);
  a.set_training(false);
  loaded.set_training(false);
  EXPECT_EQ(a.evaluate(b).per_sample_loss, loaded.evaluate(b).per_sample_loss);
  EXPECT_EQ(loaded.save_weights(), bytes);

  DetectorConfig wider = c;
  wider.hidden = 2 * c.hidden;
  Detector wrong(wider, 1);
  EXPECT_THROW(wrong.load_weights(bytes), Error);
  EXPECT_THROW(loaded.load_weights(bytes.substr(0, bytes.size() / 2)), Error);
  EXPECT_THROW(loaded.load_weights("not weights at all, definitely not"), Error);
}

TEST_P(DetectorTest, AveragedWeightsAreTheElementwiseMean) {
  const DetectorConfig c = config(GetParam());
  Detector a(c, 3), b(c, 4), mean(c, 5);
  mean.load_weights(average_weights(c, {a.save_weights(), b.save_weights()}));
  const auto pa = named_parameters(a), pb = named_parameters(b), pm = named_parameters(mean);
  ASSERT_EQ(pa.size(), pm.size());
  for (size_t i = 0; i < pm.size(); ++i) {
    ASSERT_EQ(pm[i].first, pa[i].first);
    EXPECT_TRUE(at::allclose(pm[i].second, (pa[i].second + pb[i].second) / 2, 1e-6, 1e-7))
        << pm[i].first;
  }
  // One set averages to itself; none, or a set of another shape, is an error.
  EXPECT_EQ(average_weights(c, {a.save_weights()}), a.save_weights());
  EXPECT_THROW(average_weights(c, {}), Error);
  DetectorConfig wider = c;
  wider.hidden = 2 * c.hidden;
  EXPECT_THROW(average_weights(c, {a.save_weights(), Detector(wider, 1).save_weights()}), Error);
}

// Full-batch Adam on 32 synthetic samples (about half buggy) until joint accuracy >= 95%.
TEST_P(DetectorTest, OverfitsThirtyTwoSamples) {
  DetectorConfig c = config(GetParam());
  c.hidden = 64;
  c.layers = 3;
  c.heads = 4;
  c.dropout = 0.0;
  Detector d(c, 5);
  const data::Batch b = synthetic_batch(spec(), 32, 27);
  torch::optim::Adam opt(parameters(d), torch::optim::AdamOptions(3e-3));
  constexpr int kMaxSteps = 300;
  double overall = 0;
  int step = 0;
  for (; step < kMaxSteps && overall < 0.95; ++step) {
    opt.zero_grad();
    auto out = forward(d, b);
    out.loss.backward();
    opt.step();
    overall = out.metrics.overall_acc;
  }
  d.set_training(false);
  const LossOutput final_out = d.evaluate(b);
  EXPECT_GE(final_out.overall_acc, 0.95) << "after " << step << " steps, loss " << final_out.loss;
  RecordProperty("steps", step);
}

INSTANTIATE_TEST_SUITE_P(Families, DetectorTest,
                         ::testing::Values(ModelFamily::kGnn, ModelFamily::kTransformer),
                         [](const auto& info) { return std::string(family_name(info.param)); });

}  // namespace
}  // namespace bugseek::detector
