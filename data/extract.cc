#include "data/extract.h"

#include <exception>

#include "common/log.h"
#include "data/function_graph.h"
#include "data/vocab.h"

namespace bugseek::data {

std::string_view drop_reason_name(DropReason reason) {
  switch (reason) {
    case DropReason::kSyntaxError: return "syntax-error";
    case DropReason::kTooLarge: return "too-large";
    case DropReason::kTooManyNodes: return "too-many-nodes";
    case DropReason::kNoSites: return "no-bug-sites";
    case DropReason::kStandaloneParse: return "standalone-parse";
    case DropReason::kError: return "internal-error";
  }
  return "unknown";
}

namespace {

// The unit's text from the start of its first line when only indentation precedes it there.
std::string cut_function(const std::string& text, const parser::Span& span, uint32_t* from) {
  uint32_t start = span.start_byte;
  const uint32_t line_start = span.start_byte - std::min(span.start_byte, span.start.column);
  bool blank = true;
  for (uint32_t i = line_start; i < span.start_byte; ++i) {
    if (text[i] != ' ' && text[i] != '\t') blank = false;
  }
  if (blank) start = line_start;
  *from = start;
  return text.substr(start, span.end_byte - start);
}

}  // namespace

ExtractResult extract_functions(const std::string& text, const std::string& rel_path,
                                const parser::Language& language, const ExtractOptions& options,
                                bool collect_labels, const ExcludeSet* exclude) {
  ExtractResult result;
  auto drop = [&](DropReason r) { result.dropped[static_cast<int>(r)] += 1; };
  std::vector<parser::Unit> units;
  try {
    parser::ParsedFile file = parser::parse_source(text, language, rel_path);
    if (!file.ok()) return result;
    result.parsed = true;
    units = parser::extract_units(file);
  } catch (const std::exception& e) {
    log_debug("extract", rel_path, ": ", e.what());
    return result;
  }
  for (const parser::Unit& unit : units) {
    if (unit.kind != parser::UnitKind::kFunction) continue;
    result.units += 1;
    if (unit.has_syntax_errors) {
      drop(DropReason::kSyntaxError);
      continue;
    }
    const uint32_t bytes = unit.span.end_byte - unit.span.start_byte;
    if (options.max_function_bytes > 0 && bytes > options.max_function_bytes) {
      drop(DropReason::kTooLarge);
      continue;
    }
    FunctionRecord record;
    uint32_t from = 0;
    record.text = cut_function(text, unit.span, &from);
    if (!dedent(record.text, &record.indent)) record.indent = 0;
    try {
      FunctionGraph fg;
      const GraphStatus status =
          build_function_graph(record.text, language, options.max_function_nodes, fg);
      if (status == GraphStatus::kTooManyNodes) {
        drop(DropReason::kTooManyNodes);
        continue;
      }
      if (status != GraphStatus::kOk) {
        drop(DropReason::kStandaloneParse);
        continue;
      }
      if (fg.sites.rewrites.empty()) {
        drop(DropReason::kNoSites);
        continue;
      }
      const ExcludeMatch excluded = exclude ? exclude->match(record.text) : ExcludeMatch::kNone;
      if (excluded != ExcludeMatch::kNone) {
        (excluded == ExcludeMatch::kExact ? result.excluded_exact : result.excluded_near) += 1;
        continue;
      }
      record.num_sites = static_cast<uint32_t>(fg.sites.sites.size());
      record.num_nodes = static_cast<uint32_t>(fg.graph.nodes.size());
      if (collect_labels) {
        std::string line;
        for (const parser::Node& node : fg.graph.nodes) {
          if (node.kind != parser::NodeKind::kToken || node.text.empty()) continue;
          const std::string_view label = truncate_label(node.text);
          if (line.size() + label.size() + 1 > 4000) {
            result.labels.push_back(std::move(line));
            line.clear();
          }
          if (!line.empty()) line.push_back(' ');
          for (char c : label) line.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
        }
        if (!line.empty()) result.labels.push_back(std::move(line));
      }
    } catch (const std::exception& e) {
      log_debug("extract", rel_path, ": ", unit.qualified_name, ": ", e.what());
      drop(DropReason::kError);
      continue;
    }
    record.file = rel_path;
    record.name = unit.qualified_name;
    record.language = language.name;
    record.span = unit.span;
    result.functions.push_back(std::move(record));
  }
  return result;
}

}  // namespace bugseek::data
