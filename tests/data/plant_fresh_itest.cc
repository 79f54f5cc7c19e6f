// A planted bug must look exactly like the same code written by hand. Training graphs of buggy
// code come from an incremental re-parse (apply_rewrite); real bugs, scanned code and the fixed
// twins of real pairs are parsed from scratch. Any difference between the two is a feature the
// detector can learn instead of the bug (it would then score well on synthetic bugs and at chance
// on real ones). This test plants rewrites in standard-library functions and compares the
// planted graph with a fresh parse of the buggy text, node by node, edge by edge, site by site.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <sstream>
#include <tuple>

#include "common/fs.h"
#include "data/extract.h"
#include "data/function_graph.h"
#include "parser/rewrites.h"

namespace bugseek::data {
namespace {
namespace fs = std::filesystem;

std::string first_difference(const parser::CodeGraph& a, const parser::CodeGraph& b) {
  if (a.nodes.size() != b.nodes.size()) {
    return "node count " + std::to_string(a.nodes.size()) + " vs " + std::to_string(b.nodes.size());
  }
  for (size_t i = 0; i < a.nodes.size(); ++i) {
    const parser::Node& x = a.nodes[i];
    const parser::Node& y = b.nodes[i];
    if (x.kind != y.kind || x.type != y.type || x.text != y.text || x.parent != y.parent ||
        x.field != y.field || a.field_names[x.field] != b.field_names[y.field]) {
      return "node " + std::to_string(i) + " '" + x.type + "' '" + x.text + "' vs '" + y.type +
             "' '" + y.text + "'";
    }
  }
  auto key = [](const parser::CodeGraph& g) {
    std::vector<std::tuple<int, uint32_t, uint32_t, std::string>> edges;
    for (const parser::Edge& e : g.edges) {
      edges.emplace_back(static_cast<int>(e.kind), e.src, e.dst, g.field_names[e.field]);
    }
    return edges;
  };
  auto ea = key(a), eb = key(b);
  if (ea != eb) {
    // Order matters too: featurizing keeps edge order, and so do the models' reductions.
    std::sort(ea.begin(), ea.end());
    std::sort(eb.begin(), eb.end());
    if (ea != eb) return "edge sets differ (" + std::to_string(ea.size()) + " vs " +
                         std::to_string(eb.size()) + ")";
    return "edge order differs";
  }
  return "";
}

std::string sites_difference(const parser::Sites& a, const parser::Sites& b) {
  if (a.sites.size() != b.sites.size()) return "site count differs";
  if (a.rewrites.size() != b.rewrites.size()) return "rewrite count differs";
  for (size_t i = 0; i < a.sites.size(); ++i) {
    if (a.sites[i].node != b.sites[i].node || a.sites[i].kind != b.sites[i].kind) {
      return "site " + std::to_string(i) + " differs";
    }
  }
  for (size_t i = 0; i < a.rewrites.size(); ++i) {
    const parser::Rewrite& x = a.rewrites[i];
    const parser::Rewrite& y = b.rewrites[i];
    if (x.site != y.site || !(x.edit == y.edit) || x.symbol_node != y.symbol_node ||
        x.swap_first != y.swap_first || x.swap_second != y.swap_second) {
      return "rewrite " + std::to_string(i) + " differs";
    }
  }
  return "";
}

TEST(PlantFresh, PlantedGraphEqualsFreshParseOfBuggyText) {
  auto root = find_python_stdlib();
  if (!root) GTEST_SKIP() << "no Python standard library on this machine";
  const parser::Language& python = *parser::find_language("python");
  std::vector<fs::path> files;
  for (const char* name : {"json/decoder.py", "bisect.py", "textwrap.py", "shlex.py", "heapq.py",
                           "fractions.py", "statistics.py", "difflib.py", "ipaddress.py"}) {
    if (fs::exists(*root / name)) files.push_back(*root / name);
  }
  ASSERT_FALSE(files.empty());
  std::mt19937_64 rng(7);
  size_t checked = 0;
  std::vector<std::string> failures;
  for (const fs::path& path : files) {
    const ExtractResult extracted =
        extract_functions(read_file(path), path.string(), python, ExtractOptions{}, false);
    for (const FunctionRecord& record : extracted.functions) {
      FunctionGraph clean;
      if (build_function_graph(record.text, python, 0, clean) != GraphStatus::kOk) continue;
      if (clean.sites.rewrites.empty()) continue;
      for (int k = 0; k < 3; ++k) {
        const size_t index =
            std::uniform_int_distribution<size_t>(0, clean.sites.rewrites.size() - 1)(rng);
        parser::AppliedRewrite applied =
            parser::apply_rewrite(clean.file, clean.unit, clean.sites, index);
        if (!applied.file.ok() || applied.file.has_syntax_errors() || !applied.unit) continue;
        FunctionGraph fresh;
        ASSERT_EQ(build_function_graph(applied.file.text, python, 0, fresh), GraphStatus::kOk);
        ++checked;
        std::string diff = first_difference(applied.graph, fresh.graph);
        if (diff.empty()) {
          diff = sites_difference(parser::enumerate_rewrites(applied.file, applied.graph),
                                  fresh.sites);
        }
        if (!diff.empty() && failures.size() < 10) {
          failures.push_back(record.file + ":" + record.name + " rewrite " +
                             std::to_string(index) + ": " + diff);
        }
      }
    }
  }
  std::ostringstream all;
  for (const std::string& f : failures) all << "\n  " << f;
  std::printf("checked %zu planted graphs against fresh parses\n", checked);
  EXPECT_GT(checked, 200u);
  EXPECT_TRUE(failures.empty()) << failures.size() << " differ:" << all.str();
}

}  // namespace
}  // namespace bugseek::data
