// CPU loops over rows (at::parallel_for over output rows, so no two tasks write the same row and
// no atomics are needed). Summation runs in row order within a segment, as index_add does, so
// sums and means equal the index_add reference bit for bit. Tensors on another device fall back
// to the ATen reference ops (index_select / index_add / scatter_reduce).
#include "detector/edge_ops.h"

#include <ATen/Parallel.h>
#include <torch/autograd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "detector/cpu_gemm.h"
#include "detector/segment_ops.h"

namespace bugseek::detector {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Rows per parallel task: about 32k elements, so a task is worth its scheduling.
int64_t grain(int64_t cols) { return std::max<int64_t>(1, 32768 / std::max<int64_t>(cols, 1)); }

void check_rows(const at::Tensor& x, const char* what) {
  TORCH_CHECK(x.dim() == 2, what, ": a 2-d tensor [rows, D] expected, got ", x.sizes());
}

// out[e] = x[index[e]], divided by its segment's size in `mean_ptr` when given (mean backward).
at::Tensor gather_kernel(const at::Tensor& x_in, const at::Tensor& index,
                         const at::Tensor& mean_ptr) {
  const auto x = x_in.contiguous();
  const int64_t rows = index.size(0), cols = x.size(1);
  auto out = at::empty({rows, cols}, x.options());
  AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "gather_rows", [&] {
    const scalar_t* in = x.data_ptr<scalar_t>();
    scalar_t* o = out.data_ptr<scalar_t>();
    const int64_t* idx = index.data_ptr<int64_t>();
    const int64_t* ptr = mean_ptr.defined() ? mean_ptr.data_ptr<int64_t>() : nullptr;
    at::parallel_for(0, rows, grain(cols), [&](int64_t begin, int64_t end) {
      for (int64_t e = begin; e < end; ++e) {
        const int64_t s = idx[e];
        const scalar_t* row = in + s * cols;
        scalar_t* dst = o + e * cols;
        if (ptr == nullptr) {
          std::memcpy(dst, row, sizeof(scalar_t) * static_cast<size_t>(cols));
        } else {
          const auto count = static_cast<scalar_t>(ptr[s + 1] - ptr[s]);
          for (int64_t j = 0; j < cols; ++j) dst[j] = row[j] / count;
        }
      }
    });
  });
  return out;
}

// out[s] = sum (or mean) of x[order[k]] for k in [ptr[s], ptr[s + 1]); 0 for empty segments.
at::Tensor segment_sum_kernel(const at::Tensor& x_in, const at::Tensor& order,
                              const at::Tensor& ptr_t, bool mean) {
  const auto x = x_in.contiguous();
  const int64_t segments = ptr_t.size(0) - 1, cols = x.size(1);
  auto out = at::empty({segments, cols}, x.options());
  AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "segment_sum", [&] {
    const scalar_t* in = x.data_ptr<scalar_t>();
    scalar_t* o = out.data_ptr<scalar_t>();
    const int64_t* ord = order.data_ptr<int64_t>();
    const int64_t* ptr = ptr_t.data_ptr<int64_t>();
    at::parallel_for(0, segments, grain(cols), [&](int64_t begin, int64_t end) {
      for (int64_t s = begin; s < end; ++s) {
        scalar_t* dst = o + s * cols;
        std::fill(dst, dst + cols, scalar_t(0));
        for (int64_t k = ptr[s]; k < ptr[s + 1]; ++k) {
          const scalar_t* row = in + ord[k] * cols;
          for (int64_t j = 0; j < cols; ++j) dst[j] += row[j];
        }
        if (mean && ptr[s + 1] > ptr[s]) {
          const auto count = static_cast<scalar_t>(ptr[s + 1] - ptr[s]);
          for (int64_t j = 0; j < cols; ++j) dst[j] /= count;
        }
      }
    });
  });
  return out;
}

// best[j] = the larger of best[j] and row[j], as segment_max_kernel's loop takes it (the first
// row wins a tie; a NaN replaces anything but a NaN), for `cols` values.
template <typename T>
inline void max_into(T* best, const T* row, int64_t cols) {
  for (int64_t j = 0; j < cols; ++j) {
    const T v = row[j], b = best[j];
    best[j] = ((v > b) | ((v != v) & (b == b))) ? v : b;
  }
}

