// The syntax pass: one iterative TSTreeCursor walk per unit. Each visible node becomes a syntax
// node or a token leaf; the walk keeps an explicit frame stack (no recursion, so 1,000-deep
// nesting is fine) and interns field names per graph.
#include "parser/syntax_pass.h"

#include <string>
#include <vector>

#include "parser/tree_cursor.h"

namespace bugseek::parser {
namespace {

constexpr uint32_t kNone = UINT32_MAX;
constexpr uint16_t kUnset = UINT16_MAX;

Point to_point(TSPoint p) { return Point{p.row, p.column}; }

struct Frame {
  uint32_t node;        // graph index of this syntax node
  uint32_t last_child;  // graph index of the last child emitted, or kNone
  uint16_t type_id;
  uint16_t field;           // raw tree-sitter field this node was reached through
  bool unit_def;            // module unit: the `body` child is left out
  bool segmented;           // string with code: non-code children merge into text leaves
  uint32_t seg_start_byte;  // segmented: where the pending text leaf starts
  TSPoint seg_start_point;
  uint32_t end_byte;
  TSPoint end_point;
};

class SyntaxWalker {
 public:
  SyntaxWalker(const ParsedFile& file, bool module_unit, CodeGraph& graph)
      : text_(file.text),
        rules_(*file.language->rules),
        module_unit_(module_unit),
        graph_(graph),
        field_map_(ts_language_field_count(rules_.grammar) + 1, kUnset) {
    field_map_[0] = 0;
  }

  void walk(TSNode root) {
    // About one node per 5-6 bytes of code and 2 syntax edges per node; a module unit leaves
    // function bodies out, so its size says little.
    if (!module_unit_) {
      const uint32_t bytes = ts_node_end_byte(root) - ts_node_start_byte(root);
      graph_.nodes.reserve(graph_.nodes.size() + bytes / 5 + 8);
      graph_.edges.reserve(graph_.edges.size() + bytes / 2 + 8);
    }
    graph_.root = static_cast<uint32_t>(graph_.nodes.size());
    push(root, 0, emit(root, NodeKind::kSyntax, node_type_id(root), kNone, 0));

    Cursor cursor(root);
    if (!cursor.first_child()) {
      close_top();
      return;
    }
    for (;;) {
      if (visit(cursor.node(), cursor.field()) && cursor.first_child()) continue;
      while (!cursor.next_sibling()) {
        close_top();
        if (stack_.empty()) return;
        cursor.parent();
      }
    }
  }

 private:
  // Emits the node at the cursor; returns true if the walk should descend into it (a frame was
  // pushed).
  bool visit(TSNode node, TSFieldId field) {
    Frame& parent = stack_.back();
    const uint16_t type = node_type_id(node);
    if (rules_.is(type, kTcSkip)) return false;
    if (parent.unit_def && field == rules_.id_body) return false;
    if (parent.segmented) {
      if (!rules_.is(type, kTcInterpolation)) return false;  // merged into a text leaf
      flush_segment(parent, ts_node_start_byte(node), ts_node_start_point(node));
      parent.seg_start_byte = ts_node_end_byte(node);
      parent.seg_start_point = ts_node_end_point(node);
    }
    // Anonymous nodes with children are multi-word operators (`is not`, `not in`): one token.
    const uint32_t child_count = ts_node_child_count(node);
    if (child_count == 0 || !ts_node_is_named(node) ||
        (rules_.is(type, kTcString) && !holds_code(node, child_count))) {
      emit(node, NodeKind::kToken, type, parent.node, field);
      return false;
    }
    const uint32_t index = emit(node, NodeKind::kSyntax, type, parent.node, field);
    push(node, field, index);
    return true;
  }

  bool holds_code(TSNode node, uint32_t child_count) const {
    for (uint32_t i = 0; i < child_count; ++i) {
      if (rules_.is(node_type_id(ts_node_child(node, i)), kTcInterpolation)) return true;
    }
    return false;
  }

  void push(TSNode node, uint16_t field, uint32_t index) {
    Frame frame{};
    frame.node = index;
    frame.last_child = kNone;
    frame.type_id = node_type_id(node);
    frame.field = field;
    frame.end_byte = ts_node_end_byte(node);
    frame.end_point = ts_node_end_point(node);
    if (module_unit_) {
      frame.unit_def =
          rules_.is(frame.type_id, kTcFunction) ||
          (rules_.is(frame.type_id, kTcLambda) && is_statement_lambda(rules_, stack_, field));
    }
    if (rules_.is(frame.type_id, kTcString)) {
      frame.segmented = true;
      frame.seg_start_byte = ts_node_start_byte(node);
      frame.seg_start_point = ts_node_start_point(node);
    }
    stack_.push_back(frame);
  }

