// Unit extraction: which functions become units, their names and spans, and that nested
// functions stay inside their parent's graph.
#include "parser/units.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parser/language.h"
#include "parser/source_file.h"

namespace bugseek::parser {
namespace {

std::vector<Unit> units_of(const std::string& text, ParsedFile* out = nullptr) {
  ParsedFile file = parse_source(text, *find_language("python"));
  EXPECT_TRUE(file.ok()) << file.problem;
  auto units = extract_units(file);
  if (out) *out = std::move(file);
  return units;
}

std::vector<std::string> names(const std::vector<Unit>& units) {
  std::vector<std::string> out;
  for (const auto& unit : units) out.push_back(unit.qualified_name);
  return out;
}

TEST(Units, FunctionsMethodsLambdasAndTheModuleInSourceOrder) {
  const auto units = units_of(
      "def a(): pass\n"
      "async def b(): pass\n"
      "class C:\n"
      "    def m(self): pass\n"
      "    class D:\n"
      "        async def n(self): pass\n"
      "    k = lambda s: s\n"
      "h = lambda: 0\n");
  EXPECT_EQ(names(units),
            (std::vector<std::string>{"a", "b", "C.m", "C.D.n", "C.k", "h", "<module>"}));
  EXPECT_EQ(units[1].name, "b");
  EXPECT_EQ(units[3].name, "n");
  EXPECT_EQ(units[4].kind, UnitKind::kLambda);
  EXPECT_EQ(units[4].name, "<lambda>");
  EXPECT_EQ(units.back().kind, UnitKind::kModule);
}

TEST(Units, NestedFunctionsAndInnerClassesStayInTheirParent) {
  ParsedFile file;
  const auto units = units_of(
      "def outer():\n"
      "    def inner():\n"
      "        return 1\n"
      "    class Local:\n"
      "        def m(self): pass\n"
      "    g = lambda: inner()\n"
      "    return inner\n",
      &file);
  EXPECT_EQ(names(units), (std::vector<std::string>{"outer", "<module>"}));
  const CodeGraph g = build_graph(file, units[0]);
  int defs = 0;
  for (const Node& node : g.nodes) defs += node.type == "function_definition";
  EXPECT_EQ(defs, 3);
}

TEST(Units, OnlyStatementLambdasAreUnits) {
  const auto units = units_of(
      "a = lambda: 1\n"
      "b = c = lambda: 2\n"
      "d: T = lambda: 3\n"
      "lambda: 4\n"
      "e = f(lambda: 5)\n"
      "g = (lambda: 6)\n"
      "h += lambda: 7\n"
      "x.y = lambda: 8\n");
  EXPECT_EQ(names(units),
            (std::vector<std::string>{"a", "c", "d", "<lambda>", "<lambda>", "<module>"}));
}

TEST(Units, DecoratedSpanIncludesDecoratorsAndFunctionsInBlocksAreFound) {
  const auto units = units_of(
      "if cond:\n"
      "    @dec(1)\n"
      "    @other\n"
      "    def f():\n"
      "        pass\n"
      "else:\n"
      "    try:\n"
      "        def f(): pass\n"
      "    except E:\n"
      "        pass\n");
  ASSERT_EQ(units.size(), 3u);
  EXPECT_EQ(units[0].span.start.row, 1u);
  EXPECT_EQ(units[0].span.start.column, 4u);
  EXPECT_EQ(units[0].span.end.row, 4u);
  EXPECT_EQ(units[1].qualified_name, "f");
  EXPECT_EQ(units[1].span.start.row, 7u);
}

TEST(Units, ModuleUnitSpansTheFileAndLeavesBodiesOut) {
  ParsedFile file;
  const std::string text = "def f(a=1):\n    secret = 2\nk = lambda q: hidden\nz = 3\n";
  const auto units = units_of(text, &file);
  ASSERT_EQ(units.size(), 3u);
  const Unit& module = units.back();
  EXPECT_EQ(module.span.start_byte, 0u);
  EXPECT_EQ(module.span.end_byte, text.size());
  EXPECT_EQ(module.span.end.row, 4u);
  const CodeGraph g = build_graph(file, module);
  std::string tokens;
  for (const Node& node : g.nodes) {
    if (node.kind == NodeKind::kToken) tokens += node.text + " ";
  }
  EXPECT_EQ(tokens, "def f ( a = 1 ) : k = lambda q : z = 3 ");
}

TEST(Units, FunctionGraphRootsAtTheDefinition) {
  ParsedFile file;
  const auto units = units_of("x = 0\n@d\ndef f():\n    return x\nl = lambda: x\n", &file);
  ASSERT_EQ(units.size(), 3u);
  EXPECT_EQ(build_graph(file, units[0]).nodes[0].type, "decorated_definition");
  EXPECT_EQ(build_graph(file, units[1]).nodes[0].type, "lambda");
  EXPECT_EQ(build_graph(file, units[2]).nodes[0].type, "module");
}

TEST(Units, AUnitFromAnotherFileIsMisuse) {
  ParsedFile file;
  units_of("x = 1\n", &file);
  Unit unit;
  unit.kind = UnitKind::kFunction;
  unit.span.start_byte = 0;
  unit.span.end_byte = 5;
  EXPECT_THROW(build_graph(file, unit), std::exception);
}

TEST(Units, AUnitWorksOnAnotherParseOfTheSameText) {
  const std::string text = "x = 1\nclass C:\n    def m(self):\n        return x\n";
  ParsedFile first;
  const auto units = units_of(text, &first);
  ParsedFile second = parse_source(text, *find_language("python"));
  const CodeGraph a = build_graph(first, units[0]);
  const CodeGraph b = build_graph(second, units[0]);
  EXPECT_EQ(a.nodes.size(), b.nodes.size());
  EXPECT_EQ(a.edges.size(), b.edges.size());
}

TEST(Units, RefusedFilesHaveNoUnits) {
  const ParsedFile file = parse_source(std::string("\0", 1), *find_language("python"));
  EXPECT_TRUE(extract_units(file).empty());
}

}  // namespace
}  // namespace bugseek::parser
