// Python sites read off the syntax tree alone: binary, assignment, comparison and boolean
// operators, `not` before a condition, argument swaps and small literals. Each rule only emits
// rewrites whose result parses to the same kind of site, so the inverse always exists.
#include <algorithm>
#include <array>

#include "parser/rewrites_internal.h"

namespace bugseek::parser::rewrites_detail {
namespace {

constexpr std::array<std::string_view, 13> kBinaryOps = {"+", "-",  "*",  "/", "//", "%", "**",
                                                         "@", "<<", ">>", "|", "&",  "^"};
constexpr std::array<std::string_view, 13> kAugmentedOps = {
    "+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=", "<<=", ">>=", "|=", "&=", "^="};
constexpr std::array<std::string_view, 6> kOrderCompare = {"<", "<=", ">", ">=", "==", "!="};
constexpr std::array<std::string_view, 2> kInCompare = {"in", "not in"};
constexpr std::array<std::string_view, 2> kIsCompare = {"is", "is not"};
constexpr std::array<std::string_view, 5> kSmallInts = {"-2", "-1", "0", "1", "2"};

template <size_t N>
bool contains(const std::array<std::string_view, N>& set, std::string_view s) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

// A site at an operator token whose text is exactly its grammar type (no odd spacing inside
// "not in"), with every other member of `group` as a replacement.
template <size_t N>
void operator_site(const GraphView& v, uint32_t n, BugKind kind,
                   const std::array<std::string_view, N>& group, std::vector<Candidate>& out) {
  if (v.text(n) != v.type(n)) return;
  const Span& s = v.node(n).span;
  Candidate c = make_candidate(v, n, kind, s);
  for (std::string_view op : group) {
    if (op != v.type(n)) add_rewrite(c, std::string(op), s.start_byte, s.end_byte, std::string(op));
  }
  out.push_back(std::move(c));
}

bool simple_target(const GraphView& v, int32_t target) {
  if (target < 0) return false;
  std::string_view t = v.type(target);
  return t == "identifier" || t == "attribute" || t == "subscript";
}

void assignment_sites(const GraphView& v, uint32_t n, std::vector<Candidate>& out) {
  auto p = static_cast<uint32_t>(v.parent(n));
  bool plain = v.parent_type(n) == "assignment";
  int32_t left = v.child_by_field(p, "left");
  int32_t right = v.child_by_field(p, "right");
  if (!simple_target(v, left) || right < 0) return;
  // Chained (`a = b = c`) and annotated assignments have no augmented form.
  std::string_view outer = v.parent_type(p);
  std::string_view rt = v.type(static_cast<uint32_t>(right));
  if (outer == "assignment" || outer == "augmented_assignment") return;
  if (rt == "assignment" || rt == "augmented_assignment") return;
  if (plain && v.child_by_field(p, "type") >= 0) return;
  if (v.text(n) != v.type(n)) return;
  // `=` <-> augmented needs the target bound before; the same test in both directions keeps
  // each rewrite's inverse available.
  bool bound = python_target_bound(v, static_cast<uint32_t>(left), v.node(p).span.start_byte);
  if (plain && !bound) return;
  const Span& s = v.node(n).span;
  Candidate c = make_candidate(v, n, BugKind::kAssignOperator, s);
  for (std::string_view op : kAugmentedOps) {
    if (op != v.type(n)) add_rewrite(c, std::string(op), s.start_byte, s.end_byte, std::string(op));
  }
  if (!plain && bound) add_rewrite(c, "=", s.start_byte, s.end_byte, "=");
  out.push_back(std::move(c));
}

// Whether `n` stands where Python reads a truth value and `not n` parses as `not (n)`.
bool condition_position(const GraphView& v, uint32_t n) {
  int32_t p = v.parent(n);
  if (p < 0) return false;
  std::string_view pt = v.parent_type(n);
  std::string_view f = v.field(n);
  if (pt == "if_statement" || pt == "elif_clause" || pt == "while_statement") {
    return f == "condition";
  }
  if (pt == "boolean_operator") return f == "left" || f == "right";
  if (pt != "conditional_expression" && pt != "assert_statement" && pt != "if_clause") return false;
  auto named = v.named_children(static_cast<uint32_t>(p));
  if (pt == "conditional_expression") return named.size() == 3 && named[1] == n;
  if (pt == "assert_statement" || pt == "if_clause") return !named.empty() && named[0] == n;
  return false;
}

bool negatable(std::string_view type) {
  return type == "identifier" || type == "attribute" || type == "call";
}

void not_sites(const GraphView& v, uint32_t n, std::vector<Candidate>& out) {
  const Span& s = v.node(n).span;
  if (v.type(n) == "not_operator") {
    int32_t arg = v.child_by_field(n, "argument");
    if (arg < 0 || !negatable(v.type(static_cast<uint32_t>(arg)))) return;
    if (v.node(static_cast<uint32_t>(arg)).span.start_byte != s.start_byte + 4) return;
    if (v.text(n).substr(0, 4) != "not ") return;
    Candidate c = make_candidate(v, n, BugKind::kBooleanOperator, s);
    add_rewrite(c, std::string(v.text(static_cast<uint32_t>(arg))), s.start_byte, s.start_byte + 4,
                "");
    out.push_back(std::move(c));
    return;
  }
  Candidate c = make_candidate(v, n, BugKind::kBooleanOperator, s);
  add_rewrite(c, "not " + c.site.original, s.start_byte, s.start_byte, "not ");
  out.push_back(std::move(c));
}

// Swaps of two positional arguments; the replacement names their positions in the argument list
// ("0<->2"), keyword and unpacking arguments counted.
void argument_swap_sites(const GraphView& v, uint32_t n, std::vector<Candidate>& out) {
  std::vector<std::pair<size_t, uint32_t>> args;  // (position, node)
  auto all = v.named_children(n);
  for (size_t i = 0; i < all.size(); ++i) {
    std::string_view t = v.type(all[i]);
    if (t == "keyword_argument" || t == "list_splat" || t == "dictionary_splat" ||
        t == "parenthesized_list_splat") {
      continue;
    }
    args.emplace_back(i, all[i]);
  }
  if (args.size() < 2) return;
  Candidate c = make_candidate(v, n, BugKind::kArgumentSwap, v.node(n).span);
  std::string_view text = v.text();
  for (size_t i = 0; i < args.size(); ++i) {
    for (size_t j = i + 1; j < args.size(); ++j) {
      const auto [pa, na] = args[i];
      const auto [pb, nb] = args[j];
      const Span& a = v.node(na).span;
      const Span& b = v.node(nb).span;
      std::string_view ta = v.text(na);
      std::string_view tb = v.text(nb);
      if (ta == tb) continue;
      std::string swapped(tb);
      swapped += text.substr(a.end_byte, b.start_byte - a.end_byte);
      swapped += ta;
      Rewrite& r = add_rewrite(c, std::to_string(pa) + "<->" + std::to_string(pb), a.start_byte,
                               b.end_byte, std::move(swapped));
      r.swap_first = static_cast<int32_t>(na);
      r.swap_second = static_cast<int32_t>(nb);
    }
  }
  out.push_back(std::move(c));
}

// Whether a negative number can replace the literal at `n` and still parse as `-k` there.
bool negative_fits(const GraphView& v, uint32_t n) {
  int32_t p = v.parent(n);
  if (p < 0) return true;
  std::string_view pt = v.parent_type(n);
  std::string_view f = v.field(n);
  if (pt == "binary_operator" && f == "left") {
    int32_t op = v.child_by_field(static_cast<uint32_t>(p), "operator");
    return op < 0 || v.type(static_cast<uint32_t>(op)) != "**";
  }
  if (pt == "attribute" && f == "object") return false;
  if (pt == "subscript" && f == "value") return false;
  if (pt == "call" && f == "function") return false;
  return true;
}

bool is_unary_minus(const GraphView& v, uint32_t n) {
  if (v.type(n) != "unary_operator") return false;
  int32_t op = v.child_by_field(n, "operator");
  return op >= 0 && v.type(static_cast<uint32_t>(op)) == "-";
}

void literal_sites(const GraphView& v, uint32_t n, std::vector<Candidate>& out) {
  std::string_view t = v.type(n);
  const Span& s = v.node(n).span;
  if (t == "true" || t == "false") {
    std::string_view text = v.text(n);
    if (text != "True" && text != "False") return;
    Candidate c = make_candidate(v, n, BugKind::kLiteral, s);
    std::string other = text == "True" ? "False" : "True";
    add_rewrite(c, other, s.start_byte, s.end_byte, other);
    out.push_back(std::move(c));
    return;
  }
  std::string_view text = v.text(n);
  if (t == "integer") {
    if (is_unary_minus(v, static_cast<uint32_t>(std::max(v.parent(n), 0)))) return;
  } else if (is_unary_minus(v, n)) {
    int32_t arg = v.child_by_field(n, "argument");
    if (arg < 0 || v.type(static_cast<uint32_t>(arg)) != "integer") return;
  } else {
    return;
  }
  if (!contains(kSmallInts, text)) return;
  bool negative_ok = negative_fits(v, n);
  bool negative = text[0] == '-';
  Candidate c = make_candidate(v, n, BugKind::kLiteral, s);
  for (std::string_view k : kSmallInts) {
    if (k == text) continue;
    // Leaving or entering the negatives must be undoable: both ends need negatives to fit.
    bool k_negative = k[0] == '-';
    if ((k_negative || negative) && !(k_negative && negative) && !negative_ok) continue;
    add_rewrite(c, std::string(k), s.start_byte, s.end_byte, std::string(k));
  }
  out.push_back(std::move(c));
}

}  // namespace

void python_syntax_sites(const GraphView& v, std::vector<Candidate>& out) {
  for (uint32_t n = 0; n < v.tree_size(); ++n) {
    if (v.excluded(n)) continue;
    std::string_view t = v.type(n);
    std::string_view pt = v.parent_type(n);
    if (pt == "binary_operator" && v.field(n) == "operator" && contains(kBinaryOps, t)) {
      operator_site(v, n, BugKind::kBinaryOperator, kBinaryOps, out);
    } else if ((pt == "augmented_assignment" && v.field(n) == "operator" &&
                contains(kAugmentedOps, t)) ||
               (pt == "assignment" && t == "=")) {
      assignment_sites(v, n, out);
    } else if (pt == "comparison_operator") {
      if (contains(kOrderCompare, t))
        operator_site(v, n, BugKind::kCompareOperator, kOrderCompare, out);
      if (contains(kInCompare, t)) operator_site(v, n, BugKind::kCompareOperator, kInCompare, out);
      if (contains(kIsCompare, t)) operator_site(v, n, BugKind::kCompareOperator, kIsCompare, out);
    } else if (pt == "boolean_operator" && v.field(n) == "operator" && (t == "and" || t == "or")) {
      static constexpr std::array<std::string_view, 2> kBool = {"and", "or"};
      operator_site(v, n, BugKind::kBooleanOperator, kBool, out);
    } else if (t == "argument_list" && pt == "call") {
      argument_swap_sites(v, n, out);
    }
    if ((negatable(t) || t == "not_operator") && condition_position(v, n)) not_sites(v, n, out);
    if (t == "integer" || t == "true" || t == "false" || t == "unary_operator") {
      literal_sites(v, n, out);
    }
  }
}

}  // namespace bugseek::parser::rewrites_detail
