// Integration: the whole front end over every .py file of the machine's Python standard
// library (find_python_stdlib(), or $BUGSEEK_PYTHON_STDLIB): no crash, no exception, a graph for
// every unit. Prints files / functions / nodes / edges / files with syntax errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "common/fs.h"
#include "parser/language.h"
#include "parser/source_file.h"
#include "parser/units.h"

namespace bugseek::parser {
namespace {

namespace fs = std::filesystem;

TEST(Stdlib, EveryFileGivesGraphsForEveryUnit) {
  const auto stdlib = find_python_stdlib();
  if (!stdlib) GTEST_SKIP() << "no Python standard library on this machine";
  std::vector<fs::path> paths;
  for (const auto& entry :
       fs::recursive_directory_iterator(*stdlib, fs::directory_options::skip_permission_denied)) {
    if (entry.is_regular_file() && entry.path().extension() == ".py") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  ASSERT_GT(paths.size(), 100u) << *stdlib;

  const Language& python = *find_language("python");
  const auto start = std::chrono::steady_clock::now();
  size_t empty = 0, bytes = 0, functions = 0, nodes = 0, edges = 0, with_errors = 0,
         error_units = 0;
  std::vector<std::string> refused;
  for (const auto& path : paths) {
    std::string text;
    try {
      text = read_file(path);
    } catch (const std::exception& e) {
      refused.push_back(path.string() + ": " + e.what());
      continue;
    }
    bytes += text.size();
    ParsedFile file;
    ASSERT_NO_THROW(file = parse_source(std::move(text), python, path.string())) << path;
    if (file.status == ParseStatus::kEmpty) {
      ++empty;
      continue;
    }
    if (!file.ok()) {
      refused.push_back(path.string() + ": " + file.problem);
      continue;
    }
    with_errors += file.has_syntax_errors();
    std::vector<Unit> units;
    ASSERT_NO_THROW(units = extract_units(file)) << path;
    ASSERT_FALSE(units.empty()) << path;
    for (const auto& unit : units) {
      CodeGraph graph;
      ASSERT_NO_THROW(graph = build_graph(file, unit)) << path << ": " << unit.qualified_name;
      ASSERT_FALSE(graph.nodes.empty()) << path << ": " << unit.qualified_name;
      nodes += graph.nodes.size();
      edges += graph.edges.size();
      functions += unit.kind != UnitKind::kModule;
      error_units += unit.has_syntax_errors;
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "[stdlib] %s: %zu files (%.1f MB), %zu functions, %zu nodes, %zu edges, "
      "%zu files with syntax errors (%zu units flagged), %zu empty, %zu refused, %.1f s\n",
      stdlib->c_str(), paths.size(), bytes / 1e6, functions, nodes, edges, with_errors, error_units,
      empty, refused.size(), seconds);
  for (const auto& line : refused) std::printf("[stdlib] refused %s\n", line.c_str());
  EXPECT_LE(refused.size(), paths.size() / 100) << "more than 1% of the stdlib refused";
  EXPECT_GT(functions, 1000u);
}

}  // namespace
}  // namespace bugseek::parser
