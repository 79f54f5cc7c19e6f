// Applying rewrites: bug kind names, byte edits and their inverses, re-parsing the rewritten file
// into the same unit's graph, finding the inverse rewrite, and a unified diff for listings.
#include <tree_sitter/api.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "common/error.h"
#include "parser/rewrites.h"

namespace bugseek::parser {
namespace {

struct KindNames {
  BugKind kind;
  std::string_view name;
  std::string_view title;
};
constexpr std::array<KindNames, kNumBugKinds> kKindNames = {{
    {BugKind::kVariableMisuse, "variable-misuse", "variable misuse"},
    {BugKind::kBinaryOperator, "wrong-binary-op", "wrong binary operator"},
    {BugKind::kAssignOperator, "wrong-assign-op", "wrong assignment operator"},
    {BugKind::kCompareOperator, "wrong-compare-op", "wrong comparison operator"},
    {BugKind::kBooleanOperator, "wrong-boolean-op", "wrong boolean operator"},
    {BugKind::kArgumentSwap, "argument-swap", "argument swap"},
    {BugKind::kLiteral, "wrong-literal", "wrong literal"},
}};

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

uint32_t line_of(std::string_view text, uint32_t byte) {
  byte = std::min<uint32_t>(byte, static_cast<uint32_t>(text.size()));
  return static_cast<uint32_t>(std::count(text.begin(), text.begin() + byte, '\n'));
}

TSPoint point_of(std::string_view text, uint32_t byte) {
  std::string_view head = text.substr(0, byte);
  size_t nl = head.rfind('\n');
  auto row = static_cast<uint32_t>(std::count(head.begin(), head.end(), '\n'));
  auto column = static_cast<uint32_t>(nl == std::string_view::npos ? byte : byte - nl - 1);
  return TSPoint{row, column};
}

// `unit` of the old file in `file` (the old text with `edit` applied inside the unit): the
// smallest node spanning the shifted bytes, found in O(depth) instead of extracting every unit
// again. Module units and lost nodes go through extract_units.
std::optional<Unit> same_unit(const ParsedFile& file, const Unit& unit, const TextEdit& edit) {
  const auto delta = static_cast<int64_t>(edit.new_text.size()) -
                     (static_cast<int64_t>(edit.old_end_byte) - edit.start_byte);
  const auto end = static_cast<uint32_t>(unit.span.end_byte + delta);
  if (unit.kind != UnitKind::kModule) {
    TSNode root = ts_tree_root_node(file.tree.get());
    TSNode node = ts_node_descendant_for_byte_range(root, unit.span.start_byte, end);
    for (; !ts_node_is_null(node); node = ts_node_parent(node)) {
      if (ts_node_start_byte(node) == unit.span.start_byte && ts_node_end_byte(node) == end) break;
      if (ts_node_start_byte(node) < unit.span.start_byte || ts_node_end_byte(node) > end) {
        node = TSNode{};
        break;
      }
    }
    if (!ts_node_is_null(node)) {
      Unit out = unit;
      out.span.end_byte = end;
      TSPoint p = ts_node_end_point(node);
      out.span.end = Point{p.row, p.column};
      out.has_syntax_errors = ts_node_has_error(node);
      static_assert(sizeof(out.root) == sizeof(node), "TreeNodeRef mirrors TSNode");
      std::memcpy(static_cast<void*>(&out.root), &node, sizeof node);
      return out;
    }
  }
  for (const Unit& u : extract_units(file)) {
    if (u.kind == unit.kind && u.span.start_byte == unit.span.start_byte) return u;
  }
  return std::nullopt;
}

}  // namespace

std::string_view bug_kind_name(BugKind kind) { return kKindNames[static_cast<int>(kind)].name; }
std::string_view bug_kind_title(BugKind kind) { return kKindNames[static_cast<int>(kind)].title; }

std::optional<BugKind> bug_kind_from_name(std::string_view name) {
  for (const auto& k : kKindNames) {
    if (k.name == name) return k.kind;
  }
  return std::nullopt;
}

std::string apply_edit(std::string_view text, const TextEdit& edit) {
  if (edit.start_byte > edit.old_end_byte || edit.old_end_byte > text.size()) {
    throw_error("apply_edit", "",
                "edit [" + std::to_string(edit.start_byte) + ", " +
                    std::to_string(edit.old_end_byte) + ") outside text of " +
                    std::to_string(text.size()) + " bytes");
  }
  std::string out;
  out.reserve(text.size() + edit.new_text.size());
  out.append(text.substr(0, edit.start_byte));
  out.append(edit.new_text);
  out.append(text.substr(edit.old_end_byte));
  return out;
}

TextEdit inverse_edit(std::string_view text, const TextEdit& edit) {
  TextEdit undo;
  undo.start_byte = edit.start_byte;
  undo.old_end_byte = edit.start_byte + static_cast<uint32_t>(edit.new_text.size());
  undo.new_text = std::string(text.substr(edit.start_byte, edit.old_end_byte - edit.start_byte));
  return undo;
}

AppliedRewrite apply_rewrite(const ParsedFile& file, const Unit& unit, const Sites& sites,
                             size_t index) {
  if (index >= sites.rewrites.size() || !file.language) {
    throw_error("apply_rewrite", file.path,
                "rewrite " + std::to_string(index) + " of " +
                    std::to_string(sites.rewrites.size()) + (file.language ? "" : ", no language"));
  }
  AppliedRewrite out;
  out.edit = sites.rewrites[index].edit;
  out.undo = inverse_edit(file.text, out.edit);
  std::string text = apply_edit(file.text, out.edit);
  // Incremental re-parse: tree-sitter reuses the old tree outside the edited bytes.
  TreePtr old_tree;
  ParseOptions options;
  if (file.tree) {
    old_tree.reset(ts_tree_copy(file.tree.get()));
    TSInputEdit e;
    e.start_byte = out.edit.start_byte;
    e.old_end_byte = out.edit.old_end_byte;
    e.new_end_byte = out.edit.start_byte + static_cast<uint32_t>(out.edit.new_text.size());
    e.start_point = point_of(file.text, e.start_byte);
    e.old_end_point = point_of(file.text, e.old_end_byte);
    e.new_end_point = point_of(text, e.new_end_byte);
    ts_tree_edit(old_tree.get(), &e);
    options.old_tree = old_tree.get();
  }
  out.file = parse_source(std::move(text), *file.language, file.path, options);
  if (!out.file.ok()) return out;
  out.unit = same_unit(out.file, unit, out.edit);
  if (out.unit) out.graph = build_graph(out.file, *out.unit);
  return out;
}

int32_t find_inverse(const Sites& new_sites, const TextEdit& undo, BugKind kind) {
  for (size_t i = 0; i < new_sites.rewrites.size(); ++i) {
    const Rewrite& r = new_sites.rewrites[i];
    if (r.edit == undo && new_sites.sites[r.site].kind == kind) return static_cast<int32_t>(i);
  }
  return -1;
}

int32_t find_inverse(const Sites& new_sites, const AppliedRewrite& applied, BugKind kind) {
  return find_inverse(new_sites, applied.undo, kind);
}

std::string format_point(const Point& p) {
  return std::to_string(p.row + 1) + ":" + std::to_string(p.column + 1);
}

std::string edit_diff(std::string_view text, const TextEdit& edit, std::string_view path) {
  constexpr uint32_t kContext = 3;
  std::string after = apply_edit(text, edit);
  auto old_lines = split_lines(text);
  auto new_lines = split_lines(after);
  uint32_t first = line_of(text, edit.start_byte);
  uint32_t old_last = line_of(
      text,
      std::max(edit.start_byte, edit.old_end_byte - (edit.old_end_byte > edit.start_byte ? 1 : 0)));
  auto new_end = static_cast<uint32_t>(edit.start_byte + edit.new_text.size());
  uint32_t new_last =
      line_of(after, std::max(edit.start_byte, new_end - (new_end > edit.start_byte ? 1 : 0)));
  uint32_t from = first > kContext ? first - kContext : 0;
  auto old_to =
      std::min<uint32_t>(static_cast<uint32_t>(old_lines.size()), old_last + 1 + kContext);
  uint32_t tail = old_to - (old_last + 1);
  uint32_t new_to =
      std::min<uint32_t>(static_cast<uint32_t>(new_lines.size()), new_last + 1 + tail);

  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::string out = "--- a/" + std::string(path) + "\n+++ b/" + std::string(path) + "\n";
  out += "@@ -" + std::to_string(from + 1) + "," + std::to_string(old_to - from) + " +" +
         std::to_string(from + 1) + "," + std::to_string(new_to - from) + " @@\n";
  auto emit = [&out](char mark, std::string_view line) {
    out += mark;
    out.append(line);
    out += '\n';
  };
  for (uint32_t i = from; i < first; ++i) emit(' ', old_lines[i]);
  for (uint32_t i = first; i <= old_last && i < old_lines.size(); ++i) emit('-', old_lines[i]);
  for (uint32_t i = first; i <= new_last && i < new_lines.size(); ++i) emit('+', new_lines[i]);
  for (uint32_t i = old_last + 1; i < old_to; ++i) emit(' ', old_lines[i]);
  return out;
}

}  // namespace bugseek::parser
