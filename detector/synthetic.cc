// Synthetic graphs: see synthetic.h for what they look like and why.
#include "detector/synthetic.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "common/error.h"
#include "parser/rewrites.h"

namespace bugseek::detector {
namespace {

using parser::BugKind;
using parser::EdgeKind;

constexpr int32_t kBugMarker = 1;   // on the buggy site (and its first token)
constexpr int32_t kFixMarker = 2;   // on the fixing symbol / both swapped arguments
constexpr int32_t kTextHint = 16;   // site carries kTextHint + text id of the fix (text_vocab <= 48)
constexpr int32_t kFirstFree = 64;  // ordinary subtokens start here
constexpr int kMarkSlot = data::kMaxSubtokens - 1;

void add_edge(data::GraphFeatures& g, EdgeKind kind, int32_t src, int32_t dst) {
  g.edge_src[static_cast<int>(kind)].push_back(src);
  g.edge_dst[static_cast<int>(kind)].push_back(dst);
}

}  // namespace

data::GraphFeatures synthetic_graph(const SyntheticSpec& spec, std::mt19937_64& rng) {
  if (spec.subtoken_vocab <= kFirstFree + 1 || spec.text_vocab > kFirstFree - kTextHint ||
      spec.num_nodes < spec.num_symbols + 8 || spec.num_symbols < 4 || spec.node_type_vocab < 4) {
    throw UsageError("synthetic_graph: spec too small (need subtoken_vocab > 65, text_vocab <= 48, "
                     "num_symbols >= 4, num_nodes >= num_symbols + 8, node_type_vocab >= 4)");
  }
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto chance = [&](double p) { return std::bernoulli_distribution(p)(rng); };

  data::GraphFeatures g;
  const int tree = spec.num_nodes - spec.num_symbols;  // syntax + token nodes, pre-order
  g.num_nodes = spec.num_nodes;
  g.subtokens.assign(static_cast<size_t>(g.num_nodes) * data::kMaxSubtokens, data::kPadId);
  g.node_types.assign(static_cast<size_t>(g.num_nodes), 1);

  // Syntax tree: each node's parent is a recent earlier node, so indices are a pre-order.
  std::vector<int32_t> parent(static_cast<size_t>(tree), -1);
  std::vector<std::vector<int32_t>> children(static_cast<size_t>(tree));
  for (int32_t i = 1; i < tree; ++i) {
    parent[i] = uniform(std::max(0, i - 6), i - 1);
    children[parent[i]].push_back(i);
    add_edge(g, EdgeKind::kChild, parent[i], i);
  }
  for (const auto& kids : children) {
    for (size_t k = 1; k < kids.size(); ++k) add_edge(g, EdgeKind::kNextSibling, kids[k - 1], kids[k]);
  }
  std::vector<int32_t> first_token(static_cast<size_t>(tree));
  for (int32_t i = tree - 1; i >= 0; --i) {
    first_token[i] = children[i].empty() ? i : first_token[children[i].front()];
  }
  auto subtoken = [&](int32_t node, int slot) -> int32_t& {
    return g.subtokens[static_cast<size_t>(node) * data::kMaxSubtokens + slot];
  };
  for (int32_t i = 0; i < tree; ++i) {
    if (!children[i].empty()) {
      g.node_types[i] = uniform(2, spec.node_type_vocab - 1);
      continue;
    }
    g.tokens.push_back(i);
    g.node_types[i] = uniform(2, std::min(spec.node_type_vocab - 1, 40));
    const int count = uniform(1, 3);
    for (int s = 0; s < count; ++s) subtoken(i, s) = uniform(kFirstFree, spec.subtoken_vocab - 1);
  }
  for (size_t t = 1; t < g.tokens.size(); ++t) {
    add_edge(g, EdgeKind::kNextToken, g.tokens[t - 1], g.tokens[t]);
  }

  // Symbols: some tokens are names; each name occurs, reads the previous occurrence.
  std::vector<int32_t> symbol_of(static_cast<size_t>(tree), -1);
  std::vector<int32_t> last_use(static_cast<size_t>(spec.num_symbols), -1);
  std::vector<int32_t> first_use(static_cast<size_t>(spec.num_symbols), -1);
  for (int s = 0; s < spec.num_symbols; ++s) {
    const int32_t node = tree + s;
    g.node_types[node] = 1;
    subtoken(node, 0) = uniform(kFirstFree, spec.subtoken_vocab - 1);
    subtoken(node, 1) = uniform(kFirstFree, spec.subtoken_vocab - 1);
  }
  for (int32_t tok : g.tokens) {
    if (!chance(0.4)) continue;
    const int s = uniform(0, spec.num_symbols - 1);
    symbol_of[tok] = s;
    subtoken(tok, 0) = subtoken(tree + s, 0);
    subtoken(tok, 1) = subtoken(tree + s, 1);
    subtoken(tok, 2) = data::kPadId;
    add_edge(g, EdgeKind::kOccurrenceOf, tok, tree + s);
    if (last_use[s] >= 0) add_edge(g, chance(0.7) ? EdgeKind::kLastRead : EdgeKind::kLastWrite, tok, last_use[s]);
    if (first_use[s] < 0) first_use[s] = tok;
    last_use[s] = tok;
  }
  // Fill the remaining edge budget with the flow kinds between random nearby tree nodes.
  const EdgeKind fill[] = {EdgeKind::kComputedFrom, EdgeKind::kControlFlowNext,
                           EdgeKind::kReturnsTo, EdgeKind::kYieldsTo, EdgeKind::kLastWrite};
  int edges = 0;
  for (const auto& v : g.edge_src) edges += static_cast<int>(v.size());
  for (int k = 0; edges < spec.edges; ++k, ++edges) {
    const int32_t a = uniform(0, tree - 1);
    add_edge(g, fill[k % 5], a, uniform(std::max(0, a - 20), std::min(tree - 1, a + 20)));
  }

  // Sites with candidates; kinds cycle so each graph has every candidate kind.
  std::vector<int32_t> names, swaps;
  for (int32_t tok : g.tokens) if (symbol_of[tok] >= 0) names.push_back(tok);
  for (int32_t i = 0; i < tree; ++i) if (children[i].size() >= 2) swaps.push_back(i);
  std::vector<int32_t> used(static_cast<size_t>(tree), 0);
  for (int k = 0; k < spec.num_sites; ++k) {
    const int family = k % 3;  // 0 text, 1 symbol, 2 swap
    const auto& pool = family == 1 ? names : family == 2 ? swaps : g.tokens;
    if (pool.empty()) continue;
    const int32_t node = pool[uniform(0, static_cast<int>(pool.size()) - 1)];
    if (used[node]) continue;
    used[node] = 1;
    const auto site = static_cast<int32_t>(g.site_node.size());
    g.site_node.push_back(node);
    auto add_cand = [&](data::CandidateKind kind, int32_t text, int32_t n1, int32_t n2) {
      g.cand_site.push_back(site);
      g.cand_kind.push_back(static_cast<int32_t>(kind));
      g.cand_text.push_back(text);
      g.cand_node.push_back(n1);
      g.cand_node2.push_back(n2);
    };
    if (family == 0) {
      const BugKind kinds[] = {BugKind::kBinaryOperator, BugKind::kAssignOperator,
                               BugKind::kCompareOperator, BugKind::kBooleanOperator,
                               BugKind::kLiteral};
      g.site_kind.push_back(static_cast<int32_t>(kinds[uniform(0, 4)]));
      std::vector<int32_t> texts(static_cast<size_t>(spec.text_vocab));
      std::iota(texts.begin(), texts.end(), 0);
      std::shuffle(texts.begin(), texts.end(), rng);
      const int n = std::min(spec.text_vocab, uniform(2, 5));
      for (int i = 0; i < n; ++i) add_cand(data::CandidateKind::kText, texts[i], -1, -1);
    } else if (family == 1) {
      g.site_kind.push_back(static_cast<int32_t>(BugKind::kVariableMisuse));
      for (int s = 0; s < spec.num_symbols; ++s) {
        if (s != symbol_of[node] && chance(0.6)) add_cand(data::CandidateKind::kSymbol, 0, tree + s, -1);
      }
    } else {
      g.site_kind.push_back(static_cast<int32_t>(BugKind::kArgumentSwap));
      const auto& args = children[node];
      for (size_t i = 0; i < args.size() && i < 3; ++i) {
        for (size_t j = i + 1; j < args.size() && j < 3; ++j) {
          add_cand(data::CandidateKind::kSwap, 0, args[i], args[j]);
        }
      }
    }
  }

  // Plant a bug at a site with candidates, and leave its trace.
  if (!g.site_node.empty() && chance(spec.bug_probability)) {
    std::vector<int32_t> cands_of;  // candidate indices of the chosen site
    for (int tries = 0; tries < 20 && cands_of.empty(); ++tries) {
      g.target_site = uniform(0, static_cast<int>(g.site_node.size()) - 1);
      for (size_t c = 0; c < g.cand_site.size(); ++c) {
        if (g.cand_site[c] == g.target_site) cands_of.push_back(static_cast<int32_t>(c));
      }
    }
    if (cands_of.empty()) {
      g.target_site = -1;
    } else {
      g.target_cand = cands_of[uniform(0, static_cast<int>(cands_of.size()) - 1)];
      const int32_t node = g.site_node[g.target_site];
      subtoken(node, kMarkSlot) = kBugMarker;
      subtoken(first_token[node], kMarkSlot) = kBugMarker;
      const auto kind = static_cast<data::CandidateKind>(g.cand_kind[g.target_cand]);
      if (kind == data::CandidateKind::kText) {
        subtoken(node, kMarkSlot - 1) = kTextHint + g.cand_text[g.target_cand];
      } else {
        // The fix's nodes (and the tokens a transformer sees them through) carry kFixMarker.
        for (int32_t n : {g.cand_node[g.target_cand], g.cand_node2[g.target_cand]}) {
          if (n < 0) continue;
          subtoken(n, kMarkSlot - 1) = kFixMarker;
          const int32_t tok = n >= tree ? first_use[n - tree] : first_token[n];
          if (tok >= 0) subtoken(tok, kMarkSlot - 1) = kFixMarker;
        }
      }
    }
  }
  return g;
}

data::Batch synthetic_batch(const SyntheticSpec& spec, int num_graphs, uint64_t seed) {
  std::mt19937_64 rng(seed);
  data::Batch batch;
  for (int i = 0; i < num_graphs; ++i) data::append_to_batch(batch, synthetic_graph(spec, rng));
  return batch;
}

}  // namespace bugseek::detector
