// c10d's ProcessGroupGloo and TCPStore, as LibTorch 1.13 ships them (the Gloo headers come from
// Debian's libgloo-dev; USE_C10D_GLOO is set for this file in train/CMakeLists.txt).
#include "train/distributed.h"

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>
#include <cstdlib>
#include <string>

#include "common/error.h"
#include "common/log.h"
#include "detector/torch_api.h"

namespace bugseek::train {
namespace {

std::chrono::milliseconds to_ms(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

// The integer in `text`, or a UsageError naming `what` (a flag or an environment variable).
int parse_int(const std::string& text, const std::string& what) {
  char* end = nullptr;
  errno = 0;
  const long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || value < INT32_MIN || value > INT32_MAX) {
    throw UsageError(what + ": not an integer: '" + text + "'");
  }
  return static_cast<int>(value);
}

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

}  // namespace

DistSpec resolve_dist_spec(DistSpec spec) {
  if (spec.rank < 0) spec.rank = env("RANK").empty() ? 0 : parse_int(env("RANK"), "RANK");
  if (spec.world_size <= 0) {
    spec.world_size = env("WORLD_SIZE").empty() ? 1 : parse_int(env("WORLD_SIZE"), "WORLD_SIZE");
  }
  if (spec.master_addr.empty()) spec.master_addr = env("MASTER_ADDR");
  if (spec.master_addr.empty()) spec.master_addr = "127.0.0.1";
  if (spec.master_port == 0) {
    spec.master_port = env("MASTER_PORT").empty() ? 29500
                                                   : parse_int(env("MASTER_PORT"), "MASTER_PORT");
  }
  if (spec.world_size < 1) {
    throw UsageError("world size must be at least 1, got " + std::to_string(spec.world_size));
  }
  if (spec.rank < 0 || spec.rank >= spec.world_size) {
    throw UsageError("rank " + std::to_string(spec.rank) + " is outside 0.." +
                     std::to_string(spec.world_size - 1) + " (RANK / --rank vs WORLD_SIZE)");
  }
  if (spec.master_port < 1 || spec.master_port > 65535) {
    throw UsageError("master port must be in 1..65535, got " + std::to_string(spec.master_port));
  }
  if (!(spec.timeout_s > 0)) throw UsageError("--dist-timeout must be positive");
  return spec;
}

struct ProcessGroup::Impl {
  DistSpec spec;
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;

