// What `bugseek scan` reports: one Finding per suspected bug, and its three output formats —
// compiler-style text for terminals and editors, JSON with every field, and SARIF 2.1.0 for
// code-scanning services. Torch-free: scan fills Findings from the detector and calls these.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace bugseek::eval {

struct Finding {
  std::string path;  // as walked (a relative path stays relative)
  // Span of the suspicious text: 1-based lines, 1-based byte columns, end exclusive (the column
  // just past the last byte, as in SARIF regions).
  int line = 1;
  int column = 1;
  int end_line = 1;
  int end_column = 1;
  std::string kind;         // bug kind name ("wrong-compare-op"); the rule id is "bugseek/" + kind
  std::string kind_title;   // human title ("wrong comparison operator")
  std::string original;     // the text there now ("<")
  std::string replacement;  // the text the fix puts there ("<=")
  double probability = 0;   // the detector's p(location) * p(repair)
  std::string source_line;  // text of `line` without its newline ("" if unknown: no caret shown)
  std::string function;     // enclosing function's name, if known
  bool suppressed = false;  // silenced by a `# bugseek: ignore` comment (listed on request)
};

// "bugseek/" + kind.
std::string rule_id(std::string_view kind);

// Most confident first; ties by path, line, column, kind, so output order is deterministic.
void sort_findings(std::vector<Finding>& findings);

// "possible wrong comparison operator: '<' should be '<=' (p=0.87)": long or multi-line texts
// are collapsed to one line and shortened.
std::string finding_message(const Finding& finding);

// One finding in compiler style, each line ending in '\n':
//   path:line:col: warning: <message> [bugseek/<kind>]
//   <source line>
//   <spaces, then ^ under the first character and ~ under the rest of the span on that line>
std::string format_text(const Finding& finding);
std::string format_text(const std::vector<Finding>& findings);

// Every field of the finding (plus rule_id and message; "suppressed" only when true).
json::Value finding_to_json(const Finding& finding);
json::Value findings_to_json(const std::vector<Finding>& findings);

// A SARIF rule: one per bug kind.
struct RuleInfo {
  std::string kind;         // "wrong-compare-op"
  std::string title;        // "wrong comparison operator"
  std::string description;  // one or two sentences for the rule's full description ("" = title)
};

struct SarifTool {
  std::string name = "bugseek";
  std::string version;          // e.g. "0.1.0"
  std::string information_uri;  // "" = omitted
};

// A SARIF 2.1.0 log with one run: tool.driver with `rules` (plus a rule for any finding kind not
// listed), and one result per finding with its location, its fix as a replacement (`fixes`), a
// line-number-free `partialFingerprints` entry, `suppressions` (kind inSource) when suppressed,
// and properties (probability, function, kind, original, replacement). Columns
// are converted to UTF-16 code units (SARIF's default columnKind) using the source line; relative
// paths are percent-encoded URIs against %SRCROOT%, absolute paths become file:// URIs.
json::Value findings_to_sarif(const std::vector<Finding>& findings, const SarifTool& tool,
                              const std::vector<RuleInfo>& rules);

// The 1-based UTF-16 column of 1-based byte column `byte_column` in `line_text` (past the end:
// counted as single units).
int utf16_column(std::string_view line_text, int byte_column);

// `path` as a URI reference: unreserved bytes kept, '/' kept, the rest percent-encoded;
// absolute paths get "file://".
std::string path_to_uri(std::string_view path);

}  // namespace bugseek::eval
