#include "scan/suppressions.h"

#include <algorithm>

namespace bugseek::scan {
namespace {

constexpr std::string_view kMarker = "bugseek";

// '\r': a file with CRLF line ends keeps it at the end of each line.
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

size_t skip_spaces(std::string_view s, size_t i) {
  while (i < s.size() && is_space(s[i])) ++i;
  return i;
}

std::string trimmed(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

// Parses "bugseek: ignore[...]" at `i` of `line` (just after a '#', spaces allowed first).
bool parse_comment(std::string_view line, size_t i, LineSuppression& out) {
  i = skip_spaces(line, i);
  if (line.substr(i, kMarker.size()) != kMarker) return false;
  i = skip_spaces(line, i + kMarker.size());
  if (i >= line.size() || line[i] != ':') return false;
  i = skip_spaces(line, i + 1);
  constexpr std::string_view kIgnore = "ignore";
  if (line.substr(i, kIgnore.size()) != kIgnore) return false;
  i += kIgnore.size();
  if (i < line.size() && line[i] == '[') {
    const size_t close = line.find(']', i);
    if (close == std::string_view::npos) return false;
    std::string_view list = line.substr(i + 1, close - i - 1);
    for (size_t start = 0; start <= list.size();) {
      size_t comma = list.find(',', start);
      if (comma == std::string_view::npos) comma = list.size();
      std::string kind = trimmed(list.substr(start, comma - start));
      if (!kind.empty()) out.kinds.push_back(std::move(kind));
      start = comma + 1;
    }
    // "ignore[]" names no kind: it silences nothing rather than everything.
    return true;
  }
  // "ignore" must end the word: "ignored" or "ignore-this" is not a suppression.
  if (i < line.size() && !is_space(line[i]) && line[i] != '#') return false;
  out.all = true;
  return true;
}

}  // namespace

std::map<int, LineSuppression> find_suppressions(std::string_view text) {
  std::map<int, LineSuppression> out;
  if (text.find(kMarker) == std::string_view::npos) return out;  // the common case, quickly
  int line_number = 1;
  for (size_t start = 0; start <= text.size(); ++line_number) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    if (line.find(kMarker) != std::string_view::npos) {
      LineSuppression s;
      bool found = false;
      for (size_t hash = line.find('#'); hash != std::string_view::npos;
           hash = line.find('#', hash + 1)) {
        if (parse_comment(line, hash + 1, s)) found = true;
      }
      if (found) out[line_number] = std::move(s);
    }
    start = end + 1;
  }
  return out;
}

bool is_suppressed(const std::map<int, LineSuppression>& suppressions,
                   const eval::Finding& finding) {
  const auto it = suppressions.find(finding.line);
  if (it == suppressions.end()) return false;
  const LineSuppression& s = it->second;
  return s.all || std::find(s.kinds.begin(), s.kinds.end(), finding.kind) != s.kinds.end();
}

}  // namespace bugseek::scan
