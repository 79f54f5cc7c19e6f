// The control-flow pass: ControlFlowNext between statements (and the clauses that evaluate
// something: elif, except, case), read off the flow graph's statement markers; ReturnsTo and
// YieldsTo from each return / yield to its enclosing def or lambda.
#include <algorithm>
#include <utility>
#include <vector>

#include "parser/flow_graph.h"
#include "parser/graph_passes.h"
#include "parser/semantic_roles.h"

namespace bugseek::parser {
namespace {

// For each marker, the markers that may come next: the next one in its block, or the first
// marker of each block reached through marker-free blocks. Closure edges are not control flow.
void statement_edges(const FlowGraph& flow, std::vector<std::pair<uint32_t, uint32_t>>& pairs) {
  const uint32_t blocks = flow.num_blocks;
  std::vector<uint32_t> stamp(blocks, 0);
  std::vector<uint32_t> work;
  uint32_t round = 0;
  for (uint32_t b = 0; b < blocks; ++b) {
    const uint32_t first = flow.event_begin[b], last = flow.event_begin[b + 1];
    if (first == last) continue;
    for (uint32_t i = first; i + 1 < last; ++i) {
      pairs.emplace_back(flow.events[i].item, flow.events[i + 1].item);
    }
    const uint32_t from = flow.events[last - 1].item;
    ++round;
    work.clear();
    auto push_succ = [&](uint32_t blk) {
      for (uint32_t k = flow.succ_begin[blk]; k < flow.succ_begin[blk + 1]; ++k) {
        const uint32_t t = flow.succ[k];
        if (flow.succ_closure[k] || stamp[t] == round) continue;
        stamp[t] = round;
        work.push_back(t);
      }
    };
    push_succ(b);
    while (!work.empty()) {
      const uint32_t t = work.back();
      work.pop_back();
      if (flow.event_begin[t] < flow.event_begin[t + 1]) {
        pairs.emplace_back(from, flow.events[flow.event_begin[t]].item);
      } else {
        push_succ(t);
      }
    }
  }
}

}  // namespace

void run_control_flow_pass(CodeGraph& graph, const Language& language) {
  if (!language.rules || graph.nodes.empty()) return;
  const SemanticView view(graph, *language.rules);
  if (view.syntax_count == 0) return;

  const std::vector<uint32_t> no_occurrences;
  const FlowGraph flow = build_flow_graph(view, no_occurrences, FlowOptions{false, true});
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  statement_edges(flow, pairs);
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  for (const auto& [from, to] : pairs) graph.add_edge(from, to, EdgeKind::kControlFlowNext);

  // The function a node belongs to: the def or lambda whose body holds it.
  std::vector<uint32_t> func_of(view.syntax_count, kNoIndex);
  for (uint32_t i = 0; i < view.syntax_count; ++i) {
    const int32_t p = graph.nodes[i].parent;
    if (p < 0) continue;
    const auto parent = static_cast<uint32_t>(p);
    const SemRole pr = view.role(parent);
    func_of[i] = (pr == kRoleFunction || pr == kRoleLambda) && view.field(i) == kFieldBody
                     ? parent
                     : func_of[parent];
    if (graph.nodes[i].kind != NodeKind::kSyntax || func_of[i] == kNoIndex) continue;
    if (view.role(i) == kRoleReturn) graph.add_edge(i, func_of[i], EdgeKind::kReturnsTo);
    if (view.role(i) == kRoleYield) graph.add_edge(i, func_of[i], EdgeKind::kYieldsTo);
  }
}

}  // namespace bugseek::parser
