// Reductions over variable-size groups that the encoders and heads share: neighbourhood
// aggregation (max / mean / sum) and a numerically stable log-softmax per segment (per graph for
// localization, per site for repair). Rows are grouped by an int64 index tensor.
#pragma once

#include <ATen/ATen.h>

#include "detector/detector.h"

namespace bugseek::detector {

// [num_segments, D] elementwise max of the rows of `src` [R, D] sharing index[r]; 0 for segments
// with no rows. `index` is [R].
at::Tensor segment_max(const at::Tensor& src, const at::Tensor& index, int64_t num_segments);

// [num_segments, D] sum of the rows of `src` [R, D] per segment.
at::Tensor segment_sum(const at::Tensor& src, const at::Tensor& index, int64_t num_segments);

// Aggregates messages [E, D] into their destinations dst [E] -> [num_nodes, D]. `count` [num_nodes,
// 1] is the number of messages per node (used by kMean; 0 rows give 0).
at::Tensor aggregate(const at::Tensor& messages, const at::Tensor& dst, int64_t num_nodes,
                     Aggregation aggregation, const at::Tensor& count);

// log softmax of `scores` [R] within each segment (segment [R] in [0, num_segments)).
at::Tensor segment_log_softmax(const at::Tensor& scores, const at::Tensor& segment,
                               int64_t num_segments);

}  // namespace bugseek::detector
