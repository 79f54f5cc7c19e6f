#include "train/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "common/json.h"

namespace bugseek::train {
namespace {
constexpr size_t kMaxStepPoints = 2000;
}

void ReportHistory::add_step(uint64_t step, double det_loss, double sel_loss, double joint) {
  // Smoothed as the steps come, so thinning old points below does not bend the average.
  const double previous = steps.empty() ? det_loss : steps.back().det_loss_ema;
  const double ema = std::isfinite(previous)
                         ? kLossEmaWeight * det_loss + (1 - kLossEmaWeight) * previous
                         : det_loss;
  steps.push_back({step, det_loss, sel_loss, joint, ema});
  if (steps.size() > kMaxStepPoints) {
    // Halve the resolution of the older half: the curve keeps its shape, memory stays bounded.
    std::vector<StepPoint> thinned;
    for (size_t i = 0; i < steps.size(); ++i) {
      if (i >= steps.size() / 2 || i % 2 == 0) thinned.push_back(steps[i]);
    }
    steps = std::move(thinned);
  }
}

void ReportHistory::add_validation(uint64_t step, const ValidationResult& v) {
  ValidPoint p{step, v.loss, v.no_bug_acc, v.loc_acc, v.repair_acc, v.joint_acc, v.overall_acc};
  for (int k = 0; k < parser::kNumBugKinds; ++k) {
    const KindCounts& c = v.by_kind[k];
    p.kind_count[k] = c.buggy;
    if (c.buggy == 0) continue;
    p.kind_loc[k] = double(c.localized) / c.buggy;
    p.kind_repair[k] = double(c.repaired_at_true) / c.buggy;
    p.kind_joint[k] = double(c.joint) / c.buggy;
  }
  validations.push_back(p);
}

void ReportHistory::add_kind_mix(uint64_t step,
                                 const std::array<int64_t, parser::kNumBugKinds>& planted) {
  mix.push_back({step, planted});
}

namespace {

template <typename T, size_t N>
json::Value to_array(const std::array<T, N>& a) {
  json::Value v = json::Value::array();
  for (const T& x : a) v.push_back(x);
  return v;
}

template <typename T, size_t N>
void from_array(const json::Value& v, std::array<T, N>& out) {
  for (size_t i = 0; i < N && i < v.size(); ++i) {
    if constexpr (std::is_integral_v<T>) {
      out[i] = static_cast<T>(v[i].as_int());
    } else {
      out[i] = static_cast<T>(v[i].as_double());
    }
  }
}

}  // namespace

void ReportHistory::add_real_validation(uint64_t step, const ValidationResult& v,
                                        const std::string& source) {
  real.push_back({step, v.loss, v.loc_acc, v.joint_acc, source});
}

void ReportHistory::add_monitor(uint64_t step, uint64_t steps_since,
                                const std::vector<std::pair<std::string, double>>& update_ratios,
                                std::vector<detector::ActivationStats> latest) {
  MonitorPoint p{step, steps_since, {}, {}};
  for (const auto& [name, ratio] : update_ratios) {
    p.names.push_back(name);
    p.update_ratios.push_back(ratio);
  }
  monitors.push_back(std::move(p));
  activations_step = step;
  activations = std::move(latest);
}

namespace {
double number_or_nan(const json::Value& v) {
  return v.is_number() ? v.as_double() : std::numeric_limits<double>::quiet_NaN();
}
}  // namespace

std::string ReportHistory::to_text() const {
  std::string out;
  for (const auto& s : steps) {
    json::Value v = json::Value::object();
    v.set("t", "s");
    v.set("step", s.step);
    v.set("det", s.det_loss);
    v.set("sel", s.sel_loss);
    v.set("joint", s.joint);
    v.set("ema", s.det_loss_ema);
    out += json::dump(v) + "\n";
  }
  for (const auto& p : validations) {
    json::Value v = json::Value::object();
    v.set("t", "v");
    v.set("step", p.step);
    v.set("loss", p.loss);
    v.set("no_bug", p.no_bug);
    v.set("loc", p.loc);
    v.set("repair", p.repair);
    v.set("joint", p.joint);
    v.set("overall", p.overall);
    v.set("kind_loc", to_array(p.kind_loc));
    v.set("kind_repair", to_array(p.kind_repair));
    v.set("kind_joint", to_array(p.kind_joint));
    v.set("kind_count", to_array(p.kind_count));
    out += json::dump(v) + "\n";
  }
  for (const auto& r : real) {
    json::Value v = json::Value::object();
    v.set("t", "r");
    v.set("step", r.step);
    v.set("loss", r.loss);
    v.set("loc", r.loc);
    v.set("joint", r.joint);
    v.set("source", r.source);
    out += json::dump(v) + "\n";
  }
  for (const auto& m : mix) {
    json::Value v = json::Value::object();
    v.set("t", "m");
    v.set("step", m.step);
    v.set("planted", to_array(m.planted));
    out += json::dump(v) + "\n";
  }
  for (const auto& m : monitors) {
    json::Value v = json::Value::object();
    v.set("t", "u");
    v.set("step", m.step);
    v.set("steps", m.steps_since);
    json::Value names = json::Value::array(), ratios = json::Value::array();
    for (const auto& n : m.names) names.push_back(n);
    for (double r : m.update_ratios) ratios.push_back(r);
    v.set("names", std::move(names));
    v.set("ratios", std::move(ratios));
    out += json::dump(v) + "\n";
  }
  for (const auto& a : activations) {
    json::Value v = json::Value::object();
    v.set("t", "a");
    v.set("step", activations_step);
    v.set("layer", a.layer);
    v.set("rows", a.rows);
    v.set("units", a.units);
    v.set("mean", a.mean);
    v.set("std", a.std);
    v.set("dead", a.dead_fraction);
    json::Value counts = json::Value::array();
    for (double c : a.histogram) counts.push_back(c);
    v.set("hist", std::move(counts));
    out += json::dump(v) + "\n";
  }
  return out;
}

ReportHistory ReportHistory::from_text(const std::string& text) {
  ReportHistory h;
  for (const json::Value& v : json::parse_lines(text, "training history")) {
    const std::string& t = v.at("t").as_string();
    const auto step = static_cast<uint64_t>(v.at("step").as_int());
    if (t == "s") {
      const double det = v.at("det").as_double();
      const json::Value* ema = v.find("ema");  // absent in runs from before the smoothed curve
      h.steps.push_back({step, det, v.at("sel").as_double(), v.at("joint").as_double(),
                         ema != nullptr ? number_or_nan(*ema) : det});
    } else if (t == "v") {
      ValidPoint p{step,
                   v.at("loss").as_double(),
                   v.at("no_bug").as_double(),
                   v.at("loc").as_double(),
                   v.at("repair").as_double(),
                   v.at("joint").as_double(),
                   v.at("overall").as_double()};
      from_array(v.at("kind_loc"), p.kind_loc);
      from_array(v.at("kind_repair"), p.kind_repair);
      from_array(v.at("kind_joint"), p.kind_joint);
      from_array(v.at("kind_count"), p.kind_count);
      h.validations.push_back(p);
    } else if (t == "r") {
      h.real.push_back({step, v.at("loss").as_double(), v.at("loc").as_double(),
                        v.at("joint").as_double(),
                        v.contains("source") ? v.at("source").as_string() : "real fixes (held out)"});
    } else if (t == "m") {
      MixPoint m{step, {}};
      from_array(v.at("planted"), m.planted);
      h.mix.push_back(m);
    } else if (t == "u") {
      MonitorPoint m{step, static_cast<uint64_t>(v.at("steps").as_int()), {}, {}};
      const json::Value& names = v.at("names");
      const json::Value& ratios = v.at("ratios");
      for (size_t i = 0; i < names.size() && i < ratios.size(); ++i) {
        m.names.push_back(names[i].as_string());
        m.update_ratios.push_back(number_or_nan(ratios[i]));
      }
      h.monitors.push_back(std::move(m));
    } else if (t == "a") {
      if (step != h.activations_step) h.activations.clear();
      h.activations_step = step;
      detector::ActivationStats a;
      a.layer = v.at("layer").as_string();
      a.rows = v.at("rows").as_int();
      a.units = v.at("units").as_int();
      a.mean = number_or_nan(v.at("mean"));
      a.std = number_or_nan(v.at("std"));
      a.dead_fraction = number_or_nan(v.at("dead"));
      const json::Value& counts = v.at("hist");
      for (size_t i = 0; i < counts.size(); ++i) a.histogram.push_back(counts[i].as_double());
      h.activations.push_back(std::move(a));
    }
  }
  return h;
}

eval::NamedHistogram make_histogram(std::string name, const std::vector<float>& values, int bins) {
  eval::NamedHistogram h;
  h.name = std::move(name);
  if (values.empty() || bins <= 0) return h;
  auto [lo_it, hi_it] = std::minmax_element(values.begin(), values.end());
  double lo = *lo_it, hi = *hi_it;
  if (hi <= lo) hi = lo + 1e-6;
  h.counts.assign(static_cast<size_t>(bins), 0.0);
  for (int b = 0; b <= bins; ++b) h.edges.push_back(lo + (hi - lo) * b / bins);
  for (float x : values) {
    int b = static_cast<int>((x - lo) / (hi - lo) * bins);
    h.counts[static_cast<size_t>(std::clamp(b, 0, bins - 1))] += 1;
  }
  return h;
}

void write_run_report(const std::filesystem::path& path, const ReportHistory& history,
                      std::vector<eval::NamedHistogram> weight_histograms,
                      std::vector<std::pair<std::string, std::string>> facts) {
  eval::TrainingReportData data;
  data.facts = std::move(facts);
  svg::Series det{"detector (train)", {}, {}}, sel{"selector (train)", {}, {}},
      val{"detector (valid)", {}, {}}, det_ema{"detector (train, EMA)", {}, {}};
  svg::Series train_joint{"train joint", {}, {}}, val_joint{"valid joint (buggy)", {}, {}},
      val_no_bug{"valid no-bug", {}, {}}, val_loc{"valid localization", {}, {}},
      val_repair{"valid repair", {}, {}};
  for (const auto& s : history.steps) {
    det.x.push_back(double(s.step));
    det.y.push_back(s.det_loss);
    det_ema.x.push_back(double(s.step));
    det_ema.y.push_back(s.det_loss_ema);
    sel.x.push_back(double(s.step));
    sel.y.push_back(s.sel_loss);
    train_joint.x.push_back(double(s.step));
    train_joint.y.push_back(s.joint);
  }
  for (const auto& v : history.validations) {
    const double x = double(v.step);
    val.x.push_back(x);
    val.y.push_back(v.loss);
    for (auto* s : {&val_joint, &val_no_bug, &val_loc, &val_repair}) s->x.push_back(x);
    val_joint.y.push_back(v.joint);
    val_no_bug.y.push_back(v.no_bug);
    val_loc.y.push_back(v.loc);
    val_repair.y.push_back(v.repair);
  }
  data.losses = {det, det_ema, sel, val};
  data.accuracies = {train_joint, val_joint, val_no_bug, val_loc, val_repair};
  // One loss and one joint-accuracy curve per source of real bugs, in order of appearance.
  std::vector<std::string> sources;
  for (const auto& r : history.real) {
    if (std::find(sources.begin(), sources.end(), r.source) == sources.end()) {
      sources.push_back(r.source);
    }
  }
  for (const std::string& source : sources) {
    svg::Series real_loss{source, {}, {}}, real_joint{source + " joint", {}, {}};
    for (const auto& r : history.real) {
      if (r.source != source) continue;
      real_loss.x.push_back(double(r.step));
      real_loss.y.push_back(r.loss);
      real_joint.x.push_back(double(r.step));
      real_joint.y.push_back(r.joint);
    }
    data.losses.push_back(std::move(real_loss));
    data.accuracies.push_back(std::move(real_joint));
  }
  for (int k = 0; k < parser::kNumBugKinds; ++k) {
    data.kind_names.emplace_back(parser::bug_kind_name(static_cast<parser::BugKind>(k)));
  }
  if (!history.validations.empty()) {
    const auto& last = history.validations.back();
    data.latest_metric_names = {"localization", "repair", "joint"};
    data.latest_by_kind = {std::vector<double>(last.kind_loc.begin(), last.kind_loc.end()),
                           std::vector<double>(last.kind_repair.begin(), last.kind_repair.end()),
                           std::vector<double>(last.kind_joint.begin(), last.kind_joint.end())};
    data.kind_joint.assign(parser::kNumBugKinds, {});
    for (const auto& v : history.validations) {
      data.validation_steps.push_back(double(v.step));
      for (int k = 0; k < parser::kNumBugKinds; ++k) data.kind_joint[k].push_back(v.kind_joint[k]);
    }
  }
  if (!history.mix.empty()) {
    data.mix.assign(parser::kNumBugKinds, {});
    for (const auto& m : history.mix) {
      data.mix_steps.push_back(double(m.step));
      for (int k = 0; k < parser::kNumBugKinds; ++k) data.mix[k].push_back(double(m.planted[k]));
    }
  }
  // Update ratios per training step, so validations at uneven intervals compare (log10 axis).
  std::map<std::string, size_t> series_of;
  for (const auto& m : history.monitors) {
    if (m.steps_since == 0) continue;
    for (size_t i = 0; i < m.names.size(); ++i) {
      auto [it, added] = series_of.emplace(m.names[i], data.update_ratios.size());
      if (added) data.update_ratios.push_back(svg::Series{m.names[i], {}, {}});
      svg::Series& s = data.update_ratios[it->second];
      s.x.push_back(double(m.step));
      s.y.push_back(std::log10(m.update_ratios[i] / double(m.steps_since)));  // 0 -> -inf: a gap
    }
  }
  const std::vector<double> edges = detector::activation_bin_edges();
  for (const auto& a : history.activations) {
    char label[160];
    std::snprintf(label, sizeof label, "%s  mean %.2g std %.2g dead %.0f%%", a.layer.c_str(),
                  a.mean, a.std, 100 * a.dead_fraction);
    data.activation_histograms.push_back({label, edges, a.histogram});
  }
  data.weight_histograms = std::move(weight_histograms);
  eval::write_training_report(path, data);
}

}  // namespace bugseek::train
