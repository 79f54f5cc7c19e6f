// `bugseek parse FILE`: shows the code graphs the models see, one per unit (each function, each
// statement lambda, and the module-level code), as an s-expression, JSON or Graphviz dot.
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "common/error.h"
#include "common/fs.h"
#include "common/log.h"
#include "parser/graph_format.h"
#include "parser/language.h"
#include "parser/source_file.h"
#include "parser/units.h"

namespace bugseek::cli {
namespace {

struct ParseCommandConfig {
  std::string file;
  std::string function;  // empty = every unit
  std::string format = "sexp";
  std::string edges;     // comma-separated edge kinds; empty = all
  std::string language;  // empty = from the file extension
  bool summary = false;
  parser::ParseOptions parse;
};

const char* kUsage =
    "usage: bugseek parse FILE [--function NAME] [--format sexp|json|dot] [--edges KINDS]\n"
    "\n"
    "Shows the code graph of every unit of FILE (each function, each statement lambda, and the\n"
    "module-level code, function bodies left out), or of one unit with --function.\n"
    "Examples:\n"
    "  bugseek parse app.py --summary\n"
    "  bugseek parse app.py --function Cls.method --format dot | dot -Tsvg > graph.svg";

uint32_t parse_edge_mask(const std::string& list) {
  if (list.empty()) return parser::kAllEdgeKinds;
  uint32_t mask = 0;
  std::stringstream in(list);
  std::string name;
  while (std::getline(in, name, ',')) {
    if (name.empty()) continue;
    auto kind = parser::edge_kind_from_name(name);
    if (!kind) {
      std::string known;
      for (int k = 0; k < parser::kNumEdgeKinds; ++k) {
        known +=
            (k ? ", " : "") + std::string(parser::edge_kind_name(static_cast<parser::EdgeKind>(k)));
      }
      throw UsageError("unknown edge kind '" + name + "' (known: " + known + ")");
    }
    mask |= parser::edge_kind_bit(*kind);
  }
  return mask;
}

const parser::Language& pick_language(const ParseCommandConfig& cfg) {
  if (!cfg.language.empty()) {
    const parser::Language* lang = parser::find_language(cfg.language);
    if (!lang) throw UsageError("unknown language '" + cfg.language + "'");
    return *lang;
  }
  const parser::Language* lang = parser::language_for_path(cfg.file);
  return lang ? *lang : parser::languages().front();
}

// The units --function selects: exact qualified name first, else the plain name.
std::vector<parser::Unit> select_units(std::vector<parser::Unit> units, const std::string& name,
                                       const std::string& path) {
  if (name.empty()) return units;
  for (bool qualified : {true, false}) {
    std::vector<parser::Unit> picked;
    for (const auto& unit : units) {
      if ((qualified ? unit.qualified_name : unit.name) == name) picked.push_back(unit);
    }
    if (!picked.empty()) return picked;
  }
  std::string known;
  for (const auto& unit : units) known += "\n  " + unit.qualified_name;
  throw_error("parse", path, "no unit named '" + name + "'; the units are:" + known);
}

}  // namespace

int run_parse(int argc, char** argv) {
  ParseCommandConfig cfg;
  GeneralOptions general;
  po::options_description visible = general_group(general, false, false);
  po::options_description graph("Graph");
  graph.add_options()("function,f", po::value(&cfg.function)->default_value(cfg.function),
                      "show only this unit: qualified (Cls.method) or plain name; "
                      "\"<module>\" is the module-level code (empty = every unit)")(
      "format", po::value(&cfg.format)->default_value(cfg.format), "sexp, json or dot")(
      "edges", po::value(&cfg.edges)->default_value(cfg.edges),
      "edge kinds to show, comma-separated, e.g. Child,NextToken (empty = all)")(
      "summary", po::bool_switch(&cfg.summary), "only one line per unit, no graphs")(
      "language", po::value(&cfg.language)->default_value(cfg.language),
      "grammar to use (empty = from the file extension, else python)")(
      "max-bytes", po::value(&cfg.parse.max_bytes)->default_value(cfg.parse.max_bytes),
      "files larger than this many bytes are refused");
  visible.add(graph);
  po::options_description hidden;
  hidden.add_options()("file", po::value(&cfg.file), "source file");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (!parse_command_line(argc, argv, kUsage, visible, hidden, positional, vm, general)) return 0;
  if (cfg.file.empty()) throw UsageError("missing FILE (see --help)");
  const auto format = parser::graph_format_from_name(cfg.format);
  if (!format) throw UsageError("unknown --format '" + cfg.format + "' (sexp, json or dot)");
  const uint32_t mask = parse_edge_mask(cfg.edges);

  const parser::Language& language = pick_language(cfg);
  parser::ParsedFile file =
      parser::parse_source(read_file(cfg.file), language, cfg.file, cfg.parse);
  if (!file.ok()) throw_error("parse", cfg.file, file.problem);
  if (file.has_syntax_errors()) {
    log_warn("parse", cfg.file, ": ", file.error_nodes, " ERROR and ", file.missing_nodes,
             " MISSING nodes; the units they touch are flagged");
  }
  const std::vector<parser::Unit> units =
      select_units(parser::extract_units(file), cfg.function, cfg.file);
  std::vector<parser::CodeGraph> graphs;
  graphs.reserve(units.size());
  for (const auto& unit : units) graphs.push_back(parser::build_graph(file, unit));

  if (cfg.summary) {
    for (size_t i = 0; i < units.size(); ++i) {
      std::cout << parser::unit_summary(units[i], graphs[i]) << '\n';
    }
    return 0;
  }
  parser::write_units(std::cout, file, units, graphs, *format, mask);
  std::cout.flush();
  return std::cout ? 0 : 1;
}

}  // namespace bugseek::cli
