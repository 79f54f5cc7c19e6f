#include "mine/prefilter.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace bugseek::mine {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c < 0; }

// Whether a one-token rewrite could turn `a` into `b` (or the matcher see it so): past their
// common prefix and suffix, one token each that is not a plain string literal (a name, an
// operator, a number; an f-string or a string cut by the line split may hold names); or nothing
// against `not` or a minus (at most two tokens); or the same tokens in another order (swapped
// arguments).
bool one_rewrite_apart(const std::vector<PyToken>& a, const std::vector<PyToken>& b) {
  const size_t n = std::min(a.size(), b.size());
  size_t prefix = 0;
  while (prefix < n && a[prefix].text == b[prefix].text) ++prefix;
  if (prefix == a.size() && prefix == b.size()) return false;  // same tokens: layout, comments
  size_t suffix = 0;
  while (suffix < n - prefix &&
         a[a.size() - 1 - suffix].text == b[b.size() - 1 - suffix].text) {
    ++suffix;
  }
  const size_t na = a.size() - prefix - suffix;
  const size_t nb = b.size() - prefix - suffix;
  if (na == 1 && nb == 1) return !a[prefix].opaque && !b[prefix].opaque;
  if (na == 0 || nb == 0) {  // `not` added or removed, an integer's sign flipped
    const std::vector<PyToken>& longer = na == 0 ? b : a;
    for (size_t i = prefix; i < longer.size() - suffix; ++i) {
      if (longer[i].text != "not" && longer[i].text != "-") return false;
    }
    return na + nb <= 2;
  }
  if (na != nb || na < 3) return false;
  std::vector<std::string_view> x, y;
  for (size_t i = 0; i < na; ++i) {
    x.push_back(a[prefix + i].text);
    y.push_back(b[prefix + i].text);
  }
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  return x == y;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    out.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

bool overlaps(const std::vector<std::pair<uint32_t, uint32_t>>& ranges, uint32_t first,
              uint32_t last) {
  for (const auto& [a, b] : ranges) {
    if (a <= last && first <= b) return true;
  }
  return false;
}

}  // namespace

std::vector<PyToken> py_tokens(std::string_view text) {
  std::vector<PyToken> out;
  static constexpr std::string_view kOps3[] = {"**=", "//=", ">>=", "<<=", "..."};
  static constexpr std::string_view kOps2[] = {"**", "//", "<<", ">>", "<=", ">=", "==", "!=",
                                               "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
                                               "->", ":=", "@=", "<>"};
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (is_space(c) || c == '\n' || c == '\\') {
      ++i;
      continue;
    }
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    const size_t start = i;
    if (is_word(c)) {
      while (i < text.size() && is_word(text[i])) ++i;
      // A string prefix (r, b, f, u, rb, ...) right before a quote belongs to the string.
      if (i < text.size() && (text[i] == '"' || text[i] == '\'') && i - start <= 2 &&
          std::all_of(text.begin() + start, text.begin() + i,
                      [](char p) { return std::strchr("rRbBuUfF", p) != nullptr; })) {
        // fall through to the string below, keeping `start`
      } else {
        out.push_back({text.substr(start, i - start), false});
        continue;
      }
    }
    if (text[i] == '"' || text[i] == '\'') {
      const char q = text[i];
      const bool f = std::any_of(text.begin() + start, text.begin() + i,
                                 [](char p) { return p == 'f' || p == 'F'; });
      const bool triple = text.substr(i, 3) == std::string(3, q);
      i += triple ? 3 : 1;
      bool closed = false;
      while (i < text.size()) {
        if (text[i] == '\\') {
          i += 2;
          continue;
        }
        if (!triple && text[i] == '\n') break;
        if (text[i] == q && (!triple || text.substr(i, 3) == std::string(3, q))) {
          i += triple ? 3 : 1;
          closed = true;
          break;
        }
        ++i;
      }
      i = std::min(i, text.size());
      // Only a whole string without interpolations is opaque: no rewrite reaches inside it.
      out.push_back({text.substr(start, i - start), closed && !f});
      continue;
    }
    size_t len = 1;
    for (std::string_view op : kOps3) {
      if (text.substr(i, 3) == op) len = 3;
    }
    if (len == 1) {
      for (std::string_view op : kOps2) {
        if (text.substr(i, 2) == op) len = 2;
      }
    }
    out.push_back({text.substr(i, len), false});
    i += len;
  }
  return out;
}

