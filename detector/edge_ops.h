// Message-passing kernels over the edges of all relations concatenated (built once per batch by
// to_tensors): a row gather whose backward is a segment sum over a source-sorted CSR, segment
// reductions (sum / mean / max) over a destination-sorted CSR, and one matmul per contiguous
// relation segment. Each is a custom autograd function with a hand-written backward (CPU loops,
// float and double): LibTorch 1.13's index_select / index_add cost about 1 us per row on CPU.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <vector>

namespace bugseek::detector {

// R rows grouped into S segments without moving them: segment s holds the rows
// order[ptr[s]], ..., order[ptr[s + 1] - 1], ascending (a stable sort by segment).
struct Csr {
  at::Tensor segment;  // [R] int64: the segment of each row
  at::Tensor order;    // [R] int64: row indices grouped by segment
  at::Tensor ptr;      // [S + 1] int64: row pointers into `order`
  int64_t num_segments() const { return ptr.defined() ? ptr.size(0) - 1 : 0; }
};

// The CSR of `segment` (R values in [0, num_segments); unchecked) by a stable counting sort.
Csr make_csr(const std::vector<int64_t>& segment, int64_t num_segments);

// The E edges of all relations (concatenated in relation order) grouped by distinct (source
// class, relation) pair: a message depends on nothing else, so inference computes U <= E products.
// With every node its own class U is about 0.83 E on the standard library (a parent sends one
// child-edge message to all its children); with node_classes.h's classes (256-node batches),
// 0.21 E at the default model's first layer (equal labels), then 0.65, 0.78 and 0.81 E.
struct EdgePairs {
  at::Tensor src;                // [U] int64: a source node of each pair, grouped by relation
  std::vector<int64_t> offsets;  // relation r's pairs are offsets[r] .. offsets[r + 1] - 1
  at::Tensor dst_pair;           // [E] int64: the pair of each edge, edges in by_dst order
};

// The pairs of edges with sources `src` [E] (relation r holds edges rel_offsets[r] ..
// rel_offsets[r + 1] - 1); `by_dst` is the edges' destination CSR over the N nodes. Nodes with
// one `node_class` (N values in [0, N); empty: every node its own class) must hold equal rows of
// the input the messages are computed from: a pair's source is its class's first node there.
EdgePairs make_edge_pairs(const std::vector<int64_t>& src, const std::vector<int64_t>& rel_offsets,
                          const Csr& by_dst, const std::vector<int32_t>& node_class);

enum class SegmentReduce { kSum, kMean, kMax };

// x[by_index.segment] [R, D] for x [N, D] (N = by_index.num_segments()); its gradient is the
// segment sum of the incoming gradient over `by_index`.
at::Tensor gather_rows(const at::Tensor& x, const Csr& by_index);

// [S, D]: the sum, mean or max over each segment of `csr` of the rows of x [R, D]. Empty segments
// give 0 and pass no gradient. kMax keeps the first maximal row of each segment (in `csr` order)
// per column, and its gradient goes to that row alone.
at::Tensor segment_reduce(const at::Tensor& x, const Csr& csr, SegmentReduce reduce);

// [R, Do]: rows offsets[r] .. offsets[r + 1] - 1 of x [R, Di] times weight[r] [Di, Do] plus
// bias[r] [Do]; `offsets` has num_relations + 1 entries, from 0 to R.
at::Tensor segment_matmul(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias,
                          const std::vector<int64_t>& offsets);

// Inference only (CPU, no gradient recorded; throws otherwise): the [N, Do] of
//   segment_reduce(segment_matmul(gather_rows(x, by_src), weight, bias, rel_offsets), by_dst, r)
// with one product per pair: every edge's message is the row of its pair, and the reductions read
// them in the same order. Equal up to float rounding: the products are cpu_gemm.h's.
at::Tensor reduce_pair_messages(const at::Tensor& x, const at::Tensor& weight,
                                const at::Tensor& bias, const EdgePairs& pairs, const Csr& by_dst,
                                SegmentReduce reduce);

}  // namespace bugseek::detector
