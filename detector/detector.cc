// Detector: the model (embedding -> encoder -> heads), its device, and the weight format.
#include <cstring>
#include <map>

#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/utils.h>

#include "common/error.h"
#include "detector/activations.h"
#include "detector/encoders.h"
#include "detector/heads.h"
#include "detector/torch_api.h"
#include "detector/torch_warnings.h"

namespace bugseek::detector {

class DetectorModelImpl : public torch::nn::Module {
 public:
  explicit DetectorModelImpl(const DetectorConfig& c) {
    embedding = register_module("embedding", NodeEmbedding(c));
    if (c.family == ModelFamily::kGnn) {
      gnn = register_module("gnn", GnnEncoder(c));
    } else {
      great = register_module("great", GreatEncoder(c));
    }
    heads = register_module("heads", Heads(c));
  }

  // `taps`, if given, receive the monitored layers' outputs (activations.h).
  Scores forward(const BatchTensors& b, ActivationTaps* taps = nullptr) {
    auto x = embedding->forward(b);
    if (taps != nullptr) taps->emplace_back("embedding", x);
    auto h = gnn ? gnn->forward(x, b, taps) : great->forward(x, b, taps);
    return heads->forward(h, b, taps);
  }

  NodeEmbedding embedding{nullptr};
  GnnEncoder gnn{nullptr};
  GreatEncoder great{nullptr};
  Heads heads{nullptr};
};
TORCH_MODULE(DetectorModel);

struct Detector::Impl {
  DetectorConfig config;
  at::Device device{at::kCPU};
  DetectorModel model{nullptr};

  BatchTensors tensors(const data::Batch& batch) const {
    quiet_known_torch_warnings();  // every forward pass starts here
    return to_tensors(batch, config, device, config.family == ModelFamily::kTransformer);
  }
};

namespace {

constexpr char kWeightsMagic[] = "bugseek-detector-weights";
constexpr uint32_t kWeightsVersion = 1;

at::Device resolve(DeviceKind kind) {
  const bool cuda = torch::cuda::is_available();
  if (kind == DeviceKind::kCuda && !cuda) {
    throw UsageError("detector: --device cuda requested but CUDA is not available");
  }
  return (kind == DeviceKind::kCuda || (kind == DeviceKind::kAuto && cuda)) ? at::Device(at::kCUDA, 0)
                                                                             : at::Device(at::kCPU);
}

// Named parameters and buffers: everything that the weight file holds.
std::vector<std::pair<std::string, at::Tensor>> state(torch::nn::Module& m) {
  std::vector<std::pair<std::string, at::Tensor>> out;
  for (const auto& p : m.named_parameters()) out.emplace_back(p.key(), p.value());
  for (const auto& p : m.named_buffers()) out.emplace_back(p.key(), p.value());
  return out;
}

template <typename T>
void put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  T get() {
    T value;
    std::memcpy(&value, take(sizeof(T)), sizeof(T));
    return value;
  }
  const char* take(size_t n) {
    if (bytes_.size() - pos_ < n) throw Error("detector: load_weights: truncated weights");
    const char* p = bytes_.data() + pos_;
    pos_ += n;
    return p;
  }
  bool done() const { return pos_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

}  // namespace

Detector::Detector(const DetectorConfig& config, uint64_t seed, DeviceKind device)
    : impl_(std::make_unique<Impl>()) {
  validate(config);
  impl_->config = config;
  impl_->device = resolve(device);
  torch::manual_seed(seed);  // weights are drawn on the CPU, so every device starts the same
  impl_->model = DetectorModel(config);
  impl_->model->to(impl_->device);
  impl_->model->train(true);
}

Detector::~Detector() = default;
Detector::Detector(Detector&&) noexcept = default;
Detector& Detector::operator=(Detector&&) noexcept = default;

const DetectorConfig& Detector::config() const { return impl_->config; }
std::string Detector::device_name() const { return impl_->device.str(); }
bool Detector::on_cuda() const { return impl_->device.is_cuda(); }

int64_t Detector::num_parameters() const {
  int64_t n = 0;
  for (const auto& p : impl_->model->parameters()) n += p.numel();
  return n;
}

void Detector::set_training(bool training) { impl_->model->train(training); }
bool Detector::training() const { return impl_->model->is_training(); }

namespace {
// Eval mode (no dropout) for the guard's lifetime; the previous mode comes back on any exit.
class EvalModeGuard {
 public:
  explicit EvalModeGuard(Detector& d) : d_(d), was_training_(d.training()) { d_.set_training(false); }
  ~EvalModeGuard() { d_.set_training(was_training_); }
  EvalModeGuard(const EvalModeGuard&) = delete;
  EvalModeGuard& operator=(const EvalModeGuard&) = delete;

