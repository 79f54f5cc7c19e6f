#include "train/monitors.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "detector/torch_api.h"

namespace bugseek::train {

namespace {
// JSON has no NaN or infinity: such numbers are written as null.
json::Value number(double x) { return std::isfinite(x) ? json::Value(x) : json::Value(nullptr); }
}  // namespace

json::Value monitor_record(const MonitorSnapshot& m) {
  json::Value record = json::Value::object();
  record.set("type", "monitor");
  record.set("step", m.step);
  record.set("steps_since", m.steps_since);
  json::Value tensors = json::Value::array();
  for (const TensorMonitor& t : m.tensors) {
    json::Value v = json::Value::object();
    v.set("name", t.name);
    v.set("update_ratio", number(t.update_ratio));
    v.set("grad_norm", number(t.grad_norm));
    v.set("weight_norm", number(t.weight_norm));
    tensors.push_back(std::move(v));
  }
  record.set("tensors", std::move(tensors));
  json::Value activations = json::Value::array();
  for (const detector::ActivationStats& a : m.activations) {
    json::Value v = json::Value::object();
    v.set("layer", a.layer);
    v.set("rows", a.rows);
    v.set("units", a.units);
    v.set("mean", number(a.mean));
    v.set("std", number(a.std));
    v.set("dead_fraction", number(a.dead_fraction));
    activations.push_back(std::move(v));
  }
  record.set("activations", std::move(activations));
  return record;
}

std::vector<eval::NamedHistogram> weight_histograms(detector::Detector& detector, int bins) {
  std::vector<eval::NamedHistogram> histograms;
  for (const auto& [name, tensor] : detector::named_parameters(detector)) {
    if (tensor.dim() < 2) continue;
    at::Tensor flat = tensor.detach().to(at::kCPU, at::kFloat).contiguous().view({-1});
    std::vector<float> values(flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel());
    histograms.push_back(make_histogram(name, values, bins));
  }
  return histograms;
}

std::string monitor_summary(const MonitorSnapshot& m) {
  std::string line = "step " + std::to_string(m.step);
  std::vector<double> per_step;
  const TensorMonitor* fastest = nullptr;
  const TensorMonitor* steepest = nullptr;
  for (const TensorMonitor& t : m.tensors) {
    if (!std::isnan(t.grad_norm) && (steepest == nullptr || t.grad_norm > steepest->grad_norm)) {
      steepest = &t;
    }
    if (m.steps_since == 0 || std::isnan(t.update_ratio)) continue;
    per_step.push_back(t.update_ratio / double(m.steps_since));
    if (fastest == nullptr || t.update_ratio > fastest->update_ratio) fastest = &t;
  }
  char buf[256];
  if (fastest != nullptr) {
    std::nth_element(per_step.begin(), per_step.begin() + per_step.size() / 2, per_step.end());
    std::snprintf(buf, sizeof buf, " | update/step median %.2g max %.2g (%s)",
                  per_step[per_step.size() / 2], fastest->update_ratio / double(m.steps_since),
                  fastest->name.c_str());
    line += buf;
  }
  if (steepest != nullptr) {
    std::snprintf(buf, sizeof buf, " | grad norm max %.3g (%s)", steepest->grad_norm,
                  steepest->name.c_str());
    line += buf;
  }
  if (!m.activations.empty()) {
    double lo = m.activations[0].std, hi = lo;
    const detector::ActivationStats* deadest = &m.activations[0];
    for (const auto& a : m.activations) {
      lo = std::min(lo, a.std);
      hi = std::max(hi, a.std);
      if (a.dead_fraction > deadest->dead_fraction) deadest = &a;
    }
    std::snprintf(buf, sizeof buf, " | activations std %.2g..%.2g, dead max %.0f%% (%s)", lo, hi,
                  100 * deadest->dead_fraction, deadest->layer.c_str());
    line += buf;
  }
  return line;
}

struct ParameterMonitor::State {
  std::vector<std::pair<std::string, at::Tensor>> parameters;  // the live tensors
  std::vector<at::Tensor> reference;                           // detached copies
  std::vector<double> grad_norms;
  uint64_t reference_step = 0;
};

ParameterMonitor::ParameterMonitor(detector::Detector& detector, uint64_t step)
    : state_(std::make_unique<State>()) {
  state_->parameters = detector::named_parameters(detector);
  for (const auto& [name, p] : state_->parameters) state_->reference.push_back(p.detach().clone());
  state_->grad_norms.assign(state_->parameters.size(), 0.0);
  state_->reference_step = step;
}

ParameterMonitor::~ParameterMonitor() = default;

void ParameterMonitor::record_gradients() {
  torch::NoGradGuard no_grad;
  std::vector<at::Tensor> norms;
  std::vector<size_t> index;
  for (size_t i = 0; i < state_->parameters.size(); ++i) {
    const at::Tensor& g = state_->parameters[i].second.grad();
    if (!g.defined()) {
      state_->grad_norms[i] = 0;  // not part of this step's loss: nothing moves it
      continue;
    }
    norms.push_back(g.norm().to(at::kFloat));
    index.push_back(i);
  }
  if (norms.empty()) return;
  const at::Tensor all = torch::stack(norms).to(at::kCPU, at::kDouble).contiguous();  // one sync
  for (size_t k = 0; k < index.size(); ++k)
    state_->grad_norms[index[k]] = all.data_ptr<double>()[k];
}

MonitorSnapshot ParameterMonitor::measure(uint64_t step) {
  torch::NoGradGuard no_grad;
  MonitorSnapshot m;
  m.step = step;
  m.steps_since = step >= state_->reference_step ? step - state_->reference_step : 0;
  std::vector<at::Tensor> numbers;  // per tensor: ||W||, ||W - ref||, ||ref||
  for (size_t i = 0; i < state_->parameters.size(); ++i) {
    const at::Tensor w = state_->parameters[i].second.detach().to(at::kFloat);
    const at::Tensor ref = state_->reference[i].to(at::kFloat);
    numbers.push_back(torch::stack({w.norm(), (w - ref).norm(), ref.norm()}));
  }
  const at::Tensor all = numbers.empty()
                             ? at::zeros({0, 3}, at::kDouble)
                             : torch::stack(numbers).to(at::kCPU, at::kDouble).contiguous();
  const double* n = all.data_ptr<double>();
  for (size_t i = 0; i < state_->parameters.size(); ++i) {
    const auto& [name, p] = state_->parameters[i];
    TensorMonitor t;
    t.name = name;
    t.dims = p.dim();
    t.weight_norm = n[3 * i];
    const double change = n[3 * i + 1];
    t.numel = p.numel();
    t.reference_norm = n[3 * i + 2];
    t.update_ratio = change == 0            ? 0.0
                     : t.reference_norm > 0 ? change / t.reference_norm
                                            : std::numeric_limits<double>::quiet_NaN();
    t.grad_norm = state_->grad_norms[i];
    m.tensors.push_back(std::move(t));
    state_->reference[i] = p.detach().clone();
  }
  state_->reference_step = step;
  return m;
}

namespace {
std::string format_number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", x);
  return buf;
}
}  // namespace

