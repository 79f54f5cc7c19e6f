// Matrix products for CPU inference (scan, eval, validation): oneDNN's sgemm, which LibTorch
// already loads (libdnnl), when the process has it. Its AVX-512 kernels ran 2.0-2.1x the GFLOP/s
// of the OpenBLAS sgemm at::addmm calls (113 vs 230 GFLOP/s at 64-1024 rows, k = 128 or 256, on
// this machine's Zen 5 core), and inference is mostly these products. Results differ from
// at::addmm's by float rounding (another summation order), so training, whose forward must stay
// bit for bit what it was, keeps at::addmm and BLAS. Internal to detector/; includes torch.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>

namespace bugseek::detector {

// out[m, n] = x[m, k] W + bias[n], all float, row-major and contiguous; W is [k, n], or [n, k]
// (as torch::nn::Linear stores it) when `w_out_in`. `out` may not overlap the inputs.
void inference_gemm(const float* x, int64_t m, int64_t k, const float* w, bool w_out_in,
                    const float* bias, int64_t n, float* out);

// x [m, k] -> [m, n]: at::linear(x, weight, bias) by inference_gemm for contiguous float CPU
// tensors when no gradient is recorded; at::linear itself otherwise.
at::Tensor inference_linear(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias);

}  // namespace bugseek::detector
