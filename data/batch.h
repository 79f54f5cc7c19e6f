// The tensors-to-be that models read, kept torch-free so data/ builds and tests without LibTorch.
// A GraphFeatures is one featurized unit graph (optionally with a planted bug as the target);
// a Batch is a disjoint union of them with node/site/candidate offsets. detector/ turns a Batch
// into torch tensors in one place.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "parser/code_graph.h"

namespace bugseek::data {

constexpr int kMaxSubtokens = 6;  // subtoken ids kept per node label; 0 pads
constexpr int kPadId = 0;

// Kinds of candidate repairs; each is scored by a different part of the repair head.
enum class CandidateKind : uint8_t {
  kText = 0,    // operator / literal / boolean replacement: scored against an embedding of its text
  kSymbol = 1,  // variable misuse: scored against the replacement symbol node
  kSwap = 2,    // argument swap: scored from the call and both argument nodes
};

struct GraphFeatures {
  int32_t num_nodes = 0;
  std::vector<int32_t> subtokens;   // [num_nodes * kMaxSubtokens] SentencePiece ids, kPadId pads
  std::vector<int32_t> node_types;  // [num_nodes] node type vocabulary id
  std::array<std::vector<int32_t>, parser::kNumEdgeKinds> edge_src;  // per edge kind
  std::array<std::vector<int32_t>, parser::kNumEdgeKinds> edge_dst;
  std::vector<int32_t> tokens;      // token node indices in source order (transformer input)

  std::vector<int32_t> site_node;   // [num_sites] node index of each site
  std::vector<int32_t> site_kind;   // [num_sites] parser::BugKind
  std::vector<int32_t> cand_site;   // [num_cands] site index (within this graph)
  std::vector<int32_t> cand_kind;   // [num_cands] CandidateKind
  std::vector<int32_t> cand_text;   // [num_cands] replacement-text id (kText), else 0
  std::vector<int32_t> cand_node;   // [num_cands] symbol node (kSymbol) / first arg (kSwap), else -1
  std::vector<int32_t> cand_node2;  // [num_cands] second arg (kSwap), else -1

  int32_t target_site = -1;  // -1: no bug (clean sample)
  int32_t target_cand = -1;  // candidate at target_site that repairs the bug
};

struct Batch {
  int32_t num_graphs = 0;
  int32_t num_nodes = 0;
  std::vector<int32_t> subtokens;   // [num_nodes * kMaxSubtokens]
  std::vector<int32_t> node_types;  // [num_nodes]
  std::vector<int32_t> node_graph;  // [num_nodes] graph index of each node
  std::array<std::vector<int32_t>, parser::kNumEdgeKinds> edge_src;  // offset node indices
  std::array<std::vector<int32_t>, parser::kNumEdgeKinds> edge_dst;
  std::vector<int32_t> token_offsets;  // [num_graphs + 1] into tokens
  std::vector<int32_t> tokens;         // offset node indices of tokens, graph after graph

  std::vector<int32_t> site_offsets;  // [num_graphs + 1] into site_*
  std::vector<int32_t> site_node;     // offset node index
  std::vector<int32_t> site_kind;
  std::vector<int32_t> site_graph;
  std::vector<int32_t> cand_site;     // offset site index
  std::vector<int32_t> cand_kind;
  std::vector<int32_t> cand_text;
  std::vector<int32_t> cand_node;     // offset node index or -1
  std::vector<int32_t> cand_node2;

  std::vector<int32_t> target_site;  // [num_graphs] offset site index, or -1 for no bug
  std::vector<int32_t> target_cand;  // [num_graphs] offset candidate index, or -1
};

// Appends `g` to `batch`, offsetting every index. O(size of g).
void append_to_batch(Batch& batch, const GraphFeatures& g);

}  // namespace bugseek::data
