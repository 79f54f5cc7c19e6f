// A cheap textual test run before any parsing: can a commit's Python changes hold a single-token
// fix at all? The bug-fix matcher explains a function pair as one rewrite (a name, an operator,
// `not`, True/False or a small integer, two swapped arguments) with only whitespace and comments
// changed around it. So the line diff of the file (libgit2's, 0 lines of context) has a hunk, or
// a window of 1 to 3 lines a side within one, whose tokens differ in just that way, on code lines
// (not inside a docstring) that lie in a function in one of the versions. A commit with no such
// spot in any Python file yields no fix and is skipped unparsed; every other commit is parsed
// in full as before, since every changed function counts against --max-hunks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mine/git_repo.h"

namespace bugseek::mine {

// A token of the light Python tokenizer: names, numbers, operators (longest first), strings.
// `opaque`: a closed string literal without interpolations, which no rewrite reaches into.
struct PyToken {
  std::string_view text;
  bool opaque = false;
};

// The tokens of `text` (a few lines of Python), comments and whitespace left out, as views into
// it. Never fails: text it cannot follow (a string cut by a line split) becomes a token that is
// not opaque.
std::vector<PyToken> py_tokens(std::string_view text);

// Whether a hunk with `deleted` and `added` lines (either may be "") may hold a one-token rewrite:
// their tokens differ, and past the common prefix and suffix, in one token each (not a plain
// string), or in at most two tokens on one side only (`not`, a minus), or in the same tokens
// reordered (swapped arguments). Line counts do not matter: a fix may come re-wrapped.
bool is_one_token_hunk(std::string_view deleted, std::string_view added);

// 1-based inclusive line ranges that may belong to a function definition (its decorators, header
// and body), from a light scan of `text` that follows strings, brackets, comments and line
// continuations but never parses. It errs towards more: a range runs until the next statement
// indented no deeper than its `def`, so blank and comment lines after a body are in; and text it
// cannot follow (an unclosed string or bracket at the end) gives one range over the whole file.
std::vector<std::pair<uint32_t, uint32_t>> function_lines(std::string_view text);

// The same scan, with per line (1-based index) whether it lies wholly inside a triple-quoted
// string that is not an f-string (it starts inside and does not close it).
struct PythonLines {
  std::vector<std::pair<uint32_t, uint32_t>> functions;
  std::vector<bool> in_string;
};
PythonLines scan_python(std::string_view text);

// The 1-based old and new first lines of the one-token parts of `hunk`: the whole hunk if it is
// one (is_one_token_hunk), else every window of 1 to 3 deleted lines against 1 to 3 added lines
// that is. Windows find a fix whose line is next to other changed lines (a test added below
// it); a hunk of more than `max_pairs` line pairs gives its first lines (taken as one, unread).
struct HunkSpot {
  uint32_t old_line = 0;
  uint32_t old_lines = 0;
  uint32_t new_line = 0;
  uint32_t new_lines = 0;
};
// `old_in_string` / `new_in_string` (PythonLines::in_string of the two versions, or null): lines
// wholly inside a docstring or other triple-quoted string hold no code, so no spot.
std::vector<HunkSpot> one_token_spots(const LineHunk& hunk,
                                      const std::vector<bool>* old_in_string = nullptr,
                                      const std::vector<bool>* new_in_string = nullptr,
                                      size_t max_pairs = 40000);

// Whether some file of `files` (both versions read) has a one-token hunk inside (or touching) a
// function's lines in either version: a fix is in a function present before and after.
bool has_one_token_hunk(const std::vector<FileChange>& files);

}  // namespace bugseek::mine
