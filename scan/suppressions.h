// In-source suppressions for `bugseek scan`: a `# bugseek: ignore` comment silences every finding
// on its line, `# bugseek: ignore[variable-misuse, wrong-literal]` only those kinds. Read from the
// file's text (no parse needed), so cached results are filtered the same way as fresh ones.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "eval/findings.h"

namespace bugseek::scan {

struct LineSuppression {
  bool all = false;                // `# bugseek: ignore` without a kind list
  std::vector<std::string> kinds;  // bug kind names from `ignore[...]`
};

// 1-based line -> its suppression, for every line of `text` carrying a comment of the form
// `# bugseek: ignore` or `# bugseek: ignore[kind, ...]` (spaces around ':' and inside the
// brackets are allowed; the comment may follow code). Lines without one are absent.
std::map<int, LineSuppression> find_suppressions(std::string_view text);

// Whether `finding` (its first line and kind) is silenced by `suppressions`.
bool is_suppressed(const std::map<int, LineSuppression>& suppressions,
                   const eval::Finding& finding);

}  // namespace bugseek::scan
