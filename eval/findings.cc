#include "eval/findings.h"

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "common/log.h"

namespace bugseek::eval {
namespace {

constexpr size_t kMaxQuoted = 40;  // characters of original/replacement shown in a message
constexpr const char* kSarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// One line, whitespace runs collapsed, cut at a character boundary with "..." when long.
std::string one_line(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  if (out.size() > kMaxQuoted) {
    size_t cut = kMaxQuoted;
    while (cut > 0 && is_continuation(out[cut])) --cut;
    out = out.substr(0, cut) + "...";
  }
  return out;
}

std::string probability_text(double p) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f", p);
  return buf;
}

// "wrong-compare-op" -> "WrongCompareOp" (SARIF rule names are identifiers).
std::string pascal_case(std::string_view kind) {
  std::string out;
  bool upper = true;
  for (char c : kind) {
    if (c == '-' || c == '_' || c == ' ') {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

std::string capitalized(std::string_view text) {
  std::string out(text);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z')
    out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

uint64_t fnv1a(std::string_view text, uint64_t h = 1469598103934665603ull) {
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

std::string trimmed(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

json::Value text_object(std::string_view text) {
  json::Value v = json::Value::object();
  v.set("text", text);
  return v;
}

json::Value artifact_location(std::string_view path) {
  json::Value v = json::Value::object();
  v.set("uri", path_to_uri(path));
  if (path.empty() || path[0] != '/') v.set("uriBaseId", "%SRCROOT%");
  return v;
}

json::Value sarif_region(const Finding& f) {
  int start_col = utf16_column(f.source_line, f.column);
  // The end column can only be converted when it is on the line we have.
  int end_col = f.end_line == f.line ? utf16_column(f.source_line, f.end_column) : f.end_column;
  json::Value r = json::Value::object();
  r.set("startLine", f.line);
  r.set("startColumn", start_col);
  r.set("endLine", f.end_line);
  r.set("endColumn", end_col);
  return r;
}

json::Value sarif_rule(const RuleInfo& rule) {
  json::Value r = json::Value::object();
  std::string short_text = "Possible " + rule.title;
  r.set("id", rule_id(rule.kind));
  r.set("name", pascal_case(rule.kind));
  r.set("shortDescription", text_object(short_text));
  r.set("fullDescription",
        text_object(rule.description.empty() ? capitalized(short_text) + "." : rule.description));
  json::Value config = json::Value::object();
  config.set("level", "warning");
  r.set("defaultConfiguration", std::move(config));
  r.set("help", text_object(str_cat(
                    "bugseek's learned detector thinks this ", rule.title,
                    " may be a bug; the finding proposes the single-token fix it considers most "
                    "likely. Check the suggestion before applying it.")));
  json::Value props = json::Value::object();
  json::Value tags = json::Value::array();
  tags.push_back("correctness");
  tags.push_back("bugseek");
  props.set("tags", std::move(tags));
  props.set("precision", "medium");
  props.set("problem.severity", "warning");
  r.set("properties", std::move(props));
  return r;
}

}  // namespace

std::string rule_id(std::string_view kind) { return str_cat("bugseek/", kind); }

void sort_findings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.probability != b.probability) return a.probability > b.probability;
    return std::tie(a.path, a.line, a.column, a.kind) < std::tie(b.path, b.line, b.column, b.kind);
  });
}

std::string finding_message(const Finding& f) {
  return str_cat("possible ", f.kind_title, ": '", one_line(f.original), "' should be '",
                 one_line(f.replacement), "' (p=", probability_text(f.probability), ")");
}

std::string format_text(const Finding& f) {
  std::string out = str_cat(f.path, ":", f.line, ":", f.column, ": warning: ", finding_message(f),
                            " [", rule_id(f.kind), "]", f.suppressed ? " (suppressed)" : "", "\n");
  if (f.source_line.empty()) return out;
  out += f.source_line;
  out += '\n';
  // Tabs stay tabs so the caret lines up however the terminal expands them; a multi-byte
  // character takes one column.
  size_t start = static_cast<size_t>(std::max(1, f.column) - 1);
  size_t end = f.end_line == f.line ? static_cast<size_t>(std::max(f.column, f.end_column) - 1)
                                    : f.source_line.size();
  std::string caret;
  for (size_t i = 0; i < start && i < f.source_line.size(); ++i) {
    char c = f.source_line[i];
    if (is_continuation(c)) continue;
    caret += c == '\t' ? '\t' : ' ';
  }
  caret += '^';
  for (size_t i = start + 1; i < end && i < f.source_line.size(); ++i)
    if (!is_continuation(f.source_line[i])) caret += '~';
  out += caret;
  out += '\n';
  return out;
}

std::string format_text(const std::vector<Finding>& findings) {
  std::string out;
  for (const Finding& f : findings) out += format_text(f);
  return out;
}

json::Value finding_to_json(const Finding& f) {
  json::Value v = json::Value::object();
  v.set("path", f.path);
  v.set("line", f.line);
  v.set("column", f.column);
  v.set("end_line", f.end_line);
  v.set("end_column", f.end_column);
  v.set("kind", f.kind);
  v.set("rule_id", rule_id(f.kind));
  v.set("title", f.kind_title);
  v.set("original", f.original);
  v.set("replacement", f.replacement);
  v.set("probability", f.probability);
  v.set("message", finding_message(f));
  v.set("source_line", f.source_line);
  v.set("function", f.function);
  if (f.suppressed) v.set("suppressed", true);
  return v;
}

json::Value findings_to_json(const std::vector<Finding>& findings) {
  json::Value a = json::Value::array();
  for (const Finding& f : findings) a.push_back(finding_to_json(f));
  return a;
}

json::Value findings_to_sarif(const std::vector<Finding>& findings, const SarifTool& tool,
                              const std::vector<RuleInfo>& rules) {
  std::vector<RuleInfo> all_rules = rules;
  auto rule_index = [&](const Finding& f) {
    for (size_t i = 0; i < all_rules.size(); ++i)
      if (all_rules[i].kind == f.kind) return i;
    all_rules.push_back(RuleInfo{f.kind, f.kind_title, ""});
    return all_rules.size() - 1;
  };

  json::Value results = json::Value::array();
  for (const Finding& f : findings) {
    json::Value r = json::Value::object();
    r.set("ruleId", rule_id(f.kind));
    r.set("ruleIndex", static_cast<int64_t>(rule_index(f)));
    r.set("level", "warning");
    r.set("message", text_object(capitalized(finding_message(f)) + "."));

    json::Value physical = json::Value::object();
    physical.set("artifactLocation", artifact_location(f.path));
    json::Value region = sarif_region(f);
    physical.set("region", region);
    if (!f.source_line.empty() && f.end_line == f.line) {  // a context must contain the region
      json::Value context = json::Value::object();
      context.set("startLine", f.line);
      context.set("snippet", text_object(f.source_line));
      physical.set("contextRegion", std::move(context));
    }
    json::Value location = json::Value::object();
    location.set("physicalLocation", std::move(physical));
    json::Value locations = json::Value::array();
    locations.push_back(std::move(location));
    r.set("locations", std::move(locations));

    // Stable across runs and unrelated edits above the finding (no line number in it).
    uint64_t h = fnv1a(rule_id(f.kind));
    std::string line_text = trimmed(f.source_line);
    for (std::string_view part : {std::string_view(f.path), std::string_view(line_text),
                                  std::string_view(f.original), std::string_view(f.replacement)})
      h = fnv1a(part, fnv1a("\x1f", h));
    char hex[17];
    std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(h));
    json::Value fingerprints = json::Value::object();
    fingerprints.set("bugseekFingerprint/v1", hex);
    r.set("partialFingerprints", std::move(fingerprints));

    json::Value replacement = json::Value::object();
    replacement.set("deletedRegion", region);
    replacement.set("insertedContent", text_object(f.replacement));
    json::Value replacements = json::Value::array();
    replacements.push_back(std::move(replacement));
    json::Value change = json::Value::object();
    change.set("artifactLocation", artifact_location(f.path));
    change.set("replacements", std::move(replacements));
    json::Value changes = json::Value::array();
    changes.push_back(std::move(change));
    json::Value fix = json::Value::object();
    fix.set("description", text_object(str_cat("Replace '", one_line(f.original), "' with '",
                                               one_line(f.replacement), "'")));
    fix.set("artifactChanges", std::move(changes));
    json::Value fixes = json::Value::array();
    fixes.push_back(std::move(fix));
    r.set("fixes", std::move(fixes));

    if (f.suppressed) {
      json::Value suppression = json::Value::object();
      suppression.set("kind", "inSource");
      suppression.set("justification", "a '# bugseek: ignore' comment on the line");
      json::Value suppressions = json::Value::array();
      suppressions.push_back(std::move(suppression));
      r.set("suppressions", std::move(suppressions));
    }

    // What `scan --baseline` matches on, exactly (the message shortens long texts).
    json::Value props = json::Value::object();
    props.set("probability", f.probability);
    if (!f.function.empty()) props.set("function", f.function);
    props.set("kind", f.kind);
    props.set("original", f.original);
    props.set("replacement", f.replacement);
    r.set("properties", std::move(props));
    results.push_back(std::move(r));
  }

  json::Value driver = json::Value::object();
  driver.set("name", tool.name);
  if (!tool.version.empty()) {
    driver.set("version", tool.version);
    driver.set("semanticVersion", tool.version);
  }
  if (!tool.information_uri.empty()) driver.set("informationUri", tool.information_uri);
  json::Value rule_array = json::Value::array();
  for (const RuleInfo& rule : all_rules) rule_array.push_back(sarif_rule(rule));
  driver.set("rules", std::move(rule_array));
  json::Value tool_value = json::Value::object();
  tool_value.set("driver", std::move(driver));

  json::Value run = json::Value::object();
  run.set("tool", std::move(tool_value));
  run.set("columnKind", "utf16CodeUnits");
  run.set("results", std::move(results));
  json::Value runs = json::Value::array();
  runs.push_back(std::move(run));

  json::Value log = json::Value::object();
  log.set("$schema", kSarifSchema);
  log.set("version", "2.1.0");
  log.set("runs", std::move(runs));
  return log;
}

int utf16_column(std::string_view line_text, int byte_column) {
  int units = 0;
  size_t target = static_cast<size_t>(std::max(1, byte_column) - 1);
  size_t i = 0;
  for (; i < target && i < line_text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(line_text[i]);
    if (is_continuation(static_cast<char>(c))) continue;
    units += c >= 0xF0 ? 2 : 1;  // 4-byte sequences are astral: a surrogate pair in UTF-16
  }
  units += static_cast<int>(target - i);  // past the end of the known text
  return units + 1;
}

std::string path_to_uri(std::string_view path) {
  std::string out = !path.empty() && path[0] == '/' ? "file://" : "";
  for (char ch : path) {
    unsigned char c = static_cast<unsigned char>(ch);
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out += ch;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace bugseek::eval
