#include "mine/fix_finder.h"

#include <cctype>
#include <exception>
#include <map>
#include <unordered_map>

#include "common/log.h"
#include "data/function_graph.h"
#include "parser/source_file.h"
#include "parser/units.h"

namespace bugseek::mine {
namespace {

struct Function {
  std::string key;     // qualified name, with "#2", "#3" for later definitions of the same name
  std::string name;    // qualified name
  std::string text;    // indentation removed
  uint32_t row = 0;    // first line in its file, 0-based
  bool usable = true;  // parses without errors and is not over the size limit
};

// The function units of one file version, cut out as `bugseek prepare` cuts them (from the start
// of the line when only indentation precedes the def, then dedented).
std::vector<Function> functions_of(const std::string& text, const std::string& path,
                                   const parser::Language& language, uint32_t max_bytes) {
  std::vector<Function> out;
  if (text.empty()) return out;
  const parser::ParsedFile file = parser::parse_source(text, language, path);
  if (!file.ok()) return out;
  std::map<std::string, int> seen;
  for (const parser::Unit& unit : parser::extract_units(file)) {
    if (unit.kind != parser::UnitKind::kFunction) continue;
    Function f;
    f.name = unit.qualified_name;
    const int n = ++seen[f.name];
    f.key = n == 1 ? f.name : f.name + "#" + std::to_string(n);
    uint32_t start = unit.span.start_byte;
    const uint32_t line_start = start - std::min(start, unit.span.start.column);
    if (text.find_first_not_of(" \t", line_start) >= start) start = line_start;
    f.text = text.substr(start, unit.span.end_byte - start);
    if (f.text.back() != '\n') f.text += '\n';  // as in the real-bug files
    uint32_t indent = 0;
    data::dedent(f.text, &indent);
    f.row = unit.span.start.row;
    f.usable = !unit.has_syntax_errors &&
               (max_bytes == 0 || unit.span.end_byte - unit.span.start_byte <= max_bytes);
    out.push_back(std::move(f));
  }
  return out;
}

// Whether `name` is an identifier token of the function `text`.
bool has_identifier(const std::string& text, const std::string& name,
                    const parser::Language& language) {
  const parser::ParsedFile file = parser::parse_source(text, language);
  const std::vector<parser::Unit> units = parser::extract_units(file);
  const int32_t main = data::main_unit(units);
  if (main < 0) return false;
  const parser::CodeGraph graph = parser::build_graph(file, units[main]);
  for (const parser::Node& node : graph.nodes) {
    if (node.kind == parser::NodeKind::kToken && node.type == "identifier" && node.text == name) {
      return true;
    }
  }
  return false;
}

// The callee of an argument swap: the dotted name before the argument list at `args_start`.
std::string callee_of(const std::string& text, uint32_t args_start) {
  size_t begin = std::min<size_t>(args_start, text.size());
  while (begin > 0) {
    const char c = text[begin - 1];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') break;
    --begin;
  }
  return text.substr(begin, args_start - begin);
}

struct Pair {
  const FileChange* file = nullptr;
  const Function* before = nullptr;
  const Function* after = nullptr;
};

}  // namespace

bool is_test_path(std::string_view path) {
  size_t start = 0;
  for (;;) {
    const size_t slash = path.find('/', start);
    const std::string_view part = path.substr(start, slash - start);
    if (slash == std::string_view::npos) {
      auto ends_with = [&](std::string_view s) {
        return part.size() >= s.size() && part.substr(part.size() - s.size()) == s;
      };
      return (part.substr(0, 5) == "test_" && ends_with(".py")) || ends_with("_test.py") ||
             part == "conftest.py";
    }
    if (part == "test" || part == "tests") return true;
    start = slash + 1;
  }
}

std::string without_whitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') out += c;
  }
  return out;
}

