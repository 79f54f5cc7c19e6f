// Text forms of a CodeGraph: labels, edge lines, s-expression, JSON and dot. All walks are
// iterative so that deep graphs print without deep recursion.
#include "parser/graph_format.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <unordered_map>
#include <utility>

namespace bugseek::parser {
namespace {

std::string position(const Point& p) {
  return std::to_string(p.row + 1) + ":" + std::to_string(p.column);
}

// Token text on one line: control characters escaped, cut at a character boundary.
std::string display_text(std::string_view text, size_t max_text) {
  std::string out;
  size_t cut = text.size();
  if (max_text > 0 && text.size() > max_text) {
    cut = max_text;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  }
  for (size_t i = 0; i < cut; ++i) {
    const char c = text[i];
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += c;
    }
  }
  if (cut < text.size()) out += "...";
  return out;
}

std::string base_label(const Node& node, size_t max_text) {
  switch (node.kind) {
    case NodeKind::kToken:
      return (node.text.empty() ? node.type : display_text(node.text, max_text)) + "@" +
             position(node.span.start);
    case NodeKind::kSymbol:
      return "$" + display_text(node.text, max_text) + "@" + position(node.span.start);
    case NodeKind::kSyntax:
      break;
  }
  return node.type + "@" + position(node.span.start);
}

std::string field_name(const CodeGraph& graph, uint16_t field) {
  return field < graph.field_names.size() ? graph.field_names[field] : std::string();
}

std::string dot_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) >= 0x20) {
      out += c;
    }
  }
  return out;
}

const char* dot_edge_style(EdgeKind kind) {
  switch (kind) {
    case EdgeKind::kChild:
      return "color=\"#444444\"";
    case EdgeKind::kNextSibling:
      return "color=\"#9e9e9e\" style=dotted constraint=false";
    case EdgeKind::kNextToken:
      return "color=\"#1a73e8\" style=dashed constraint=false";
    case EdgeKind::kOccurrenceOf:
      return "color=\"#8e24aa\" constraint=false";
    case EdgeKind::kLastRead:
      return "color=\"#2e7d32\" constraint=false";
    case EdgeKind::kLastWrite:
      return "color=\"#c62828\" constraint=false";
    case EdgeKind::kComputedFrom:
      return "color=\"#ef6c00\" constraint=false";
    case EdgeKind::kReturnsTo:
    case EdgeKind::kYieldsTo:
      return "color=\"#00838f\" style=bold constraint=false";
    case EdgeKind::kControlFlowNext:
      return "color=\"#6d4c41\" style=bold constraint=false";
  }
  return "";
}

constexpr uint32_t kTreeKinds = edge_kind_bit(EdgeKind::kChild) |
                                edge_kind_bit(EdgeKind::kNextSibling) |
                                edge_kind_bit(EdgeKind::kNextToken);

}  // namespace

std::optional<EdgeKind> edge_kind_from_name(std::string_view name) {
  for (int k = 0; k < kNumEdgeKinds; ++k) {
    const auto kind = static_cast<EdgeKind>(k);
    const std::string_view candidate = edge_kind_name(kind);
    if (candidate.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(name[i])) ==
             std::tolower(static_cast<unsigned char>(candidate[i]));
    }
    if (same) return kind;
  }
  return std::nullopt;
}

NodeLabels::NodeLabels(const CodeGraph& graph, size_t max_text) {
  const size_t n = graph.nodes.size();
  labels_.reserve(n);
  std::unordered_map<std::string, uint32_t> count;
  for (const Node& node : graph.nodes) ++count[labels_.emplace_back(base_label(node, max_text))];
  // Clashes: syntax nodes of one type starting at one place (`a.b.c`) get their end position.
  bool clash = false;
  for (size_t i = 0; i < n; ++i) {
    if (count[labels_[i]] < 2) continue;
    clash = true;
    if (graph.nodes[i].kind == NodeKind::kSyntax)
      labels_[i] += "-" + position(graph.nodes[i].span.end);
  }
  if (!clash) return;
  count.clear();
  for (const auto& label : labels_) ++count[label];
  std::unordered_map<std::string, uint32_t> seen;
  for (auto& label : labels_) {
    if (count[label] < 2) continue;
    const uint32_t k = ++seen[label];
    label += "#" + std::to_string(k);
  }
}

std::string edge_line(const CodeGraph& graph, const NodeLabels& labels, const Edge& edge) {
  std::string line(edge_kind_name(edge.kind));
  if (edge.kind == EdgeKind::kChild && edge.field != 0)
    line += "[" + field_name(graph, edge.field) + "]";
  line += "  ";
  line += labels[edge.src];
  line += " -> ";
  line += labels[edge.dst];
  return line;
}

