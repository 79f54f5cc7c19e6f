// Batch -> tensors. Index checks happen here, once, in plain C++, so the models can index freely.
#include "detector/batch_tensors.h"

#include <algorithm>
#include <string>

#include "common/error.h"
#include "common/fault.h"
#include "detector/node_classes.h"
#include "parser/rewrites.h"

namespace bugseek::detector {
namespace {

using data::CandidateKind;

[[noreturn]] void bad(const std::string& what) { throw Error("detector: bad batch: " + what); }

at::Tensor to_tensor(const std::vector<int64_t>& v, const at::Device& device) {
  auto t = at::empty({static_cast<int64_t>(v.size())}, at::kLong);
  if (!v.empty()) std::copy(v.begin(), v.end(), t.data_ptr<int64_t>());
  return device.is_cpu() ? t : t.to(device);
}

at::Tensor to_tensor(const std::vector<int32_t>& v, const at::Device& device) {
  return to_tensor(std::vector<int64_t>(v.begin(), v.end()), device);
}

void check_range(const std::vector<int32_t>& v, int64_t limit, const char* what) {
  for (int32_t x : v) {
    if (x < 0 || x >= limit) {
      bad(std::string(what) + " " + std::to_string(x) + " outside [0, " + std::to_string(limit) +
          ")");
    }
  }
}

void check_sizes(size_t actual, size_t expected, const char* what) {
  if (actual != expected) {
    bad(std::string(what) + " has " + std::to_string(actual) + " entries, expected " +
        std::to_string(expected));
  }
}

}  // namespace

std::vector<int32_t> first_token_positions(const data::Batch& b) {
  const int32_t n = b.num_nodes;
  std::vector<int32_t> pos(static_cast<size_t>(n), -1);
  for (int32_t g = 0; g < b.num_graphs; ++g) {
    for (int32_t t = b.token_offsets[g]; t < b.token_offsets[g + 1]; ++t) {
      int32_t& p = pos[static_cast<size_t>(b.tokens[t])];
      if (p < 0) p = t - b.token_offsets[g];
    }
  }
  // Relaxes dst <- min(dst, src) over `kind`'s edges (reversed when `up`) until nothing changes.
  // Edges are stored in pre-order, so walking them backwards settles a tree in one or two passes.
  auto relax = [&](int kind, bool up, bool only_unset) {
    const auto& from = up ? b.edge_dst[kind] : b.edge_src[kind];
    const auto& to = up ? b.edge_src[kind] : b.edge_dst[kind];
    std::vector<char> was_set;
    if (only_unset) {
      was_set.resize(pos.size());
      for (size_t i = 0; i < pos.size(); ++i) was_set[i] = pos[i] >= 0;
    }
    for (int pass = 0; pass <= n; ++pass) {
      bool changed = false;
      for (size_t e = from.size(); e-- > 0;) {
        const int32_t s = pos[static_cast<size_t>(from[e])];
        int32_t& d = pos[static_cast<size_t>(to[e])];
        if (s < 0 || (only_unset && was_set[static_cast<size_t>(to[e])])) continue;
        if (d < 0 || s < d) {
          d = s;
          changed = true;
        }
      }
      if (!changed) break;
    }
  };
  relax(static_cast<int>(parser::EdgeKind::kChild), /*up=*/true, /*only_unset=*/false);
  relax(static_cast<int>(parser::EdgeKind::kOccurrenceOf), /*up=*/false, /*only_unset=*/true);
  for (int k = 0; k < parser::kNumEdgeKinds; ++k) {
    relax(k, false, true);
    relax(k, true, true);
  }
  for (int32_t& p : pos) p = std::max(p, 0);
  return pos;
}

BatchTensors to_tensors(const data::Batch& b, const DetectorConfig& config,
                        const at::Device& device, bool transformer) {
  BatchTensors t;
  const int64_t n = b.num_nodes;
  const int64_t g = b.num_graphs;
  t.num_graphs = g;
  t.num_nodes = n;
  t.num_sites = static_cast<int64_t>(b.site_node.size());
  t.num_cands = static_cast<int64_t>(b.cand_site.size());

  // ---- checks
  check_sizes(b.subtokens.size(), static_cast<size_t>(n) * data::kMaxSubtokens, "subtokens");
  check_sizes(b.node_types.size(), static_cast<size_t>(n), "node_types");
  check_sizes(b.node_graph.size(), static_cast<size_t>(n), "node_graph");
  check_sizes(b.site_offsets.size(), static_cast<size_t>(g + 1), "site_offsets");
  check_sizes(b.token_offsets.size(), static_cast<size_t>(g + 1), "token_offsets");
  check_sizes(b.target_site.size(), static_cast<size_t>(g), "target_site");
  check_sizes(b.target_cand.size(), static_cast<size_t>(g), "target_cand");
  for (const auto* v : {&b.site_kind, &b.site_graph}) {
    check_sizes(v->size(), b.site_node.size(), "site_kind/site_graph");
  }
  for (const auto* v : {&b.cand_kind, &b.cand_text, &b.cand_node, &b.cand_node2}) {
    check_sizes(v->size(), b.cand_site.size(), "cand_kind/text/node/node2");
  }
  check_range(b.subtokens, config.subtoken_vocab, "subtoken id");
  check_range(b.node_types, config.node_type_vocab, "node type id");
  check_range(b.tokens, n, "token node");
  check_range(b.site_node, n, "site node");
  check_range(b.site_kind, parser::kNumBugKinds, "site kind");
  check_range(b.site_graph, g, "site graph");
  check_range(b.cand_site, t.num_sites, "candidate site");
  for (int k = 0; k < parser::kNumEdgeKinds; ++k) {
    check_sizes(b.edge_dst[k].size(), b.edge_src[k].size(), "edge_dst");
    check_range(b.edge_src[k], n, "edge source");
    check_range(b.edge_dst[k], n, "edge destination");
  }
  for (int64_t i = 0; i < g; ++i) {
    const int32_t s = b.target_site[i];
    const int32_t c = b.target_cand[i];
    if (s < 0) continue;
    if (s < b.site_offsets[i] || s >= b.site_offsets[i + 1]) {
      bad("graph " + std::to_string(i) + ": target site " + std::to_string(s) + " not its own");
    }
    if (c < 0 || c >= t.num_cands || b.cand_site[c] != s) {
      bad("graph " + std::to_string(i) + ": target candidate " + std::to_string(c) +
          " is not at the target site");
    }
  }

  // ---- nodes and relations
  std::vector<int64_t> label_id, label_node;
  for (size_t i = 0; i < b.subtokens.size(); ++i) {
    if (b.subtokens[i] == 0) continue;  // padding
    label_id.push_back(b.subtokens[i]);
    label_node.push_back(static_cast<int64_t>(i / data::kMaxSubtokens));
  }
  t.node_types = to_tensor(b.node_types, device);
  t.node_graph = to_tensor(b.node_graph, device);
  // Relation 2k is edge kind k as stored, 2k + 1 the same edges reversed.
  std::vector<int64_t> src, dst, rel;
  const bool drop_kind = test_fault("drop-edge-kind");  // loses edge kind 2 (doctor tests)
  for (int k = 0; k < parser::kNumEdgeKinds; ++k) {
    for (int dir = 0; dir < 2; ++dir) {
      const int r = 2 * k + dir;
      t.rel_offset[static_cast<size_t>(r)] = static_cast<int64_t>(src.size());
      if (drop_kind && k == 2) continue;
      const auto& from = dir == 0 ? b.edge_src[k] : b.edge_dst[k];
      const auto& to = dir == 0 ? b.edge_dst[k] : b.edge_src[k];
      src.insert(src.end(), from.begin(), from.end());
      dst.insert(dst.end(), to.begin(), to.end());
      rel.insert(rel.end(), from.size(), r);
    }
  }
  t.rel_offset[kNumRelations] = static_cast<int64_t>(src.size());
  t.edge_rel = to_tensor(rel, device);
  auto on_device = [&](Csr csr) {
    if (!device.is_cpu()) {
      csr.segment = csr.segment.to(device);
      csr.order = csr.order.to(device);
      csr.ptr = csr.ptr.to(device);
    }
    return csr;
  };
  t.label_by_subtoken = on_device(make_csr(label_id, config.subtoken_vocab));
  t.label_by_node = on_device(make_csr(label_node, n));
  t.by_src = on_device(make_csr(src, n));
  t.by_dst = on_device(make_csr(dst, n));
  // Only for inference (predict and evaluate build their tensors without gradients): a training
  // step could not use them.
  if (device.is_cpu() && config.family == ModelFamily::kGnn && !at::GradMode::is_enabled()) {
    const std::vector<int64_t> offsets(t.rel_offset.begin(), t.rel_offset.end());
    NodeClasses classes = input_classes(b);
    for (int layer = 0; layer < config.layers; ++layer) {
      const bool distinct = classes.num_classes == n;  // then every later layer's are too
      t.layer_pairs.push_back(make_edge_pairs(src, offsets, t.by_dst,
                                              distinct ? std::vector<int32_t>{} : classes.of_node));
      if (layer + 1 == config.layers || distinct) continue;
      if (config.aggregation != Aggregation::kMax) {
        // A sum or mean sees each message as often as it comes, in edge order: only the inputs
        // (layer 0) are known equal; later layers get one pair per (node, relation).
        classes.of_node.clear();
        classes.num_classes = static_cast<int32_t>(n);
        continue;
      }
      classes = refine_classes(classes, src.data(), rel.data(), t.by_dst.order.data_ptr<int64_t>(),
                               t.by_dst.ptr.data_ptr<int64_t>());
    }
  }

  // ---- transformer token grid
  if (transformer) {
    int64_t len = 1;
    for (int64_t i = 0; i < g; ++i) {
      len = std::max<int64_t>(len, b.token_offsets[i + 1] - b.token_offsets[i]);
    }
    len = std::min<int64_t>(len, config.max_len);
    t.seq_len = len;
    std::vector<int64_t> token_node(static_cast<size_t>(g * len), 0);
    auto mask = at::zeros({g, len}, at::kBool);
    bool* mask_data = mask.data_ptr<bool>();
    for (int64_t i = 0; i < g; ++i) {
      const int64_t count = std::min<int64_t>(b.token_offsets[i + 1] - b.token_offsets[i], len);
      for (int64_t p = 0; p < count; ++p) {
        token_node[static_cast<size_t>(i * len + p)] = b.tokens[b.token_offsets[i] + p];
        mask_data[i * len + p] = true;
      }
    }
    const std::vector<int32_t> pos = first_token_positions(b);
    // A node past the cut-off reads the last kept slot.
    auto slot = [&](int32_t node) {
      return static_cast<int64_t>(b.node_graph[node]) * len + std::min<int64_t>(pos[node], len - 1);
    };
    std::vector<int64_t> node_slot(static_cast<size_t>(n));
    for (int32_t v = 0; v < n; ++v) node_slot[static_cast<size_t>(v)] = slot(v);
    // Projected edges, both directions, deduplicated; edges touching a cut-off node are dropped.
    std::vector<int64_t> keys;
    for (int k = 0; k < parser::kNumEdgeKinds; ++k) {
      for (size_t e = 0; e < b.edge_src[k].size(); ++e) {
        const int32_t u = b.edge_src[k][e];
        const int32_t v = b.edge_dst[k][e];
        if (pos[u] >= len || pos[v] >= len) continue;
        const int64_t base = static_cast<int64_t>(b.node_graph[u]) * len * len;
        keys.push_back(((base + pos[u] * len + pos[v]) * kNumRelations) + 2 * k);
        keys.push_back(((base + pos[v] * len + pos[u]) * kNumRelations) + 2 * k + 1);
      }
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    std::vector<int64_t> pair(keys.size()), pair_rel(keys.size());
    for (size_t i = 0; i < keys.size(); ++i) {
      pair[i] = keys[i] / kNumRelations;
      pair_rel[i] = keys[i] % kNumRelations;
    }
    t.token_node = to_tensor(token_node, device).view({g, len});
    t.token_mask = mask.to(device);
    t.node_slot = to_tensor(node_slot, device);
    t.bias_pair = to_tensor(pair, device);
    t.bias_by_rel = on_device(make_csr(pair_rel, kNumRelations));
  }

  // ---- heads
  t.site_node = to_tensor(b.site_node, device);
  t.site_kind = to_tensor(b.site_kind, device);
  t.site_graph = to_tensor(b.site_graph, device);
  t.cand_site = to_tensor(b.cand_site, device);
  std::vector<int64_t> text_cand, text_id, sym_cand, sym_node, swap_cand, swap_a, swap_b;
  for (size_t c = 0; c < b.cand_site.size(); ++c) {
    const auto kind = static_cast<CandidateKind>(b.cand_kind[c]);
    const auto where = "candidate " + std::to_string(c);
    if (kind == CandidateKind::kText) {
      if (b.cand_text[c] < 0 || b.cand_text[c] >= config.text_vocab) {
        bad(where + ": text id " + std::to_string(b.cand_text[c]) + " outside [0, " +
            std::to_string(config.text_vocab) + ")");
      }
      text_cand.push_back(static_cast<int64_t>(c));
      text_id.push_back(b.cand_text[c]);
    } else if (kind == CandidateKind::kSymbol) {
      if (b.cand_node[c] < 0 || b.cand_node[c] >= n) bad(where + ": symbol node out of range");
      sym_cand.push_back(static_cast<int64_t>(c));
      sym_node.push_back(b.cand_node[c]);
    } else if (kind == CandidateKind::kSwap) {
      if (b.cand_node[c] < 0 || b.cand_node[c] >= n || b.cand_node2[c] < 0 ||
          b.cand_node2[c] >= n) {
        bad(where + ": swap argument node out of range");
      }
      swap_cand.push_back(static_cast<int64_t>(c));
      swap_a.push_back(b.cand_node[c]);
      swap_b.push_back(b.cand_node2[c]);
    } else {
      bad(where + ": unknown kind " + std::to_string(b.cand_kind[c]));
    }
  }
  std::vector<int64_t> order(b.cand_site.size());
  int64_t at = 0;
  for (const auto* list : {&text_cand, &sym_cand, &swap_cand}) {
    for (int64_t c : *list) order[static_cast<size_t>(c)] = at++;
  }
  t.text_cand = to_tensor(text_cand, device);
  t.text_id = to_tensor(text_id, device);
  t.symbol_cand = to_tensor(sym_cand, device);
  t.symbol_node = to_tensor(sym_node, device);
  t.swap_cand = to_tensor(swap_cand, device);
  t.swap_first = to_tensor(swap_a, device);
  t.swap_second = to_tensor(swap_b, device);
  t.cand_order = to_tensor(order, device);
  return t;
}

}  // namespace bugseek::detector