 private:
  Detector& d_;
  bool was_training_;
};
}  // namespace

LossOutput Detector::evaluate(const data::Batch& batch) {
  torch::NoGradGuard no_grad;
  EvalModeGuard eval_mode(*this);
  auto scores = impl_->model->forward(impl_->tensors(batch));
  return summarize(scores, compute_loss(scores, batch, impl_->device), batch);
}

std::vector<GraphPrediction> Detector::predict(const data::Batch& batch, int top_k) {
  torch::NoGradGuard no_grad;
  EvalModeGuard eval_mode(*this);
  auto scores = impl_->model->forward(impl_->tensors(batch));
  return rank_proposals(scores, batch, top_k);
}

std::vector<ActivationStats> activation_stats(Detector& detector, const data::Batch& batch) {
  torch::NoGradGuard no_grad;
  EvalModeGuard eval_mode(detector);
  auto& impl = detector.impl();
  ActivationTaps taps;
  impl.model->forward(impl.tensors(batch), &taps);
  std::vector<ActivationStats> out;
  for (const auto& [name, tensor] : taps) {
    const at::Tensor t = tensor.detach().to(at::kCPU, at::kFloat).contiguous();
    const int64_t units = t.dim() > 0 ? t.size(-1) : 1;
    const int64_t rows = units > 0 ? t.numel() / units : 0;
    out.push_back(summarize_activations(name, t.data_ptr<float>(), rows, units));
  }
  return out;
}

std::string Detector::save_weights() const {
  std::string out(kWeightsMagic, sizeof(kWeightsMagic));
  put<uint32_t>(out, kWeightsVersion);
  const auto entries = state(*impl_->model);
  put<uint32_t>(out, static_cast<uint32_t>(entries.size()));
  for (const auto& [name, tensor] : entries) {
    auto t = tensor.detach().to(at::kCPU, at::kFloat).contiguous();
    put<uint32_t>(out, static_cast<uint32_t>(name.size()));
    out += name;
    put<uint32_t>(out, static_cast<uint32_t>(t.dim()));
    for (int64_t d : t.sizes()) put<int64_t>(out, d);
    out.append(reinterpret_cast<const char*>(t.data_ptr<float>()), t.numel() * sizeof(float));
  }
  return out;
}

void Detector::load_weights(std::string_view bytes) {
  Reader in(bytes);
  if (std::memcmp(in.take(sizeof(kWeightsMagic)), kWeightsMagic, sizeof(kWeightsMagic)) != 0) {
    throw Error("detector: load_weights: not detector weights (bad magic)");
  }
  const auto version = in.get<uint32_t>();
  if (version > kWeightsVersion) {
    throw Error("detector: load_weights: weights version " + std::to_string(version) +
                " is newer than this binary reads (" + std::to_string(kWeightsVersion) + ")");
  }
  std::map<std::string, at::Tensor> loaded;
  const auto count = in.get<uint32_t>();
  for (uint32_t i = 0; i < count; ++i) {
    const auto len = in.get<uint32_t>();
    std::string name(in.take(len), len);
    const auto dim = in.get<uint32_t>();
    std::vector<int64_t> sizes(dim);
    for (auto& d : sizes) d = in.get<int64_t>();
    auto t = at::empty(sizes, at::kFloat);
    std::memcpy(t.data_ptr<float>(), in.take(t.numel() * sizeof(float)), t.numel() * sizeof(float));
    loaded.emplace(std::move(name), std::move(t));
  }
  if (!in.done()) throw Error("detector: load_weights: trailing bytes after the weights");
  auto entries = state(*impl_->model);
  for (const auto& [name, tensor] : entries) {
    auto it = loaded.find(name);
    if (it == loaded.end()) throw Error("detector: load_weights: missing tensor '" + name + "'");
    if (it->second.sizes() != tensor.sizes()) {
      throw Error("detector: load_weights: tensor '" + name + "' has shape " +
                  c10::str(it->second.sizes()) + ", the model expects " + c10::str(tensor.sizes()));
    }
  }
  if (loaded.size() != entries.size()) {
    throw Error("detector: load_weights: the weights hold " + std::to_string(loaded.size()) +
                " tensors, the model has " + std::to_string(entries.size()));
  }
  torch::NoGradGuard no_grad;
  for (auto& [name, tensor] : entries) tensor.copy_(loaded.at(name).to(impl_->device));
}

std::string average_weights(const DetectorConfig& config, const std::vector<std::string>& weights) {
  if (weights.empty()) throw Error("detector: average_weights: no weights to average");
  Detector mean(config, 0, DeviceKind::kCpu);
  Detector one(config, 0, DeviceKind::kCpu);
  auto sums = state(*mean.impl().model);
  auto parts = state(*one.impl().model);
  torch::NoGradGuard no_grad;
  for (auto& [name, sum] : sums) sum.zero_();
  for (const std::string& w : weights) {
    one.load_weights(w);
    for (size_t i = 0; i < sums.size(); ++i) sums[i].second.add_(parts[i].second);
  }
  for (auto& [name, sum] : sums) sum.div_(static_cast<double>(weights.size()));
  return mean.save_weights();
}

void set_num_threads(int n) {
  if (n > 0) at::set_num_threads(n);
}

// ---- torch_api.h

ForwardOutput forward(Detector& detector, const data::Batch& batch) {
  auto& impl = detector.impl();
  auto scores = impl.model->forward(impl.tensors(batch));
  auto loss = compute_loss(scores, batch, impl.device);
  ForwardOutput out;
  out.metrics = summarize(scores, loss, batch);
  out.loss = loss.loss;
  out.per_sample_loss = loss.per_sample;
  out.log_prob_correct = loss.log_prob_correct;
  out.site_logp = scores.site_logp;
  return out;
}

std::vector<at::Tensor> parameters(Detector& detector) {
  return detector.impl().model->parameters();
}

std::vector<std::pair<std::string, at::Tensor>> named_parameters(Detector& detector) {
  std::vector<std::pair<std::string, at::Tensor>> out;
  for (const auto& p : detector.impl().model->named_parameters()) {
    out.emplace_back(p.key(), p.value());
  }
  return out;
}

at::Device device_of(const Detector& detector) { return detector.impl().device; }

torch::nn::Module& module(Detector& detector) { return *detector.impl().model; }

}  // namespace bugseek::detector
