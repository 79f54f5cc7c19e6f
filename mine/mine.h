// `bugseek mine`: real single-token bug fixes from git histories (RealiT-style real-fix
// supervision). Each non-merge commit is diffed against its parent; changed Python functions are
// explained by the bug-fix matcher; renames, large commits, changes undone later and duplicates
// are left out. The output is JSON Lines in the real-bug format `bugseek eval --suite real`
// reads. Torch-free.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "parser/rewrites.h"

namespace bugseek::mine {

struct MineConfig {
  std::vector<std::string> repos;  // paths: work trees, .git folders or bare repositories
  std::string out;                 // JSON Lines file, written atomically
  std::vector<std::string> revs;   // revisions to walk from (HEAD when empty)
  std::string since;               // YYYY-MM-DD (UTC): older commits are not read ("" = all)
  uint64_t max_commits = 0;        // newest commits read per repository (0 = all)
  // When not empty, only these commits (40 hex digits) are read, whatever --since and
  // --max-commits say: rebuilding a published list of sources reads a few commits, not histories.
  std::unordered_set<std::string> only_commits;
  int threads = 1;                 // commits of a repository mined in parallel
  bool keywords = false;           // only commits whose message has a fix-like word
  uint32_t max_files = 4;          // commits changing more Python files are skipped (0 = no limit)
  uint32_t max_functions = 3;      // commits changing more functions are skipped (0 = no limit)
  std::string exclude_repos;       // file of repository URLs to refuse ("" = none)
  uint64_t max_file_bytes = 1u << 20;   // larger file versions are not read (0 = no limit)
  uint32_t max_function_bytes = 16384;  // larger functions are not matched (0 = no limit)
};

struct RepoSummary {
  std::string path;
  std::string url;    // remote (or fetch-tool mirror) URL, "" if none
  std::string error;  // why it could not be read; "" if it was
  bool excluded = false;
  uint64_t commits = 0;  // commits read (after --since and --max-commits)
  uint64_t fixes = 0;    // fixes kept from it (after de-duplication)
};

struct MineSummary {
  std::vector<RepoSummary> repos;
  uint64_t commits = 0;             // commits read
  uint64_t merges = 0;              // more than one parent: skipped
  uint64_t roots = 0;               // no parent: nothing to diff
  uint64_t unreadable = 0;          // an object is missing (e.g. a partial snapshot): skipped
  uint64_t no_keyword = 0;          // --keywords: message without a fix-like word
  uint64_t python_commits = 0;      // one parent, some Python file changed
  uint64_t too_many_files = 0;      // over --max-files
  uint64_t no_one_token_hunk = 0;   // no line-diff hunk small enough for one rewrite: unparsed
  uint64_t too_many_functions = 0;  // over --max-hunks
  uint64_t changed_functions = 0;   // in the commits that were matched
  uint64_t candidates = 0;          // changed functions the matcher explains
  uint64_t renames = 0;             // candidates that are renames
  uint64_t signature_changes = 0;   // argument swaps following a reordered signature
  uint64_t reverted = 0;            // changes undone by a later commit (that one is the fix)
  uint64_t duplicates = 0;          // fixes seen before (another commit, branch or repository)
  uint64_t fixes = 0;               // written
  uint64_t test_fixes = 0;          // of those, in test files
  std::array<uint64_t, parser::kNumBugKinds> per_kind{};
  double seconds = 0;

  uint64_t repos_read() const;
  // A few aligned lines for the terminal: counts, yield per kind, fixes per 1,000 commits.
  std::string format_table() const;
};

// Mines every repository of `config` and writes config.out. A repository that cannot be read
// (not a repository, shallow, corrupt) or is excluded is reported and counted, and the others go
// on. Throws Error when none could be read, UsageError for a bad config.since.
MineSummary mine_repositories(const MineConfig& config);

// The commit ids in a text file: every field of 40 hex digits on each line (one id a line, or a
// column of a TSV such as data/mined/fixes-sources.tsv). Throws Error if the file cannot be read
// or names no commit.
std::unordered_set<std::string> read_commit_list(const std::string& path);

// Seconds since the epoch of midnight UTC starting `date` (YYYY-MM-DD); throws UsageError.
int64_t parse_date(const std::string& date);

// Commit time as ISO 8601 with the committer's offset: "2021-03-04T12:34:56+01:00".
std::string iso8601(int64_t time, int offset_minutes);

// Whether a commit message has a fix-like word (fix, bug, typo, wrong, error, mistake, correct,
// issue, patch, repair), case-insensitive, at the start of a word ("Fixes", "bug-fix", "typos";
// not "prefix").
bool has_fix_keyword(std::string_view message);

}  // namespace bugseek::mine
