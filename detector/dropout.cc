// The mask bits of elements 4g .. 4g + 3 are a splitmix64 hash of the seed and g: counter-based, so
// any split of the elements among threads gives the same mask, and backward rebuilds it from the
// seed alone.
#include "detector/dropout.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/autograd.h>

#include <algorithm>
#include <cstdint>
#include <mutex>

namespace bugseek::detector {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

constexpr int64_t kGrain = 32768;

// out[i] = keep(i) ? in[i] * scale : 0, keep(i) true with probability 1 - p (to 2^-16): one hash
// of the group index gives four 16-bit draws.
at::Tensor masked_scale(const at::Tensor& in_t, double p, uint64_t seed) {
  const auto in = in_t.contiguous();
  auto out = at::empty_like(in);
  const auto threshold = static_cast<uint32_t>(p * 65536.0);  // keep when the draw reaches it
  const int64_t n = in.numel();
  AT_DISPATCH_FLOATING_TYPES(in.scalar_type(), "dropout", [&] {
    const auto scale = static_cast<scalar_t>(1.0 / (1.0 - p));
    const scalar_t* x = in.data_ptr<scalar_t>();
    scalar_t* o = out.data_ptr<scalar_t>();
    at::parallel_for(0, (n + 3) / 4, kGrain / 4, [&](int64_t begin, int64_t end) {
      for (int64_t group = begin; group < end; ++group) {
        const uint64_t bits = dropout_bits(seed, static_cast<uint64_t>(group));
        const int64_t first = group * 4, last = std::min(first + 4, n);
        for (int64_t i = first; i < last; ++i) {
          o[i] = dropout_keeps(bits, i - first, threshold) ? x[i] * scale : scalar_t(0);
        }
      }
    });
  });
  return out;
}

struct DropoutFn : torch::autograd::Function<DropoutFn> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x, double p) {
    const uint64_t seed = draw_dropout_seed();
    ctx->saved_data["p"] = p;
    ctx->saved_data["seed"] = static_cast<int64_t>(seed);
    return masked_scale(x, p, seed);
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const double p = ctx->saved_data["p"].toDouble();
    const auto seed = static_cast<uint64_t>(ctx->saved_data["seed"].toInt());
    return {masked_scale(grads[0], p, seed), at::Tensor()};
  }
};

}  // namespace

at::Tensor dropout_with_seed(const at::Tensor& x, double p, uint64_t seed) {
  return masked_scale(x, p, seed);
}

uint64_t draw_dropout_seed() {
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  return at::check_generator<at::CPUGeneratorImpl>(gen)->random64();
}

at::Tensor hashed_dropout(const at::Tensor& x, double p, bool training) {
  TORCH_CHECK(p >= 0 && p <= 1, "dropout: probability in [0, 1] expected, got ", p);
  if (!training || p == 0) return x;
  if (p == 1) return x * 0;
  if (!x.is_cpu()) return at::dropout(x, p, true);
  if (at::GradMode::is_enabled() && x.requires_grad()) return DropoutFn::apply(x, p);
  return masked_scale(x, p, draw_dropout_seed());
}

}  // namespace bugseek::detector
