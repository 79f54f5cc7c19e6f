#include "detector/calibration.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <sstream>

#include "common/error.h"

namespace bugseek::detector {
namespace {

void check_rate(double rate) {
  if (!(rate >= 0 && rate <= 1)) {
    throw UsageError("a false-alarm rate must be in [0, 1], not " + std::to_string(rate));
  }
}

// How many of n clean functions may be flagged at `rate`; the epsilon keeps 0.005 * 200 at 1.
uint64_t allowed(double rate, uint64_t n) {
  return static_cast<uint64_t>(std::floor(rate * static_cast<double>(n) + 1e-9));
}

double just_above(double score) {
  return std::nextafter(score, std::numeric_limits<double>::infinity());
}

std::string number_list(const std::vector<double>& values) {
  std::string out;
  char buf[40];
  for (double v : values) {
    std::snprintf(buf, sizeof buf, "%.17g", v);
    if (!out.empty()) out += ' ';
    out += buf;
  }
  return out;
}

std::vector<double> parse_numbers(const std::string& text) {
  std::vector<double> out;
  std::istringstream in(text);
  for (std::string word; in >> word;) {
    char* end = nullptr;
    const double v = std::strtod(word.c_str(), &end);
    if (end == word.c_str() || *end != '\0') {
      throw Error("calibration: not a number: '" + word + "'");
    }
    out.push_back(v);
  }
  return out;
}

double first_number(const std::string& text) {
  const std::vector<double> v = parse_numbers(text);
  if (v.size() != 1) throw Error("calibration: expected one number, got '" + text + "'");
  return v[0];
}

// A count of functions: decimal digits, at most 2^53 (exact as a double, so rates times it do not
// overflow when cast back).
uint64_t count_value(const std::string& text) {
  std::string digits = text;
  while (!digits.empty() && (digits.back() == ' ' || digits.back() == '\r')) digits.pop_back();
  if (digits.empty() || digits.size() > 16 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    throw Error("calibration: not a function count: '" + text + "'");
  }
  const uint64_t n = std::stoull(digits);
  if (n > (uint64_t{1} << 53)) throw Error("calibration: function count too large: " + digits);
  return n;
}

std::string key_line(const std::string& key, const std::string& value) {
  return key + " = " + value + "\n";
}

}  // namespace

double threshold_for_rate(std::vector<double> scores, double rate) {
  check_rate(rate);
  const uint64_t k = allowed(rate, scores.size());
  if (k >= scores.size()) return 0;
  std::nth_element(scores.begin(), scores.begin() + static_cast<ptrdiff_t>(k), scores.end(),
                   std::greater<double>());
  return just_above(scores[k]);
}

Calibration calibrate(std::vector<double> scores, double rate, std::string data) {
  check_rate(rate);
  if (scores.empty()) throw UsageError("calibration needs at least one clean function's score");
  std::sort(scores.begin(), scores.end(), std::greater<double>());
  Calibration c;
  c.false_alarm_rate = rate;
  c.functions = scores.size();
  c.data = std::move(data);
  c.top.assign(scores.begin(), scores.begin() + static_cast<ptrdiff_t>(std::min(
                                                    scores.size(), Calibration::kKeptTop)));
  const size_t n = scores.size();
  for (size_t i = 0; i < Calibration::kQuantiles; ++i) {
    // q-quantile from the bottom: ascending index q * (n - 1), i.e. descending (1 - q) * (n - 1).
    const double q = static_cast<double>(i) / static_cast<double>(Calibration::kQuantiles - 1);
    const auto from_top = static_cast<size_t>(std::llround((1 - q) * static_cast<double>(n - 1)));
    c.quantiles.push_back(scores[std::min(from_top, n - 1)]);
  }
  c.threshold = threshold_for_rate(c, rate);
  return c;
}

double threshold_for_rate(const Calibration& c, double rate) {
  check_rate(rate);
  const uint64_t k = allowed(rate, c.functions);
  if (k >= c.functions) return 0;
  if (k < c.top.size()) return just_above(c.top[k]);
  if (c.quantiles.empty()) return c.threshold;
  // The (k+1)-th highest of n is the ascending quantile (n - 1 - k) / (n - 1).
  const double q = c.functions > 1 ? static_cast<double>(c.functions - 1 - k) /
                                         static_cast<double>(c.functions - 1)
                                   : 0.0;
  const auto i =
      static_cast<size_t>(std::floor(q * static_cast<double>(c.quantiles.size() - 1) + 1e-9));
  return just_above(c.quantiles[std::min(i, c.quantiles.size() - 1)]);
}

std::string calibration_to_text(const Calibration& c) {
  char buf[64];
  std::string out;
  std::snprintf(buf, sizeof buf, "%.17g", c.false_alarm_rate);
  out += key_line("false_alarm_rate", buf);
  std::snprintf(buf, sizeof buf, "%.17g", c.threshold);
  out += key_line("threshold", buf);
  out += key_line("functions", std::to_string(c.functions));
  out += key_line("data", c.data);
  out += key_line("top", number_list(c.top));
  out += key_line("quantiles", number_list(c.quantiles));
  return out;
}

Calibration calibration_from_text(std::string_view text) {
  Calibration c;
  std::istringstream in{std::string(text)};
  bool has_threshold = false;
  for (std::string line; std::getline(in, line);) {
    const size_t eq = line.find(" = ");
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq);
    const std::string value = line.substr(eq + 3);
    if (key == "false_alarm_rate") {
      c.false_alarm_rate = first_number(value);
    } else if (key == "threshold") {
      c.threshold = first_number(value);
      has_threshold = true;
    } else if (key == "functions") {
      c.functions = count_value(value);
    } else if (key == "data") {
      c.data = value;
    } else if (key == "top") {
      c.top = parse_numbers(value);
    } else if (key == "quantiles") {
      c.quantiles = parse_numbers(value);
    }  // unknown keys: written by a newer bugseek; ignored
  }
  if (!has_threshold) throw Error("calibration: no threshold");
  // Scores and rates are probabilities; anything else is a damaged file, not a calibration.
  auto check = [](double v, const char* what) {
    if (!(v >= 0 && v <= 1)) throw Error(std::string("calibration: ") + what + " outside [0, 1]");
  };
  check(c.threshold, "threshold");
  check(c.false_alarm_rate, "false_alarm_rate");
  for (double v : c.top) check(v, "a top score");
  for (double v : c.quantiles) check(v, "a quantile");
  return c;
}

std::string describe_rate(double rate) {
  if (rate <= 0) return "no finding on any of the clean functions";
  char buf[96];
  const double per = 1.0 / rate;
  if (std::fabs(per - std::round(per)) < 1e-6) {
    std::snprintf(buf, sizeof buf, "at most 1 finding per %.0f clean functions", per);
  } else {
    std::snprintf(buf, sizeof buf, "at most %.3g%% of clean functions flagged", rate * 100);
  }
  return buf;
}

}  // namespace bugseek::detector
