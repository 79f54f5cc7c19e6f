// Shared by the rewrite enumerators (rewrites_*.cc): a read-only view of one unit's graph with the
// helpers site rules need (fields, named children, text, which regions are not code), and the
// collector that turns candidate sites into the ordered Sites. Not a public header.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parser/rewrites.h"

namespace bugseek::parser::rewrites_detail {

// Regions whose tokens are never sites, inherited from a node by all its descendants.
enum RegionFlags : uint8_t {
  kNotCode = 1u << 0,    // decorators, annotations, parameter lists, imports, global/nonlocal,
                         // string text outside interpolations, ERROR subtrees
  kInDefault = 1u << 1,  // a default parameter value (parameter lists are kNotCode anyway)
  kInString = 1u << 2,   // string text; an interpolation clears it, so nesting works
};

class GraphView {
 public:
  GraphView(const ParsedFile& file, const CodeGraph& graph);

  const CodeGraph& graph() const { return graph_; }
  const Node& node(uint32_t n) const { return graph_.nodes[n]; }
  std::string_view type(uint32_t n) const { return graph_.nodes[n].type; }
  int32_t parent(uint32_t n) const { return graph_.nodes[n].parent; }
  std::string_view parent_type(uint32_t n) const;
  std::string_view field(uint32_t n) const;  // field name of the edge from the parent ("" = none)
  bool is_named(uint32_t n) const;           // a named grammar node (not "(", ",", "+"...)
  bool is_comment(uint32_t n) const { return type(n) == "comment"; }
  bool not_code(uint32_t n) const { return (region_[n] & (kNotCode | kInString)) != 0; }
  bool in_default(uint32_t n) const { return (region_[n] & kInDefault) != 0; }
  bool excluded(uint32_t n) const { return region_[n] != 0; }
  // The file text under a node.
  std::string_view text(uint32_t n) const;
  std::string_view text() const { return text_; }
  int32_t child_by_field(uint32_t n, std::string_view field) const;
  // Named, non-comment children in source order.
  std::vector<uint32_t> named_children(uint32_t n) const;
  // Number of syntax/token nodes (symbol nodes follow them).
  uint32_t tree_size() const { return tree_size_; }
  // The occurrence (index in CodeGraph::occurrences) of a name token, writes first; -1 if none.
  int32_t occurrence(uint32_t token) const {
    return token < occurrence_of_.size() ? occurrence_of_[token] : -1;
  }

 private:
  const ParsedFile& file_;
  const CodeGraph& graph_;
  std::string_view text_;
  std::vector<uint8_t> region_;
  std::vector<int32_t> occurrence_of_;
  uint32_t tree_size_ = 0;
};

// A site under construction with its rewrites (their `site` is set when flattened).
struct Candidate {
  Site site;
  std::vector<Rewrite> rewrites;
};

// Makes a site at `node` covering `span`, its original text taken from the file.
Candidate make_candidate(const GraphView& view, uint32_t node, BugKind kind, const Span& span);
// Adds a rewrite replacing [start, end) of the file text by `text`.
Rewrite& add_rewrite(Candidate& c, std::string replacement, uint32_t start, uint32_t end,
                     std::string new_text);

// Python rules, by family.
void python_syntax_sites(const GraphView& view, std::vector<Candidate>& out);
void python_variable_misuse_sites(const GraphView& view, std::vector<Candidate>& out);
// Whether an assignment target (identifier, attribute, subscript node) is bound before byte
// `before` (a parameter, or written earlier); shared by the assignment-operator rule.
bool python_target_bound(const GraphView& view, uint32_t target, uint32_t before);

}  // namespace bugseek::parser::rewrites_detail
