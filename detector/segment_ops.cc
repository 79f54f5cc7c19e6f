// scatter_reduce("amax") is ATen's since 1.12 and unchanged in 2.x; sums use index_add.
#include "detector/segment_ops.h"

#include <limits>
#include <vector>

#include "detector/edge_ops.h"

namespace bugseek::detector {

at::Tensor segment_max(const at::Tensor& src, const at::Tensor& index, int64_t num_segments) {
  TORCH_CHECK(src.dim() == 2 && index.dim() == 1 && index.size(0) == src.size(0),
              "segment_max: src [R, D] and index [R] expected, got ", src.sizes(), " and ",
              index.sizes());
  auto out = at::zeros({num_segments, src.size(1)}, src.options());
  if (src.size(0) == 0) return out;
  if (!at::GradMode::is_enabled() && src.is_cpu()) {
    // Inference (scan, eval, validation) on the CPU: no backward to prepare, so edge_ops' max
    // kernel over a CSR built here by a counting sort (the ATen sort + segment_reduce below, in
    // the heads' pooling, was 4% of a scan's detector time). Same values, 0 when empty.
    const auto idx = index.to(at::kLong).contiguous();
    const int64_t* p = idx.data_ptr<int64_t>();
    return segment_reduce(src, make_csr(std::vector<int64_t>(p, p + idx.numel()), num_segments),
                          SegmentReduce::kMax);
  }
  if (!at::GradMode::is_enabled()) {
    // Inference elsewhere: ATen's sorted segment reduction. Empty segments get 0.
    auto order = std::get<1>(index.sort(/*stable=*/true, /*dim=*/0, /*descending=*/false));
    auto lengths = at::bincount(index, {}, num_segments);
    auto max = at::segment_reduce(src.index_select(0, order), "max", lengths, {}, {}, 0,
                                  /*unsafe=*/true);
    return max.masked_fill((lengths == 0).unsqueeze(1), 0.0);
  }
  at::Tensor weight;  // [R, D]: 1 / (number of tied maxima) where src is its segment's max, else 0
  {
    at::NoGradGuard no_grad;
    // include_self=false: a segment's value is the max of its rows only; empty ones keep 0.
    auto max = out.scatter_reduce(0, index.unsqueeze(1).expand_as(src), src, "amax",
                                  /*include_self=*/false);
    auto is_max = (src == max.index_select(0, index)).to(src.scalar_type());
    auto ties = at::zeros_like(out).index_add_(0, index, is_max);
    weight = is_max / ties.index_select(0, index).clamp_min(1);
  }
  // The max written as a weighted sum: same value, and a gradient (split evenly among ties, as
  // ATen's own amax does) through index_add instead of scatter_reduce's slow backward in 1.13.
  return out.index_add(0, index, src * weight);
}

at::Tensor segment_sum(const at::Tensor& src, const at::Tensor& index, int64_t num_segments) {
  auto out = at::zeros({num_segments, src.size(1)}, src.options());
  if (src.size(0) == 0) return out;
  return out.index_add(0, index, src);
}

at::Tensor aggregate(const at::Tensor& messages, const at::Tensor& dst, int64_t num_nodes,
                     Aggregation aggregation, const at::Tensor& count) {
  switch (aggregation) {
    case Aggregation::kMax:
      return segment_max(messages, dst, num_nodes);
    case Aggregation::kMean:
      return segment_sum(messages, dst, num_nodes) / count.clamp_min(1.0);
    case Aggregation::kSum:
      return segment_sum(messages, dst, num_nodes);
  }
  TORCH_CHECK(false, "aggregate: unknown aggregation");
}

at::Tensor segment_log_softmax(const at::Tensor& scores, const at::Tensor& segment,
                               int64_t num_segments) {
  TORCH_CHECK(scores.dim() == 1 && segment.sizes() == scores.sizes(),
              "segment_log_softmax: scores [R] and segment [R] expected, got ", scores.sizes(),
              " and ", segment.sizes());
  if (scores.numel() == 0) return scores;
  // The shift only keeps exp() in range; it cancels in the result, so no gradient through it.
  auto shift = at::full({num_segments}, -std::numeric_limits<float>::infinity(), scores.options())
                   .scatter_reduce(0, segment, scores.detach(), "amax", /*include_self=*/true);
  auto shifted = scores - shift.index_select(0, segment);
  auto sums = at::zeros({num_segments}, scores.options()).index_add(0, segment, shifted.exp());
  return shifted - sums.log().index_select(0, segment);
}

}  // namespace bugseek::detector
