#include "eval/training_report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "common/error.h"
#include "common/fs.h"

namespace bugseek::eval {
namespace {

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
    ++n;
  return n;
}

TrainingReportData full_data() {
  TrainingReportData d;
  d.title = "run <2024> & co";
  d.updated = "2024-05-01 12:00:00";
  d.facts = {{"step", "1200"}, {"best joint", "0.41"}};
  d.notes = {"doctor: all checks passed"};
  d.losses = {{"detector", {0, 100, 200}, {2.0, 1.2, 0.9}}, {"selector", {0, 100, 200}, {1, 1, 1}}};
  d.accuracies = {{"val joint", {100, 200}, {0.2, 0.3}}};
  d.kind_names = {"variable-misuse", "wrong-binary-op"};
  d.latest_metric_names = {"localization", "repair", "joint"};
  d.latest_by_kind = {{0.5, 0.4}, {0.6, 0.5}, {0.3, 0.2}};
  d.validation_steps = {100, 200};
  d.kind_joint = {{0.2, 0.3}, {0.1, 0.2}};
  d.mix_steps = {100, 200};
  d.mix = {{30, 20}, {10, 20}};
  d.weight_histograms = {{"enc.0.weight", {-1, 0, 1}, {5, 7}},
                         {"enc.1.weight", {-1, 0, 1}, {2, 9}}};
  d.activation_histograms = {{"enc.0.out", {0, 1, 2, 3}, {1, 2, 3}}};
  return d;
}

TEST(TrainingReport, RendersEverySectionSelfContained) {
  std::string html = render_training_report(full_data());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  // loss, accuracy, per-kind bars, per-kind lines, mix, 2 weight + 1 activation histograms
  EXPECT_EQ(count(html, "<svg "), 8u);
  EXPECT_EQ(count(html, "<svg "), count(html, "</svg>"));
  EXPECT_NE(html.find("<title>run &lt;2024&gt; &amp; co</title>"), std::string::npos);
  EXPECT_EQ(html.find("<2024>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("href"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_NE(html.find("enc.1.weight"), std::string::npos);
  EXPECT_NE(html.find("doctor: all checks passed"), std::string::npos);
  EXPECT_EQ(render_training_report(full_data()), html);
}

TEST(TrainingReport, EmptyRunSaysSoInsteadOfDrawing) {
  TrainingReportData d;
  std::string html = render_training_report(d);
  EXPECT_EQ(count(html, "<svg "), 0u);
  EXPECT_NE(html.find("No loss values yet."), std::string::npos);
  EXPECT_NE(html.find("No validation yet."), std::string::npos);
  EXPECT_NE(html.find("No selector statistics yet."), std::string::npos);
}

TEST(TrainingReport, ShapeMismatchIsAnError) {
  TrainingReportData d = full_data();
  d.kind_joint.pop_back();
  EXPECT_THROW(render_training_report(d), Error);
  d = full_data();
  d.mix[1].pop_back();
  EXPECT_THROW(render_training_report(d), Error);
}

TEST(TrainingReport, WritesAtomically) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("bugseek_trep_test_" + std::to_string(::getpid()));
  fs::path path = dir / "report.html";
  write_training_report(path, full_data());
  write_training_report(path, full_data());
  EXPECT_EQ(read_file(path), render_training_report(full_data()));
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace bugseek::eval