// The float loop also compiled for AVX-512 and AVX2 (picked when the program loads): the build's
// baseline is SSE2, and in inference, without an argmax, this loop is all the kernel does.
__attribute__((target_clones("avx512f", "avx2", "default"))) void max_into(float* best,
                                                                          const float* row,
                                                                          int64_t cols) {
  max_into<float>(best, row, cols);
}

// out[s][j] = max over the segment's rows of x[row][j] (0 when empty); `argmax` (if defined,
// [S, D] int32) gets the first row reaching it, -1 for empty segments. NaN wins, as in max().
// int32 keeps the select in the inner loop at the float's width, so it vectorizes.
void segment_max_kernel(const at::Tensor& x, const at::Tensor& order, const at::Tensor& ptr_t,
                        at::Tensor& out, at::Tensor* argmax) {
  const int64_t segments = ptr_t.size(0) - 1, cols = x.size(1);
  TORCH_CHECK(x.size(0) <= std::numeric_limits<int32_t>::max(), "segment_reduce: too many rows");
  out = at::empty({segments, cols}, x.options());
  if (argmax != nullptr) *argmax = at::empty({segments, cols}, order.options().dtype(at::kInt));
  AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "segment_max", [&] {
    const scalar_t* in = x.data_ptr<scalar_t>();
    scalar_t* o = out.data_ptr<scalar_t>();
    int32_t* arg = argmax != nullptr ? argmax->data_ptr<int32_t>() : nullptr;
    const int64_t* ord = order.data_ptr<int64_t>();
    const int64_t* ptr = ptr_t.data_ptr<int64_t>();
    at::parallel_for(0, segments, grain(cols), [&](int64_t begin, int64_t end) {
      std::vector<int32_t> scratch(arg == nullptr ? static_cast<size_t>(cols) : 0);
      for (int64_t s = begin; s < end; ++s) {
        scalar_t* best = o + s * cols;
        int32_t* where = arg != nullptr ? arg + s * cols : scratch.data();
        if (ptr[s] == ptr[s + 1]) {
          std::fill(best, best + cols, scalar_t(0));
          std::fill(where, where + cols, -1);
          continue;
        }
        const auto first = static_cast<int32_t>(ord[ptr[s]]);
        std::memcpy(best, in + first * cols, sizeof(scalar_t) * static_cast<size_t>(cols));
        if (arg == nullptr) {  // inference: the values only
          for (int64_t k = ptr[s] + 1; k < ptr[s + 1]; ++k) {
            max_into(best, in + ord[k] * cols, cols);
          }
          continue;
        }
        std::fill(where, where + cols, first);
        for (int64_t k = ptr[s] + 1; k < ptr[s + 1]; ++k) {
          const auto r = static_cast<int32_t>(ord[k]);
          const scalar_t* row = in + static_cast<int64_t>(r) * cols;
          for (int64_t j = 0; j < cols; ++j) {
            // Strictly greater (the first row wins a tie); a NaN replaces anything but a NaN.
            const scalar_t v = row[j], b = best[j];
            const bool take = (v > b) | ((v != v) & (b == b));
            best[j] = take ? v : b;
            where[j] = take ? r : where[j];
          }
        }
      }
    });
  });
}

// grad_x [rows, D]: grad[s][j] at (argmax[s][j], j), 0 elsewhere. Each row belongs to one segment,
// so tasks over segments never write the same element. (Zero fill then scatter measured 10x faster
// than writing each row once with a select, which does not vectorize.)
at::Tensor max_backward_kernel(const at::Tensor& grad_in, const at::Tensor& argmax, int64_t rows) {
  const auto grad = grad_in.contiguous();
  const int64_t segments = grad.size(0), cols = grad.size(1);
  auto out = at::zeros({rows, cols}, grad.options());
  AT_DISPATCH_FLOATING_TYPES(grad.scalar_type(), "segment_max_backward", [&] {
    const scalar_t* g = grad.data_ptr<scalar_t>();
    const int32_t* arg = argmax.data_ptr<int32_t>();
    scalar_t* o = out.data_ptr<scalar_t>();
    at::parallel_for(0, segments, grain(cols), [&](int64_t begin, int64_t end) {
      for (int64_t s = begin; s < end; ++s) {
        for (int64_t j = 0; j < cols; ++j) {
          const int64_t r = arg[s * cols + j];
          if (r >= 0) o[r * cols + j] = g[s * cols + j];
        }
      }
    });
  });
  return out;
}

