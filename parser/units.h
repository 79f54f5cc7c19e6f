// Units: what a model sees. Every function (def, async def, method, a lambda that is the value
// of a statement) of a file is a unit; nested functions stay inside their parent. The file's
// module-level code (function bodies left out) is one more unit.
#pragma once

#include <string>
#include <vector>

#include "parser/code_graph.h"
#include "parser/source_file.h"

namespace bugseek::parser {

enum class UnitKind : uint8_t { kFunction, kLambda, kModule };

// A copy of a tree-sitter node handle (TSNode), kept opaque so this header stays free of the
// tree-sitter API. build_graph() uses it only if it belongs to the file's tree and spans the unit.
struct TreeNodeRef {
  uint32_t context[4] = {0, 0, 0, 0};
  const void* id = nullptr;
  const void* tree = nullptr;
};

struct Unit {
  UnitKind kind = UnitKind::kFunction;
  std::string name;            // "f", "<lambda>", "<module>"
  std::string qualified_name;  // "Cls.method", "outer" (nested functions are not units)
  Span span;                   // the def (decorators included) or the whole file
  bool has_syntax_errors = false;  // an ERROR/MISSING node lies inside
  TreeNodeRef root;  // the def / decorated def / lambda node (finding it again costs O(file))
};

// All units of a parsed file, in source order; the module unit comes last. Empty if !file.ok().
std::vector<Unit> extract_units(const ParsedFile& file);

// Builds the code graph of one unit of `file` (all passes). Throws Error only on misuse.
CodeGraph build_graph(const ParsedFile& file, const Unit& unit);

}  // namespace bugseek::parser
