#include "data/featurize.h"

#include <algorithm>

#include "common/error.h"
#include "common/fault.h"
#include "common/log.h"
#include "data/node_vocab.h"

namespace bugseek::data {
namespace {

constexpr size_t kMaxCachedLabels = 1u << 18;

}  // namespace

CandidateKind candidate_kind(parser::BugKind kind) {
  switch (kind) {
    case parser::BugKind::kVariableMisuse: return CandidateKind::kSymbol;
    case parser::BugKind::kArgumentSwap: return CandidateKind::kSwap;
    default: return CandidateKind::kText;
  }
}

Featurizer::Featurizer(const Vocabulary& vocab, const parser::Language& language)
    : vocab_(vocab), node_type_vocab_size_(data::node_type_vocab_size(language)) {}

const Vocabulary::Subtokens& Featurizer::label(const std::string& text) {
  auto it = cache_.find(text);
  if (it != cache_.end()) return it->second;
  if (cache_.size() >= kMaxCachedLabels) cache_.clear();
  return cache_.emplace(text, vocab_.encode_label(text)).first->second;
}

GraphFeatures Featurizer::featurize(const parser::CodeGraph& graph, const parser::Sites& sites,
                                    int32_t target_rewrite) {
  GraphFeatures f;
  const auto n = static_cast<int32_t>(graph.nodes.size());
  f.num_nodes = n;
  f.subtokens.assign(static_cast<size_t>(n) * kMaxSubtokens, kPadId);
  f.node_types.resize(n);
  for (int32_t i = 0; i < n; ++i) {
    const parser::Node& node = graph.nodes[i];
    f.node_types[i] = test_fault("constant-node-types") ? kNodeTypeFirstGrammar
                                                         : node_type_id(node, node_type_vocab_size_);
    if (node.kind == parser::NodeKind::kSyntax) {
      continue;  // syntax nodes are described by their type alone
    }
    if (node.kind == parser::NodeKind::kToken) f.tokens.push_back(i);
    if (!node.text.empty() && !test_fault("subtokens-dropped")) {
      const Vocabulary::Subtokens& ids = label(node.text);
      std::copy(ids.begin(), ids.end(), f.subtokens.begin() + static_cast<size_t>(i) * kMaxSubtokens);
    }
  }
  for (int k = 0; k < parser::kNumEdgeKinds; ++k) {
    f.edge_src[k].reserve(graph.edges.size() / 4);
    f.edge_dst[k].reserve(graph.edges.size() / 4);
  }
  for (const parser::Edge& e : graph.edges) {
    const int k = static_cast<int>(e.kind);
    f.edge_src[k].push_back(static_cast<int32_t>(e.src));
    f.edge_dst[k].push_back(static_cast<int32_t>(e.dst));
  }

  const auto num_sites = static_cast<int32_t>(sites.sites.size());
  f.site_node.reserve(num_sites);
  f.site_kind.reserve(num_sites);
  for (const parser::Site& s : sites.sites) {
    if (s.node >= static_cast<uint32_t>(n)) {
      throw_error("featurize", "", str_cat("site node ", s.node, " out of range (", n, " nodes)"));
    }
    f.site_node.push_back(static_cast<int32_t>(s.node));
    f.site_kind.push_back(static_cast<int32_t>(s.kind));
  }
  const size_t num_cands = sites.rewrites.size();
  f.cand_site.reserve(num_cands);
  f.cand_kind.reserve(num_cands);
  f.cand_text.reserve(num_cands);
  f.cand_node.reserve(num_cands);
  f.cand_node2.reserve(num_cands);
  auto check_node = [n](int32_t node) {
    if (node >= n) throw_error("featurize", "", str_cat("candidate node ", node, " out of range"));
    return node;
  };
  for (const parser::Rewrite& r : sites.rewrites) {
    if (r.site >= static_cast<uint32_t>(num_sites)) {
      throw_error("featurize", "", str_cat("rewrite site ", r.site, " out of range (", num_sites, ")"));
    }
    const parser::Site& site = sites.sites[r.site];
    const CandidateKind kind = candidate_kind(site.kind);
    f.cand_site.push_back(static_cast<int32_t>(r.site));
    f.cand_kind.push_back(static_cast<int32_t>(kind));
    f.cand_text.push_back(kind == CandidateKind::kText ? text_id(site, r) : kTextNone);
    switch (kind) {
      case CandidateKind::kSymbol:
        f.cand_node.push_back(check_node(r.symbol_node));
        f.cand_node2.push_back(-1);
        break;
      case CandidateKind::kSwap:
        f.cand_node.push_back(check_node(r.swap_first));
        f.cand_node2.push_back(check_node(r.swap_second));
        break;
      case CandidateKind::kText:
        f.cand_node.push_back(-1);
        f.cand_node2.push_back(-1);
        break;
    }
  }
  if (target_rewrite >= 0) {
    if (static_cast<size_t>(target_rewrite) >= num_cands) {
      throw_error("featurize", "", str_cat("target rewrite ", target_rewrite, " out of range (",
                                           num_cands, " candidates)"));
    }
    f.target_cand = test_fault("label-off-by-one")
                        ? static_cast<int32_t>((static_cast<size_t>(target_rewrite) + 1) % num_cands)
                        : target_rewrite;
    f.target_site = static_cast<int32_t>(sites.rewrites[static_cast<size_t>(f.target_cand)].site);
  }
  return f;
}

}  // namespace bugseek::data
