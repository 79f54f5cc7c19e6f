// Explaining one commit's Python changes as single-token bug fixes: the functions of each file
// before and after are paired by qualified name, each changed pair goes to the bug-fix matcher
// (parser::match_bug_fix), and renames are told apart from fixes. Knows nothing of git: the
// input is file texts (FileChange, a plain struct), so tests can feed it directly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mine/git_repo.h"
#include "parser/language.h"
#include "parser/rewrites.h"

namespace bugseek::mine {

struct FoundFix {
  std::string path;      // the file after the commit
  std::string function;  // qualified name ("Cls.method")
  parser::BugKind kind = parser::BugKind::kVariableMisuse;
  std::string buggy_source;  // the function before the commit, indentation removed
  std::string fixed_source;  // and after it
  std::string buggy_token;   // what the fix replaced ("<", "x")
  std::string fixed_token;   // and what it put there
  uint32_t line = 0;         // 1-based line of the bug in the file before the commit
  bool is_test = false;      // the file is a test (see is_test_path)
};

struct FinderOptions {
  uint32_t max_functions = 3;  // more changed functions: not a one-token fix (0 = no limit)
  uint32_t max_function_bytes = 16384;  // longer functions are not matched (0 = no limit)
};

struct CommitFixes {
  // Paired functions whose text differs beyond whitespace, plus functions added or removed outside
  // test files (tests added with a fix are its regression tests).
  uint32_t changed_functions = 0;
  bool too_many_functions = false;  // changed_functions > max_functions: nothing was matched
  uint32_t candidates = 0;          // changed pairs the matcher explains as one rewrite
  uint32_t renames = 0;             // of those, variable misuses that are renames (not kept)
  uint32_t signature_changes = 0;   // and argument swaps that follow a reordered signature
  std::vector<FoundFix> fixes;      // the rest, in file then source order
};

// The fixes in one commit's changed `files`. Never throws for bad code.
//
// Renames. Renaming a variable changes its binding and every use, which the matcher never
// explains as one rewrite (it swaps one read of a local for another local bound before it). What
// it can explain is a systematic replacement, the same name given up at one read in each of
// several functions. So a variable misuse `old -> new` counts as a rename, not a fix, when
//   - the commit replaces the same name `old` by variable misuse in more than one function, or
//   - `old` no longer occurs as an identifier in the fixed function: a misused variable stays
//     bound (a parameter, an earlier assignment) after the fix, a retired name is gone. With
//     today's matcher (locals only) this cannot happen; it guards the rule if globals join.
// Signature changes. Likewise, an argument swap in calls to the same function in more than one
// function of the commit is the callee's parameters reordered, with its call sites following
// (seen in toolz and boltons), not a fix.
CommitFixes find_fixes(const std::vector<FileChange>& files, const parser::Language& language,
                       const FinderOptions& options);

// Test code, flagged rather than dropped: test_*.py, *_test.py, conftest.py, or a file under a
// `test` or `tests` folder.
bool is_test_path(std::string_view path);

// `text` without whitespace: equal for two versions that differ only in layout.
std::string without_whitespace(std::string_view text);

}  // namespace bugseek::mine
