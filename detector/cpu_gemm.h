// Matrix products on the CPU by oneDNN's sgemm, which LibTorch already loads (libdnnl), when the
// process has it. Its AVX-512 kernels ran 2.0-2.1x the GFLOP/s of the OpenBLAS sgemm at::addmm
// calls (113 vs 230 GFLOP/s at 64-1024 rows, k = 128 or 256, on this machine's Zen 5 core), and
// both training and inference are mostly these products. Results differ from at::addmm's by float
// rounding (another summation order); a run is still deterministic for a given thread count.
// BUGSEEK_GEMM=blas in the environment (or set_onednn_gemm(false)) sends everything back to
// torch's BLAS products: the baseline of bench_detector's A/B. Internal to detector/; includes
// torch.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>

namespace bugseek::detector {

// Whether the products below go to oneDNN (true unless BUGSEEK_GEMM=blas, or turned off here).
bool onednn_gemm_enabled();
void set_onednn_gemm(bool on);

// Row-major C[m, n] = op(A) op(B) + beta C, op(X) = X ('N') or X^T ('T'); lda, ldb and ldc are
// the row strides of A, B and C as stored. False, with C untouched, when oneDNN is absent, turned
// off or refuses the arguments; the caller then uses torch's product.
bool onednn_sgemm(char transa, char transb, int64_t m, int64_t n, int64_t k, const float* a,
                  int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc);

// out[m, n] = x[m, k] W + bias[n], all float, row-major and contiguous; W is [k, n], or [n, k]
// (as torch::nn::Linear stores it) when `w_out_in`. `out` may not overlap the inputs.
void inference_gemm(const float* x, int64_t m, int64_t k, const float* w, bool w_out_in,
                    const float* bias, int64_t n, float* out);

// at::linear(x, weight, bias) (x [..., in], weight [out, in], bias [out] or undefined) with
// oneDNN's products in the forward and, when a gradient is recorded, in a custom backward (the
// input's, the weight's and the bias's gradients). Float CPU tensors only; anything else, and
// everything when oneDNN is off, goes to at::linear.
at::Tensor linear(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias);

}  // namespace bugseek::detector