std::vector<std::string> edge_lines(const CodeGraph& graph, uint32_t kind_mask) {
  const NodeLabels labels(graph);
  std::vector<std::string> lines;
  for (int k = 0; k < kNumEdgeKinds; ++k) {
    if (!(kind_mask & (1u << k))) continue;
    for (const Edge& edge : graph.edges) {
      if (static_cast<int>(edge.kind) == k) lines.push_back(edge_line(graph, labels, edge));
    }
  }
  return lines;
}

void write_sexp(std::ostream& out, const CodeGraph& graph, uint32_t kind_mask) {
  if (graph.nodes.empty()) return;
  struct Item {
    uint32_t node;
    uint32_t depth;
    bool close;
  };
  std::vector<Item> stack{{graph.root, 0, false}};
  bool first = true;
  while (!stack.empty()) {
    const Item item = stack.back();
    stack.pop_back();
    if (item.close) {
      out << ')';
      continue;
    }
    const Node& node = graph.nodes[item.node];
    if (!first) out << '\n';
    first = false;
    out << std::string(2 * item.depth, ' ');
    if (node.field != 0 && node.parent != kNoNode) out << field_name(graph, node.field) << ": ";
    if (node.kind == NodeKind::kToken) {
      if (node.text.empty()) {
        out << "(MISSING " << json_quote(node.type) << ')';
      } else if (node.text != node.type) {  // anonymous tokens are named by their text
        out << '(' << node.type << ' ' << json_quote(node.text) << ')';
      } else {
        out << json_quote(node.text);
      }
      continue;
    }
    out << '(' << node.type;
    const IndexRange children = graph.children(item.node);
    if (children.size() == 0) {
      out << ')';
      continue;
    }
    stack.push_back({item.node, item.depth, true});
    for (size_t i = children.size(); i-- > 0;) {
      stack.push_back({children.first[i], item.depth + 1, false});
    }
  }
  out << '\n';
  if ((kind_mask & ~kTreeKinds) == 0) return;
  const NodeLabels labels(graph);
  bool any_symbol = false;
  for (uint32_t i = 0; i < graph.nodes.size(); ++i) {
    if (graph.nodes[i].kind != NodeKind::kSymbol) continue;
    out << (any_symbol ? " " : "; symbols: ") << labels[i];
    any_symbol = true;
  }
  if (any_symbol) out << '\n';
  for (int k = 0; k < kNumEdgeKinds; ++k) {
    if (!(kind_mask & (1u << k)) || (kTreeKinds & (1u << k))) continue;
    for (const Edge& edge : graph.edges) {
      if (static_cast<int>(edge.kind) == k) out << "; " << edge_line(graph, labels, edge) << '\n';
    }
  }
}

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

void write_json(std::ostream& out, const CodeGraph& graph, uint32_t kind_mask) {
  auto point = [&](const Point& p) {
    out << "{\"line\":" << p.row + 1 << ",\"column\":" << p.column << '}';
  };
  out << "{\"root\":" << graph.root << ",\"nodes\":[";
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const Node& node = graph.nodes[i];
    if (i) out << ',';
    out << "{\"id\":" << i << ",\"kind\":\"" << node_kind_name(node.kind)
        << "\",\"type\":" << json_quote(node.type);
    if (node.kind != NodeKind::kSyntax) out << ",\"text\":" << json_quote(node.text);
    out << ",\"span\":{\"start_byte\":" << node.span.start_byte
        << ",\"end_byte\":" << node.span.end_byte << ",\"start\":";
    point(node.span.start);
    out << ",\"end\":";
    point(node.span.end);
    out << "},\"parent\":" << node.parent;
    if (node.field != 0) out << ",\"field\":" << json_quote(field_name(graph, node.field));
    out << '}';
  }
  out << "],\"edges\":[";
  bool first = true;
  for (const Edge& edge : graph.edges) {
    if (!(kind_mask & edge_kind_bit(edge.kind))) continue;
    if (!first) out << ',';
    first = false;
    out << "{\"kind\":\"" << edge_kind_name(edge.kind) << "\",\"src\":" << edge.src
        << ",\"dst\":" << edge.dst;
    if (edge.field != 0) out << ",\"field\":" << json_quote(field_name(graph, edge.field));
    out << '}';
  }
  out << "]}";
}

