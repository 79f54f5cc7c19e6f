// The one place where a torch-free data::Batch becomes tensors on the model's device: node
// features, per-relation edge lists (reverse edges added), the transformer's padded token grid with
// edges projected onto it, and index tensors for the heads. Internal to detector/ and train/.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include <ATen/ATen.h>

#include "data/batch.h"
#include "detector/detector.h"
#include "detector/edge_ops.h"

namespace bugseek::detector {

// Relation r = 2 * edge_kind + direction (0 = as stored, 1 = reversed).
constexpr int kNumRelations = 2 * parser::kNumEdgeKinds;

struct BatchTensors {
  int64_t num_graphs = 0;
  int64_t num_nodes = 0;
  int64_t num_sites = 0;
  int64_t num_cands = 0;

  // Nodes. All index tensors are int64 on the model's device.
  // Node labels as the P (node, subtoken) pairs with a subtoken (id != 0), node by node.
  Csr label_by_subtoken;  // label_by_subtoken.segment [P]: the subtoken id, subtoken_vocab segments
  Csr label_by_node;      // label_by_node.segment [P]: the node, N segments
  at::Tensor node_types;  // [N]
  at::Tensor node_graph;  // [N]

  // GNN: the E edges of all relations concatenated in relation order (relation r holds edges
  // rel_offset[r] .. rel_offset[r + 1] - 1), grouped two ways for the message-passing kernels.
  at::Tensor edge_rel;  // [E] relation of each edge
  std::array<int64_t, kNumRelations + 1> rel_offset{};
  Csr by_src;  // by source node: by_src.segment [E] is each edge's source, N segments
  Csr by_dst;  // by destination node: by_dst.segment [E] is each edge's destination
  // Inference (a GNN on the CPU, tensors built without gradient recording): layer i's edges
  // grouped by (source class, relation) for the classes of nodes with equal layer-i input
  // (node_classes.h); empty otherwise.
  std::vector<EdgePairs> layer_pairs;

  // Transformer (filled when the model is a transformer). L = min(longest sequence, max_len).
  // Each non-token node reads the slot of its first token (see batch_tensors.cc).
  int64_t seq_len = 0;
  at::Tensor token_node;  // [G, L] node index in each token slot (0 for padding)
  at::Tensor token_mask;  // [G, L] bool, true for real tokens
  at::Tensor node_slot;   // [N] flat slot g * L + position each node's representation comes from
  at::Tensor bias_pair;   // [P] flat (g * L + i) * L + j of each distinct (pair, relation)
  Csr bias_by_rel;        // bias_by_rel.segment [P]: relation of that entry (kNumRelations segments)

  // Heads.
  at::Tensor site_node;   // [S]
  at::Tensor site_kind;   // [S]
  at::Tensor site_graph;  // [S]
  at::Tensor cand_site;   // [C]
  // Candidates split by kind; each kind's scores are computed apart and put back in order by
  // cand_order (index into the concatenation text, symbol, swap).
  at::Tensor text_cand, text_id;              // [C_text]
  at::Tensor symbol_cand, symbol_node;        // [C_sym]
  at::Tensor swap_cand, swap_first, swap_second;  // [C_swap]
  at::Tensor cand_order;  // [C]
};

// Converts `batch` (checked against the vocabulary sizes in `config`; throws Error on bad ids or
// indices) for a model on `device`. `transformer` fills the token grid.
BatchTensors to_tensors(const data::Batch& batch, const DetectorConfig& config,
                        const at::Device& device, bool transformer);

// The position (within its graph's token sequence) of the token each node of `batch` reads in the
// transformer: tokens their own; syntax nodes their first token (min over kChild children, to a
// fixed point); symbol nodes their first occurrence (kOccurrenceOf); any other node the smallest
// position among its neighbours; 0 if still none. Exposed for tests.
std::vector<int32_t> first_token_positions(const data::Batch& batch);

}  // namespace bugseek::detector
