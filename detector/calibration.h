// What a model's scores mean on clean code: the finding threshold that keeps false alarms at a
// stated rate, picked from the scores the detector gives clean validation functions (those of a
// prepared dataset's valid split). Stored in the model file (an optional "calibration" section,
// so older files load and older binaries ignore it), shown by `inspect`, used by `scan`.
// Torch-free.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bugseek::detector {

// At most 1 finding per 200 clean functions.
constexpr double kDefaultFalseAlarmRate = 1.0 / 200;

struct Calibration {
  double false_alarm_rate = kDefaultFalseAlarmRate;  // the rate `threshold` was picked for
  double threshold = 0.5;         // findings with score >= threshold are reported
  uint64_t functions = 0;         // clean units scored
  std::string data;               // where they came from (dataset and split)
  std::vector<double> top;        // the highest scores, highest first (at most kKeptTop)
  std::vector<double> quantiles;  // score at q = i / (kQuantiles - 1), i = 0 .. kQuantiles - 1
  static constexpr size_t kKeptTop = 1000;
  static constexpr size_t kQuantiles = 1001;
};

// The smallest threshold t such that at most floor(rate * n) of `scores` (n = its size) are >= t:
// just above the (k+1)-th highest score, 0 when every score may pass. Scores are a finding's
// p(location) * p(repair) on clean code, in [0, 1]. Throws UsageError on a rate outside [0, 1].
double threshold_for_rate(std::vector<double> scores, double rate);

// A calibration at `rate` from the scores of clean functions (copied and sorted), keeping the top
// scores and quantiles so another rate can be picked later. Throws UsageError on no scores.
Calibration calibrate(std::vector<double> scores, double rate, std::string data);

// The threshold for `rate` from a stored calibration: exact while floor(rate * functions) lies
// within the kept top scores, else read from the quantiles (the score below which a 1 - rate
// share of the functions fall, nudged up).
double threshold_for_rate(const Calibration& calibration, double rate);

// "key = value" lines (false_alarm_rate, threshold, functions, data, top, quantiles; lists as
// space-separated numbers) and back. Throws Error on malformed text.
std::string calibration_to_text(const Calibration& calibration);
Calibration calibration_from_text(std::string_view text);

// "at most 1 finding per 200 clean functions" for 0.005.
std::string describe_rate(double rate);

}  // namespace bugseek::detector
