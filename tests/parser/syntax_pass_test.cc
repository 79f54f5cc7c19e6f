// Structural invariants of the syntax and token passes, checked on varied snippets: pre-order
// numbering, parents and fields agree with Child edges, the children CSR, and token leaves that
// cover the source exactly (only whitespace and comments between them).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "parser/code_graph.h"
#include "parser/language.h"
#include "parser/source_file.h"
#include "parser/units.h"

namespace bugseek::parser {
namespace {

const char* kSnippets[] = {
    "def f(a, *args, b=2, **kw) -> int:\n    \"\"\"Doc.\"\"\"\n    return a + b  # sum\n",
    "class C(Base, metaclass=M):\n    x: int = 3\n    def m(self):\n        return [i for i in "
    "range(self.x) if i % 2]\n",
    "s = f'{a!r:>{width}} and {b}' + rb'\\x00' 'tail'\nt = f\"{'nested' + f'{c}'}\"\n",
    "async def g():\n    async with a as b, c:\n        async for x in y:\n            await x\n",
    "try:\n    pass\nexcept* ValueError as e:\n    raise\nfinally:\n    del x\n",
    "match p:\n    case Point(x=0, y=yy) if yy > 1:\n        pass\n    case [1, *rest]:\n        "
    "pass\n",
    "x = (1 +\n     2)  \\\n    if c else d\n",
    "def broken(:\n    return [1, 2\n",
    "lambda: (yield)\n",
};

// Checks every invariant of one graph built from `text`.
void check_graph(const std::string& text, const CodeGraph& g, bool whole_subtree) {
  ASSERT_FALSE(g.nodes.empty());
  const size_t n = g.nodes.size();
  size_t tree_nodes = 0;  // symbol nodes come last and have no children
  while (tree_nodes < n && g.nodes[tree_nodes].kind != NodeKind::kSymbol) ++tree_nodes;
  for (size_t i = tree_nodes; i < n; ++i) EXPECT_EQ(g.nodes[i].kind, NodeKind::kSymbol);
  ASSERT_EQ(g.child_offsets.size(), tree_nodes + 1);
  EXPECT_EQ(g.nodes[g.root].parent, kNoNode);
  std::set<std::string> fields(g.field_names.begin(), g.field_names.end());
  EXPECT_EQ(fields.size(), g.field_names.size()) << "field names interned once";
  size_t child_edges = 0;
  for (const Edge& e : g.edges) {
    ASSERT_LT(e.src, n);
    ASSERT_LT(e.dst, n);
    if (e.kind == EdgeKind::kChild) {
      ++child_edges;
      EXPECT_LT(e.src, e.dst) << "pre-order";
      EXPECT_EQ(g.nodes[e.dst].parent, static_cast<int32_t>(e.src));
      EXPECT_EQ(g.nodes[e.dst].field, e.field);
      EXPECT_EQ(g.nodes[e.src].kind, NodeKind::kSyntax);
    } else if (e.kind == EdgeKind::kNextSibling) {
      EXPECT_EQ(g.nodes[e.src].parent, g.nodes[e.dst].parent);
      EXPECT_LE(g.nodes[e.src].span.end_byte, g.nodes[e.dst].span.start_byte);
    } else if (e.kind == EdgeKind::kNextToken) {
      EXPECT_EQ(g.nodes[e.src].kind, NodeKind::kToken);
      EXPECT_EQ(g.nodes[e.dst].kind, NodeKind::kToken);
    }
  }
  size_t with_parent = 0, tokens = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const Node& node = g.nodes[i];
    if (node.kind == NodeKind::kSymbol) continue;
    with_parent += node.parent != kNoNode;
    EXPECT_LE(node.span.start_byte, node.span.end_byte);
    EXPECT_FALSE(node.type.empty());
    if (node.kind == NodeKind::kToken) {
      ++tokens;
      EXPECT_EQ(g.children(i).size(), 0u);
      EXPECT_EQ(node.text,
                text.substr(node.span.start_byte, node.span.end_byte - node.span.start_byte));
      EXPECT_NE(node.type, "comment");
    }
    uint32_t previous_end = node.span.start_byte;
    for (uint32_t child : g.children(i)) {
      EXPECT_EQ(g.nodes[child].parent, static_cast<int32_t>(i));
      EXPECT_GE(g.nodes[child].span.start_byte, previous_end) << "children in source order";
      EXPECT_LE(g.nodes[child].span.end_byte, node.span.end_byte);
      previous_end = g.nodes[child].span.end_byte;
    }
  }
  EXPECT_EQ(child_edges, with_parent);
  EXPECT_EQ(g.count_edges(EdgeKind::kNextToken), tokens ? tokens - 1 : 0);
  if (!whole_subtree) return;
  // Between consecutive tokens only whitespace, comments and line continuations.
  uint32_t pos = g.nodes[g.root].span.start_byte;
  for (uint32_t i = 0; i < n; ++i) {
    const Node& node = g.nodes[i];
    if (node.kind != NodeKind::kToken) continue;
    ASSERT_GE(node.span.start_byte, pos) << "tokens overlap at " << node.text;
    const std::string gap = text.substr(pos, node.span.start_byte - pos);
    bool in_comment = false;
    for (size_t k = 0; k < gap.size(); ++k) {
      const char c = gap[k];
      if (in_comment) {
        in_comment = c != '\n';
      } else if (c == '#') {
        in_comment = true;
      } else {
        EXPECT_TRUE(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\\' || c == '\f')
            << "uncovered text " << gap << " before " << node.text;
      }
    }
    pos = node.span.end_byte;
  }
}

TEST(SyntaxPass, InvariantsHoldForEveryUnit) {
  for (const char* snippet : kSnippets) {
    const ParsedFile file = parse_source(snippet, *find_language("python"));
    ASSERT_TRUE(file.ok());
    for (const auto& unit : extract_units(file)) {
      SCOPED_TRACE(std::string(snippet) + " / " + unit.qualified_name);
      check_graph(snippet, build_graph(file, unit), unit.kind != UnitKind::kModule);
    }
  }
}

TEST(SyntaxPass, ModuleGraphCoversTheWholeFileWithoutFunctions) {
  const std::string text = "import x\n# c\ny = [1, 'two', f'{three}']\nz = y  # end\n";
  const ParsedFile file = parse_source(text, *find_language("python"));
  const auto units = extract_units(file);
  ASSERT_EQ(units.size(), 1u);
  check_graph(text, build_graph(file, units[0]), true);
}

TEST(SyntaxPass, SpansCarryLinesAndColumns) {
  const std::string text = "def f():\n    x = 1\n";
  const ParsedFile file = parse_source(text, *find_language("python"));
  const CodeGraph g = build_graph(file, extract_units(file)[0]);
  bool found = false;
  for (const Node& node : g.nodes) {
    if (node.text != "x" || node.kind == NodeKind::kSymbol) continue;
    found = true;
    EXPECT_EQ(node.kind, NodeKind::kToken);
    EXPECT_EQ(node.type, "identifier");
    EXPECT_EQ(node.span.start.row, 1u);
    EXPECT_EQ(node.span.start.column, 4u);
    EXPECT_EQ(node.span.end.column, 5u);
    EXPECT_EQ(node.span.start_byte, 13u);
  }
  EXPECT_TRUE(found);
}

TEST(SyntaxPass, ErrorNodesDoNotLookLikeSymbolNodes) {
  const ParsedFile file = parse_source("x = = 1\n", *find_language("python"));
  const CodeGraph g = build_graph(file, extract_units(file).back());
  bool error = false;
  for (const Node& node : g.nodes) {
    if (node.type != "ERROR") continue;
    error = true;
    EXPECT_EQ(node.type_id, kErrorTypeId);
    EXPECT_NE(node.kind, NodeKind::kSymbol);
  }
  EXPECT_TRUE(error);
}

}  // namespace
}  // namespace bugseek::parser
