// The action space shared by the selector and the detector: every place in a unit where a
// single-token bug can be planted (a site), its candidate replacements (rewrites), applying a
// rewrite to the source, and finding its exact inverse. Bug-fix matching explains a real fix as
// one of these rewrites. Torch-free.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/code_graph.h"
#include "parser/source_file.h"
#include "parser/units.h"

namespace bugseek::parser {

// BugLab's seven families. The order is part of the model file format: append only.
enum class BugKind : uint8_t {
  kVariableMisuse = 0,
  kBinaryOperator,
  kAssignOperator,
  kCompareOperator,
  kBooleanOperator,  // and <-> or, and adding or removing `not` before a condition
  kArgumentSwap,
  kLiteral,
};
constexpr int kNumBugKinds = 7;
std::string_view bug_kind_name(BugKind kind);   // "variable-misuse", "wrong-binary-op", ...
std::string_view bug_kind_title(BugKind kind);  // "variable misuse", "wrong binary operator"
std::optional<BugKind> bug_kind_from_name(std::string_view name);

struct TextEdit {
  uint32_t start_byte = 0;
  uint32_t old_end_byte = 0;  // [start_byte, old_end_byte) is replaced by new_text
  std::string new_text;
  bool operator==(const TextEdit& o) const {
    return start_byte == o.start_byte && old_end_byte == o.old_end_byte && new_text == o.new_text;
  }
};

// A place where a bug can sit. For argument swaps the site is the call's argument list; for
// adding/removing `not` it is the condition (a name, attribute or call) or the `not` expression.
// One node can carry sites of two kinds (a name is a variable-misuse and a `not` site).
struct Site {
  uint32_t node = 0;  // graph node index (token for operators/literals/names, args node for swaps)
  BugKind kind = BugKind::kVariableMisuse;
  Span span;             // span of the text the rewrites of this site change (edits lie inside)
  std::string original;  // the current text at span ("<", "x", "True", "(a, b)")
};

// One candidate replacement at a site.
struct Rewrite {
  uint32_t site = 0;              // index into Sites::sites
  std::string replacement;        // token text ("<=", "y", "not x", "x"); for swaps "i<->j"
  int32_t symbol_node = kNoNode;  // variable misuse: graph node of the replacement symbol
  int32_t swap_first = kNoNode;   // argument swap: graph nodes of the two arguments
  int32_t swap_second = kNoNode;
  TextEdit edit;  // the byte edit in the file's text (minimal: `not ` is inserted)
};

struct Sites {
  std::vector<Site> sites;        // ordered by (node, kind)
  std::vector<Rewrite> rewrites;  // grouped by site, in site order
};

// All sites and their reversible rewrites in `graph` (a unit of `file`). Every rewrite's inverse
// is a rewrite of the rewritten code (see find_inverse); the stdlib integration test checks it.
// Languages without rules give no sites.
Sites enumerate_rewrites(const ParsedFile& file, const CodeGraph& graph);

// `text` with `edit` applied.
std::string apply_edit(std::string_view text, const TextEdit& edit);

// The edit that undoes `edit` once applied to `text` (the text before the edit).
TextEdit inverse_edit(std::string_view text, const TextEdit& edit);

// A rewrite applied: the new file (re-parsed), the unit in it and its graph.
struct AppliedRewrite {
  TextEdit edit;             // what was applied
  TextEdit undo;             // the edit that restores the original text
  ParsedFile file;           // the new text, parsed
  std::optional<Unit> unit;  // the same unit in the new file (nullopt if it vanished)
  CodeGraph graph;           // its graph (empty without a unit)
};

// Applies rewrite `index` of `sites` (enumerated on `unit` of `file`): new text, re-parse, the
// unit at the same place and its graph.
AppliedRewrite apply_rewrite(const ParsedFile& file, const Unit& unit, const Sites& sites,
                             size_t index);

// Index of the rewrite among `new_sites` (the rewritten code's) that undoes `applied`, i.e. whose
// edit equals `applied.undo` and whose kind is `kind`; -1 if none. The repair target of a
// planted bug.
int32_t find_inverse(const Sites& new_sites, const AppliedRewrite& applied, BugKind kind);
int32_t find_inverse(const Sites& new_sites, const TextEdit& undo, BugKind kind);

// A unified diff (3 lines of context) of `edit` applied to `text`, with `path` in the headers.
std::string edit_diff(std::string_view text, const TextEdit& edit, std::string_view path);

// 1-based "line:col" (col in bytes) of a point, for listings.
std::string format_point(const Point& p);

struct BugFixMatch {
  bool matched = false;
  BugKind kind = BugKind::kVariableMisuse;
  Span bug_span;           // in the buggy text: the site's span
  std::string buggy_text;  // what the edit replaces now
  std::string fixed_text;  // what the fix puts there
  std::string reason;      // why not matched, when !matched
  // Where the match lives, to rebuild the buggy unit's graph and its Sites:
  uint32_t unit = 0;     // index in extract_units(parse_source(buggy))
  uint32_t site = 0;     // index in enumerate_rewrites(...).sites of that unit
  uint32_t rewrite = 0;  // index in enumerate_rewrites(...).rewrites
};

// Finds the single rewrite turning `buggy` into `fixed` (token sequences compared, whitespace
// and comments ignored), or says why none does.
BugFixMatch match_bug_fix(std::string_view buggy, std::string_view fixed, const Language& language);

}  // namespace bugseek::parser
