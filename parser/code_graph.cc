// Names of node and edge kinds, shared by the output formats, golden tests and featurizers.
#include "parser/code_graph.h"

namespace bugseek::parser {

std::string_view edge_kind_name(EdgeKind kind) {
  switch (kind) {
    case EdgeKind::kChild:
      return "Child";
    case EdgeKind::kNextSibling:
      return "NextSibling";
    case EdgeKind::kNextToken:
      return "NextToken";
    case EdgeKind::kOccurrenceOf:
      return "OccurrenceOf";
    case EdgeKind::kLastRead:
      return "LastRead";
    case EdgeKind::kLastWrite:
      return "LastWrite";
    case EdgeKind::kComputedFrom:
      return "ComputedFrom";
    case EdgeKind::kReturnsTo:
      return "ReturnsTo";
    case EdgeKind::kYieldsTo:
      return "YieldsTo";
    case EdgeKind::kControlFlowNext:
      return "ControlFlowNext";
  }
  return "?";
}

std::string_view node_kind_name(NodeKind kind) {
  switch (kind) {
    case NodeKind::kSyntax:
      return "syntax";
    case NodeKind::kToken:
      return "token";
    case NodeKind::kSymbol:
      return "symbol";
  }
  return "?";
}

size_t CodeGraph::count_edges(EdgeKind kind) const {
  size_t count = 0;
  for (const Edge& edge : edges) count += edge.kind == kind;
  return count;
}

}  // namespace bugseek::parser