// Each relation's product written in place into its rows of one output (no cat): the bias rows
// copied in, then out_r += x_r W_r by oneDNN (cpu_gemm.h), without ATen's views, TensorIterator
// copy and dispatch for each of the 20 relations; at::addmm_out when oneDNN is off.
at::Tensor segment_matmul_kernel(const at::Tensor& x, const at::Tensor& weight,
                                 const at::Tensor& bias, const std::vector<int64_t>& offsets) {
  auto out = at::empty({x.size(0), weight.size(2)}, x.options());
  const int64_t in = x.size(1), cols = weight.size(2);
  const bool floats = x.scalar_type() == at::kFloat && weight.scalar_type() == at::kFloat &&
                      bias.scalar_type() == at::kFloat && x.is_contiguous() &&
                      weight.is_contiguous() && bias.is_contiguous();
  for (size_t r = 0; r + 1 < offsets.size(); ++r) {
    const int64_t len = offsets[r + 1] - offsets[r];
    if (len == 0) continue;
    const auto rel = static_cast<int64_t>(r);
    if (floats) {
      const float* b = bias.data_ptr<float>() + rel * cols;
      float* o = out.data_ptr<float>() + offsets[r] * cols;
      for (int64_t i = 0; i < len; ++i) {
        std::memcpy(o + i * cols, b, sizeof(float) * static_cast<size_t>(cols));
      }
      if (onednn_sgemm('N', 'N', len, cols, in, x.data_ptr<float>() + offsets[r] * in, in,
                       weight.data_ptr<float>() + rel * in * cols, cols, 1.0f, o, cols)) {
        continue;
      }
    }
    auto slice = out.narrow(0, offsets[r], len);
    at::addmm_out(slice, bias[rel], x.narrow(0, offsets[r], len), weight[rel]);
  }
  return out;
}

struct GatherRowsFn : torch::autograd::Function<GatherRowsFn> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x, const at::Tensor& index,
                            const at::Tensor& order, const at::Tensor& ptr) {
    ctx->save_for_backward({order, ptr});
    return gather_kernel(x, index, at::Tensor());
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    return {segment_sum_kernel(grads[0], saved[0], saved[1], false), at::Tensor(), at::Tensor(),
            at::Tensor()};
  }
};

struct SegmentReduceFn : torch::autograd::Function<SegmentReduceFn> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x_in, const at::Tensor& segment,
                            const at::Tensor& order, const at::Tensor& ptr, int64_t reduce) {
    const auto x = x_in.contiguous();
    ctx->saved_data["reduce"] = reduce;
    ctx->saved_data["rows"] = x.size(0);
    if (static_cast<SegmentReduce>(reduce) == SegmentReduce::kMax) {
      at::Tensor out, argmax;
      segment_max_kernel(x, order, ptr, out, &argmax);
      ctx->save_for_backward({argmax});
      return out;
    }
    ctx->save_for_backward({segment, ptr});
    return segment_sum_kernel(x, order, ptr,
                              static_cast<SegmentReduce>(reduce) == SegmentReduce::kMean);
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const auto reduce = static_cast<SegmentReduce>(ctx->saved_data["reduce"].toInt());
    const auto saved = ctx->get_saved_variables();
    at::Tensor grad;
    if (reduce == SegmentReduce::kMax) {
      grad = max_backward_kernel(grads[0], saved[0], ctx->saved_data["rows"].toInt());
    } else {
      grad = gather_kernel(grads[0], saved[0],
                           reduce == SegmentReduce::kMean ? saved[1] : at::Tensor());
    }
    return {grad, at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor()};
  }
};

