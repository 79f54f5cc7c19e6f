#include "eval/metrics.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/error.h"

namespace bugseek::eval {
namespace {

SampleOutcome buggy(int kind, bool no_bug, bool site, bool repair, double confidence) {
  SampleOutcome s;
  s.buggy = true;
  s.kind = kind;
  s.predicted_no_bug = no_bug;
  s.site_correct = site;
  s.repair_correct = repair;
  s.bug_confidence = confidence;
  return s;
}

SampleOutcome clean(int kind, bool no_bug, double confidence) {
  SampleOutcome s;
  s.kind = kind;
  s.predicted_no_bug = no_bug;
  s.bug_confidence = confidence;
  return s;
}

// Seven samples over two kinds, with every answer worked out by hand below.
MetricsAccumulator hand_made() {
  MetricsAccumulator acc({"a", "b"});
  acc.add(buggy(0, false, true, true, 0.9));   // 1: localized, repaired: found and fixed
  acc.add(buggy(0, false, true, false, 0.8));  // 2: localized, wrong repair
  acc.add(buggy(1, true, true, true, 0.3));    // 3: argmax NO_BUG, but the top bug is right
  acc.add(buggy(1, false, false, true, 0.6));  // 4: wrong site; repair at true site right
  acc.add(clean(-1, true, 0.1));               // 5: quiet
  acc.add(clean(0, false, 0.7));               // 6: false alarm
  acc.add(clean(1, true, 0.6));                // 7: NO_BUG argmax but raises at 0.5
  return acc;
}

TEST(Metrics, AccuraciesOverallAndPerKind) {
  Metrics m = hand_made().finish(0.5);
  EXPECT_EQ(m.num_buggy, 4);
  EXPECT_EQ(m.num_clean, 3);
  EXPECT_EQ(m.overall.no_bug.correct, 2);  // 5 and 7
  EXPECT_EQ(m.overall.no_bug.total, 3);
  EXPECT_EQ(m.overall.localization.correct, 2);  // 1 and 2 (3 predicted NO_BUG)
  EXPECT_EQ(m.overall.localization.total, 4);
  EXPECT_EQ(m.overall.repair.correct, 3);  // 1, 3, 4
  EXPECT_EQ(m.overall.joint.correct, 1);   // 1
  EXPECT_DOUBLE_EQ(m.overall.joint.value(), 0.25);

  ASSERT_EQ(m.per_kind.size(), 2u);
  const KindMetrics& a = m.per_kind[0];
  EXPECT_EQ(a.localization.correct, 2);
  EXPECT_EQ(a.localization.total, 2);
  EXPECT_EQ(a.repair.correct, 1);
  EXPECT_EQ(a.joint.correct, 1);
  EXPECT_EQ(a.no_bug.correct, 0);  // sample 6
  EXPECT_EQ(a.no_bug.total, 1);
  const KindMetrics& b = m.per_kind[1];
  EXPECT_EQ(b.localization.correct, 0);
  EXPECT_EQ(b.repair.correct, 2);
  EXPECT_EQ(b.joint.correct, 0);
  EXPECT_EQ(b.no_bug.correct, 1);  // sample 7
  EXPECT_EQ(b.no_bug.total, 1);
}

TEST(Metrics, FalseAlarmsAndOperatingPoint) {
  Metrics m = hand_made().finish(0.5);
  // Raised at 0.5: 1 (tp), 2, 4, 6, 7 (fp).
  EXPECT_EQ(m.false_alarms.correct, 2);  // clean 6 and 7 raise
  EXPECT_EQ(m.false_alarms.total, 3);
  EXPECT_EQ(m.at_threshold.true_positives, 1);
  EXPECT_EQ(m.at_threshold.false_positives, 4);
  EXPECT_DOUBLE_EQ(m.at_threshold.precision, 0.2);
  EXPECT_DOUBLE_EQ(m.at_threshold.recall, 0.25);

  PrPoint high = operating_point(hand_made().samples(), 0.95);
  EXPECT_EQ(high.true_positives + high.false_positives, 0);
  EXPECT_DOUBLE_EQ(high.precision, 1.0);  // nothing raised
  EXPECT_DOUBLE_EQ(high.recall, 0.0);
}

TEST(Metrics, PrecisionRecallCurveAndArea) {
  Metrics m = hand_made().finish(0.5);
  // Sorted by confidence: 0.9 tp | 0.8 fp | 0.7 fp | 0.6 fp fp (tie enters together) |
  // 0.3 tp | 0.1 fp.
  ASSERT_EQ(m.pr_curve.size(), 6u);
  struct Expected {
    double t;
    int64_t tp, fp;
    double p, r;
  };
  const Expected expected[] = {{0.9, 1, 0, 1.0, 0.25},     {0.8, 1, 1, 0.5, 0.25},
                               {0.7, 1, 2, 1.0 / 3, 0.25}, {0.6, 1, 4, 0.2, 0.25},
                               {0.3, 2, 4, 1.0 / 3, 0.5},  {0.1, 2, 5, 2.0 / 7, 0.5}};
  for (size_t i = 0; i < 6; ++i) {
    SCOPED_TRACE(i);
    EXPECT_DOUBLE_EQ(m.pr_curve[i].threshold, expected[i].t);
    EXPECT_EQ(m.pr_curve[i].true_positives, expected[i].tp);
    EXPECT_EQ(m.pr_curve[i].false_positives, expected[i].fp);
    EXPECT_DOUBLE_EQ(m.pr_curve[i].precision, expected[i].p);
    EXPECT_DOUBLE_EQ(m.pr_curve[i].recall, expected[i].r);
  }
  // Recall steps: +0.25 at precision 1, +0.25 at precision 1/3.
  EXPECT_DOUBLE_EQ(m.average_precision, 0.25 * 1.0 + 0.25 / 3);
}

TEST(Metrics, PerfectDetectorHasAreaOne) {
  MetricsAccumulator acc({"a"});
  acc.add(buggy(0, false, true, true, 0.9));
  acc.add(buggy(0, false, true, true, 0.8));
  acc.add(clean(-1, true, 0.05));
  Metrics m = acc.finish(0.5);
  EXPECT_DOUBLE_EQ(m.average_precision, 1.0);
  EXPECT_DOUBLE_EQ(m.overall.joint.value(), 1.0);
  EXPECT_DOUBLE_EQ(m.overall.no_bug.value(), 1.0);
  EXPECT_EQ(m.false_alarms.correct, 0);
}

TEST(Metrics, EmptyAccumulatorGivesZeros) {
  Metrics m = MetricsAccumulator({"a", "b"}).finish();
  EXPECT_EQ(m.num_buggy + m.num_clean, 0);
  EXPECT_EQ(m.overall.joint.total, 0);
  EXPECT_DOUBLE_EQ(m.overall.joint.value(), 0.0);
  EXPECT_TRUE(m.pr_curve.empty());
  EXPECT_DOUBLE_EQ(m.average_precision, 0.0);
  EXPECT_EQ(m.per_kind.size(), 2u);
}

TEST(Metrics, MergeCombinesWorkers) {
  MetricsAccumulator left({"a", "b"}), right({"a", "b"});
  MetricsAccumulator all = hand_made();
  for (size_t i = 0; i < all.samples().size(); ++i) (i % 2 ? left : right).add(all.samples()[i]);
  left.merge(right);
  Metrics merged = left.finish(0.5), direct = all.finish(0.5);
  EXPECT_EQ(merged.overall.joint.correct, direct.overall.joint.correct);
  EXPECT_DOUBLE_EQ(merged.average_precision, direct.average_precision);
  EXPECT_THROW(left.merge(MetricsAccumulator({"other"})), Error);
}

TEST(Metrics, RejectsBadSamples) {
  MetricsAccumulator acc({"a", "b"});
  EXPECT_THROW(acc.add(buggy(2, false, true, true, 0.5)), Error);
  EXPECT_THROW(acc.add(buggy(-1, false, true, true, 0.5)), Error);
  EXPECT_THROW(acc.add(clean(-2, true, 0.5)), Error);
  EXPECT_THROW(acc.add(buggy(0, false, true, true, 1.5)), Error);
  EXPECT_THROW(acc.add(buggy(0, false, true, true, std::nan(""))), Error);
  EXPECT_EQ(acc.size(), 0u);
}

}  // namespace
}  // namespace bugseek::eval