  void close_top() {
    Frame& top = stack_.back();
    if (top.segmented) flush_segment(top, top.end_byte, top.end_point);
    stack_.pop_back();
  }

  // The text of a segmented string from its pending start up to `end`, as one token leaf.
  void flush_segment(Frame& frame, uint32_t end_byte, TSPoint end_point) {
    if (end_byte <= frame.seg_start_byte) return;
    Node node;
    node.kind = NodeKind::kToken;
    node.type_id = rules_.string_segment_symbol;
    node.type = rules_.string_segment_type;
    node.text.assign(text_, frame.seg_start_byte, end_byte - frame.seg_start_byte);
    node.span =
        Span{frame.seg_start_byte, end_byte, to_point(frame.seg_start_point), to_point(end_point)};
    node.parent = static_cast<int32_t>(frame.node);
    link(frame, graph_.add_node(std::move(node)), 0);
  }

  uint32_t emit(TSNode ts, NodeKind kind, uint16_t type, uint32_t parent, TSFieldId field) {
    Node& node = graph_.nodes.emplace_back();
    const auto index = static_cast<uint32_t>(graph_.nodes.size() - 1);
    node.kind = kind;
    node.type_id = type;
    node.type = rules_.type_name(type);
    const uint32_t start = ts_node_start_byte(ts), end = ts_node_end_byte(ts);
    if (kind == NodeKind::kToken && end > start) node.text.assign(text_, start, end - start);
    node.span =
        Span{start, end, to_point(ts_node_start_point(ts)), to_point(ts_node_end_point(ts))};
    if (parent != kNone) {
      node.parent = static_cast<int32_t>(parent);
      node.field = intern(field);
      link(stack_.back(), index, node.field);
    }
    return index;
  }

  void link(Frame& parent, uint32_t child, uint16_t field) {
    graph_.add_edge(parent.node, child, EdgeKind::kChild, field);
    if (parent.last_child != kNone)
      graph_.add_edge(parent.last_child, child, EdgeKind::kNextSibling);
    parent.last_child = child;
  }

  uint16_t intern(TSFieldId field) {
    if (field >= field_map_.size()) return 0;
    uint16_t& slot = field_map_[field];
    if (slot == kUnset) {
      graph_.field_names.emplace_back(ts_language_field_name_for_id(rules_.grammar, field));
      slot = static_cast<uint16_t>(graph_.field_names.size() - 1);
    }
    return slot;
  }

  const std::string& text_;
  const LanguageRules& rules_;
  const bool module_unit_;
  CodeGraph& graph_;
  std::vector<uint16_t> field_map_;  // tree-sitter field id -> index in graph.field_names
  std::vector<Frame> stack_;
};

// Children lists in CSR form; pre-order numbering keeps each list in source order.
void build_children(CodeGraph& graph) {
  const size_t n = graph.nodes.size();
  graph.child_offsets.assign(n + 1, 0);
  for (const Node& node : graph.nodes) {
    if (node.parent != kNoNode) ++graph.child_offsets[node.parent + 1];
  }
  for (size_t i = 0; i < n; ++i) graph.child_offsets[i + 1] += graph.child_offsets[i];
  graph.child_list.resize(graph.child_offsets[n]);
  std::vector<uint32_t> fill(graph.child_offsets.begin(), graph.child_offsets.end() - 1);
  for (size_t i = 0; i < n; ++i) {
    const int32_t parent = graph.nodes[i].parent;
    if (parent != kNoNode) graph.child_list[fill[parent]++] = static_cast<uint32_t>(i);
  }
}

}  // namespace

void run_syntax_pass(const ParsedFile& file, TSNode root, bool module_unit, CodeGraph& graph) {
  SyntaxWalker(file, module_unit, graph).walk(root);
  build_children(graph);
}

void run_token_pass(CodeGraph& graph) {
  uint32_t previous = UINT32_MAX;
  const auto n = static_cast<uint32_t>(graph.nodes.size());
  for (uint32_t i = 0; i < n; ++i) {
    if (graph.nodes[i].kind != NodeKind::kToken) continue;
    if (previous != UINT32_MAX) graph.add_edge(previous, i, EdgeKind::kNextToken);
    previous = i;
  }
}

}  // namespace bugseek::parser
