// The passes that build a CodeGraph, in the order build_graph() runs them. The syntax and token
// passes read the tree-sitter tree; the semantic passes (scopes, data flow, control flow) read
// only the graph's syntax tree (node types, children, fields) and the language's rules, so they
// never touch tree-sitter and can be tested on hand-built graphs.
#pragma once

#include "parser/code_graph.h"
#include "parser/language.h"

namespace bugseek::parser {

// Scopes, symbol nodes, OccurrenceOf edges, CodeGraph::scopes/symbols/occurrences.
void run_scope_pass(CodeGraph& graph, const Language& language);
// LastRead, LastWrite and ComputedFrom edges (needs the scope pass).
void run_data_flow_pass(CodeGraph& graph, const Language& language);
// ControlFlowNext, ReturnsTo and YieldsTo edges.
void run_control_flow_pass(CodeGraph& graph, const Language& language);

}  // namespace bugseek::parser
