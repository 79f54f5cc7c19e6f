// Targeted checks of the semantic passes (scopes, data flow, control flow) on small snippets.
// Nodes are named by their labels (`x@3:8`: token text, 1-based line, 0-based column).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "parser/graph_format.h"
#include "parser/source_file.h"
#include "parser/units.h"

namespace bugseek::parser {
namespace {

struct Built {
  CodeGraph graph;
  std::vector<std::string> labels;
};

// The graph of the unit named `unit` ("<module>" for module-level code) in `source`.
Built build(const std::string& source, const std::string& unit = "f") {
  const Language* python = find_language("python");
  EXPECT_NE(python, nullptr);
  const ParsedFile file = parse_source(source, *python, "snippet.py");
  Built out;
  for (const Unit& u : extract_units(file)) {
    if (u.qualified_name != unit) continue;
    out.graph = build_graph(file, u);
    const NodeLabels labels(out.graph);
    for (uint32_t i = 0; i < out.graph.nodes.size(); ++i) out.labels.push_back(labels[i]);
    return out;
  }
  ADD_FAILURE() << "no unit " << unit;
  return out;
}

uint32_t node(const Built& b, const std::string& label) {
  auto it = std::find(b.labels.begin(), b.labels.end(), label);
  EXPECT_NE(it, b.labels.end()) << "no node " << label;
  return it == b.labels.end() ? UINT32_MAX : static_cast<uint32_t>(it - b.labels.begin());
}

// Labels of the nodes `from` has edges of `kind` to, sorted.
std::vector<std::string> targets(const Built& b, EdgeKind kind, const std::string& from) {
  const uint32_t src = node(b, from);
  std::vector<std::string> out;
  for (const Edge& e : b.graph.edges) {
    if (e.kind == kind && e.src == src) out.push_back(b.labels[e.dst]);
  }
  std::sort(out.begin(), out.end());
  return out;
}

using Labels = std::vector<std::string>;

const Symbol& symbol_of(const Built& b, const std::string& token) {
  const uint32_t t = node(b, token);
  for (const Occurrence& o : b.graph.occurrences) {
    if (o.token == t) return b.graph.symbols[o.symbol];
  }
  ADD_FAILURE() << token << " is not an occurrence";
  static const Symbol none;
  return none;
}

bool is_occurrence(const Built& b, const std::string& token) {
  const uint32_t t = node(b, token);
  for (const Occurrence& o : b.graph.occurrences) {
    if (o.token == t) return true;
  }
  return false;
}

TEST(ScopePass, MethodNameDoesNotResolveToClassAttribute) {
  const Built b = build(
      "def f():\n"
      "    x = 1\n"
      "    class C:\n"
      "        x = 2\n"
      "        def m(self):\n"
      "            return x\n"
      "    return C\n");
  EXPECT_EQ(targets(b, EdgeKind::kOccurrenceOf, "x@6:19"), Labels{"$x@2:4"});
  EXPECT_EQ(targets(b, EdgeKind::kOccurrenceOf, "x@4:8"), Labels{"$x@4:8"});
  // The method body is entered from its def: it sees the function's x, not the class's.
  EXPECT_EQ(targets(b, EdgeKind::kLastWrite, "x@6:19"), Labels{"x@2:4"});
}

TEST(ScopePass, ClassComprehensionSeesClassNameOnlyInFirstIterable) {
  const Built b = build(
      "def f():\n"
      "    class C:\n"
      "        n = 3\n"
      "        xs = [n for i in range(n)]\n");
  EXPECT_EQ(targets(b, EdgeKind::kOccurrenceOf, "n@4:31"), Labels{"$n@3:8"});
  const Symbol& inner = symbol_of(b, "n@4:14");
  EXPECT_NE(inner.scope, symbol_of(b, "n@3:8").scope);
  EXPECT_TRUE(inner.flags & kSymFree);
}

TEST(ScopePass, GlobalAndNonlocal) {
  const Built b = build(
      "def f():\n"
      "    global g\n"
      "    g = 1\n"
      "    n = 0\n"
      "    def inc():\n"
      "        nonlocal n\n"
      "        n += 1\n"
      "    return n\n");
  const Symbol& g = symbol_of(b, "g@3:4");
  EXPECT_EQ(g.scope, 0);
  EXPECT_TRUE(g.flags & kSymGlobal);
  EXPECT_FALSE(g.flags & kSymFree);
  EXPECT_EQ(targets(b, EdgeKind::kOccurrenceOf, "n@7:8"), Labels{"$n@4:4"});
  EXPECT_TRUE(symbol_of(b, "n@4:4").flags & kSymNonlocal);
  // `n += 1` reads the n written before the def, then writes it.
  EXPECT_EQ(targets(b, EdgeKind::kLastWrite, "n@7:8"), Labels{"n@4:4"});
}

TEST(ScopePass, ComprehensionAndWalrusScopes) {
  const Built b = build(
      "def f(xs):\n"
      "    ys = [y for y in xs if (last := y)]\n"
      "    return y, last\n");
  // The comprehension variable stays inside; the walrus binds in the function.
  EXPECT_NE(symbol_of(b, "y@2:10").scope, symbol_of(b, "y@3:11").scope);
  EXPECT_TRUE(symbol_of(b, "y@3:11").flags & kSymFree);
  EXPECT_EQ(targets(b, EdgeKind::kOccurrenceOf, "last@3:14"), Labels{"$last@2:28"});
  EXPECT_EQ(targets(b, EdgeKind::kLastWrite, "last@3:14"), Labels{"last@2:28"});
  // The element is computed after the condition, inside the loop.
  EXPECT_EQ(targets(b, EdgeKind::kLastWrite, "y@2:10"), Labels{"y@2:16"});
}

TEST(ScopePass, LambdaParametersAndDefaults) {
  const Built b = build(
      "def f(a):\n"
      "    g = lambda a, k=a: a + k\n"
      "    return g\n");
  EXPECT_EQ(targets(b, EdgeKind::kOccurrenceOf, "a@2:20"), Labels{"$a@1:6"});
  EXPECT_EQ(targets(b, EdgeKind::kOccurrenceOf, "a@2:23"), Labels{"$a@2:15"});
  EXPECT_TRUE(symbol_of(b, "a@2:15").flags & kSymParameter);
  EXPECT_EQ(targets(b, EdgeKind::kLastWrite, "a@2:23"), Labels{"a@2:15"});
}

TEST(ScopePass, AttributesKeywordsAndImports) {
  const Built b = build(
      "def f(o):\n"
      "    import os.path\n"
      "    from m import y as z\n"
      "    return o.y(key=z, k2=os)\n");
  EXPECT_FALSE(is_occurrence(b, "y@4:13"));
  EXPECT_FALSE(is_occurrence(b, "key@4:15"));
  EXPECT_FALSE(is_occurrence(b, "path@2:14"));
  EXPECT_FALSE(is_occurrence(b, "m@3:9"));
  EXPECT_FALSE(is_occurrence(b, "y@3:18"));
  EXPECT_TRUE(symbol_of(b, "os@2:11").flags & kSymImport);
  EXPECT_EQ(targets(b, EdgeKind::kOccurrenceOf, "z@4:19"), Labels{"$z@3:23"});
  EXPECT_EQ(targets(b, EdgeKind::kOccurrenceOf, "os@4:25"), Labels{"$os@2:11"});
}

TEST(ScopePass, FreeNamesStillGetSymbols) {
  const Built b = build("def f():\n    return len(items)\n");
  const Symbol& items = symbol_of(b, "items@2:15");
  EXPECT_TRUE(items.flags & kSymFree);
  EXPECT_EQ(items.first_write_byte, UINT32_MAX);
  EXPECT_EQ(b.graph.nodes[items.node].kind, NodeKind::kSymbol);
  EXPECT_EQ(b.graph.nodes[items.node].text, "items");
}

TEST(ScopePass, BindingFormsAndOccurrenceStatements) {
  const Built b = build(
      "def f(p, *args, q: int = 0, **kw):\n"
      "    with open(p) as fh:\n"
      "        pass\n"
      "    try:\n"
      "        pass\n"
      "    except E as err:\n"
      "        pass\n"
      "    match p:\n"
      "        case [first, *others]:\n"
      "            pass\n"
      "    return fh, err, first, others, args, q, kw\n");
  for (const char* t : {"fh@11:11", "err@11:15", "first@11:20", "others@11:27", "args@11:35",
                        "q@11:41", "kw@11:44"}) {
    EXPECT_FALSE(symbol_of(b, t).flags & kSymFree) << t;
  }
  for (const char* t : {"args@1:10", "q@1:16", "kw@1:30"}) {
    EXPECT_TRUE(symbol_of(b, t).flags & kSymParameter) << t;
  }
  const uint32_t fh = node(b, "fh@2:20");
  for (const Occurrence& o : b.graph.occurrences) {
    if (o.token != fh) continue;
    EXPECT_TRUE(o.is_write);
    EXPECT_EQ(b.labels[o.statement], "with_statement@2:4");
  }
}

TEST(DataFlowPass, LoopBackEdgeGivesLastWriteToLaterAssignment) {
  const Built b = build(
      "def f(xs):\n"
      "    total = 0\n"
      "    for x in xs:\n"
      "        print(total)\n"
      "        total = total + x\n"
      "    return total\n");
  EXPECT_EQ(targets(b, EdgeKind::kLastWrite, "total@4:14"), (Labels{"total@2:4", "total@5:8"}));
  EXPECT_EQ(targets(b, EdgeKind::kLastRead, "total@4:14"), Labels{"total@5:16"});
  EXPECT_EQ(targets(b, EdgeKind::kLastWrite, "total@6:11"), (Labels{"total@2:4", "total@5:8"}));
  EXPECT_EQ(targets(b, EdgeKind::kComputedFrom, "total@5:8"), (Labels{"total@5:16", "x@5:24"}));
}

TEST(DataFlowPass, BranchesMergeAndReturnEndsFlow) {
  const Built b = build(
      "def f(c):\n"
      "    if c:\n"
      "        v = 1\n"
      "    elif c > 1:\n"
      "        v = 2\n"
      "        return v\n"
      "    else:\n"
      "        v = 3\n"
      "    return v\n");
  EXPECT_EQ(targets(b, EdgeKind::kLastWrite, "v@9:11"), (Labels{"v@3:8", "v@8:8"}));
}

TEST(DataFlowPass, BreakSkipsLoopElse) {
  const Built b = build(
      "def f(xs):\n"
      "    r = None\n"
      "    while xs:\n"
      "        r = 1\n"
      "        break\n"
      "    else:\n"
      "        r = 2\n"
      "    return r\n");
  EXPECT_EQ(targets(b, EdgeKind::kLastWrite, "r@8:11"), (Labels{"r@4:8", "r@7:8"}));
}

TEST(DataFlowPass, TryFinallySeesAllPathsAndLaterCodeOnlyNormalOnes) {
  const Built b = build(
      "def f():\n"
      "    x = 0\n"
      "    try:\n"
      "        x = g()\n"
      "        return x\n"
      "    except ValueError:\n"
      "        x = 2\n"
      "    finally:\n"
      "        print(x)\n"
      "    return x\n");
  EXPECT_EQ(targets(b, EdgeKind::kLastWrite, "x@9:14"), (Labels{"x@2:4", "x@4:8", "x@7:8"}));
  EXPECT_EQ(targets(b, EdgeKind::kLastWrite, "x@10:11"), Labels{"x@7:8"});
}

TEST(DataFlowPass, ShortCircuitAndConditionalExpression) {
  const Built b = build(
      "def f(a):\n"
      "    b = 0\n"
      "    ok = a and (b := 1)\n"
      "    c = b if ok else a\n"
      "    return b, c\n");
  EXPECT_EQ(targets(b, EdgeKind::kLastWrite, "b@4:8"), (Labels{"b@2:4", "b@3:16"}));
  EXPECT_EQ(targets(b, EdgeKind::kLastRead, "a@4:21"), Labels{"a@3:9"});
  EXPECT_EQ(targets(b, EdgeKind::kLastRead, "b@5:11"), (Labels{"b@4:8"}));
  EXPECT_EQ(targets(b, EdgeKind::kComputedFrom, "ok@3:4"), (Labels{"a@3:9", "b@3:16"}));
}

TEST(ControlFlowPass, StatementsLoopsAndJumps) {
  const Built b = build(
      "def f(xs):\n"
      "    for x in xs:\n"
      "        if x:\n"
      "            continue\n"
      "        g(x)\n"
      "    return 1\n");
  EXPECT_EQ(targets(b, EdgeKind::kControlFlowNext, "for_statement@2:4"),
            (Labels{"if_statement@3:8", "return_statement@6:4"}));
  EXPECT_EQ(targets(b, EdgeKind::kControlFlowNext, "continue_statement@4:12"),
            Labels{"for_statement@2:4"});
  EXPECT_EQ(targets(b, EdgeKind::kControlFlowNext, "expression_statement@5:8"),
            Labels{"for_statement@2:4"});
  EXPECT_EQ(targets(b, EdgeKind::kControlFlowNext, "return_statement@6:4"), Labels{});
}

TEST(ControlFlowPass, ReturnsToAndYieldsToTheirOwnFunction) {
  const Built b = build(
      "def f():\n"
      "    def g():\n"
      "        yield 1\n"
      "    return g\n");
  EXPECT_EQ(targets(b, EdgeKind::kYieldsTo, "yield@3:8-3:15"), Labels{"function_definition@2:4"});
  EXPECT_EQ(targets(b, EdgeKind::kReturnsTo, "return_statement@4:4"),
            Labels{"function_definition@1:0"});
}

TEST(SemanticPasses, DeepNestingDoesNotOverflow) {
  // About as deep as ParseOptions::max_depth lets through.
  Built b = build("def f(y):\n    x = " + std::string(1000, '(') + "y" + std::string(1000, ')') +
                  "\n    return x\n");
  EXPECT_EQ(targets(b, EdgeKind::kLastWrite, "x@3:11"), Labels{"x@2:4"});

  std::string cond = "def f(a, c):\n    y = ";
  for (int i = 0; i < 900; ++i) cond += "(a if c else ";
  cond += "a" + std::string(900, ')') + "\n    return y\n";
  b = build(cond);
  EXPECT_EQ(targets(b, EdgeKind::kLastWrite, "y@3:11"), Labels{"y@2:4"});

  std::string ifs = "def f(y):\n";
  for (int i = 0; i < 200; ++i) ifs += std::string(i + 1, ' ') + "if y:\n";
  ifs += std::string(201, ' ') + "y = 1\n return y\n";
  b = build(ifs);
  EXPECT_EQ(targets(b, EdgeKind::kLastWrite, "y@203:8"), (Labels{"y@1:6", "y@202:201"}));
}

TEST(SemanticPasses, SyntaxErrorsAreHandled) {
  const std::vector<std::string> broken = {
      "def f(a):\n    x = = a\n    return x\n",
      "def f(a):\n    for in a:\n        y = a\n    return y +\n",
      "def f(a):\n    try:\n        x = a\n    return x\n",
      "def f(a):\n    match a:\n        case [x:\n            pass\n",
      "def f(a):\n    lambda: (yield\n    class\n",
  };
  const Language* python = find_language("python");
  for (const std::string& src : broken) {
    const ParsedFile file = parse_source(src, *python, "broken.py");
    for (const Unit& u : extract_units(file)) {
      const CodeGraph g = build_graph(file, u);
      EXPECT_GT(g.nodes.size(), 0u) << src;
      for (const Occurrence& o : g.occurrences) {
        ASSERT_LT(o.symbol, g.symbols.size());
        ASSERT_LT(o.token, g.nodes.size());
      }
      for (const Edge& e : g.edges) {
        ASSERT_LT(e.src, g.nodes.size());
        ASSERT_LT(e.dst, g.nodes.size());
      }
    }
  }
}

}  // namespace
}  // namespace bugseek::parser