bool is_one_token_hunk(std::string_view deleted, std::string_view added) {
  return one_rewrite_apart(py_tokens(deleted), py_tokens(added));
}

std::vector<HunkSpot> one_token_spots(const LineHunk& hunk, const std::vector<bool>* old_in_string,
                                      const std::vector<bool>* new_in_string, size_t max_pairs) {
  std::vector<HunkSpot> out;
  // Lines wholly inside a triple-quoted string (not an f-string): docstring text, no code.
  auto all_text = [](const std::vector<bool>* in_string, uint32_t first, uint32_t count) {
    if (in_string == nullptr || count == 0) return false;
    for (uint32_t l = first; l < first + count; ++l) {
      if (l >= in_string->size() || !(*in_string)[l]) return false;
    }
    return true;
  };
  if (all_text(old_in_string, hunk.old_start, hunk.old_lines) ||
      all_text(new_in_string, hunk.new_start, hunk.new_lines)) {
    return out;
  }
  if (is_one_token_hunk(hunk.deleted, hunk.added)) {
    out.push_back({hunk.old_start, hunk.old_lines, hunk.new_start, hunk.new_lines});
    return out;
  }
  if (hunk.old_lines == 0 || hunk.new_lines == 0) return out;
  if (static_cast<size_t>(hunk.old_lines) * hunk.new_lines > max_pairs) {
    out.push_back({hunk.old_start, hunk.old_lines, hunk.new_start, hunk.new_lines});
    return out;
  }
  // Windows of 1 to 3 lines a side, tokenized line by line.
  constexpr size_t kWindow = 3;
  auto windows = [&](std::string_view text) {
    const std::vector<std::string_view> lines = lines_of(text);
    std::vector<std::vector<PyToken>> w(lines.size() * kWindow);  // [i * kWindow + k - 1]
    for (size_t i = 0; i < lines.size(); ++i) {
      std::vector<PyToken> acc;
      for (size_t k = 1; k <= kWindow && i + k <= lines.size(); ++k) {
        const std::vector<PyToken> t = py_tokens(lines[i + k - 1]);
        acc.insert(acc.end(), t.begin(), t.end());
        w[i * kWindow + k - 1] = acc;
      }
    }
    return std::make_pair(lines.size(), std::move(w));
  };
  const auto [nd, del] = windows(hunk.deleted);
  const auto [na, add] = windows(hunk.added);
  for (size_t i = 0; i < nd; ++i) {
    for (size_t di = 1; di <= kWindow && i + di <= nd; ++di) {
      const std::vector<PyToken>& dw = del[i * kWindow + di - 1];
      if (dw.empty()) continue;
      for (size_t j = 0; j < na; ++j) {
        for (size_t k = 1; k <= kWindow && j + k <= na; ++k) {
          const std::vector<PyToken>& aw = add[j * kWindow + k - 1];
          if (aw.empty() || !one_rewrite_apart(dw, aw)) continue;
          if (all_text(old_in_string, hunk.old_start + static_cast<uint32_t>(i),
                       static_cast<uint32_t>(di)) ||
              all_text(new_in_string, hunk.new_start + static_cast<uint32_t>(j),
                       static_cast<uint32_t>(k))) {
            continue;
          }
          out.push_back({hunk.old_start + static_cast<uint32_t>(i), static_cast<uint32_t>(di),
                         hunk.new_start + static_cast<uint32_t>(j), static_cast<uint32_t>(k)});
        }
      }
    }
  }
  return out;
}

std::vector<std::pair<uint32_t, uint32_t>> function_lines(std::string_view text) {
  return scan_python(text).functions;
}