struct SegmentMatmulFn : torch::autograd::Function<SegmentMatmulFn> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x_in, const at::Tensor& weight,
                            const at::Tensor& bias, const std::vector<int64_t>& offsets) {
    const auto x = x_in.contiguous();
    ctx->save_for_backward({x, weight});
    ctx->saved_data["offsets"] = offsets;
    return segment_matmul_kernel(x, weight, bias, offsets);
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const auto& x = saved[0];
    const auto& weight = saved[1];
    const auto offsets = ctx->saved_data["offsets"].toIntVector();
    const auto grad = grads[0].contiguous();
    at::Tensor grad_x, grad_w, grad_b;
    if (ctx->needs_input_grad(0)) grad_x = at::empty_like(x);
    if (ctx->needs_input_grad(1)) grad_w = at::zeros_like(weight);
    if (ctx->needs_input_grad(2))
      grad_b = at::zeros({weight.size(0), weight.size(2)}, grad.options());
    for (size_t r = 0; r + 1 < offsets.size(); ++r) {
      const int64_t len = offsets[r + 1] - offsets[r];
      if (len == 0) continue;
      const auto rel = static_cast<int64_t>(r);
      const auto g = grad.narrow(0, offsets[r], len);
      const bool floats = grad.scalar_type() == at::kFloat && x.scalar_type() == at::kFloat &&
                          weight.scalar_type() == at::kFloat && weight.is_contiguous();
      const int64_t in = x.size(1), cols = weight.size(2);
      if (grad_x.defined()) {  // g_r [len, cols] W_r^T
        auto slice = grad_x.narrow(0, offsets[r], len);
        if (!floats || !onednn_sgemm('N', 'T', len, in, cols, g.data_ptr<float>(), cols,
                                     weight.data_ptr<float>() + rel * in * cols, cols, 0.0f,
                                     slice.data_ptr<float>(), in)) {
          at::mm_out(slice, g, weight[rel].t());
        }
      }
      if (grad_w.defined()) {  // x_r^T [in, len] g_r
        auto slice = grad_w[rel];
        if (!floats || !onednn_sgemm('T', 'N', in, cols, len, x.data_ptr<float>() + offsets[r] * in,
                                     in, g.data_ptr<float>(), cols, 0.0f, slice.data_ptr<float>(),
                                     cols)) {
          at::mm_out(slice, x.narrow(0, offsets[r], len).t(), g);
        }
      }
      if (grad_b.defined()) {
        auto slice = grad_b[rel];
        at::sum_out(slice, g, 0);
      }
    }
    return {grad_x, grad_w, grad_b, at::Tensor()};
  }
};

bool records_grad(const at::Tensor& x) { return at::GradMode::is_enabled() && x.requires_grad(); }

}  // namespace

Csr make_csr(const std::vector<int64_t>& segment, int64_t num_segments) {
  const auto rows = static_cast<int64_t>(segment.size());
  Csr csr;
  csr.segment = at::empty({rows}, at::kLong);
  csr.order = at::empty({rows}, at::kLong);
  csr.ptr = at::zeros({num_segments + 1}, at::kLong);
  int64_t* seg = csr.segment.data_ptr<int64_t>();
  int64_t* order = csr.order.data_ptr<int64_t>();
  int64_t* ptr = csr.ptr.data_ptr<int64_t>();
  for (int64_t r = 0; r < rows; ++r) {
    seg[r] = segment[static_cast<size_t>(r)];
    ++ptr[seg[r] + 1];
  }
  for (int64_t s = 0; s < num_segments; ++s) ptr[s + 1] += ptr[s];
  std::vector<int64_t> next(ptr, ptr + num_segments);
  for (int64_t r = 0; r < rows; ++r) order[next[static_cast<size_t>(seg[r])]++] = r;
  return csr;
}

