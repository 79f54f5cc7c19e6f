// Graph construction cost against raw tree-sitter parsing, on the Python standard library.
//
//   build/bench/bench_parse [--stdlib DIR] [--rounds N]
//
// Reads every .py file under DIR (default: find_python_stdlib()) into memory, then per round
// times (1) ts_parser_parse_string alone and (2) the full front end: parse_source + extract_units
// + build_graph for every unit (all passes). Prints the best round of each in MB/s and
// functions/s, a breakdown of (2), and the ratio (2)/(1); the target is a ratio of at most 3.
#include <tree_sitter/api.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "common/fs.h"
#include "parser/language.h"
#include "parser/source_file.h"
#include "parser/syntax_pass.h"
#include "parser/units.h"

namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;
using bugseek::parser::Language;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Totals {
  double parse_s = 0, units_s = 0, graphs_s = 0, syntax_s = 0;
  size_t functions = 0, units = 0, nodes = 0, edges = 0, skipped = 0;
  double total() const { return parse_s + units_s + graphs_s; }
};

double raw_parse(const std::vector<std::string>& texts, const Language& language) {
  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, language.grammar());
  const auto start = Clock::now();
  for (const auto& text : texts) {
    TSTree* tree =
        ts_parser_parse_string(parser, nullptr, text.data(), static_cast<uint32_t>(text.size()));
    ts_tree_delete(tree);
  }
  const double s = seconds_since(start);
  ts_parser_delete(parser);
  return s;
}

Totals full_front_end(const std::vector<std::string>& texts, const Language& language) {
  Totals t;
  for (const auto& text : texts) {
    auto start = Clock::now();
    auto file = bugseek::parser::parse_source(text, language);
    t.parse_s += seconds_since(start);
    start = Clock::now();
    const auto units = bugseek::parser::extract_units(file);
    t.units_s += seconds_since(start);
    if (!file.ok()) ++t.skipped;
    start = Clock::now();
    for (const auto& unit : units) {
      const auto graph = bugseek::parser::build_graph(file, unit);
      t.nodes += graph.nodes.size();
      t.edges += graph.edges.size();
      t.functions += unit.kind != bugseek::parser::UnitKind::kModule;
    }
    t.units += units.size();
    t.graphs_s += seconds_since(start);
    // The syntax and token passes alone (the rest of build_graph is the semantic passes).
    start = Clock::now();
    for (const auto& unit : units) {
      bugseek::parser::CodeGraph graph;
      TSNode root = ts_tree_root_node(file.tree.get());
      if (unit.kind != bugseek::parser::UnitKind::kModule) {
        std::memcpy(&root, &unit.root, sizeof root);
      }
      bugseek::parser::run_syntax_pass(file, root, unit.kind == bugseek::parser::UnitKind::kModule,
                                       graph);
      bugseek::parser::run_token_pass(graph);
    }
    t.syntax_s += seconds_since(start);
  }
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  std::string stdlib;
  int rounds = 3;
  po::options_description opts("bench_parse");
  opts.add_options()("help,h", "show this help")(
      "stdlib", po::value(&stdlib), "directory of .py files (default: the machine's stdlib)")(
      "rounds", po::value(&rounds)->default_value(rounds), "timed rounds; the best is reported");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, opts), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "bench_parse: " << e.what() << "\n" << opts;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << opts;
    return 0;
  }
  if (stdlib.empty()) {
    auto found = bugseek::find_python_stdlib();
    if (!found) {
      std::cerr << "bench_parse: no Python standard library found; pass --stdlib DIR\n";
      return 1;
    }
    stdlib = found->string();
  }
  std::vector<fs::path> paths;
  for (const auto& entry :
       fs::recursive_directory_iterator(stdlib, fs::directory_options::skip_permission_denied)) {
    if (entry.is_regular_file() && entry.path().extension() == ".py") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> texts;
  size_t bytes = 0;
  for (const auto& path : paths) {
    texts.push_back(bugseek::read_file(path));
    bytes += texts.back().size();
  }
  const Language& language = bugseek::parser::languages().front();
  const double mb = bytes / 1e6;
  std::printf("corpus: %s: %zu files, %.2f MB\n", stdlib.c_str(), texts.size(), mb);

  double best_raw = 1e30;
  Totals best_full;
  best_full.parse_s = 1e30;
  for (int r = 0; r < std::max(1, rounds); ++r) {
    const double raw = raw_parse(texts, language);
    const Totals full = full_front_end(texts, language);
    std::printf("round %d: raw parse %.3f s, full front end %.3f s\n", r + 1, raw, full.total());
    best_raw = std::min(best_raw, raw);
    if (full.total() < best_full.total()) best_full = full;
  }
  const double full_s = best_full.total();
  std::printf(
      "functions %zu, units %zu (module units included), nodes %zu, edges %zu, "
      "files empty or refused %zu\n",
      best_full.functions, best_full.units, best_full.nodes, best_full.edges, best_full.skipped);
  std::printf("raw tree-sitter parse : %7.3f s  %6.2f MB/s  %9.0f functions/s\n", best_raw,
              mb / best_raw, best_full.functions / best_raw);
  std::printf("full graph front end  : %7.3f s  %6.2f MB/s  %9.0f functions/s\n", full_s,
              mb / full_s, best_full.functions / full_s);
  std::printf(
      "  parse_source %.3f s (parse + error/depth scan), extract_units %.3f s, "
      "build_graph %.3f s\n",
      best_full.parse_s, best_full.units_s, best_full.graphs_s);
  std::printf("  of build_graph: syntax + token passes alone %.3f s (measured separately)\n",
              best_full.syntax_s);
  std::printf("ratio full / raw: %.2fx (target <= 3x)\n", full_s / best_raw);
  return 0;
}