CommitFixes find_fixes(const std::vector<FileChange>& files, const parser::Language& language,
                       const FinderOptions& options) {
  CommitFixes result;
  // Both versions of every file first: the changed-function count decides whether to match.
  std::vector<std::vector<Function>> before(files.size()), after(files.size());
  std::vector<Pair> pairs;
  for (size_t i = 0; i < files.size(); ++i) {
    const FileChange& f = files[i];
    before[i] = functions_of(f.before, f.old_path, language, options.max_function_bytes);
    after[i] = functions_of(f.after, f.new_path, language, options.max_function_bytes);
  }
  for (size_t i = 0; i < files.size(); ++i) {
    // Tests added or removed along with a fix are its regression tests, not more change.
    const bool test =
        is_test_path(files[i].new_path.empty() ? files[i].old_path : files[i].new_path);
    std::unordered_map<std::string, const Function*> old_by_key;
    for (const Function& fn : before[i]) old_by_key.emplace(fn.key, &fn);
    for (const Function& fn : after[i]) {
      auto it = old_by_key.find(fn.key);
      if (it == old_by_key.end()) {
        if (!test) result.changed_functions += 1;  // added
        continue;
      }
      const Function* old = it->second;
      old_by_key.erase(it);
      if (old->text == fn.text || without_whitespace(old->text) == without_whitespace(fn.text)) {
        continue;  // unchanged, or only re-indented / re-wrapped
      }
      result.changed_functions += 1;
      if (old->usable && fn.usable) pairs.push_back({&files[i], old, &fn});
    }
    if (!test) result.changed_functions += static_cast<uint32_t>(old_by_key.size());  // removed
  }
  if (options.max_functions > 0 && result.changed_functions > options.max_functions) {
    result.too_many_functions = true;
    return result;
  }

  std::vector<FoundFix> found;
  std::vector<std::string> callees;  // per found fix: the callee of an argument swap, else ""
  std::map<std::string, int> misused_names;  // variable misuse: replaced name -> functions
  std::map<std::string, int> swapped_calls;  // argument swap: callee -> functions
  for (const Pair& p : pairs) {
    parser::BugFixMatch match;
    try {
      match = parser::match_bug_fix(p.before->text, p.after->text, language);
    } catch (const std::exception& e) {
      log_debug("mine", p.file->new_path, ": ", p.after->name, ": ", e.what());
      continue;
    }
    if (!match.matched) continue;
    result.candidates += 1;
    FoundFix fix;
    fix.path = p.file->new_path;
    fix.function = p.after->name;
    fix.kind = match.kind;
    fix.buggy_source = p.before->text;
    fix.fixed_source = p.after->text;
    fix.buggy_token = match.buggy_text;
    fix.fixed_token = match.fixed_text;
    fix.line = p.before->row + match.bug_span.start.row + 1;
    fix.is_test = is_test_path(fix.path);
    if (match.kind == parser::BugKind::kVariableMisuse) {
      bool retired = true;
      try {
        retired = !has_identifier(fix.fixed_source, fix.buggy_token, language);
      } catch (const std::exception& e) {
        log_debug("mine", fix.path, ": ", fix.function, ": ", e.what());
      }
      if (retired) {
        result.renames += 1;
        continue;
      }
      misused_names[fix.buggy_token] += 1;
    }
    std::string callee;
    if (match.kind == parser::BugKind::kArgumentSwap) {
      callee = callee_of(fix.buggy_source, match.bug_span.start_byte);
      if (!callee.empty()) swapped_calls[callee] += 1;
    }
    callees.push_back(std::move(callee));
    found.push_back(std::move(fix));
  }
  for (size_t i = 0; i < found.size(); ++i) {
    FoundFix& fix = found[i];
    if (fix.kind == parser::BugKind::kVariableMisuse && misused_names[fix.buggy_token] > 1) {
      result.renames += 1;
      continue;
    }
    if (!callees[i].empty() && swapped_calls[callees[i]] > 1) {
      result.signature_changes += 1;
      continue;
    }
    result.fixes.push_back(std::move(fix));
  }
  return result;
}

}  // namespace bugseek::mine
