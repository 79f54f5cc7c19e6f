#include <gtest/gtest.h>

#include <filesystem>

#include "common/error.h"
#include "train/checkpoint.h"
#include "train/report.h"
#include "train/train_config.h"

namespace bugseek::train {
namespace {
namespace fs = std::filesystem;

TEST(TrainConfig, PresetsDifferAndUnknownIsAUsageError) {
  EXPECT_LT(train_preset("tiny").functions_per_step, train_preset("large").functions_per_step);
  EXPECT_THROW(train_preset("huge"), UsageError);
}

TEST(TrainConfig, DumpListsEveryFieldOnce) {
  TrainConfig c = train_preset("default");
  c.corpus = {"/a", "/b"};
  const std::string text = config_to_text(c);
  int fields = 0;
  visit_fields(c, [&](const char* name, auto&, const char*) {
    ++fields;
    EXPECT_NE(text.find(std::string(name) + " ="), std::string::npos) << name;
  });
  EXPECT_GT(fields, 30);
  EXPECT_NE(text.find("corpus = /a\ncorpus = /b\n"), std::string::npos) << text;
}

TEST(TrainConfig, SelectorModeIsChecked) {
  TrainConfig c;
  c.selector_mode = "random";
  EXPECT_EQ(c.mode(), SelectorMode::kRandom);
  c.selector_mode = "clever";
  EXPECT_THROW(c.mode(), UsageError);
}

TEST(TrainConfig, SelectorIsSmallerThanDetector) {
  TrainConfig c = train_preset("default");
  EXPECT_LE(c.selector_config().hidden, c.detector_config().hidden);
  c.hidden = 48;
  EXPECT_EQ(c.detector_config().hidden, 48);
}

TEST(Checkpoint, StateRoundTripsEveryField) {
  TrainState s;
  s.config_text = "preset = tiny\n";
  s.progress.step = 1234;
  s.progress.cursor = 9876;
  s.progress.elapsed_s = 61.25;
  s.progress.best_overall = 0.4375;
  s.progress.best_step = 1000;
  s.progress.stalls = 2;
  s.progress.graphs_seen = 55555;
  s.detector_weights = std::string("w\0eights", 8);
  s.detector_optimizer = "adam";
  s.selector_weights = "sel";
  s.selector_optimizer = "seladam";
  s.history = "{\"t\":\"s\"}\n";
  const fs::path path = fs::temp_directory_path() / ("bugseek_state_" + std::to_string(::getpid()));
  save_state(path, s);
  TrainState back = load_state(path);
  fs::remove(path);
  EXPECT_EQ(back.config_text, s.config_text);
  EXPECT_EQ(back.progress.step, 1234u);
  EXPECT_EQ(back.progress.cursor, 9876u);
  EXPECT_DOUBLE_EQ(back.progress.elapsed_s, 61.25);
  EXPECT_DOUBLE_EQ(back.progress.best_overall, 0.4375);
  EXPECT_EQ(back.progress.best_step, 1000u);
  EXPECT_EQ(back.progress.stalls, 2);
  EXPECT_EQ(back.progress.graphs_seen, 55555u);
  EXPECT_EQ(back.detector_weights, s.detector_weights);
  EXPECT_EQ(back.selector_optimizer, "seladam");
  EXPECT_EQ(back.history, s.history);
}

TEST(ReportHistory, RoundTripsThroughText) {
  ReportHistory h;
  h.add_step(10, 1.5, 2.5, 0.25);
  ValidationResult v;
  v.loss = 0.75;
  v.joint_acc = 0.5;
  v.by_kind[2].buggy = 4;
  v.by_kind[2].joint = 3;
  h.add_validation(10, v);
  h.add_kind_mix(10, {1, 2, 3, 4, 5, 6, 7});
  ReportHistory back = ReportHistory::from_text(h.to_text());
  ASSERT_EQ(back.steps.size(), 1u);
  EXPECT_DOUBLE_EQ(back.steps[0].sel_loss, 2.5);
  ASSERT_EQ(back.validations.size(), 1u);
  EXPECT_DOUBLE_EQ(back.validations[0].kind_joint[2], 0.75);
  EXPECT_EQ(back.validations[0].kind_count[2], 4);
  ASSERT_EQ(back.mix.size(), 1u);
  EXPECT_EQ(back.mix[0].planted[6], 7);
}

TEST(ReportHistory, ThinsOldPointsButKeepsTheLatest) {
  ReportHistory h;
  for (uint64_t s = 1; s <= 5000; ++s) h.add_step(s, 1.0, 1.0, 0.0);
  EXPECT_LE(h.steps.size(), 2001u);
  EXPECT_EQ(h.steps.back().step, 5000u);
  EXPECT_EQ(h.steps.front().step, 1u);
}

TEST(Report, HistogramCountsEveryValue) {
  auto h = make_histogram("w", {0.0f, 0.1f, 0.5f, 1.0f, 1.0f}, 4);
  ASSERT_EQ(h.counts.size(), 4u);
  ASSERT_EQ(h.edges.size(), 5u);
  double total = 0;
  for (double c : h.counts) total += c;
  EXPECT_EQ(total, 5);
  EXPECT_EQ(h.counts[3], 2);  // the maximum lands in the last bin
}

}  // namespace
}  // namespace bugseek::train
