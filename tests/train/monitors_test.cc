// Training's monitors: activation statistics of a known tensor and of real layers (without
// touching the model's outputs), update ratios and gradient norms after a real Adam step, the
// warning rules on synthetic numbers, the metrics.jsonl record, and the report's new plots.
#include "train/monitors.h"

#include <gtest/gtest.h>
#include <torch/optim/adam.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <map>

#include "common/fs.h"
#include "detector/activations.h"
#include "detector/synthetic.h"
#include "detector/torch_api.h"
#include "train/report.h"

namespace bugseek::train {
namespace {
namespace fs = std::filesystem;
using detector::ActivationStats;

TEST(ActivationStats, KnownTensor) {
  // [3 rows, 3 units]: unit 0 always zero, unit 1 stuck at 1 (saturated), unit 2 varies.
  const float values[] = {0, 1, -1,  //
                          0, 1, 0,   //
                          0, 1, 2};
  const ActivationStats s = detector::summarize_activations("layer", values, 3, 3);
  EXPECT_EQ(s.layer, "layer");
  EXPECT_EQ(s.rows, 3);
  EXPECT_EQ(s.units, 3);
  EXPECT_DOUBLE_EQ(s.mean, 4.0 / 9);
  double squares = 0;
  for (float v : values) squares += (v - 4.0 / 9) * (v - 4.0 / 9);
  EXPECT_NEAR(s.std, std::sqrt(squares / 9), 1e-12);
  EXPECT_DOUBLE_EQ(s.dead_fraction, 2.0 / 3);
  ASSERT_EQ(s.histogram.size(), static_cast<size_t>(detector::kActivationBins));
  const std::vector<double> edges = detector::activation_bin_edges();
  ASSERT_EQ(edges.size(), s.histogram.size() + 1);
  EXPECT_DOUBLE_EQ(edges.front(), -detector::kActivationRange);
  EXPECT_DOUBLE_EQ(edges.back(), detector::kActivationRange);
  // Bins are 0.2 wide from -4: 0 -> bin 20, 1 -> 25, -1 -> 15, 2 -> 30.
  EXPECT_EQ(s.histogram[20], 4);
  EXPECT_EQ(s.histogram[25], 3);
  EXPECT_EQ(s.histogram[15], 1);
  EXPECT_EQ(s.histogram[30], 1);
}

TEST(ActivationStats, OutliersFallIntoTheEndBinsAndASingleRowCountsZeros) {
  const float values[] = {-100, 0, 100, std::numeric_limits<float>::quiet_NaN()};
  const ActivationStats s = detector::summarize_activations("x", values, 1, 4);
  EXPECT_EQ(s.histogram.front(), 2);  // -100 and NaN
  EXPECT_EQ(s.histogram.back(), 1);
  EXPECT_DOUBLE_EQ(s.dead_fraction, 0.25);  // one row: only the exact zero is dead
  EXPECT_TRUE(std::isnan(s.mean));
}

detector::SyntheticSpec spec() {
  detector::SyntheticSpec s;
  s.num_nodes = 40;
  s.num_symbols = 5;
  s.num_sites = 6;
  s.edges = 120;
  s.subtoken_vocab = 300;
  s.node_type_vocab = 60;
  s.text_vocab = 16;
  return s;
}

detector::DetectorConfig tiny(detector::ModelFamily family) {
  detector::DetectorConfig c = detector::detector_preset("tiny", family);
  c.subtoken_vocab = 300;
  c.node_type_vocab = 60;
  c.text_vocab = 16;
  return c;
}

class LayerActivations : public ::testing::TestWithParam<detector::ModelFamily> {};

TEST_P(LayerActivations, EveryLayerWithoutChangingTheOutputs) {
  detector::Detector d(tiny(GetParam()), 3);
  ASSERT_TRUE(d.training());
  const data::Batch b = detector::synthetic_batch(spec(), 5, 41);
  const detector::LossOutput before = d.evaluate(b);
  const std::vector<ActivationStats> stats = detector::activation_stats(d, b);
  const detector::LossOutput after = d.evaluate(b);
  EXPECT_EQ(before.loss, after.loss);
  EXPECT_EQ(before.per_sample_loss, after.per_sample_loss);
  EXPECT_TRUE(d.training());  // the mode comes back

  std::map<std::string, ActivationStats> by_layer;
  for (const auto& s : stats) by_layer[s.layer] = s;
  const bool gnn = GetParam() == detector::ModelFamily::kGnn;
  const std::string enc = gnn ? "gnn.layer" : "great.layer";
  for (int i = 0; i < d.config().layers; ++i) {
    EXPECT_EQ(by_layer.count(enc + std::to_string(i)), 1u) << i;
    EXPECT_EQ(by_layer.count(enc + std::to_string(i) + ".gelu"), 1u) << i;
  }
  for (const char* name : {"embedding", "heads.loc_hidden", "heads.no_bug_hidden"}) {
    ASSERT_EQ(by_layer.count(name), 1u) << name;
  }
  EXPECT_EQ(by_layer["embedding"].rows, b.num_nodes);
  EXPECT_EQ(by_layer["embedding"].units, d.config().hidden);
  EXPECT_EQ(by_layer["heads.no_bug_hidden"].rows, b.num_graphs);
  const ActivationStats& layer0 = by_layer[enc + "0"];
  EXPECT_GT(layer0.rows, 0);
  EXPECT_GT(layer0.std, 0.1);  // a live layer spreads
  EXPECT_TRUE(std::isfinite(layer0.mean));
  double total = 0;
  for (double c : layer0.histogram) total += c;
  EXPECT_EQ(total, double(layer0.rows * layer0.units));
}

INSTANTIATE_TEST_SUITE_P(Families, LayerActivations,
                         ::testing::Values(detector::ModelFamily::kGnn,
                                           detector::ModelFamily::kTransformer));

TEST(ParameterMonitor, RatiosAndGradientsOfARealAdamStep) {
  detector::Detector d(tiny(detector::ModelFamily::kGnn), 5);
  torch::optim::Adam adam(detector::parameters(d), torch::optim::AdamOptions(1e-3));
  ParameterMonitor monitor(d, 10);
  const MonitorSnapshot still = monitor.measure(10);
  EXPECT_EQ(still.steps_since, 0u);
  ASSERT_EQ(still.tensors.size(), detector::parameters(d).size());
  for (const auto& t : still.tensors) EXPECT_EQ(t.update_ratio, 0) << t.name;

  const data::Batch b = detector::synthetic_batch(spec(), 6, 43);
  adam.zero_grad();
  detector::forward(d, b).loss.backward();
  monitor.record_gradients();
  adam.step();
  const MonitorSnapshot m = monitor.measure(11);
  EXPECT_EQ(m.step, 11u);
  EXPECT_EQ(m.steps_since, 1u);
  int moved = 0;
  for (const auto& t : m.tensors) {
    EXPECT_TRUE(std::isfinite(t.grad_norm)) << t.name;
    EXPECT_TRUE(std::isfinite(t.weight_norm)) << t.name;
    moved += t.update_ratio > 0;
    if (t.name == "gnn.layer0.update.weight") {
      EXPECT_GT(t.grad_norm, 0);
      // Adam moves each weight by about the learning rate: ratio ~ 1e-3 / RMS of the weights.
      EXPECT_GT(t.update_ratio, 1e-4);
      EXPECT_LT(t.update_ratio, 1e-1);
    }
  }
  EXPECT_GT(moved, static_cast<int>(m.tensors.size()) / 2);
  // The weights now are the next reference.
  const MonitorSnapshot again = monitor.measure(12);
  for (const auto& t : again.tensors) EXPECT_EQ(t.update_ratio, 0) << t.name;
}

// A 100-element tensor of norm 1 whose norm was `reference_norm` at the previous validation.
TensorMonitor tensor(std::string name, double ratio, double reference_norm = 0.9, double grad = 1) {
  TensorMonitor t;
  t.name = std::move(name);
  t.dims = 2;
  t.numel = 100;
  t.weight_norm = 1;
  t.reference_norm = reference_norm;
  t.update_ratio = ratio;
  t.grad_norm = grad;
  return t;
}

MonitorSnapshot snapshot(uint64_t step, std::vector<TensorMonitor> tensors) {
  MonitorSnapshot m;
  m.step = step;
  m.steps_since = 10;
  m.tensors = std::move(tensors);
  return m;
}

bool mentions(const std::vector<std::string>& warnings, const std::string& what) {
  for (const auto& w : warnings)
    if (w.find(what) != std::string::npos) return true;
  return false;
}

TEST(MonitorAlarms, ZeroAndExplodingRatiosOncePerOccurrence) {
  MonitorAlarms alarms;
  // 10 steps: 1e-2 is 1e-3 per step (sane); 5 is 0.5 per step (explodes).
  auto w =
      alarms.check(snapshot(10, {tensor("a.w", 0), tensor("b.w", 1e-2), tensor("c.w", 5)}), {});
  ASSERT_EQ(w.size(), 2u) << w[0];
  EXPECT_TRUE(mentions(w, "a.w did not change in the 10 steps to step 10 (gradient norm 1)"));
  EXPECT_TRUE(mentions(w, "c.w explodes in the 10 steps to step 10 (update ratio 5 (0.5 per step"));
  // Still the same: no new warning. Then a.w recovers and stops again: warned again.
  EXPECT_TRUE(alarms.check(snapshot(20, {tensor("a.w", 0), tensor("c.w", 5)}), {}).empty());
  EXPECT_TRUE(alarms.check(snapshot(30, {tensor("a.w", 1e-3), tensor("c.w", 5)}), {}).empty());
  w = alarms.check(snapshot(40, {tensor("a.w", 0), tensor("c.w", 1e-3)}), {});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_TRUE(mentions(w, "a.w did not change"));
}

TEST(MonitorAlarms, ManyTensorsAtOnceShareOneLine) {
  MonitorAlarms alarms;
  std::vector<TensorMonitor> all;
  for (int i = 0; i < 6; ++i) all.push_back(tensor("t" + std::to_string(i), 0, 0.9, 0.5 + i));
  const auto w = alarms.check(snapshot(10, all), {});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_TRUE(mentions(w,
                       "6 tensors did not change in the 10 steps to step 10: t0 (gradient "
                       "norm 0.5); t1 (gradient norm 1.5)"))
      << w[0];
  EXPECT_TRUE(mentions(w, "t5 (gradient norm 5.5): update ratio 0, no learning"));
}

TEST(MonitorAlarms, NonFiniteNumbersAndTensorsWithoutScale) {
  MonitorAlarms alarms;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto w = alarms.check(
      snapshot(10, {tensor("nan.w", nan), tensor("inf.g", 1e-3, 0.1, INFINITY),
                    tensor("zero_init.bias", 10, 1e-3), tensor("crosses_zero.bias", 10, 2.0),
                    tensor("was_zero.bias", nan, 0.0)}),
      {});
  EXPECT_EQ(w.size(), 2u);
  EXPECT_FALSE(mentions(w, "was_zero.bias"));      // zero at the previous validation: no ratio
  EXPECT_FALSE(mentions(w, "crosses_zero.bias"));  // it shrank: a large ratio, no explosion
  EXPECT_TRUE(mentions(w, "nan.w explodes"));
  EXPECT_TRUE(mentions(w, "inf.g has a non-finite gradient norm"));
  EXPECT_FALSE(mentions(w, "zero_init.bias"));  // RMS 1e-4: no scale to judge against yet
}

TEST(MonitorAlarms, RepeatedValidationNumbers) {
  MonitorAlarms alarms;
  ReportHistory::ValidPoint a{100, 0.5, 0.6, 0.4, 0.3, 0.2, 0.41, {}, {}, {}, {}};
  ReportHistory::ValidPoint b = a;
  b.step = 200;
  auto w = alarms.check(snapshot(200, {}), {a, b});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_TRUE(mentions(w, "validation at step 200 repeats step 100 exactly (loss 0.5"));
  ReportHistory::ValidPoint c = b;
  c.step = 300;
  c.loss = 0.49;
  EXPECT_TRUE(alarms.check(snapshot(300, {}), {a, b, c}).empty());
}

TEST(MonitorRecord, OneJsonObjectWithNullForNonFinite) {
  MonitorSnapshot m = snapshot(7, {tensor("w", std::numeric_limits<double>::quiet_NaN())});
  const float values[] = {0, 1, 2, 3};
  m.activations.push_back(detector::summarize_activations("gnn.layer0", values, 2, 2));
  const json::Value r = monitor_record(m);
  EXPECT_EQ(r.at("type").as_string(), "monitor");
  EXPECT_EQ(r.at("step").as_int(), 7);
  EXPECT_EQ(r.at("steps_since").as_int(), 10);
  EXPECT_EQ(r.at("tensors")[0].at("name").as_string(), "w");
  EXPECT_TRUE(r.at("tensors")[0].at("update_ratio").is_null());
  EXPECT_DOUBLE_EQ(r.at("tensors")[0].at("grad_norm").as_double(), 1);
  const json::Value& a = r.at("activations")[0];
  EXPECT_EQ(a.at("layer").as_string(), "gnn.layer0");
  EXPECT_DOUBLE_EQ(a.at("mean").as_double(), 1.5);
  EXPECT_DOUBLE_EQ(a.at("dead_fraction").as_double(), 0);
  // One line in metrics.jsonl.
  EXPECT_EQ(json::dump(r).find('\n'), std::string::npos);
}

TEST(MonitorSummary, OneLineWithTheExtremes) {
  MonitorSnapshot m = snapshot(30, {tensor("a.w", 1e-2, 0.9, 0.5), tensor("b.w", 5e-2, 0.9, 2),
                                    tensor("c.w", 2e-2, 0.9, 1)});
  const float live[] = {0, 1, 2, 3};
  const float dead[] = {0, 1, 0, 2};  // unit 0 always zero
  m.activations = {detector::summarize_activations("x", live, 2, 2),
                   detector::summarize_activations("y", dead, 2, 2)};
  EXPECT_EQ(monitor_summary(m),
            "step 30 | update/step median 0.002 max 0.005 (b.w) | grad norm max 2 (b.w) | "
            "activations std 0.83..1.1, dead max 50% (y)");
}

ReportHistory history_with_monitors() {
  ReportHistory h;
  for (uint64_t s = 1; s <= 20; ++s) h.add_step(s, s % 2 ? 2.0 : 1.0, 0.5, 0.1);
  const float values[] = {-1, 0.5f, 0, 2};
  h.add_monitor(10, 10, {{"gnn.layer0.update.weight", 1e-2}, {"heads.loc_out.weight", 0}},
                {detector::summarize_activations("gnn.layer0", values, 2, 2)});
  h.add_monitor(20, 10, {{"gnn.layer0.update.weight", 5e-3}, {"heads.loc_out.weight", 2e-3}},
                {detector::summarize_activations("gnn.layer0", values, 2, 2),
                 detector::summarize_activations("heads.loc_hidden", values, 4, 1)});
  return h;
}

TEST(ReportHistory, SmoothedLossAndMonitorsRoundTrip) {
  const ReportHistory h = history_with_monitors();
  EXPECT_DOUBLE_EQ(h.steps[0].det_loss_ema, 2.0);
  EXPECT_DOUBLE_EQ(h.steps[1].det_loss_ema, kLossEmaWeight * 1.0 + (1 - kLossEmaWeight) * 2.0);
  EXPECT_GT(h.steps.back().det_loss_ema, 1.0);
  EXPECT_LT(h.steps.back().det_loss_ema, 2.0);
  const ReportHistory back = ReportHistory::from_text(h.to_text());
  ASSERT_EQ(back.steps.size(), h.steps.size());
  EXPECT_DOUBLE_EQ(back.steps.back().det_loss_ema, h.steps.back().det_loss_ema);
  ASSERT_EQ(back.monitors.size(), 2u);
  EXPECT_EQ(back.monitors[1].names, h.monitors[1].names);
  EXPECT_EQ(back.monitors[1].update_ratios, h.monitors[1].update_ratios);
  EXPECT_EQ(back.monitors[1].steps_since, 10u);
  EXPECT_EQ(back.activations_step, 20u);
  ASSERT_EQ(back.activations.size(), 2u);  // the latest validation's only
  EXPECT_EQ(back.activations[1].layer, "heads.loc_hidden");
  EXPECT_EQ(back.activations[1].histogram, h.activations[1].histogram);
  EXPECT_DOUBLE_EQ(back.activations[0].std, h.activations[0].std);
  // A history from before the smoothed curve: the raw loss stands in.
  const ReportHistory old =
      ReportHistory::from_text("{\"t\":\"s\",\"step\":1,\"det\":0.7,\"sel\":0.1,\"joint\":0.2}\n");
  EXPECT_DOUBLE_EQ(old.steps[0].det_loss_ema, 0.7);
}

TEST(Report, DrawsActivationHistogramsUpdateRatiosAndTheSmoothedLoss) {
  const fs::path path = fs::temp_directory_path() /
                        ("bugseek_monitor_report_" + std::to_string(::getpid()) + ".html");
  write_run_report(path, history_with_monitors(), {}, {{"run", "x"}});
  const std::string html = read_file(path);
  fs::remove(path);
  EXPECT_NE(html.find("detector (train, EMA)"), std::string::npos);
  EXPECT_NE(html.find("Update-to-weight ratio per step"), std::string::npos);
  EXPECT_NE(html.find("gnn: ||change|| / ||weights|| per step (log10"), std::string::npos);
  EXPECT_NE(html.find("heads: ||change|| / ||weights|| per step (log10"), std::string::npos);
  EXPECT_NE(html.find("data-name=\"gnn.layer0.update.weight\""), std::string::npos);
  EXPECT_NE(html.find("Activations per layer (latest validation batch"), std::string::npos);
  EXPECT_NE(html.find("heads.loc_hidden  mean"), std::string::npos);
  EXPECT_EQ(html.find("No monitors yet"), std::string::npos);
}

}  // namespace
}  // namespace bugseek::train
