// The action space shared by the selector and the detector: every place in a unit where a
// single-token bug can be planted (a site), its candidate replacements (rewrites), applying a
// rewrite to the source, and finding its exact inverse. Torch-free.
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
  kBooleanOperator,
  kArgumentSwap,
  kLiteral,
};
constexpr int kNumBugKinds = 7;
std::string_view bug_kind_name(BugKind kind);    // "variable-misuse", "wrong-binary-op", ...
std::string_view bug_kind_title(BugKind kind);   // "variable misuse", "wrong binary operator"
std::optional<BugKind> bug_kind_from_name(std::string_view name);

struct TextEdit {
  uint32_t start_byte = 0;
  uint32_t old_end_byte = 0;  // [start_byte, old_end_byte) is replaced by new_text
  std::string new_text;
};

// A place where a bug can sit. For argument swaps the site is the call's argument list.
struct Site {
  uint32_t node = 0;  // graph node index (token for operators/literals/names, args node for swaps)
  BugKind kind = BugKind::kVariableMisuse;
  Span span;          // span of the text a rewrite at this site replaces
  std::string original;  // the current text at span ("<", "x", "True", "(a, b)")
};

// One candidate replacement at a site.
struct Rewrite {
  uint32_t site = 0;            // index into Sites::sites
  std::string replacement;      // token text ("<=", "y", "not x"); for swaps "i<->j"
  int32_t symbol_node = kNoNode;     // variable misuse: graph node of the replacement symbol
  int32_t swap_first = kNoNode;      // argument swap: graph nodes of the two arguments
  int32_t swap_second = kNoNode;
  TextEdit edit;                // the byte edit in the file's text
};

struct Sites {
  std::vector<Site> sites;
  std::vector<Rewrite> rewrites;  // grouped by site, in site order
};

// All sites and their reversible rewrites in `graph` (a unit of `file`).
Sites enumerate_rewrites(const ParsedFile& file, const CodeGraph& graph);

// `text` with `edit` applied.
std::string apply_edit(std::string_view text, const TextEdit& edit);

struct BugFixMatch {
  bool matched = false;
  BugKind kind = BugKind::kVariableMisuse;
  Span bug_span;            // in the buggy text
  std::string buggy_text;   // what is there now
  std::string fixed_text;   // what the fix puts there
  std::string reason;       // why not matched, when !matched
};

// Finds the single rewrite turning `buggy` into `fixed` (token sequences compared, whitespace
// and comments ignored), or says why none does.
BugFixMatch match_bug_fix(std::string_view buggy, std::string_view fixed, const Language& language);

}  // namespace bugseek::parser
