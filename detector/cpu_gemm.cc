// oneDNN's C API is looked up at run time (dlsym): LibTorch links libdnnl, but its headers are not
// part of libtorch-dev, and a LibTorch built without it still runs (then at::addmm).
#include "detector/cpu_gemm.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>

#include <cstring>

namespace bugseek::detector {
namespace {

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

void fill_bias(const float* bias, int64_t m, int64_t n, float* out) {
  for (int64_t i = 0; i < m; ++i) {
    if (bias != nullptr) {
      std::memcpy(out + i * n, bias, sizeof(float) * static_cast<size_t>(n));
    } else {
      std::memset(out + i * n, 0, sizeof(float) * static_cast<size_t>(n));
    }
  }
}

}  // namespace

void inference_gemm(const float* x, int64_t m, int64_t k, const float* w, bool w_out_in,
                    const float* bias, int64_t n, float* out) {
  fill_bias(bias, m, n, out);
  if (m == 0 || n == 0 || k == 0) return;
  if (const DnnlSgemm gemm = dnnl_sgemm(); gemm != nullptr) {
    // oneDNN runs OpenMP threads as the calling thread's OpenMP settings say; ATen sets them to
    // its thread count (1 in scan's workers) on a thread's first parallel region: make sure.
    at::internal::lazy_init_num_threads();
    if (gemm('N', w_out_in ? 'T' : 'N', m, n, k, 1.0f, x, k, w, w_out_in ? k : n, 1.0f, out, n) ==
        kDnnlSuccess) {
      return;
    }
    fill_bias(bias, m, n, out);  // refused (it checks its arguments): start again
  }
  const auto options = at::TensorOptions().dtype(at::kFloat);
  auto result = at::from_blob(out, {m, n}, options);
  const auto weight = w_out_in ? at::from_blob(const_cast<float*>(w), {n, k}, options).t()
                               : at::from_blob(const_cast<float*>(w), {k, n}, options);
  at::addmm_out(result, result, at::from_blob(const_cast<float*>(x), {m, k}, options), weight);
}

at::Tensor inference_linear(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias) {
  const bool records = at::GradMode::is_enabled() && (x.requires_grad() || weight.requires_grad() ||
                                                      (bias.defined() && bias.requires_grad()));
  if (records || !x.is_cpu() || x.dim() != 2 || x.scalar_type() != at::kFloat ||
      weight.scalar_type() != at::kFloat || !weight.is_contiguous() || weight.dim() != 2 ||
      weight.size(1) != x.size(1) ||
      (bias.defined() && (bias.scalar_type() != at::kFloat || !bias.is_contiguous()))) {
    return at::linear(x, weight, bias);
  }
  const auto input = x.contiguous();
  auto out = at::empty({x.size(0), weight.size(0)}, x.options());
  inference_gemm(input.data_ptr<float>(), x.size(0), x.size(1), weight.data_ptr<float>(), true,
                 bias.defined() ? bias.data_ptr<float>() : nullptr, weight.size(0),
                 out.data_ptr<float>());
  return out;
}

}  // namespace bugseek::detector