void write_dot_body(std::ostream& out, const CodeGraph& graph, std::string_view id_prefix,
                    uint32_t kind_mask) {
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const Node& node = graph.nodes[i];
    out << "  " << id_prefix << i << " [label=\"";
    switch (node.kind) {
      case NodeKind::kSyntax:
        out << dot_escape(node.type) << "\" shape=ellipse";
        break;
      case NodeKind::kToken:
        out << dot_escape(display_text(node.text.empty() ? node.type : node.text, 40))
            << "\" shape=box style=filled fillcolor=\"#e8f0fe\"";
        break;
      case NodeKind::kSymbol:
        out << dot_escape("$" + node.text) << "\" shape=diamond style=filled fillcolor=\"#f3e5f5\"";
        break;
    }
    out << "];\n";
  }
  for (const Edge& edge : graph.edges) {
    if (!(kind_mask & edge_kind_bit(edge.kind))) continue;
    out << "  " << id_prefix << edge.src << " -> " << id_prefix << edge.dst << " ["
        << dot_edge_style(edge.kind);
    if (edge.kind == EdgeKind::kChild && edge.field != 0) {
      out << " label=\"" << dot_escape(field_name(graph, edge.field)) << '"';
    } else if (edge.kind != EdgeKind::kChild) {
      out << " tooltip=\"" << edge_kind_name(edge.kind) << '"';
    }
    out << "];\n";
  }
}

void write_dot(std::ostream& out, const CodeGraph& graph, uint32_t kind_mask) {
  out << "digraph code_graph {\n  graph [ordering=out];\n  node [fontname=\"Helvetica\" "
         "fontsize=10];\n  edge [fontname=\"Helvetica\" fontsize=8];\n";
  write_dot_body(out, graph, "n", kind_mask);
  out << "}\n";
}

}  // namespace bugseek::parser

namespace bugseek::parser {
namespace {

const char* unit_kind_name(UnitKind kind) {
  switch (kind) {
    case UnitKind::kFunction:
      return "function";
    case UnitKind::kLambda:
      return "lambda";
    case UnitKind::kModule:
      return "module";
  }
  return "?";
}

}  // namespace

std::optional<GraphFormat> graph_format_from_name(std::string_view name) {
  if (name == "sexp") return GraphFormat::kSexp;
  if (name == "json") return GraphFormat::kJson;
  if (name == "dot") return GraphFormat::kDot;
  return std::nullopt;
}

std::string unit_summary(const Unit& unit, const CodeGraph& graph) {
  std::string line = std::string(unit_kind_name(unit.kind)) + "  " + unit.qualified_name +
                     "  lines " + std::to_string(unit.span.start.row + 1) + "-" +
                     std::to_string(unit.span.end.row + 1) + "  nodes " +
                     std::to_string(graph.nodes.size()) + "  edges " +
                     std::to_string(graph.edges.size());
  if (unit.has_syntax_errors) line += "  syntax errors";
  return line;
}

void write_units(std::ostream& out, const ParsedFile& file, const std::vector<Unit>& units,
                 const std::vector<CodeGraph>& graphs, GraphFormat format, uint32_t kind_mask) {
  const size_t n = std::min(units.size(), graphs.size());
  switch (format) {
    case GraphFormat::kSexp:
      for (size_t i = 0; i < n; ++i) {
        if (i) out << '\n';
        out << ";; " << unit_summary(units[i], graphs[i]) << '\n';
        write_sexp(out, graphs[i], kind_mask);
      }
      return;
    case GraphFormat::kJson:
      out << "{\"file\":" << json_quote(file.path)
          << ",\"language\":" << json_quote(file.language ? file.language->name : "")
          << ",\"status\":" << json_quote(parse_status_name(file.status))
          << ",\"error_nodes\":" << file.error_nodes << ",\"missing_nodes\":" << file.missing_nodes
          << ",\"units\":[";
      for (size_t i = 0; i < n; ++i) {
        const Unit& unit = units[i];
        if (i) out << ',';
        out << "{\"name\":" << json_quote(unit.name)
            << ",\"qualified_name\":" << json_quote(unit.qualified_name) << ",\"kind\":\""
            << unit_kind_name(unit.kind) << "\",\"start_byte\":" << unit.span.start_byte
            << ",\"end_byte\":" << unit.span.end_byte
            << ",\"start_line\":" << unit.span.start.row + 1
            << ",\"end_line\":" << unit.span.end.row + 1
            << ",\"has_syntax_errors\":" << (unit.has_syntax_errors ? "true" : "false")
            << ",\"graph\":";
        write_json(out, graphs[i], kind_mask);
        out << '}';
      }
      out << "]}\n";
      return;
    case GraphFormat::kDot:
      if (n == 1) {
        write_dot(out, graphs[0], kind_mask);
        return;
      }
      out << "digraph code_graphs {\n  graph [ordering=out];\n  node [fontname=\"Helvetica\" "
             "fontsize=10];\n  edge [fontname=\"Helvetica\" fontsize=8];\n";
      for (size_t i = 0; i < n; ++i) {
        out << " subgraph cluster_" << i << " {\n  label=\"" << dot_escape(units[i].qualified_name)
            << "\";\n";
        write_dot_body(out, graphs[i], "u" + std::to_string(i) + "_", kind_mask);
        out << " }\n";
      }
      out << "}\n";
      return;
  }
}

}  // namespace bugseek::parser
