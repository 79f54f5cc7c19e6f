#include "data/batch.h"

#include "common/fault.h"

namespace bugseek::data {
namespace {

void append_offset(std::vector<int32_t>& out, const std::vector<int32_t>& in, int32_t offset) {
  out.reserve(out.size() + in.size());
  for (int32_t v : in) out.push_back(v < 0 ? v : v + offset);
}

}  // namespace

void append_to_batch(Batch& batch, const GraphFeatures& g) {
  const int32_t node_off = batch.num_nodes;
  const auto site_off = static_cast<int32_t>(batch.site_node.size());
  const auto cand_off = static_cast<int32_t>(batch.cand_site.size());
  const int32_t graph = batch.num_graphs;

  if (batch.site_offsets.empty()) batch.site_offsets.push_back(0);
  if (batch.token_offsets.empty()) batch.token_offsets.push_back(0);

  batch.subtokens.insert(batch.subtokens.end(), g.subtokens.begin(), g.subtokens.end());
  batch.node_types.insert(batch.node_types.end(), g.node_types.begin(), g.node_types.end());
  batch.node_graph.insert(batch.node_graph.end(), static_cast<size_t>(g.num_nodes), graph);
  for (int k = 0; k < parser::kNumEdgeKinds; ++k) {
    append_offset(batch.edge_src[k], g.edge_src[k], node_off);
    append_offset(batch.edge_dst[k], g.edge_dst[k], node_off);
  }
  append_offset(batch.tokens, g.tokens, node_off);
  batch.token_offsets.push_back(static_cast<int32_t>(batch.tokens.size()));

  append_offset(batch.site_node, g.site_node, node_off);
  batch.site_kind.insert(batch.site_kind.end(), g.site_kind.begin(), g.site_kind.end());
  batch.site_graph.insert(batch.site_graph.end(), g.site_node.size(), graph);
  batch.site_offsets.push_back(static_cast<int32_t>(batch.site_node.size()));

  append_offset(batch.cand_site, g.cand_site, site_off);
  batch.cand_kind.insert(batch.cand_kind.end(), g.cand_kind.begin(), g.cand_kind.end());
  batch.cand_text.insert(batch.cand_text.end(), g.cand_text.begin(), g.cand_text.end());
  append_offset(batch.cand_node, g.cand_node, node_off);
  append_offset(batch.cand_node2, g.cand_node2, node_off);

  const int32_t site_shift = test_fault("batch-target-offset") ? site_off + 1 : site_off;
  batch.target_site.push_back(g.target_site < 0 ? -1 : g.target_site + site_shift);
  batch.target_cand.push_back(g.target_cand < 0 ? -1 : g.target_cand + cand_off);

  batch.num_nodes += g.num_nodes;
  batch.num_graphs += 1;
}

}  // namespace bugseek::data
