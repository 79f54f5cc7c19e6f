// The syntax and token passes: the first two steps of build_graph(). The syntax pass walks one
// unit's part of the tree-sitter tree (iteratively) into pre-order nodes with Child and
// NextSibling edges, parents, fields and the children CSR; the token pass links token leaves.
// Internal to parser/: it includes the tree-sitter C API.
#pragma once

#include <tree_sitter/api.h>

#include "parser/code_graph.h"
#include "parser/language_rules.h"
#include "parser/source_file.h"

namespace bugseek::parser {

// Graph nodes for the subtree at `root` of `file`. With `module_unit`, the bodies of function
// and lambda units are left out (their headers stay). Comments are skipped; a string becomes one
// token leaf unless it holds interpolations, whose code stays code between merged text leaves.
void run_syntax_pass(const ParsedFile& file, TSNode root, bool module_unit, CodeGraph& graph);

// NextToken edges between consecutive token leaves (pre-order is source order).
void run_token_pass(CodeGraph& graph);

// Whether a lambda reached through `lambda_field` below the ancestors `stack` (outermost first;
// each element has `type_id` and the raw tree-sitter `field` it was reached through) is the
// value of a statement (`f = lambda: ...`, `a = b = lambda: ...`, or a bare lambda statement),
// which makes it a unit.
template <typename Frames>
bool is_statement_lambda(const LanguageRules& rules, const Frames& stack, uint16_t lambda_field) {
  uint16_t field = lambda_field;
  for (size_t i = stack.size(); i-- > 0;) {
    const auto& frame = stack[i];
    if (rules.is(frame.type_id, kTcExpressionStatement)) return true;
    if (!rules.is(frame.type_id, kTcAssignment) || field != rules.id_right) return false;
    field = frame.field;
  }
  return false;
}

// A node's grammar symbol as a Node::type_id (ERROR mapped to kErrorTypeId).
inline uint16_t node_type_id(TSNode node) {
  const TSSymbol symbol = ts_node_symbol(node);
  return symbol == static_cast<TSSymbol>(-1) ? kErrorTypeId : symbol;
}

}  // namespace bugseek::parser