PythonLines scan_python(std::string_view text) {
  PythonLines result;
  std::vector<std::pair<uint32_t, uint32_t>>& out = result.functions;
  bool interpolated = false;  // the triple-quoted string we are in is an f-string
  struct Open {
    size_t indent;
    uint32_t first;
  };
  std::vector<Open> open;  // defs whose body has not ended, innermost last
  uint32_t decorators = 0;  // first line of the decorators before the next statement, 0 if none
  char triple = 0;          // the quote of the triple-quoted string we are in, or 0
  int depth = 0;            // open brackets
  bool continued = false;   // the last line ended with a backslash
  uint32_t line = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    ++line;
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view l = text.substr(pos, end - pos);
    pos = end + 1;
    size_t i = 0;
    const bool starts_in_string = triple != 0 && !interpolated;
    if (triple == 0 && depth == 0 && !continued) {
      // A new logical line: its indentation closes the defs it is not deeper than.
      size_t indent = 0;
      while (i < l.size() && (l[i] == ' ' || l[i] == '\t' || l[i] == '\f')) {
        indent = l[i] == '\t' ? (indent / 8 + 1) * 8 : indent + 1;
        ++i;
      }
      if (i == l.size() || l[i] == '#' || l[i] == '\r') continue;  // blank or comment only
      while (!open.empty() && indent <= open.back().indent) {
        out.emplace_back(open.back().first, line - 1);
        open.pop_back();
      }
      const std::string_view rest = l.substr(i);
      auto starts = [&](std::string_view word) {
        return rest.size() > word.size() && rest.substr(0, word.size()) == word &&
               (rest[word.size()] == ' ' || rest[word.size()] == '\t');
      };
      if (rest[0] == '@') {
        if (decorators == 0) decorators = line;
      } else {
        if (starts("def") || (starts("async") && rest.find("def") != std::string_view::npos)) {
          open.push_back({indent, decorators != 0 ? decorators : line});
        }
        decorators = 0;
      }
    }
    continued = false;
    for (; i < l.size(); ++i) {
      const char c = l[i];
      if (triple != 0) {
        if (c == '\\') {
          ++i;
        } else if (c == triple && l.substr(i, 3) == std::string(3, triple)) {
          triple = 0;
          i += 2;
        }
        continue;
      }
      if (c == '#') break;
      if (c == '\\') {
        if (i + 1 >= l.size() || l[i + 1] == '\r') continued = true;
        ++i;
      } else if (c == '"' || c == '\'') {
        if (l.substr(i, 3) == std::string(3, c)) {
          triple = c;
          interpolated = false;
          for (size_t p = i; p > 0 && is_word(l[p - 1]); --p) {
            if (l[p - 1] == 'f' || l[p - 1] == 'F') interpolated = true;
          }
          i += 2;
          continue;
        }
        for (++i; i < l.size() && l[i] != c; ++i) {
          if (l[i] == '\\') ++i;
        }
        if (i >= l.size()) continued = l.size() >= 1 && l.back() == '\\';  // "...\ continues
      } else if (c == '(' || c == '[' || c == '{') {
        ++depth;
      } else if (c == ')' || c == ']' || c == '}') {
        depth = depth > 0 ? depth - 1 : 0;
      }
    }
    if (result.in_string.size() <= line) result.in_string.resize(line + 1, false);
    result.in_string[line] = starts_in_string && triple != 0;
  }
  if (triple != 0 || depth != 0) {  // lost track: all of it may be code, in functions
    result.functions = {{1, line == 0 ? 1 : line}};
    result.in_string.assign(line + 1, false);
    return result;
  }
  for (; !open.empty(); open.pop_back()) out.emplace_back(open.back().first, line);
  return result;
}

bool has_one_token_hunk(const std::vector<FileChange>& files) {
  for (const FileChange& f : files) {
    // Added, removed or unread on one side: no function pair, so no fix.
    if (f.before.empty() || f.after.empty()) continue;
    const std::vector<LineHunk> hunks = line_hunks(f.before, f.after);
    if (hunks.empty()) continue;
    const PythonLines old_lines = scan_python(f.before);
    const PythonLines new_lines = scan_python(f.after);
    const auto& old_fns = old_lines.functions;
    const auto& new_fns = new_lines.functions;
    for (const LineHunk& hunk : hunks) {
      for (const HunkSpot& h : one_token_spots(hunk, &old_lines.in_string, &new_lines.in_string)) {
        // With nothing deleted (added), a start names the line before: take the next one too.
        if (overlaps(old_fns, h.old_line, h.old_line + std::max(h.old_lines, 1u)) ||
            overlaps(new_fns, h.new_line, h.new_line + std::max(h.new_lines, 1u))) {
          return true;
        }
      }
    }
  }
  return false;
}

}  // namespace bugseek::mine
