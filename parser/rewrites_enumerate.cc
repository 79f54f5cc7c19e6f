// The graph view rewrite rules read, and enumerate_rewrites: runs the language's rules, orders
// sites by (node, kind) and flattens them into Sites.
#include <tree_sitter/api.h>

#include <algorithm>

#include "parser/rewrites_internal.h"

namespace bugseek::parser {
namespace rewrites_detail {
namespace {

bool starts_not_code(std::string_view type) {
  static constexpr std::string_view kTypes[] = {"decorator",
                                                "type",
                                                "parameters",
                                                "lambda_parameters",
                                                "import_statement",
                                                "import_from_statement",
                                                "future_import_statement",
                                                "global_statement",
                                                "nonlocal_statement",
                                                "ERROR",
                                                "type_parameter",
                                                "type_alias_statement",
                                                "type_conversion",
                                                "print_statement",
                                                "exec_statement"};
  return std::find(std::begin(kTypes), std::end(kTypes), type) != std::end(kTypes);
}

}  // namespace

GraphView::GraphView(const ParsedFile& file, const CodeGraph& graph)
    : file_(file), graph_(graph), text_(file.text) {
  const auto& nodes = graph_.nodes;
  while (tree_size_ < nodes.size() && nodes[tree_size_].kind != NodeKind::kSymbol) ++tree_size_;
  region_.assign(nodes.size(), 0);
  for (uint32_t n = 0; n < tree_size_; ++n) {
    const Node& node = nodes[n];
    uint8_t r = 0;
    if (node.parent >= 0 && static_cast<uint32_t>(node.parent) < n) r = region_[node.parent];
    std::string_view t = node.type;
    std::string_view f = field(n);
    std::string_view pt = parent_type(n);
    if (starts_not_code(t)) r |= kNotCode;
    if (t == "string" || t == "format_specifier") r |= kInString;
    if (t == "interpolation") r &= static_cast<uint8_t>(~kInString);
    if ((pt == "keyword_argument" && f == "name") || (pt == "attribute" && f == "attribute") ||
        ((pt == "function_definition" || pt == "class_definition") && f == "name")) {
      r |= kNotCode;
    }
    if (f == "value" && (pt == "default_parameter" || pt == "typed_default_parameter")) {
      r |= kInDefault;
    }
    region_[n] = r;
  }
  occurrence_of_.assign(tree_size_, -1);
  for (size_t i = 0; i < graph_.occurrences.size(); ++i) {
    const Occurrence& o = graph_.occurrences[i];
    if (o.token >= tree_size_) continue;
    int32_t& slot = occurrence_of_[o.token];
    if (slot < 0 || (o.is_write && !graph_.occurrences[slot].is_write)) {
      slot = static_cast<int32_t>(i);
    }
  }
}

std::string_view GraphView::parent_type(uint32_t n) const {
  int32_t p = graph_.nodes[n].parent;
  return p >= 0 ? std::string_view(graph_.nodes[p].type) : std::string_view();
}

std::string_view GraphView::field(uint32_t n) const {
  uint16_t f = graph_.nodes[n].field;
  return f < graph_.field_names.size() ? std::string_view(graph_.field_names[f])
                                       : std::string_view();
}

bool GraphView::is_named(uint32_t n) const {
  const Node& node = graph_.nodes[n];
  if (node.kind == NodeKind::kSymbol) return false;
  if (file_.language && file_.language->grammar) {
    const TSLanguage* grammar = file_.language->grammar();
    if (node.type_id >= ts_language_symbol_count(grammar)) return true;  // ERROR
    return ts_language_symbol_type(grammar, node.type_id) == TSSymbolTypeRegular;
  }
  return node.kind == NodeKind::kSyntax || node.type != node.text;
}

std::string_view GraphView::text(uint32_t n) const {
  const Span& s = graph_.nodes[n].span;
  if (s.end_byte > text_.size() || s.start_byte > s.end_byte) return {};
  return text_.substr(s.start_byte, s.end_byte - s.start_byte);
}

int32_t GraphView::child_by_field(uint32_t n, std::string_view name) const {
  for (uint32_t c : graph_.children(n)) {
    if (field(c) == name) return static_cast<int32_t>(c);
  }
  return kNoNode;
}

std::vector<uint32_t> GraphView::named_children(uint32_t n) const {
  std::vector<uint32_t> out;
  for (uint32_t c : graph_.children(n)) {
    if (is_named(c) && !is_comment(c)) out.push_back(c);
  }
  return out;
}

Candidate make_candidate(const GraphView& view, uint32_t node, BugKind kind, const Span& span) {
  Candidate c;
  c.site.node = node;
  c.site.kind = kind;
  c.site.span = span;
  c.site.original =
      std::string(view.text().substr(span.start_byte, span.end_byte - span.start_byte));
  return c;
}

Rewrite& add_rewrite(Candidate& c, std::string replacement, uint32_t start, uint32_t end,
                     std::string new_text) {
  Rewrite r;
  r.replacement = std::move(replacement);
  r.edit.start_byte = start;
  r.edit.old_end_byte = end;
  r.edit.new_text = std::move(new_text);
  c.rewrites.push_back(std::move(r));
  return c.rewrites.back();
}

}  // namespace rewrites_detail

Sites enumerate_rewrites(const ParsedFile& file, const CodeGraph& graph) {
  using namespace rewrites_detail;
  Sites out;
  if (!file.language || file.language->name != "python" || graph.nodes.empty()) return out;
  GraphView view(file, graph);
  std::vector<Candidate> candidates;
  python_syntax_sites(view, candidates);
  python_variable_misuse_sites(view, candidates);
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     if (a.site.node != b.site.node) return a.site.node < b.site.node;
                     return a.site.kind < b.site.kind;
                   });
  for (auto& c : candidates) {
    if (c.rewrites.empty()) continue;
    auto site = static_cast<uint32_t>(out.sites.size());
    out.sites.push_back(std::move(c.site));
    for (auto& r : c.rewrites) {
      r.site = site;
      out.rewrites.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace bugseek::parser
