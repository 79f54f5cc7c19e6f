// Which nodes of a batch are certain to hold equal rows of h at each GNN layer, so that inference
// computes one message per (class, relation) instead of one per edge (edge_ops.h, EdgePairs).
// Layer 0's input depends only on a node's type and label subtokens; with max aggregation, two
// nodes of one class whose incoming edges bring the same set of (relation, source class) get
// equal aggregates, hence equal outputs: classes refined this way (1-dimensional Weisfeiler-Lehman
// colour refinement, exact, no hashing) stay equal, bit for bit. Torch-free.
#pragma once

#include <cstdint>
#include <vector>

#include "data/batch.h"

namespace bugseek::detector {

// A partition of the nodes: class ids in [0, num_classes), dense.
struct NodeClasses {
  std::vector<int32_t> of_node;  // [N]
  int32_t num_classes = 0;
};

// Nodes with equal node type and equal label subtokens share a class.
NodeClasses input_classes(const data::Batch& batch);

// The next layer's classes with max aggregation: nodes share one when they share a class and the
// set of (relation, class of the source) over their incoming edges is the same. Edges: sources
// `src` and relations `rel` [E]; `dst_order` lists the edges grouped by destination, node v's
// being dst_order[dst_ptr[v]] .. dst_order[dst_ptr[v + 1] - 1] (a Csr's order and ptr).
NodeClasses refine_classes(const NodeClasses& classes, const int64_t* src, const int64_t* rel,
                           const int64_t* dst_order, const int64_t* dst_ptr);

}  // namespace bugseek::detector
