// BugLab's detector metrics, torch-free. The eval suites (and train's validation) turn each
// model prediction into one SampleOutcome against the truth; MetricsAccumulator sums them into
// no-bug, localization, repair and joint accuracy overall and per bug kind, the false alarm rate
// at a threshold, and the precision-recall curve of "bug found and fixed".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bugseek::eval {

// One evaluated function, as the detector saw it. The detector localizes over the function's
// sites plus a NO_BUG choice, then picks a repair at a location.
struct SampleOutcome {
  bool buggy = false;  // truth: a bug was planted (or this is the buggy half of a real pair)
  // Index into the kind list (parser::BugKind order). Required for buggy samples; for clean ones
  // it may name the kind of the paired bug (per-kind no-bug accuracy) or stay -1.
  int kind = -1;
  // The localizer's argmax is NO_BUG.
  bool predicted_no_bug = false;
  // The best location other than NO_BUG with its best repair: the finding `scan` would report.
  // Its probability p(location) * p(repair | location); a warning is raised iff it passes the
  // threshold.
  double bug_confidence = 0;
  // Buggy only: that best non-NO_BUG location is the true bug site.
  bool site_correct = false;
  // Buggy only: the repair head's best choice at the TRUE site is the true fix (BugLab's repair
  // accuracy "given the location", independent of where the localizer pointed).
  bool repair_correct = false;
  // The localizer's probability of NO_BUG (reported in JSON; not used by the counts).
  double p_no_bug = 0;
  // Buggy only: 1 + the number of sites the localizer ranks above the true site (NO_BUG aside),
  // so 1 means site_correct; 0 when unknown. For `eval --predictions`, not used by the counts.
  int32_t true_site_rank = 0;
  int32_t num_sites = 0;  // locations other than NO_BUG in the graph
};

// correct out of total; value() is 0 when total is 0 (check total before reading it as a rate).
struct Ratio {
  int64_t correct = 0;
  int64_t total = 0;
  double value() const { return total ? static_cast<double>(correct) / total : 0.0; }
  void add(bool ok) {
    ++total;
    correct += ok ? 1 : 0;
  }
};

struct KindMetrics {
  Ratio no_bug;        // clean samples whose argmax is NO_BUG
  Ratio localization;  // buggy samples whose argmax is the true site
  Ratio repair;        // buggy samples whose best repair at the true site is the true fix
  Ratio joint;         // buggy samples localized and repaired
};

// One operating point: warnings raised when bug_confidence >= threshold.
struct PrPoint {
  double threshold = 0;
  int64_t true_positives = 0;   // buggy, raised, site and repair right
  int64_t false_positives = 0;  // raised on a clean sample, or raised with a wrong site or repair
  double precision = 1;         // tp / (tp + fp); 1 when nothing is raised
  double recall = 0;            // tp / buggy samples
};

struct Metrics {
  std::vector<std::string> kind_names;
  int64_t num_buggy = 0;
  int64_t num_clean = 0;
  KindMetrics overall;
  std::vector<KindMetrics> per_kind;  // parallel to kind_names
  // At `threshold`: clean samples that raise a warning, and the operating point.
  double threshold = 0.5;
  Ratio false_alarms;
  PrPoint at_threshold;
  // One point per distinct confidence, from the highest threshold down (recall increasing).
  std::vector<PrPoint> pr_curve;
  // Area under the precision-recall step curve: sum over points of (recall gain) * precision,
  // i.e. average precision; 0 when there are no buggy samples.
  double average_precision = 0;
};

class MetricsAccumulator {
 public:
  // `kind_names` gives the kinds in index order (e.g. parser::bug_kind_name for each BugKind).
  explicit MetricsAccumulator(std::vector<std::string> kind_names);

  // Adds one sample; throws Error if a buggy sample's kind is out of range or the confidence is
  // not a probability in [0, 1].
  void add(const SampleOutcome& sample);
  // Adds every sample of `other` (same kind list required), e.g. from a worker thread.
  void merge(const MetricsAccumulator& other);

  size_t size() const { return samples_.size(); }
  const std::vector<SampleOutcome>& samples() const { return samples_; }

  // All metrics; `threshold` sets the false alarm rate and the reported operating point.
  Metrics finish(double threshold = 0.5) const;

 private:
  std::vector<std::string> kind_names_;
  std::vector<SampleOutcome> samples_;
};

// The operating point at `threshold` over `samples` (used by finish and by threshold sweeps).
PrPoint operating_point(const std::vector<SampleOutcome>& samples, double threshold);

}  // namespace bugseek::eval
