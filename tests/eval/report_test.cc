#include "eval/report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "common/fs.h"
#include "common/json.h"

namespace bugseek::eval {
namespace {

EvalReport sample_report() {
  MetricsAccumulator acc({"variable-misuse", "wrong|pipe"});
  SampleOutcome s;
  s.buggy = true;
  s.kind = 0;
  s.site_correct = true;
  s.repair_correct = true;
  s.bug_confidence = 0.9;
  acc.add(s);
  s.repair_correct = false;
  s.bug_confidence = 0.4;
  acc.add(s);
  SampleOutcome c;
  c.predicted_no_bug = true;
  c.bug_confidence = 0.2;
  acc.add(c);
  EvalReport r;
  r.suite = "real";
  r.model = "runs/x/model.bugseek";
  r.data = "dev.jsonl";
  r.seed = 7;
  r.inputs = 3;
  r.skipped = {{"pypibugs-1", "two tokens changed"}, {"pypibugs-2", "no rewrite | matches"}};
  r.metrics = acc.finish(0.5);
  return r;
}

TEST(Report, MarkdownTable) {
  std::string md = render_markdown(sample_report());
  EXPECT_NE(md.find("## bugseek eval: real suite\n"), std::string::npos);
  EXPECT_NE(md.find("| bug kind | buggy | localization | repair | joint | clean | no-bug |"),
            std::string::npos);
  EXPECT_NE(md.find("| variable-misuse | 2 | 100.0% | 50.0% | 50.0% | 0 | n/a |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| wrong\\|pipe | 0 | n/a | n/a | n/a | 0 | n/a |\n"), std::string::npos);
  EXPECT_NE(md.find("| **all** | 2 | 100.0% | 50.0% | 50.0% | 1 | 100.0% |\n"), std::string::npos);
  EXPECT_NE(md.find("precision 100.0%, recall 50.0%"), std::string::npos);
  EXPECT_NE(md.find("false alarms on clean functions 0.0% (0/1)"), std::string::npos);
  EXPECT_NE(md.find("### Skipped inputs (2)"), std::string::npos);
  EXPECT_NE(md.find("- `pypibugs-2`: no rewrite \\| matches\n"), std::string::npos);
  EXPECT_EQ(render_markdown(sample_report()), md);  // deterministic

  std::string short_md = render_markdown(sample_report(), {1});
  EXPECT_NE(short_md.find("- ... and 1 more"), std::string::npos);
}

TEST(Report, JsonRoundTripsWithAllSections) {
  EvalReport r = sample_report();
  std::string text = json::dump(report_to_json(r), {2});
  json::Value v = json::parse(text);
  EXPECT_EQ(v.at("suite").as_string(), "real");
  EXPECT_EQ(v.at("seed").as_int(), 7);
  EXPECT_EQ(v.at("skipped").size(), 2u);
  const json::Value& m = v.at("metrics");
  EXPECT_EQ(m.at("buggy_samples").as_int(), 2);
  EXPECT_EQ(m.at("overall").at("joint_accuracy").at("correct").as_int(), 1);
  EXPECT_DOUBLE_EQ(m.at("overall").at("joint_accuracy").at("value").as_double(), 0.5);
  EXPECT_TRUE(m.at("per_kind").at("wrong|pipe").at("joint_accuracy").at("value").is_null());
  EXPECT_EQ(m.at("pr_curve").size(), 3u);
  EXPECT_DOUBLE_EQ(m.at("average_precision").as_double(), 0.5);
  EXPECT_EQ(json::dump(report_to_json(sample_report()), {2}), text);
}

TEST(Report, PrCurveIsThinnedKeepingEnds) {
  MetricsAccumulator acc({"a"});
  for (int i = 0; i < 1000; ++i) {
    SampleOutcome s;
    s.buggy = true;
    s.kind = 0;
    s.site_correct = s.repair_correct = i % 3 != 0;
    s.bug_confidence = i / 1000.0;
    acc.add(s);
  }
  Metrics m = acc.finish();
  ASSERT_EQ(m.pr_curve.size(), 1000u);
  json::Value v = metrics_to_json(m, 50);
  const json::Value& curve = v.at("pr_curve");
  EXPECT_EQ(curve.size(), 50u);
  EXPECT_DOUBLE_EQ(curve[0].at("threshold").as_double(), m.pr_curve.front().threshold);
  EXPECT_DOUBLE_EQ(curve[49].at("threshold").as_double(), m.pr_curve.back().threshold);
  EXPECT_EQ(metrics_to_json(m, 0).at("pr_curve").size(), 1000u);
}

TEST(Report, ComparisonTable) {
  EvalReport r = sample_report();
  std::string md = render_comparison_markdown({{"learned", r.metrics}, {"random", r.metrics}});
  EXPECT_NE(md.find("| learned | 2 | 1 | 100.0% | 50.0% | 50.0% | 100.0% | 0.0% | 0.500 |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| bug kind | learned | random |"), std::string::npos);
  EXPECT_NE(md.find("| variable-misuse | 50.0% | 50.0% |"), std::string::npos);
}

TEST(Report, WritesPrCurveSvg) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("bugseek_report_test_" + std::to_string(::getpid()));
  fs::path path = write_plots(dir, sample_report());
  std::string svg = read_file(path);
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_NE(svg.find("class=\"series\" data-name=\"real (AP 0.500)\""), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace bugseek::eval