EdgePairs make_edge_pairs(const std::vector<int64_t>& src, const std::vector<int64_t>& rel_offsets,
                          const Csr& by_dst, const std::vector<int32_t>& node_class) {
  const auto edges = static_cast<int64_t>(src.size());
  const int64_t nodes = by_dst.num_segments();
  TORCH_CHECK(!rel_offsets.empty() && rel_offsets.front() == 0 && rel_offsets.back() == edges &&
                  by_dst.order.size(0) == edges &&
                  (node_class.empty() || static_cast<int64_t>(node_class.size()) == nodes),
              "make_edge_pairs: ", edges, " edges, relation offsets up to ", rel_offsets.back(),
              ", a destination CSR of ", by_dst.order.size(0), " edges and ", nodes, " nodes, ",
              node_class.size(), " node classes");
  EdgePairs out;
  std::vector<int64_t> pair_src;
  pair_src.reserve(src.size());
  std::vector<int64_t> pair_of_edge(src.size());
  // The class's pair in the relation being walked: valid where seen_in[class] is that relation.
  std::vector<int64_t> seen_in(static_cast<size_t>(nodes), -1), pair_of_class(seen_in.size());
  out.offsets.push_back(0);
  for (size_t r = 0; r + 1 < rel_offsets.size(); ++r) {
    for (int64_t e = rel_offsets[r]; e < rel_offsets[r + 1]; ++e) {
      const int64_t node = src[static_cast<size_t>(e)];
      const auto c = static_cast<size_t>(
          node_class.empty() ? node : node_class[static_cast<size_t>(node)]);
      if (seen_in[c] != static_cast<int64_t>(r)) {
        seen_in[c] = static_cast<int64_t>(r);
        pair_of_class[c] = static_cast<int64_t>(pair_src.size());
        pair_src.push_back(node);
      }
      pair_of_edge[static_cast<size_t>(e)] = pair_of_class[c];
    }
    out.offsets.push_back(static_cast<int64_t>(pair_src.size()));
  }
  out.src = at::empty({static_cast<int64_t>(pair_src.size())}, at::kLong);
  std::copy(pair_src.begin(), pair_src.end(), out.src.data_ptr<int64_t>());
  out.dst_pair = at::empty({edges}, at::kLong);
  const int64_t* order = by_dst.order.data_ptr<int64_t>();
  int64_t* dst_pair = out.dst_pair.data_ptr<int64_t>();
  for (int64_t k = 0; k < edges; ++k) dst_pair[k] = pair_of_edge[static_cast<size_t>(order[k])];
  return out;
}

at::Tensor gather_rows(const at::Tensor& x, const Csr& by_index) {
  check_rows(x, "gather_rows");
  TORCH_CHECK(x.size(0) == by_index.num_segments(), "gather_rows: ", x.size(0),
              " rows but the index groups ", by_index.num_segments());
  if (!x.is_cpu()) return x.index_select(0, by_index.segment);
  if (!records_grad(x)) return gather_kernel(x, by_index.segment, at::Tensor());
  return GatherRowsFn::apply(x, by_index.segment, by_index.order, by_index.ptr);
}

at::Tensor segment_reduce(const at::Tensor& x, const Csr& csr, SegmentReduce reduce) {
  check_rows(x, "segment_reduce");
  TORCH_CHECK(x.size(0) == csr.segment.size(0), "segment_reduce: ", x.size(0), " rows but ",
              csr.segment.size(0), " segment ids");
  const int64_t segments = csr.num_segments();
  if (!x.is_cpu()) {
    if (reduce == SegmentReduce::kMax) return segment_max(x, csr.segment, segments);
    auto sum = segment_sum(x, csr.segment, segments);
    if (reduce == SegmentReduce::kSum) return sum;
    auto count = (csr.ptr.slice(0, 1) - csr.ptr.slice(0, 0, segments)).unsqueeze(1);
    return sum / count.to(x.scalar_type()).clamp_min(1);
  }
  if (!records_grad(x)) {
    if (reduce != SegmentReduce::kMax) {
      return segment_sum_kernel(x, csr.order, csr.ptr, reduce == SegmentReduce::kMean);
    }
    at::Tensor out;
    segment_max_kernel(x.contiguous(), csr.order, csr.ptr, out, nullptr);
    return out;
  }
  return SegmentReduceFn::apply(x, csr.segment, csr.order, csr.ptr, static_cast<int64_t>(reduce));
}

