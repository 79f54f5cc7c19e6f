// Reading the real-bug suite's input: JSON Lines of bug-fix pairs, one object per line with
// `buggy_source` and `fixed_source` (whole text) and optional `id`, `path`, `language`
// (the format of ../shared/realbugs/dev.jsonl). Matching each pair to a rewrite happens later.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace bugseek::eval {

struct RealBugPair {
  std::string id;        // from the file, or "<file name>:<line>" when absent
  std::string path;      // the file in its project ("" if absent)
  std::string language;  // "" if absent (the suite then assumes its default language)
  std::string repo;      // origin.repo: the project it comes from ("" if absent)
  std::string buggy_source;
  std::string fixed_source;
  size_t line = 0;  // 1-based line in the JSON Lines file
};

// Parses JSON Lines `text`; `source` names the file in errors and default ids. Throws Error
// naming source and line for a malformed line, a non-object, or a missing/non-string source field.
// `origin.repo` is read when present; other unknown fields are ignored. Blank lines are skipped.
std::vector<RealBugPair> parse_real_bug_pairs(std::string_view text, std::string_view source);

// Reads and parses `path`.
std::vector<RealBugPair> read_real_bug_pairs(const std::filesystem::path& path);

}  // namespace bugseek::eval
