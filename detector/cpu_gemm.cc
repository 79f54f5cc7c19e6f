// oneDNN's C API is looked up at run time (dlsym): LibTorch links libdnnl, but its headers are not
// part of libtorch-dev, and a LibTorch built without it still runs (then torch's products).
#include "detector/cpu_gemm.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>
#include <torch/autograd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string>

namespace bugseek::detector {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// dnnl_status_t dnnl_sgemm(char transa, char transb, dnnl_dim_t M, dnnl_dim_t N, dnnl_dim_t K,
//     float alpha, const float* A, dnnl_dim_t lda, const float* B, dnnl_dim_t ldb, float beta,
//     float* C, dnnl_dim_t ldc): row-major C = alpha op(A) op(B) + beta C (oneDNN 1.0 and later).
using DnnlSgemm = int (*)(char, char, int64_t, int64_t, int64_t, float, const float*, int64_t,
                          const float*, int64_t, float, float*, int64_t);
constexpr int kDnnlSuccess = 0;

DnnlSgemm dnnl_sgemm() {
  static const auto fn = reinterpret_cast<DnnlSgemm>(::dlsym(RTLD_DEFAULT, "dnnl_sgemm"));
  return fn;
}

std::atomic<bool>& enabled_flag() {
  static std::atomic<bool> flag{[] {
    const char* env = std::getenv("BUGSEEK_GEMM");
    return env == nullptr || std::string(env) != "blas";
  }()};
  return flag;
}

void fill_bias(const float* bias, int64_t m, int64_t n, float* out) {
  for (int64_t i = 0; i < m; ++i) {
    if (bias != nullptr) {
      std::memcpy(out + i * n, bias, sizeof(float) * static_cast<size_t>(n));
    } else {
      std::memset(out + i * n, 0, sizeof(float) * static_cast<size_t>(n));
    }
  }
}

bool usable(const at::Tensor& t) {
  return t.is_cpu() && t.scalar_type() == at::kFloat && t.is_contiguous();
}

// C = op(A) op(B) + beta C on contiguous 2-d float tensors, oneDNN first, at::addmm_out after.
void gemm_into(at::Tensor& c, const at::Tensor& a, bool ta, const at::Tensor& b, bool tb,
               float beta) {
  const int64_t m = c.size(0), n = c.size(1), k = ta ? a.size(0) : a.size(1);
  if (onednn_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k, a.data_ptr<float>(), a.size(1),
                   b.data_ptr<float>(), b.size(1), beta, c.data_ptr<float>(), n)) {
    return;
  }
  at::addmm_out(c, c, ta ? a.t() : a, tb ? b.t() : b, beta, 1.0);
}

// y = x W^T + b on [M, in] rows, products by oneDNN forward and backward.
struct LinearFn : torch::autograd::Function<LinearFn> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x, const at::Tensor& weight,
                            const at::Tensor& bias) {
    ctx->save_for_backward({x, weight});
    auto out = at::empty({x.size(0), weight.size(0)}, x.options());
    fill_bias(bias.data_ptr<float>(), x.size(0), weight.size(0), out.data_ptr<float>());
    gemm_into(out, x, false, weight, true, 1.0f);
    return out;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const auto& x = saved[0];
    const auto& weight = saved[1];
    const auto grad = grads[0].contiguous();
    at::Tensor grad_x, grad_w, grad_b;
    if (ctx->needs_input_grad(0)) {
      grad_x = at::empty_like(x);
      gemm_into(grad_x, grad, false, weight, false, 0.0f);  // [M, out] [out, in]
    }
    if (ctx->needs_input_grad(1)) {
      grad_w = at::empty_like(weight);
      gemm_into(grad_w, grad, true, x, false, 0.0f);  // [out, M] [M, in]
    }
    if (ctx->needs_input_grad(2)) grad_b = grad.sum(0);
    return {grad_x, grad_w, grad_b};
  }
};

}  // namespace

bool onednn_gemm_enabled() { return enabled_flag().load(std::memory_order_relaxed); }
void set_onednn_gemm(bool on) { enabled_flag().store(on, std::memory_order_relaxed); }

bool onednn_sgemm(char transa, char transb, int64_t m, int64_t n, int64_t k, const float* a,
                  int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  const DnnlSgemm gemm = dnnl_sgemm();
  if (gemm == nullptr || !onednn_gemm_enabled()) return false;
  if (m == 0 || n == 0) return true;
  if (k == 0) {  // C = beta C
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) c[i * ldc + j] = beta == 0.0f ? 0.0f : beta * c[i * ldc + j];
    }
    return true;
  }
  // oneDNN runs OpenMP threads as the calling thread's OpenMP settings say; ATen sets them to its
  // thread count (1 in scan's workers) on a thread's first parallel region: make sure.
  at::internal::lazy_init_num_threads();
  return gemm(transa, transb, m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc) == kDnnlSuccess;
}

void inference_gemm(const float* x, int64_t m, int64_t k, const float* w, bool w_out_in,
                    const float* bias, int64_t n, float* out) {
  fill_bias(bias, m, n, out);
  if (m == 0 || n == 0) return;
  if (onednn_sgemm('N', w_out_in ? 'T' : 'N', m, n, k, x, k, w, w_out_in ? k : n, 1.0f, out, n)) {
    return;
  }
  if (k == 0) return;
  const auto options = at::TensorOptions().dtype(at::kFloat);
  auto result = at::from_blob(out, {m, n}, options);
  const auto weight = w_out_in ? at::from_blob(const_cast<float*>(w), {n, k}, options).t()
                               : at::from_blob(const_cast<float*>(w), {k, n}, options);
  at::addmm_out(result, result, at::from_blob(const_cast<float*>(x), {m, k}, options), weight);
}

at::Tensor linear(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias) {
  if (!onednn_gemm_enabled() || dnnl_sgemm() == nullptr || x.dim() < 1 || !x.is_cpu() ||
      x.scalar_type() != at::kFloat || !usable(weight) || weight.dim() != 2 ||
      weight.size(1) != x.size(-1) || (bias.defined() && !usable(bias))) {
    return at::linear(x, weight, bias);
  }
  const int64_t in = weight.size(1), out = weight.size(0);
  const auto rows = x.reshape({-1, in}).contiguous();
  at::Tensor y;
  const bool records = at::GradMode::is_enabled() && (x.requires_grad() || weight.requires_grad() ||
                                                      (bias.defined() && bias.requires_grad()));
  if (records) {
    // A custom function takes no undefined input: a Linear without bias gets zeros, which ask for
    // no gradient.
    y = LinearFn::apply(rows, weight, bias.defined() ? bias : at::zeros({out}, weight.options()));
  } else {
    y = at::empty({rows.size(0), out}, x.options());
    inference_gemm(rows.data_ptr<float>(), rows.size(0), in, weight.data_ptr<float>(), true,
                   bias.defined() ? bias.data_ptr<float>() : nullptr, out, y.data_ptr<float>());
  }
  if (x.dim() == 2) return y;
  auto shape = x.sizes().vec();
  shape.back() = out;
  return y.view(shape);
}

}  // namespace bugseek::detector