  // Runs one collective; any failure (a rank gone, a timeout) becomes an Error that says so.
  void all_reduce(at::Tensor& tensor, const char* what) {
    std::vector<at::Tensor> tensors = {tensor};
    try {
      group->allreduce(tensors)->wait();
    } catch (const std::exception& e) {
      throw Error(std::string("distributed training: ") + what + " failed on rank " +
                  std::to_string(spec.rank) + " (" + e.what() +
                  "): another rank stopped, was killed or lost its connection");
    }
  }
};

ProcessGroup::ProcessGroup(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ProcessGroup::~ProcessGroup() = default;

std::unique_ptr<ProcessGroup> ProcessGroup::connect(const DistSpec& spec) {
  auto impl = std::make_unique<Impl>();
  impl->spec = spec;
  const std::string where = spec.master_addr + ":" + std::to_string(spec.master_port);
  log_info("dist", "rank ", spec.rank, " of ", spec.world_size, ": connecting to ", where);
  try {
    c10d::TCPStoreOptions options;
    options.port = static_cast<uint16_t>(spec.master_port);
    options.isServer = spec.rank == 0;
    options.numWorkers = static_cast<size_t>(spec.world_size);
    options.waitWorkers = true;
    options.timeout = to_ms(spec.timeout_s);
    impl->store = c10::make_intrusive<c10d::TCPStore>(spec.master_addr, options);
    auto gloo = c10d::ProcessGroupGloo::Options::create(to_ms(spec.timeout_s));
    // Every rank on this machine: the loopback interface; otherwise Gloo picks the interface
    // that this machine's hostname resolves to (GLOO_SOCKET_IFNAME overrides, as in PyTorch).
    const bool local = spec.master_addr == "127.0.0.1" || spec.master_addr == "localhost";
    if (!env("GLOO_SOCKET_IFNAME").empty()) {
      gloo->devices.push_back(
          c10d::ProcessGroupGloo::createDeviceForInterface(env("GLOO_SOCKET_IFNAME")));
    } else if (local) {
      gloo->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
    } else {
      gloo->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    }
    gloo->threads = 1;
    impl->group =
        c10::make_intrusive<c10d::ProcessGroupGloo>(impl->store, spec.rank, spec.world_size, gloo);
  } catch (const std::exception& e) {
    throw Error("distributed training: rank " + std::to_string(spec.rank) +
                " could not join the run at " + where + " within " +
                std::to_string(static_cast<int>(spec.timeout_s)) + " s (" + e.what() + ")");
  }
  log_info("dist", "rank ", spec.rank, " of ", spec.world_size, " connected");
  return std::unique_ptr<ProcessGroup>(new ProcessGroup(std::move(impl)));
}

int ProcessGroup::rank() const { return impl_->spec.rank; }
int ProcessGroup::world_size() const { return impl_->spec.world_size; }

double ProcessGroup::average_gradients(detector::Detector& model, double weight) {
  at::NoGradGuard no_grad;
  const std::vector<at::Tensor> params = detector::parameters(model);
  // One flat buffer: each gradient times this rank's weight, then the weight, then a 1 per
  // parameter whose gradient this rank has (so an unused parameter stays without gradient).
  std::vector<at::Tensor> parts;
  parts.reserve(params.size() + 2);
  at::Tensor flags = at::zeros({static_cast<int64_t>(params.size())}, at::kFloat);
  for (size_t i = 0; i < params.size(); ++i) {
    const at::Tensor& g = params[i].grad();
    if (g.defined()) {
      parts.push_back(g.detach().to(at::kCPU, at::kFloat).reshape({-1}) * weight);
      flags[static_cast<int64_t>(i)] = 1;
    } else {
      parts.push_back(at::zeros({params[i].numel()}, at::kFloat));
    }
  }
  parts.push_back(at::full({1}, weight, at::kFloat));
  parts.push_back(flags);
  at::Tensor buffer = at::cat(parts);
  impl_->all_reduce(buffer, "averaging gradients");

  const int64_t total_params = buffer.numel() - 1 - static_cast<int64_t>(params.size());
  const double total = buffer[total_params].item<double>();
  if (total <= 0) return 0;
  const at::Tensor has_grad = buffer.narrow(0, total_params + 1, static_cast<int64_t>(params.size()));
  int64_t offset = 0;
  for (size_t i = 0; i < params.size(); ++i) {
    at::Tensor p = params[i];
    const int64_t n = p.numel();
    if (has_grad[static_cast<int64_t>(i)].item<float>() > 0) {
      // div() last: a fresh tensor, not a view (an optimizer's zero_grad detaches it in place).
      at::Tensor average = buffer.narrow(0, offset, n).view(p.sizes()).to(p.options()).div(total);
      if (p.grad().defined()) {
        p.mutable_grad().copy_(average);
      } else {
        p.mutable_grad() = average;
      }
    }
    offset += n;
  }
  return total;
}

void ProcessGroup::broadcast_parameters(detector::Detector& model) {
  at::NoGradGuard no_grad;
  const std::vector<at::Tensor> params = detector::parameters(model);
  std::vector<at::Tensor> parts;
  parts.reserve(params.size());
  for (const at::Tensor& p : params) parts.push_back(p.detach().to(at::kCPU).reshape({-1}));
  std::vector<at::Tensor> tensors = {at::cat(parts)};
  try {
    c10d::BroadcastOptions options;
    options.rootRank = 0;
    impl_->group->broadcast(tensors, options)->wait();
  } catch (const std::exception& e) {
    throw Error("distributed training: sending rank 0's weights failed on rank " +
                std::to_string(rank()) + " (" + e.what() + ")");
  }
  int64_t offset = 0;
  for (const at::Tensor& p : params) {
    const int64_t n = p.numel();
    at::Tensor(p).copy_(tensors[0].narrow(0, offset, n).view(p.sizes()));
    offset += n;
  }
}

std::vector<double> ProcessGroup::sum(const std::vector<double>& values) {
  at::Tensor t = at::tensor(values, at::kDouble);
  impl_->all_reduce(t, "exchanging step state");
  return std::vector<double>(t.data_ptr<double>(), t.data_ptr<double>() + t.numel());
}

}  // namespace bugseek::train