std::vector<std::string> MonitorAlarms::check(
    const MonitorSnapshot& m, const std::vector<ReportHistory::ValidPoint>& validations) {
  std::vector<std::string> warnings;
  std::set<std::string> raised;
  auto raise = [&](const std::string& key, std::string message) {
    raised.insert(key);
    if (active_.count(key) == 0) warnings.push_back(std::move(message));
  };
  const std::string span =
      " in the " + std::to_string(m.steps_since) + " steps to step " + std::to_string(m.step);
  // New tensor warnings of one condition: one line each, or one line naming them all when many
  // tensors go wrong at once (a learning rate of 0 stops every tensor).
  struct Found {
    std::string name, numbers;
  };
  std::vector<Found> still, exploding;
  auto note = [&](std::vector<Found>& found, const std::string& key, Found f) {
    raised.insert(key);
    if (active_.count(key) == 0) found.push_back(std::move(f));
  };
  for (const TensorMonitor& t : m.tensors) {
    if (m.steps_since > 0 && t.update_ratio == 0) {
      note(still, t.name + "|zero", {t.name, "gradient norm " + format_number(t.grad_norm)});
    }
    const double per_step = m.steps_since > 0 ? t.update_ratio / double(m.steps_since) : 0;
    const double reference_rms =
        t.reference_norm / std::sqrt(double(std::max<int64_t>(1, t.numel)));
    // A tensor that was zero (a fresh bias) has no ratio (NaN); that is not an explosion.
    if (!std::isfinite(t.weight_norm) || (t.reference_norm > 0 && !std::isfinite(t.update_ratio)) ||
        (per_step > kMaxUpdateRatioPerStep && reference_rms >= kMinJudgedRms &&
         t.weight_norm >= t.reference_norm)) {
      note(exploding, t.name + "|explodes",
           {t.name, "update ratio " + format_number(t.update_ratio) + " (" +
                        format_number(per_step) + " per step), weight norm " +
                        format_number(t.weight_norm) + ", gradient norm " +
                        format_number(t.grad_norm)});
    }
    if (!std::isfinite(t.grad_norm)) {
      raise(t.name + "|grad", t.name + " has a non-finite gradient norm (" +
                                  format_number(t.grad_norm) + ") at step " +
                                  std::to_string(m.step));
    }
  }
  constexpr size_t kOneLineEach = 4;
  auto report = [&](const std::vector<Found>& found, const std::string& one,
                    const std::string& many, const std::string& tail) {
    if (found.size() <= kOneLineEach) {
      for (const Found& f : found)
        warnings.push_back(f.name + one + span + " (" + f.numbers + ")" + tail);
      return;
    }
    std::string line = std::to_string(found.size()) + " tensors" + many + span + ":";
    for (size_t i = 0; i < found.size(); ++i) {
      line += (i ? "; " : " ") + found[i].name + " (" + found[i].numbers + ")";
    }
    warnings.push_back(line + tail);
  };
  report(still, " did not change", " did not change", ": update ratio 0, no learning");
  report(exploding, " explodes", " explode",
         ": sane is below " + format_number(kMaxUpdateRatioPerStep) + " per step");
  if (validations.size() >= 2) {
    const auto& a = validations[validations.size() - 2];
    const auto& b = validations.back();
    if (a.loss == b.loss && a.no_bug == b.no_bug && a.loc == b.loc && a.repair == b.repair &&
        a.joint == b.joint && a.overall == b.overall) {
      raise("validation|repeat", "validation at step " + std::to_string(b.step) + " repeats step " +
                                     std::to_string(a.step) + " exactly (loss " +
                                     format_number(b.loss) + ", joint " + format_number(b.joint) +
                                     ", overall " + format_number(b.overall) +
                                     "): is the model it reads still training?");
    }
  }
  active_ = std::move(raised);
  return warnings;
}

}  // namespace bugseek::train
