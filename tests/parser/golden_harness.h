// The golden-graph harness: reads tests/fixtures/graphs/*.txt (format in that folder's
// README.md), builds the graph of the chosen unit of each snippet and renders the edge kinds the
// case lists as `Kind  src -> dst` lines (parser/graph_format.h labels). Header-only so that
// every golden file becomes its own ctest case through golden_graphs_test.cc.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/fs.h"
#include "parser/graph_format.h"
#include "parser/language.h"
#include "parser/source_file.h"
#include "parser/units.h"

namespace bugseek::parser::golden {

constexpr const char* kUnitKind = "Unit";  // pseudo edge kind: the file's units

struct GoldenCase {
  std::string file;                // path of the .txt file
  std::string name;                // the `=== name` line
  size_t index = 0;                // position of the case in its file
  std::vector<std::string> kinds;  // `% kinds`: compared kinds (empty: from expected / all)
  std::string unit;                // `% unit`: qualified name (empty: the first unit)
  std::string source;
  std::vector<std::string> expected;
  size_t expected_first_line = 0;  // line numbers (0-based) of the expected section in the file
  size_t expected_end_line = 0;
};

// How gtest shows a case (instead of its bytes).
inline void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.file << ": " << c.name; }

inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

inline std::string trim_right(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  return s;
}

// Parses one golden file; throws std::runtime_error naming the file and line if it is malformed.
inline std::vector<GoldenCase> parse_golden_file(const std::string& path) {
  const std::vector<std::string> lines = split_lines(read_file(path));
  std::vector<GoldenCase> cases;
  auto fail = [&](size_t line, const std::string& what) {
    throw std::runtime_error(path + ":" + std::to_string(line + 1) + ": " + what);
  };
  size_t i = 0;
  while (i < lines.size() && trim_right(lines[i]).empty()) ++i;
  while (i < lines.size()) {
    if (lines[i].rfind("=== ", 0) != 0) fail(i, "expected a `=== name` line");
    GoldenCase c;
    c.file = path;
    c.name = trim_right(lines[i].substr(4));
    c.index = cases.size();
    ++i;
    for (; i < lines.size() && lines[i].rfind("% ", 0) == 0; ++i) {
      std::istringstream words(lines[i].substr(2));
      std::string directive, word;
      words >> directive;
      if (directive == "kinds") {
        while (words >> word) c.kinds.push_back(word);
      } else if (directive == "unit") {
        words >> c.unit;
      } else {
        fail(i, "unknown directive '% " + directive + "' (kinds, unit)");
      }
    }
    for (; i < lines.size() && lines[i] != "---"; ++i) c.source += lines[i] + "\n";
    if (i == lines.size()) fail(i - 1, "case '" + c.name + "' has no `---` line");
    ++i;
    c.expected_first_line = i;
    for (; i < lines.size() && lines[i].rfind("=== ", 0) != 0; ++i) {
      const std::string line = trim_right(lines[i]);
      if (!line.empty()) c.expected.push_back(line);
    }
    c.expected_end_line = i;
    cases.push_back(std::move(c));
  }
  return cases;
}

inline std::filesystem::path golden_dir() {
  return std::filesystem::path(BUGSEEK_SOURCE_DIR) / "tests" / "fixtures" / "graphs";
}

inline std::vector<GoldenCase> load_golden_cases() {
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(golden_dir())) {
    for (const auto& entry : std::filesystem::directory_iterator(golden_dir())) {
      if (entry.path().extension() == ".txt") files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<GoldenCase> all;
  for (const auto& file : files) {
    for (auto& c : parse_golden_file(file.string())) all.push_back(std::move(c));
  }
  return all;
}

inline std::string kind_of_line(const std::string& line) {
  std::string kind = line.substr(0, line.find_first_of(" ["));
  return kind;
}

// The kinds a case compares: `% kinds`, else those in its expected lines, else all.
inline std::vector<std::string> compared_kinds(const GoldenCase& c) {
  std::vector<std::string> kinds = c.kinds;
  if (kinds.empty()) {
    for (const auto& line : c.expected) {
      const std::string kind = kind_of_line(line);
      if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) kinds.push_back(kind);
    }
  }
  if (kinds.empty()) {
    for (int k = 0; k < kNumEdgeKinds; ++k) {
      kinds.emplace_back(edge_kind_name(static_cast<EdgeKind>(k)));
    }
  }
  return kinds;
}

inline std::string unit_line(const Unit& unit) {
  const char* kind = unit.kind == UnitKind::kFunction ? "function"
                     : unit.kind == UnitKind::kLambda ? "lambda"
                                                      : "module";
  std::string line =
      std::string(kUnitKind) + "  " + kind + "  " + unit.qualified_name + "  " +
      std::to_string(unit.span.start.row + 1) + ":" + std::to_string(unit.span.start.column) + "-" +
      std::to_string(unit.span.end.row + 1) + ":" + std::to_string(unit.span.end.column);
  if (unit.has_syntax_errors) line += "  syntax-errors";
  return line;
}

// The actual lines of `c` for its compared kinds, in graph order. Throws std::runtime_error on
// an unknown kind, an unknown unit or a file that does not parse.
inline std::vector<std::string> render_case(const GoldenCase& c) {
  const std::vector<std::string> kinds = compared_kinds(c);
  uint32_t mask = 0;
  bool want_units = false;
  for (const auto& kind : kinds) {
    if (kind == kUnitKind) {
      want_units = true;
    } else if (auto k = edge_kind_from_name(kind)) {
      mask |= edge_kind_bit(*k);
    } else {
      throw std::runtime_error("unknown edge kind '" + kind + "'");
    }
  }
  const ParsedFile file = parse_source(c.source, languages().front(), c.file);
  if (!file.ok()) throw std::runtime_error("snippet does not parse: " + file.problem);
  const std::vector<Unit> units = extract_units(file);
  std::vector<std::string> lines;
  if (want_units) {
    for (const auto& unit : units) lines.push_back(unit_line(unit));
  }
  if (mask == 0) return lines;
  const Unit* chosen = nullptr;
  for (const auto& unit : units) {
    if (c.unit.empty() || unit.qualified_name == c.unit) {
      chosen = &unit;
      break;
    }
  }
  if (!chosen) throw std::runtime_error("no unit named '" + c.unit + "'");
  for (auto& line : edge_lines(build_graph(file, *chosen), mask)) lines.push_back(std::move(line));
  return lines;
}

// Replaces the expected section of `c` in its file by `lines` (BUGSEEK_UPDATE_GOLDEN=1).
inline void rewrite_expected(const GoldenCase& c, const std::vector<std::string>& lines) {
  std::vector<std::string> file_lines = split_lines(read_file(c.file));
  // Re-locate the case: earlier rewrites in this run may have moved it.
  const auto cases = parse_golden_file(c.file);
  if (c.index >= cases.size() || cases[c.index].name != c.name) {
    throw std::runtime_error("golden file changed while updating: " + c.file);
  }
  const GoldenCase& now = cases[c.index];
  std::vector<std::string> out(file_lines.begin(), file_lines.begin() + now.expected_first_line);
  out.insert(out.end(), lines.begin(), lines.end());
  if (now.expected_end_line < file_lines.size()) out.emplace_back();
  out.insert(out.end(), file_lines.begin() + now.expected_end_line, file_lines.end());
  std::string text;
  for (const auto& line : out) text += line + "\n";
  while (text.size() >= 2 && text[text.size() - 1] == '\n' && text[text.size() - 2] == '\n') {
    text.pop_back();
  }
  write_file_atomic(c.file, text);
}

}  // namespace bugseek::parser::golden
