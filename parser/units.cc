// Unit extraction: one iterative walk over the module-level part of the tree (function bodies are
// not entered: nested functions belong to their parent) that records every def and statement
// lambda with its qualified name, and notes syntax errors in the module-level code.
#include "parser/units.h"

#include <cstring>
#include <string>
#include <vector>

#include "parser/language_rules.h"
#include "parser/syntax_pass.h"
#include "parser/tree_cursor.h"

namespace bugseek::parser {
namespace {

Span span_of(TSNode node) {
  const TSPoint s = ts_node_start_point(node), e = ts_node_end_point(node);
  return Span{ts_node_start_byte(node), ts_node_end_byte(node), Point{s.row, s.column},
              Point{e.row, e.column}};
}

std::string text_of(const std::string& text, TSNode node) {
  if (ts_node_is_null(node)) return "";
  const uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
  return end > start ? text.substr(start, end - start) : std::string();
}

// Whether a syntax error lies in `node` outside its child reached through field `skip`.
bool error_outside(TSNode node, TSFieldId skip) {
  if (!ts_node_has_error(node)) return false;
  TSNode skipped = ts_node_child_by_field_id(node, skip);
  if (ts_node_is_null(skipped) || !ts_node_has_error(skipped)) return true;
  const uint32_t count = ts_node_child_count(node);
  for (uint32_t i = 0; i < count; ++i) {
    TSNode child = ts_node_child(node, i);
    if (!ts_node_eq(child, skipped) && ts_node_has_error(child)) return true;
  }
  return false;
}

static_assert(sizeof(TreeNodeRef) == sizeof(TSNode), "TreeNodeRef must mirror TSNode");

TreeNodeRef ref_of(TSNode node) {
  TreeNodeRef ref;
  std::memcpy(static_cast<void*>(&ref), &node, sizeof node);
  return ref;
}

struct Frame {
  TSNode node;
  uint16_t type_id;
  uint16_t field;      // raw tree-sitter field this node was reached through
  size_t prefix_size;  // length of the qualified-name prefix before this frame
};

class UnitFinder {
 public:
  explicit UnitFinder(const ParsedFile& file) : file_(file), rules_(*file.language->rules) {}

  std::vector<Unit> run() {
    TSNode root = ts_tree_root_node(file_.tree.get());
    stack_.push_back(Frame{root, node_type_id(root), 0, 0});
    module_errors_ = node_type_id(root) == kErrorTypeId;
    Cursor cursor(root);
    if (cursor.first_child()) {
      for (;;) {
        if (visit(cursor.node(), cursor.field()) && cursor.first_child()) continue;
        bool done = false;
        while (!cursor.next_sibling()) {
          pop();
          if (stack_.empty()) {
            done = true;
            break;
          }
          cursor.parent();
        }
        if (done) break;
      }
    }
    units_.push_back(module_unit());
    return std::move(units_);
  }

 private:
  // Returns true if the walk should descend into `node` (a frame was pushed).
  bool visit(TSNode node, TSFieldId field) {
    const uint16_t type = node_type_id(node);
    if (rules_.is(type, kTcSkip)) return false;
    if (type == kErrorTypeId || ts_node_is_missing(node)) module_errors_ = true;
    if (rules_.is(type, kTcFunction)) {
      add_function(node, field);
      return false;
    }
    if (rules_.is(type, kTcLambda) && is_statement_lambda(rules_, stack_, field)) {
      add_lambda(node);
      return false;
    }
    // A simple statement without errors holds no unit and nothing to flag.
    if (rules_.is(type, kTcStatement) && !rules_.is(type, kTcCompound | kTcExpressionStatement) &&
        !ts_node_has_error(node)) {
      return false;
    }
    if (ts_node_child_count(node) == 0) return false;
    const size_t prefix_size = prefix_.size();
    if (rules_.is(type, kTcClass)) {
      prefix_ += text_of(file_.text, ts_node_child_by_field_id(node, rules_.id_name));
      prefix_ += '.';
    }
    stack_.push_back(Frame{node, type, field, prefix_size});
    return true;
  }

  void pop() {
    prefix_.resize(stack_.back().prefix_size);
    stack_.pop_back();
  }

  void add_function(TSNode node, TSFieldId field) {
    Unit unit;
    unit.kind = UnitKind::kFunction;
    unit.name = text_of(file_.text, ts_node_child_by_field_id(node, rules_.id_name));
    unit.qualified_name = prefix_ + unit.name;
    const Frame& parent = stack_.back();
    const bool decorated = rules_.is(parent.type_id, kTcDecorated) && field == rules_.id_definition;
    unit.span = span_of(decorated ? parent.node : node);
    unit.root = ref_of(decorated ? parent.node : node);
    unit.has_syntax_errors = ts_node_has_error(decorated ? parent.node : node);
    if (error_outside(node, rules_.id_body)) module_errors_ = true;
    units_.push_back(std::move(unit));
  }

  void add_lambda(TSNode node) {
    Unit unit;
    unit.kind = UnitKind::kLambda;
    unit.name = "<lambda>";
    // Named after the target of the innermost assignment when it is a plain name.
    std::string target;
    for (size_t i = stack_.size(); i-- > 0;) {
      if (!rules_.is(stack_[i].type_id, kTcAssignment)) break;
      TSNode left = ts_node_child_by_field_id(stack_[i].node, rules_.id_left);
      target = rules_.is(node_type_id(left), kTcIdentifier) ? text_of(file_.text, left) : "";
      break;
    }
    unit.qualified_name = prefix_ + (target.empty() ? unit.name : target);
    unit.span = span_of(node);
    unit.root = ref_of(node);
    unit.has_syntax_errors = ts_node_has_error(node);
    if (error_outside(node, rules_.id_body)) module_errors_ = true;
    units_.push_back(std::move(unit));
  }

  Unit module_unit() const {
    Unit unit;
    unit.kind = UnitKind::kModule;
    unit.name = "<module>";
    unit.qualified_name = "<module>";
    unit.span.start_byte = 0;
    unit.span.end_byte = static_cast<uint32_t>(file_.text.size());
    Point end;
    for (char c : file_.text) {
      if (c == '\n') {
        ++end.row;
        end.column = 0;
      } else {
        ++end.column;
      }
    }
    unit.span.end = end;
    unit.has_syntax_errors = module_errors_;
    return unit;
  }

  const ParsedFile& file_;
  const LanguageRules& rules_;
  std::vector<Frame> stack_;
  std::string prefix_;
  bool module_errors_ = false;
  std::vector<Unit> units_;
};

}  // namespace

std::vector<Unit> extract_units(const ParsedFile& file) {
  if (!file.ok() || !file.tree) return {};
  return UnitFinder(file).run();
}

}  // namespace bugseek::parser
