// What `bugseek scan` says about a scan besides its findings: the footer, its JSON twin, and the
// SARIF rule table.
#include <algorithm>
#include <cstdio>
#include <string>

#include "common/log.h"
#include "scan/scanner.h"

namespace bugseek::scan {
namespace {

std::string skipped_breakdown(const data::SkipCounts& counts) {
  std::string out;
  for (int r = 0; r < data::kNumSkipReasons; ++r) {
    if (counts[r] == 0) continue;
    if (!out.empty()) out += ", ";
    out += str_cat(counts[r], " ", data::skip_reason_name(static_cast<data::SkipReason>(r)));
  }
  return out;
}

std::string plural(uint64_t n, const char* one, const char* many) {
  return str_cat(n, " ", n == 1 ? one : many);
}

uint64_t shown_suppressed(const ScanResult& result) {
  uint64_t n = 0;
  for (const eval::Finding& f : result.findings) n += f.suppressed ? 1 : 0;
  return n;
}

}  // namespace

std::string format_summary(const ScanResult& result) {
  const ScanStats& s = result.stats;
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f", s.seconds);
  std::string out = str_cat("bugseek scan: ", plural(s.files_scanned, "file", "files"), " (",
                            plural(s.lines, "line", "lines"), "), ",
                            plural(s.functions, "function", "functions"), " + ",
                            plural(s.units - s.functions, "module unit", "module units"), ", ",
                            plural(s.findings_total, "finding", "findings"));
  const uint64_t shown_reported =
      result.findings.size() - std::min<uint64_t>(result.findings.size(), shown_suppressed(result));
  if (shown_reported < s.findings_total) out += str_cat(" (", shown_reported, " shown)");
  out += str_cat(" in ", seconds, " s\n");
  if (s.findings_suppressed > 0 || s.findings_baselined > 0) {
    out += str_cat("  not reported: ", s.findings_suppressed, " suppressed by comments",
                   s.findings_suppressed > 0 && shown_suppressed(result) == 0
                       ? " (--show-suppressed lists them)"
                       : "",
                   ", ", s.findings_baselined, " already in the baseline\n");
  }
  if (s.files_unchanged > 0 || s.units_unchanged > 0) {
    out += str_cat("  --diff: ", plural(s.files_unchanged, "file", "files"), " and ",
                   plural(s.units_unchanged, "unit", "units"),
                   " of changed files left out as unchanged\n");
  }
  if (s.cache_file_hits > 0 || s.cache_unit_hits > 0) {
    out += str_cat("  cache: ", plural(s.cache_file_hits, "file", "files"), " and ",
                   plural(s.cache_unit_hits, "unit", "units"), " reused; the model ran on ",
                   plural(s.units_run, "unit", "units"), "\n");
  }
  if (s.cache_write_failures > 0) {
    out += str_cat("  cache: ", s.cache_write_failures, " entries could not be written\n");
  }
  if (s.cache_entries_pruned > 0) {
    char mb[32];
    std::snprintf(mb, sizeof mb, "%.1f", static_cast<double>(s.cache_bytes_pruned) / (1 << 20));
    out += str_cat("  cache: ", plural(s.cache_entries_pruned, "old entry", "old entries"),
                   " removed (", mb, " MB; see --cache-max-mb)\n");
  }
  if (s.skipped_total() > 0) {
    out += str_cat("  skipped ", plural(s.skipped_total(), "path", "paths"), ": ",
                   skipped_breakdown(s.skipped), "\n");
  }
  if (s.files_unparseable > 0) {
    out += str_cat("  unparseable: ", plural(s.files_unparseable, "file", "files"), "\n");
  }
  if (s.files_syntax_errors > 0 || s.units_too_large > 0) {
    out += str_cat("  not checked: ", s.units_syntax_errors, " units with syntax errors (in ",
                   plural(s.files_syntax_errors, "file", "files"), "), ", s.units_too_large,
                   " too large\n");
  }
  return out;
}

json::Value summary_to_json(const ScanResult& result) {
  const ScanStats& s = result.stats;
  json::Value skipped = json::Value::object();
  for (int r = 0; r < data::kNumSkipReasons; ++r) {
    skipped.set(data::skip_reason_name(static_cast<data::SkipReason>(r)), s.skipped[r]);
  }
  json::Value problems = json::Value::array();
  for (const FileProblem& p : result.problems) {
    json::Value v = json::Value::object();
    v.set("path", printable_path(p.path));
    v.set("problem", p.problem);
    problems.push_back(std::move(v));
  }
  json::Value skipped_files = json::Value::array();
  for (const FileProblem& p : result.skipped) {
    json::Value v = json::Value::object();
    v.set("path", printable_path(p.path));
    v.set("reason", p.problem);
    skipped_files.push_back(std::move(v));
  }
  json::Value v = json::Value::object();
  v.set("files_listed", s.files_listed);
  v.set("files_scanned", s.files_scanned);
  v.set("files_unparseable", s.files_unparseable);
  v.set("files_syntax_errors", s.files_syntax_errors);
  v.set("skipped", std::move(skipped));
  v.set("lines", s.lines);
  v.set("bytes", s.bytes);
  v.set("units", s.units);
  v.set("functions", s.functions);
  v.set("units_checked", s.units_checked);
  v.set("units_no_sites", s.units_no_sites);
  v.set("units_syntax_errors", s.units_syntax_errors);
  v.set("units_too_large", s.units_too_large);
  v.set("findings_total", s.findings_total);
  v.set("findings_shown", static_cast<uint64_t>(result.findings.size()));
  v.set("findings_suppressed", s.findings_suppressed);
  v.set("findings_baselined", s.findings_baselined);
  v.set("files_unchanged", s.files_unchanged);
  v.set("units_unchanged", s.units_unchanged);
  v.set("units_run", s.units_run);
  v.set("cache_file_hits", s.cache_file_hits);
  v.set("cache_unit_hits", s.cache_unit_hits);
  v.set("cache_entries_pruned", s.cache_entries_pruned);
  v.set("seconds", s.seconds);
  v.set("problems", std::move(problems));
  v.set("skipped_files", std::move(skipped_files));
  return v;
}

std::vector<eval::RuleInfo> sarif_rules() {
  std::vector<eval::RuleInfo> rules;
  for (int k = 0; k < parser::kNumBugKinds; ++k) {
    const auto kind = static_cast<parser::BugKind>(k);
    const char* description = "";
    switch (kind) {
      case parser::BugKind::kVariableMisuse:
        description = "A variable is used where another variable in scope was meant.";
        break;
      case parser::BugKind::kBinaryOperator:
        description = "An arithmetic or bitwise operator looks wrong (e.g. '+' for '-').";
        break;
      case parser::BugKind::kAssignOperator:
        description = "An augmented assignment operator looks wrong (e.g. '+=' for '-=').";
        break;
      case parser::BugKind::kCompareOperator:
        description = "A comparison operator looks wrong (e.g. '<' for '<=', 'is' for '==').";
        break;
      case parser::BugKind::kBooleanOperator:
        description = "'and' and 'or' look swapped, or a 'not' is missing or extra.";
        break;
      case parser::BugKind::kArgumentSwap:
        description = "Two arguments of a call look passed in the wrong order.";
        break;
      case parser::BugKind::kLiteral:
        description = "A literal value looks wrong (e.g. 0 for 1, True for False).";
        break;
    }
    rules.push_back({std::string(parser::bug_kind_name(kind)),
                     std::string(parser::bug_kind_title(kind)), description});
  }
  return rules;
}

}  // namespace bugseek::scan
