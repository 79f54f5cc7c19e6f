// build_graph: finds a unit's subtree and runs the passes in order: syntax, tokens, scopes,
// data flow, control flow. The semantic passes only read the graph the first two produce.
#include <tree_sitter/api.h>

#include <cstring>

#include "common/error.h"
#include "parser/graph_passes.h"
#include "parser/language_rules.h"
#include "parser/syntax_pass.h"
#include "parser/units.h"

namespace bugseek::parser {
namespace {

// The def / decorated def / lambda node whose span is exactly the unit's.
TSNode unit_root(const ParsedFile& file, const Unit& unit) {
  TSNode root = ts_tree_root_node(file.tree.get());
  if (unit.kind == UnitKind::kModule) return root;
  const LanguageRules& rules = *file.language->rules;
  auto is_unit_node = [&](TSNode node) {
    return ts_node_start_byte(node) == unit.span.start_byte &&
           ts_node_end_byte(node) == unit.span.end_byte &&
           rules.is(node_type_id(node), kTcFunction | kTcDecorated | kTcLambda);
  };
  if (unit.root.tree == file.tree.get() && unit.root.id != nullptr) {
    TSNode node;
    std::memcpy(&node, &unit.root, sizeof node);
    if (is_unit_node(node)) return node;
  }
  // A unit without its node (built by hand, or copied from another parse of the same text).
  TSNode node = ts_node_descendant_for_byte_range(root, unit.span.start_byte, unit.span.end_byte);
  for (; !ts_node_is_null(node); node = ts_node_parent(node)) {
    if (is_unit_node(node)) return node;
  }
  throw_error("build_graph", file.path,
              "no function at bytes " + std::to_string(unit.span.start_byte) + "-" +
                  std::to_string(unit.span.end_byte) + " for unit '" + unit.qualified_name +
                  "' (was the unit extracted from this file?)");
}

}  // namespace

CodeGraph build_graph(const ParsedFile& file, const Unit& unit) {
  if (!file.tree || !file.language) {
    throw_error(
        "build_graph", file.path,
        std::string("file has no syntax tree (status ") + parse_status_name(file.status) + ")");
  }
  CodeGraph graph;
  run_syntax_pass(file, unit_root(file, unit), unit.kind == UnitKind::kModule, graph);
  run_token_pass(graph);
  run_scope_pass(graph, *file.language);
  run_data_flow_pass(graph, *file.language);
  run_control_flow_pass(graph, *file.language);
  return graph;
}

}  // namespace bugseek::parser
