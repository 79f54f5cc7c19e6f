// `bugseek rewrites FILE [--function NAME] [--kind K] [--apply N]`: lists every site and candidate
// replacement of a file's units (the action space the selector and detector share); --apply
// prints the unified diff of one listed rewrite.
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "cli/options.h"
#include "common/error.h"
#include "common/fs.h"
#include "parser/rewrites.h"

namespace bugseek::cli {
namespace {

struct RewritesConfig {
  std::string file;
  std::string function;  // "" = every unit
  std::string kind;      // "" = every kind
  int apply = -1;        // -1 = list only
};

std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text) out += (c == '\n') ? ' ' : c;
  if (out.size() > 60) out = out.substr(0, 57) + "...";
  return out;
}

}  // namespace

int run_rewrites(int argc, char** argv) {
  RewritesConfig cfg;
  GeneralOptions general;
  po::options_description visible = general_group(general, false, false);
  po::options_description select("Rewrites");
  select.add_options()("function", po::value(&cfg.function)->default_value(cfg.function),
                       "only the unit with this name or qualified name (\"\" = all)")(
      "kind", po::value(&cfg.kind)->default_value(cfg.kind),
      "only this bug kind: variable-misuse, wrong-binary-op, wrong-assign-op, wrong-compare-op, "
      "wrong-boolean-op, argument-swap, wrong-literal (\"\" = all)")(
      "apply", po::value(&cfg.apply)->default_value(cfg.apply),
      "print the unified diff of listed rewrite N instead of the list (-1 = list)");
  visible.add(select);
  po::options_description hidden;
  hidden.add_options()("file", po::value(&cfg.file)->required(), "source file");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (!parse_command_line(argc, argv, "usage: bugseek rewrites FILE [options]", visible, hidden,
                          positional, vm, general)) {
    return 0;
  }
  std::optional<parser::BugKind> kind;
  if (!cfg.kind.empty()) {
    kind = parser::bug_kind_from_name(cfg.kind);
    if (!kind) throw UsageError("unknown --kind '" + cfg.kind + "' (see --help)");
  }
  const parser::Language* language = parser::language_for_path(cfg.file);
  if (!language) language = &parser::languages().front();
  parser::ParsedFile file = parser::parse_source(read_file(cfg.file), *language, cfg.file);
  if (!file.ok()) {
    throw_error("rewrites", cfg.file,
                std::string("cannot parse: ") + parser::parse_status_name(file.status));
  }

  int listed = 0;
  bool any_unit = false;
  for (const parser::Unit& unit : parser::extract_units(file)) {
    if (!cfg.function.empty() && unit.name != cfg.function && unit.qualified_name != cfg.function) {
      continue;
    }
    any_unit = true;
    parser::CodeGraph graph = parser::build_graph(file, unit);
    parser::Sites sites = parser::enumerate_rewrites(file, graph);
    bool header = false;
    for (const parser::Rewrite& r : sites.rewrites) {
      const parser::Site& site = sites.sites[r.site];
      if (kind && site.kind != *kind) continue;
      int number = listed++;
      if (cfg.apply >= 0) {
        if (number == cfg.apply) {
          std::fputs(parser::edit_diff(file.text, r.edit, cfg.file).c_str(), stdout);
          return 0;
        }
        continue;
      }
      if (!header) {
        std::printf("%s  %s\n", unit.qualified_name.c_str(),
                    parser::format_point(unit.span.start).c_str());
        header = true;
      }
      std::printf("  %5d  %-8s %-17s `%s` -> `%s`\n", number,
                  parser::format_point(site.span.start).c_str(),
                  std::string(parser::bug_kind_name(site.kind)).c_str(),
                  one_line(site.original).c_str(), one_line(r.replacement).c_str());
    }
  }
  if (!cfg.function.empty() && !any_unit) {
    throw UsageError("no unit named '" + cfg.function + "' in " + cfg.file);
  }
  if (cfg.apply >= 0) {
    throw UsageError("--apply " + std::to_string(cfg.apply) + ": only " + std::to_string(listed) +
                     " rewrites listed");
  }
  return 0;
}

}  // namespace bugseek::cli
