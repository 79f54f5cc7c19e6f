// Showing a CodeGraph to people and programs: readable node labels and edge lines (the golden
// test format), an s-expression of the syntax tree, JSON, and Graphviz dot. Used by
// `bugseek parse` and tests/parser. Line numbers are 1-based, columns 0-based byte offsets.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "parser/code_graph.h"
#include "parser/source_file.h"
#include "parser/units.h"

namespace bugseek::parser {

// Parses an edge kind name as edge_kind_name() writes it ("NextToken"), case-insensitively.
std::optional<EdgeKind> edge_kind_from_name(std::string_view name);

constexpr uint32_t edge_kind_bit(EdgeKind kind) { return 1u << static_cast<unsigned>(kind); }
constexpr uint32_t kAllEdgeKinds = (1u << kNumEdgeKinds) - 1;

// One readable label per node, unique within the graph: tokens `text@L:C` (`x@2:4`, `"s"@1:8`),
// syntax nodes `type@L:C` (`call@3:0`), symbol nodes `$name@L:C` (span of the first occurrence).
// Labels that would clash get the end position (`attribute@1:0-1:5`), then `#k`.
class NodeLabels {
 public:
  explicit NodeLabels(const CodeGraph& graph, size_t max_text = 40);
  const std::string& operator[](uint32_t node) const { return labels_[node]; }

 private:
  std::vector<std::string> labels_;
};

// "Child[name]  function_definition@1:0 -> f@1:4", "NextToken  x@2:4 -> =@2:6".
std::string edge_line(const CodeGraph& graph, const NodeLabels& labels, const Edge& edge);

// Edge lines of the kinds in `kind_mask`, grouped by kind in EdgeKind order, then graph order.
std::vector<std::string> edge_lines(const CodeGraph& graph, uint32_t kind_mask = kAllEdgeKinds);

// The syntax tree as an indented s-expression (fields as `name:`, tokens quoted), followed by
// `; Kind  a -> b` lines for the edge kinds in `kind_mask` that the tree does not show (all but
// Child, NextSibling and NextToken). Iterative: deep trees are fine.
void write_sexp(std::ostream& out, const CodeGraph& graph, uint32_t kind_mask = kAllEdgeKinds);

// {"root":0,"nodes":[{"id","kind","type","text","span","parent","field"}...],
//  "edges":[{"kind","src","dst","field"}...]}; only edges in `kind_mask`.
void write_json(std::ostream& out, const CodeGraph& graph, uint32_t kind_mask = kAllEdgeKinds);

// Graphviz statements for one graph (no `digraph {}` around them); node ids start with
// `id_prefix`. Wrap several in `digraph` with clusters to show a whole file.
void write_dot_body(std::ostream& out, const CodeGraph& graph, std::string_view id_prefix,
                    uint32_t kind_mask = kAllEdgeKinds);
// A complete `digraph` of one graph.
void write_dot(std::ostream& out, const CodeGraph& graph, uint32_t kind_mask = kAllEdgeKinds);

enum class GraphFormat : uint8_t { kSexp, kJson, kDot };
// "sexp", "json", "dot"; nullopt for anything else.
std::optional<GraphFormat> graph_format_from_name(std::string_view name);

// "function  Cls.method  lines 3-5  nodes 40  edges 120  syntax errors" for `unit` and its graph.
std::string unit_summary(const Unit& unit, const CodeGraph& graph);

// The units of `file` with their graphs (graphs[i] belongs to units[i]) in `format`: sexp gives a
// `;;` summary line per unit and its tree; json one document {"file","language","status",
// "error_nodes","missing_nodes","units":[{..., "graph"}]}; dot one digraph, a cluster per unit.
void write_units(std::ostream& out, const ParsedFile& file, const std::vector<Unit>& units,
                 const std::vector<CodeGraph>& graphs, GraphFormat format,
                 uint32_t kind_mask = kAllEdgeKinds);

// `s` as a JSON string literal (quotes included); invalid UTF-8 is not checked.
std::string json_quote(std::string_view s);

}  // namespace bugseek::parser
