// Bug-fix matching: explains a real (buggy, fixed) pair as one rewrite of the buggy code. The two
// token sequences (comments and whitespace left out) are compared to find the differing region;
// only rewrites whose edit covers it are applied and re-tokenized, so a pair costs a few parses.
#include <tree_sitter/api.h>

#include <algorithm>

#include "parser/rewrites.h"

namespace bugseek::parser {
namespace {

struct Token {
  uint32_t start = 0;
  uint32_t end = 0;
  std::string_view text;
};

// Leaves of the tree in source order without comments; string contents count as one token so
// the text between their escape sequences is compared too.
std::vector<Token> tokenize(const ParsedFile& file) {
  std::vector<Token> out;
  if (!file.tree) return out;
  TSTreeCursor cursor = ts_tree_cursor_new(ts_tree_root_node(file.tree.get()));
  std::string_view text = file.text;
  for (;;) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    std::string_view type = ts_node_type(node);
    bool leaf = ts_node_child_count(node) == 0 || type == "string_content";
    if (leaf) {
      uint32_t s = ts_node_start_byte(node);
      uint32_t e = ts_node_end_byte(node);
      if (e > s && type != "comment" && e <= text.size())
        out.push_back({s, e, text.substr(s, e - s)});
    }
    if (!leaf && ts_tree_cursor_goto_first_child(&cursor)) continue;
    bool moved = false;
    while (!moved) {
      if (ts_tree_cursor_goto_next_sibling(&cursor)) {
        moved = true;
      } else if (!ts_tree_cursor_goto_parent(&cursor)) {
        ts_tree_cursor_delete(&cursor);
        return out;
      }
    }
  }
}

bool same_tokens(const std::vector<Token>& a, const std::vector<Token>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].text != b[i].text) return false;
  }
  return true;
}

std::string describe_diff(const std::vector<Token>& buggy, size_t b0, size_t b1,
                          const std::vector<Token>& fixed, size_t f0, size_t f1) {
  auto join = [](const std::vector<Token>& t, size_t from, size_t to) {
    std::string s;
    for (size_t i = from; i < to && i < from + 8; ++i) {
      if (!s.empty()) s += ' ';
      s.append(t[i].text);
    }
    if (to > from + 8) s += " ...";
    return s;
  };
  return std::to_string(b1 - b0) + " token(s) `" + join(buggy, b0, b1) + "` -> " +
         std::to_string(f1 - f0) + " token(s) `" + join(fixed, f0, f1) + "`";
}

}  // namespace

BugFixMatch match_bug_fix(std::string_view buggy, std::string_view fixed,
                          const Language& language) {
  BugFixMatch result;
  ParsedFile bug_file = parse_source(std::string(buggy), language, "buggy");
  ParsedFile fix_file = parse_source(std::string(fixed), language, "fixed");
  if (!bug_file.ok() || !fix_file.ok()) {
    result.reason = std::string("cannot parse: ") + parse_status_name(bug_file.status) + " / " +
                    parse_status_name(fix_file.status);
    return result;
  }
  auto bug_tokens = tokenize(bug_file);
  auto fix_tokens = tokenize(fix_file);
  size_t prefix = 0;
  while (prefix < bug_tokens.size() && prefix < fix_tokens.size() &&
         bug_tokens[prefix].text == fix_tokens[prefix].text) {
    ++prefix;
  }
  if (prefix == bug_tokens.size() && prefix == fix_tokens.size()) {
    result.reason = "same tokens (whitespace or comments only)";
    return result;
  }
  size_t suffix = 0;
  while (suffix + prefix < bug_tokens.size() && suffix + prefix < fix_tokens.size() &&
         bug_tokens[bug_tokens.size() - 1 - suffix].text ==
             fix_tokens[fix_tokens.size() - 1 - suffix].text) {
    ++suffix;
  }
  size_t b1 = bug_tokens.size() - suffix;
  size_t f1 = fix_tokens.size() - suffix;
  // Bytes an explaining edit must cover (all of the differing tokens; with nothing on the buggy
  // side, the gap where the fixed tokens go).
  uint32_t outer_start = prefix > 0 ? bug_tokens[prefix - 1].end : 0;
  auto outer_end =
      static_cast<uint32_t>(b1 < bug_tokens.size() ? bug_tokens[b1].start : buggy.size());
  uint32_t inner_start = prefix < b1 ? bug_tokens[prefix].start : outer_end;
  uint32_t inner_end = prefix < b1 ? bug_tokens[b1 - 1].end : outer_start;
  std::string diff = describe_diff(bug_tokens, prefix, b1, fix_tokens, prefix, f1);

  auto units = extract_units(bug_file);
  for (size_t u = 0; u < units.size(); ++u) {
    const Unit& unit = units[u];
    if (unit.span.start_byte > inner_start || unit.span.end_byte < inner_end) continue;
    CodeGraph graph = build_graph(bug_file, unit);
    Sites sites = enumerate_rewrites(bug_file, graph);
    for (size_t i = 0; i < sites.rewrites.size(); ++i) {
      const TextEdit& e = sites.rewrites[i].edit;
      if (e.start_byte > inner_start || e.old_end_byte < inner_end) continue;
      ParsedFile candidate = parse_source(apply_edit(buggy, e), language, "candidate");
      if (!same_tokens(tokenize(candidate), fix_tokens)) continue;
      const Site& site = sites.sites[sites.rewrites[i].site];
      result.matched = true;
      result.kind = site.kind;
      result.bug_span = site.span;
      result.buggy_text = std::string(buggy.substr(e.start_byte, e.old_end_byte - e.start_byte));
      result.fixed_text = e.new_text;
      result.unit = static_cast<uint32_t>(u);
      result.site = sites.rewrites[i].site;
      result.rewrite = static_cast<uint32_t>(i);
      return result;
    }
  }
  result.reason = "no rewrite explains " + diff;
  return result;
}

}  // namespace bugseek::parser
