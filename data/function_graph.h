// A stored function, parsed on its own: its file, its unit, graph and bug sites. Shared by
// `prepare` (which keeps a function only if this works and finds sites) and by sample
// production (which redoes it, plants a bug and does it again), so both see the same graph.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "parser/code_graph.h"
#include "parser/rewrites.h"
#include "parser/source_file.h"
#include "parser/units.h"

namespace bugseek::data {

enum class GraphStatus : uint8_t {
  kOk = 0,
  kParseFailed,   // tree-sitter gave no usable tree (timeout, too deep, ...)
  kSyntaxError,   // ERROR or MISSING nodes in the function
  kNoUnit,        // no unit found
  kTooManyNodes,  // graph over the node limit
};
std::string_view graph_status_name(GraphStatus status);

struct FunctionGraph {
  parser::ParsedFile file;
  parser::Unit unit;
  parser::CodeGraph graph;
  parser::Sites sites;
};

// The unit a stored function stands for among `units` of its own text: the largest non-module
// unit, else the module unit. -1 if `units` is empty.
int32_t main_unit(const std::vector<parser::Unit>& units);

// Parses `text` as `language`, builds the main unit's graph (if it has at most `max_nodes`
// nodes, 0 = no limit) and enumerates its sites into `out`. Never throws for bad code.
GraphStatus build_function_graph(std::string text, const parser::Language& language,
                                 uint32_t max_nodes, FunctionGraph& out);

// Removes the first line's indentation from every line of `text` (a method cut out of its
// class). Returns false, leaving `text` alone, if a non-blank line is indented less (e.g. a
// multi-line string): such functions are then stored as they are.
bool dedent(std::string& text, uint32_t* removed);

}  // namespace bugseek::data
