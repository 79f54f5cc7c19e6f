// Fuzz target (a): the whole front end on arbitrary bytes, as `prepare`, `train` and `scan` run it:
// parse -> units -> every graph pass (build_graph) -> rewrite enumeration -> apply a rewrite ->
// re-enumerate and find the inverse -> bug-fix match of the rewritten text against the original.
// Besides crashes and sanitizer reports it checks what must hold for any input: indices in range,
// edits inside the text, and every applied rewrite undone byte for byte by its undo edit.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "parser/graph_format.h"
#include "parser/language.h"
#include "parser/rewrites.h"
#include "parser/units.h"

namespace {

using namespace bugseek::parser;

// Applying a rewrite re-parses the file and matching re-parses it a few times more, several times
// the cost of everything before it; so one input applies one rewrite (the unit and the rewrite are
// picked from the input's size and first byte) and the fuzzer's mutations reach the others.

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_frontend: invariant broken: %s\n", what);
  std::abort();
}

void check_graph(const CodeGraph& graph) {
  const size_t n = graph.nodes.size();
  for (const Edge& e : graph.edges) {
    if (e.src >= n || e.dst >= n) fail("edge endpoint out of range");
  }
  for (const Node& node : graph.nodes) {
    if (node.parent != kNoNode && static_cast<size_t>(node.parent) >= n)
      fail("parent out of range");
  }
}

void check_sites(const ParsedFile& file, const CodeGraph& graph, const Sites& sites) {
  for (const Site& s : sites.sites) {
    if (s.node >= graph.nodes.size()) fail("site node out of range");
    if (s.span.start_byte > s.span.end_byte || s.span.end_byte > file.text.size()) {
      fail("site span outside the text");
    }
  }
  for (const Rewrite& r : sites.rewrites) {
    if (r.site >= sites.sites.size()) fail("rewrite site out of range");
    if (r.edit.start_byte > r.edit.old_end_byte || r.edit.old_end_byte > file.text.size()) {
      fail("rewrite edit outside the text");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Language* python = find_language("python");
  if (python == nullptr) fail("python grammar missing");
  ParseOptions options;
  options.timeout_micros = 5'000'000;
  ParsedFile file = parse_source(std::string(reinterpret_cast<const char*>(data), size), *python,
                                 "fuzz.py", options);
  if (!file.ok()) return 0;
  const std::vector<Unit> units = extract_units(file);
  struct Candidate {
    const Unit* unit;
    CodeGraph graph;
    Sites sites;
  };
  std::vector<Candidate> candidates;  // units with at least one rewrite
  for (const Unit& unit : units) {
    // Production (prepare, train, scan) builds graphs only for units without syntax errors.
    if (unit.has_syntax_errors) continue;
    CodeGraph graph = build_graph(file, unit);
    check_graph(graph);
    std::ostringstream sink;
    write_sexp(sink, graph);
    Sites sites = enumerate_rewrites(file, graph);
    check_sites(file, graph, sites);
    if (!sites.rewrites.empty()) candidates.push_back({&unit, std::move(graph), std::move(sites)});
  }
  if (candidates.empty()) return 0;
  const size_t pick = size * 131 + (size > 0 ? data[0] : 0);
  const Candidate& c = candidates[pick % candidates.size()];
  const size_t i = pick % c.sites.rewrites.size();
  const BugKind kind = c.sites.sites[c.sites.rewrites[i].site].kind;
  const AppliedRewrite a = apply_rewrite(file, *c.unit, c.sites, i);
  if (apply_edit(a.file.text, a.undo) != file.text) fail("undo edit does not restore the text");
  if (a.unit && !a.unit->has_syntax_errors && a.file.ok()) {
    check_graph(a.graph);
    const Sites new_sites = enumerate_rewrites(a.file, a.graph);
    check_sites(a.file, a.graph, new_sites);
    const int32_t inverse = find_inverse(new_sites, a, kind);
    if (inverse >= static_cast<int32_t>(new_sites.rewrites.size())) fail("inverse out of range");
  }
  const BugFixMatch match = match_bug_fix(a.file.text, file.text, *python);
  if (match.matched && match.bug_span.end_byte > a.file.text.size()) {
    fail("bug-fix match span outside the buggy text");
  }
  return 0;
}