at::Tensor segment_matmul(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias,
                          const std::vector<int64_t>& offsets) {
  check_rows(x, "segment_matmul");
  TORCH_CHECK(weight.dim() == 3 && bias.dim() == 2 && weight.size(1) == x.size(1) &&
                  bias.size(0) == weight.size(0) && bias.size(1) == weight.size(2),
              "segment_matmul: weight [R, ", x.size(1), ", Do] and bias [R, Do] expected, got ",
              weight.sizes(), " and ", bias.sizes());
  TORCH_CHECK(static_cast<int64_t>(offsets.size()) == weight.size(0) + 1 && offsets.front() == 0 &&
                  offsets.back() == x.size(0) && std::is_sorted(offsets.begin(), offsets.end()),
              "segment_matmul: offsets must rise from 0 to ", x.size(0), " in ", weight.size(0) + 1,
              " steps");
  if (x.is_cpu() && !(records_grad(x) || records_grad(weight) || records_grad(bias))) {
    return segment_matmul_kernel(x.contiguous(), weight, bias, offsets);
  }
  if (!x.is_cpu()) {
    std::vector<at::Tensor> parts;
    for (size_t r = 0; r + 1 < offsets.size(); ++r) {
      const auto rel = static_cast<int64_t>(r);
      parts.push_back(
          at::addmm(bias[rel], x.narrow(0, offsets[r], offsets[r + 1] - offsets[r]), weight[rel]));
    }
    return at::cat(parts, 0);
  }
  return SegmentMatmulFn::apply(x, weight, bias, offsets);
}

at::Tensor reduce_pair_messages(const at::Tensor& x, const at::Tensor& weight,
                                const at::Tensor& bias, const EdgePairs& pairs, const Csr& by_dst,
                                SegmentReduce reduce) {
  check_rows(x, "reduce_pair_messages");
  TORCH_CHECK(x.is_cpu() && !(records_grad(x) || records_grad(weight) || records_grad(bias)),
              "reduce_pair_messages: inference on the CPU only");
  TORCH_CHECK(x.size(0) == by_dst.num_segments() && pairs.dst_pair.size(0) == by_dst.order.size(0),
              "reduce_pair_messages: ", x.size(0), " nodes, ", by_dst.num_segments(),
              " destinations, ", pairs.dst_pair.size(0), " edges in the pairs and ",
              by_dst.order.size(0), " in the CSR");
  TORCH_CHECK(weight.dim() == 3 && bias.dim() == 2 && weight.size(1) == x.size(1) &&
                  static_cast<int64_t>(pairs.offsets.size()) == weight.size(0) + 1,
              "reduce_pair_messages: weight [", pairs.offsets.size() - 1, ", ", x.size(1),
              ", Do] expected, got ", weight.sizes());
  // [U, Do]: one message per pair; the reductions read edge k's message from row dst_pair[k].
  const auto gathered = gather_kernel(x, pairs.src, at::Tensor());
  at::Tensor messages;
  if (x.scalar_type() == at::kFloat && weight.scalar_type() == at::kFloat &&
      bias.scalar_type() == at::kFloat && weight.is_contiguous() && bias.is_contiguous()) {
    const int64_t in = x.size(1), cols = weight.size(2);
    messages = at::empty({gathered.size(0), cols}, x.options());
    for (size_t r = 0; r + 1 < pairs.offsets.size(); ++r) {
      const int64_t first = pairs.offsets[r], len = pairs.offsets[r + 1] - first;
      if (len == 0) continue;
      const auto rel = static_cast<int64_t>(r);
      inference_gemm(gathered.data_ptr<float>() + first * in, len, in,
                     weight.data_ptr<float>() + rel * in * cols, false,
                     bias.data_ptr<float>() + rel * cols, cols,
                     messages.data_ptr<float>() + first * cols);
    }
  } else {
    messages = segment_matmul_kernel(gathered, weight, bias, pairs.offsets);
  }
  if (reduce != SegmentReduce::kMax) {
    return segment_sum_kernel(messages, pairs.dst_pair, by_dst.ptr, reduce == SegmentReduce::kMean);
  }
  at::Tensor out;
  segment_max_kernel(messages, pairs.dst_pair, by_dst.ptr, out, nullptr);
  return out;
}

}  // namespace bugseek::detector
