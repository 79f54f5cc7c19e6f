#include "eval/metrics.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "common/log.h"

namespace bugseek::eval {
namespace {

bool raised(const SampleOutcome& s, double threshold) { return s.bug_confidence >= threshold; }

bool found_and_fixed(const SampleOutcome& s) {
  return s.buggy && s.site_correct && s.repair_correct;
}

void finish_point(PrPoint& p, int64_t num_buggy) {
  int64_t raised_count = p.true_positives + p.false_positives;
  p.precision = raised_count ? static_cast<double>(p.true_positives) / raised_count : 1.0;
  p.recall = num_buggy ? static_cast<double>(p.true_positives) / num_buggy : 0.0;
}

}  // namespace

MetricsAccumulator::MetricsAccumulator(std::vector<std::string> kind_names)
    : kind_names_(std::move(kind_names)) {}

void MetricsAccumulator::add(const SampleOutcome& sample) {
  int num_kinds = static_cast<int>(kind_names_.size());
  if (sample.buggy && (sample.kind < 0 || sample.kind >= num_kinds))
    throw Error(str_cat("MetricsAccumulator::add: buggy sample has kind ", sample.kind,
                        ", expected 0..", num_kinds - 1));
  if (!sample.buggy && (sample.kind < -1 || sample.kind >= num_kinds))
    throw Error(str_cat("MetricsAccumulator::add: clean sample has kind ", sample.kind,
                        ", expected -1..", num_kinds - 1));
  if (!(sample.bug_confidence >= 0 && sample.bug_confidence <= 1))
    throw Error(str_cat("MetricsAccumulator::add: bug_confidence ", sample.bug_confidence,
                        " is not a probability in [0, 1]"));
  samples_.push_back(sample);
}

void MetricsAccumulator::merge(const MetricsAccumulator& other) {
  if (other.kind_names_ != kind_names_)
    throw Error("MetricsAccumulator::merge: the two accumulators have different kind lists");
  samples_.insert(samples_.end(), other.samples_.begin(), other.samples_.end());
}

PrPoint operating_point(const std::vector<SampleOutcome>& samples, double threshold) {
  PrPoint p;
  p.threshold = threshold;
  int64_t num_buggy = 0;
  for (const SampleOutcome& s : samples) {
    num_buggy += s.buggy ? 1 : 0;
    if (!raised(s, threshold)) continue;
    if (found_and_fixed(s)) {
      ++p.true_positives;
    } else {
      ++p.false_positives;
    }
  }
  finish_point(p, num_buggy);
  return p;
}

Metrics MetricsAccumulator::finish(double threshold) const {
  Metrics m;
  m.kind_names = kind_names_;
  m.per_kind.resize(kind_names_.size());
  m.threshold = threshold;
  for (const SampleOutcome& s : samples_) {
    KindMetrics* kind = s.kind >= 0 ? &m.per_kind[static_cast<size_t>(s.kind)] : nullptr;
    if (!s.buggy) {
      ++m.num_clean;
      m.overall.no_bug.add(s.predicted_no_bug);
      if (kind) kind->no_bug.add(s.predicted_no_bug);
      m.false_alarms.add(raised(s, threshold));
      continue;
    }
    ++m.num_buggy;
    bool localized = !s.predicted_no_bug && s.site_correct;
    bool joint = localized && s.repair_correct;
    for (KindMetrics* k : {&m.overall, kind}) {
      if (!k) continue;
      k->localization.add(localized);
      k->repair.add(s.repair_correct);
      k->joint.add(joint);
    }
  }
  m.at_threshold = operating_point(samples_, threshold);

  // Sweep the threshold down through every distinct confidence; ties enter together.
  std::vector<const SampleOutcome*> order;
  order.reserve(samples_.size());
  for (const SampleOutcome& s : samples_) order.push_back(&s);
  std::stable_sort(order.begin(), order.end(), [](const SampleOutcome* a, const SampleOutcome* b) {
    return a->bug_confidence > b->bug_confidence;
  });
  PrPoint running;
  double previous_recall = 0;
  for (size_t i = 0; i < order.size();) {
    double t = order[i]->bug_confidence;
    for (; i < order.size() && order[i]->bug_confidence == t; ++i) {
      if (found_and_fixed(*order[i])) {
        ++running.true_positives;
      } else {
        ++running.false_positives;
      }
    }
    running.threshold = t;
    finish_point(running, m.num_buggy);
    m.average_precision += (running.recall - previous_recall) * running.precision;
    previous_recall = running.recall;
    m.pr_curve.push_back(running);
  }
  return m;
}

}  // namespace bugseek::eval
