// The code graph every model reads: syntax nodes, token leaves and symbol nodes, joined by typed
// edges. One CodeGraph is built per unit (a function, or a file's module-level code) from a
// parsed file; parser passes fill it, data/ featurizes it, rewrites point into it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bugseek::parser {

enum class NodeKind : uint8_t { kSyntax = 0, kToken = 1, kSymbol = 2 };

// Each edge kind is its own type for the models; reverse edges are added by the detector.
enum class EdgeKind : uint8_t {
  kChild = 0,        // parent -> child, with the grammar field name as a feature
  kNextSibling,      // child -> its next sibling
  kNextToken,        // token -> next token in source order
  kOccurrenceOf,     // name token -> its symbol node
  kLastRead,         // name token -> previous reads of the same variable that may reach it
  kLastWrite,        // name token -> previous writes of the same variable that may reach it
  kComputedFrom,     // assignment target -> names in its value
  kReturnsTo,        // return statement -> its function
  kYieldsTo,         // yield -> its function
  kControlFlowNext,  // statement -> statement that may run next
};
constexpr int kNumEdgeKinds = 10;
std::string_view edge_kind_name(EdgeKind kind);
std::string_view node_kind_name(NodeKind kind);

struct Point {
  uint32_t row = 0;     // 0-based line
  uint32_t column = 0;  // 0-based byte column
};

struct Span {
  uint32_t start_byte = 0;
  uint32_t end_byte = 0;
  Point start;
  Point end;
};

constexpr int32_t kNoNode = -1;

struct Node {
  NodeKind kind = NodeKind::kSyntax;
  uint16_t type_id = 0;   // grammar symbol id (ts_node_symbol); symbol nodes use kSymbolTypeId
  std::string type;       // grammar type name ("if_statement", "identifier", "+"); "symbol"
  std::string text;       // token text, or the symbol's name; empty for syntax nodes
  Span span;              // symbol nodes: span of their first occurrence
  int32_t parent = kNoNode;  // syntax parent (kNoNode for the root and for symbol nodes)
  uint16_t field = 0;        // field name of the edge from the parent (index in field_names)
};
constexpr uint16_t kSymbolTypeId = 0xFFFF;
// ERROR syntax nodes: tree-sitter's own id for them (0xFFFF) would clash with kSymbolTypeId.
constexpr uint16_t kErrorTypeId = 0xFFFE;

struct Edge {
  uint32_t src = 0;
  uint32_t dst = 0;
  EdgeKind kind = EdgeKind::kChild;
  uint16_t field = 0;  // kChild only: index in CodeGraph::field_names (0 = no field)
};

enum class ScopeKind : uint8_t { kModule, kFunction, kClass, kLambda, kComprehension };

struct Scope {
  ScopeKind kind = ScopeKind::kModule;
  int32_t parent = -1;       // enclosing scope index (-1 for the outermost)
  int32_t syntax_node = -1;  // the def / class / lambda / comprehension node
};

enum SymbolFlags : uint32_t {
  kSymParameter = 1u << 0,
  kSymGlobal = 1u << 1,     // declared `global` in this scope, or a module-level name
  kSymNonlocal = 1u << 2,
  kSymImport = 1u << 3,
  kSymFree = 1u << 4,       // read in this unit but bound outside it (builtins, outer scopes)
};

struct Symbol {
  uint32_t node = 0;         // the symbol node in CodeGraph::nodes
  std::string name;
  int32_t scope = -1;        // index in CodeGraph::scopes
  uint32_t flags = 0;        // SymbolFlags
  uint32_t first_write_byte = UINT32_MAX;  // start byte of the first binding in this unit
};

// One use of a name: which token, which symbol, and whether it binds (write) or reads.
struct Occurrence {
  uint32_t token = 0;   // token node index
  uint32_t symbol = 0;  // index in CodeGraph::symbols
  bool is_write = false;
  uint32_t statement = 0;  // node index of the innermost enclosing statement
};

struct IndexRange {
  const uint32_t* first;
  const uint32_t* last;
  const uint32_t* begin() const { return first; }
  const uint32_t* end() const { return last; }
  size_t size() const { return static_cast<size_t>(last - first); }
};

struct CodeGraph {
  std::vector<Node> nodes;  // syntax and token nodes in pre-order, then symbol nodes
  std::vector<Edge> edges;
  std::vector<std::string> field_names{""};  // index 0 = no field
  uint32_t root = 0;

  // Filled by the scope pass.
  std::vector<Scope> scopes;
  std::vector<Symbol> symbols;
  std::vector<Occurrence> occurrences;

  // Syntax children in source order (CSR, built by the syntax pass).
  std::vector<uint32_t> child_offsets;  // size nodes+1 once built
  std::vector<uint32_t> child_list;
  IndexRange children(uint32_t node) const {
    if (node + 1 >= child_offsets.size()) return {nullptr, nullptr};
    const uint32_t* base = child_list.data();
    return {base + child_offsets[node], base + child_offsets[node + 1]};
  }

  uint32_t add_node(Node node) {
    nodes.push_back(std::move(node));
    return static_cast<uint32_t>(nodes.size() - 1);
  }
  void add_edge(uint32_t src, uint32_t dst, EdgeKind kind, uint16_t field = 0) {
    edges.push_back(Edge{src, dst, kind, field});
  }
  size_t count_edges(EdgeKind kind) const;
};

}  // namespace bugseek::parser
