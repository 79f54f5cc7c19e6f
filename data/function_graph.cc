#include "data/function_graph.h"

namespace bugseek::data {

std::string_view graph_status_name(GraphStatus status) {
  switch (status) {
    case GraphStatus::kOk: return "ok";
    case GraphStatus::kParseFailed: return "parse-failed";
    case GraphStatus::kSyntaxError: return "syntax-error";
    case GraphStatus::kNoUnit: return "no-unit";
    case GraphStatus::kTooManyNodes: return "too-many-nodes";
  }
  return "unknown";
}

int32_t main_unit(const std::vector<parser::Unit>& units) {
  int32_t best = -1;
  uint32_t best_len = 0;
  for (size_t i = 0; i < units.size(); ++i) {
    if (units[i].kind == parser::UnitKind::kModule) continue;
    const uint32_t len = units[i].span.end_byte - units[i].span.start_byte;
    if (best < 0 || len > best_len) {
      best = static_cast<int32_t>(i);
      best_len = len;
    }
  }
  if (best < 0 && !units.empty()) best = static_cast<int32_t>(units.size() - 1);
  return best;
}

GraphStatus build_function_graph(std::string text, const parser::Language& language,
                                 uint32_t max_nodes, FunctionGraph& out) {
  out.file = parser::parse_source(std::move(text), language);
  if (!out.file.ok()) return GraphStatus::kParseFailed;
  if (out.file.has_syntax_errors()) return GraphStatus::kSyntaxError;
  std::vector<parser::Unit> units = parser::extract_units(out.file);
  const int32_t index = main_unit(units);
  if (index < 0) return GraphStatus::kNoUnit;
  out.unit = units[index];
  out.graph = parser::build_graph(out.file, out.unit);
  if (max_nodes > 0 && out.graph.nodes.size() > max_nodes) return GraphStatus::kTooManyNodes;
  out.sites = parser::enumerate_rewrites(out.file, out.graph);
  return GraphStatus::kOk;
}

bool dedent(std::string& text, uint32_t* removed) {
  *removed = 0;
  size_t indent = 0;
  while (indent < text.size() && (text[indent] == ' ' || text[indent] == '\t')) ++indent;
  if (indent == 0) return true;
  const std::string prefix = text.substr(0, indent);
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    const size_t end = eol == std::string::npos ? text.size() : eol + 1;
    const std::string_view line(text.data() + pos, end - pos);
    if (line.compare(0, indent, prefix) == 0) {
      out.append(line.substr(indent));
    } else {
      const size_t first = line.find_first_not_of(" \t\r\n\f");
      if (first != std::string_view::npos) return false;  // less indented, not blank
      out.append(line.substr(std::min(line.size(), line.find_first_of("\r\n"))));
    }
    pos = end;
  }
  text = std::move(out);
  *removed = static_cast<uint32_t>(indent);
  return true;
}

}  // namespace bugseek::data
