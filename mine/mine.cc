#include "mine/mine.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <exception>
#include <filesystem>
#include <memory>
#include <numeric>
#include <sstream>
#include <unordered_set>

#include <git2.h>

#include "common/error.h"
#include "common/fs.h"
#include "common/json.h"
#include "common/log.h"
#include "common/parallel.h"
#include "common/progress.h"
#include "mine/exclusion.h"
#include "mine/fix_finder.h"
#include "mine/git_repo.h"
#include "mine/prefilter.h"

namespace bugseek::mine {
namespace {

enum class Outcome : uint8_t {
  kMerge,
  kRoot,
  kNoKeyword,
  kNoPython,
  kTooManyFiles,
  kNoOneTokenHunk,
  kUnreadable,  // a tree or blob is missing (partial snapshots omit large files)
  kMatched
};

struct CommitResult {
  Outcome outcome = Outcome::kNoPython;
  CommitFixes fixes;
};

// A kept fix with where it came from; `repo`, `commit` and `order` give the output order.
struct Mined {
  FoundFix fix;
  size_t repo = 0;
  const CommitInfo* commit = nullptr;
  size_t commit_index = 0;  // in the repository's oldest-first list
  size_t order = 0;         // in the commit
  bool reverted = false;
  bool duplicate = false;
};

// Whitespace-insensitive identity of a (buggy, fixed) pair, or of its inverse.
std::string pair_key(const FoundFix& fix, bool inverse) {
  std::string key = without_whitespace(inverse ? fix.fixed_source : fix.buggy_source);
  key += '\0';
  key += without_whitespace(inverse ? fix.buggy_source : fix.fixed_source);
  return key;
}

// One repository: how the output names it, and the commits read from it (oldest first).
struct RepoRun {
  std::string origin;  // URL or absolute path, for `origin.repo`
  std::string label;   // short name for ids and progress
  std::vector<CommitInfo> commits;
};

std::string label_of(const std::string& url, const std::string& path) {
  std::string s = url.empty() ? path : url;
  while (!s.empty() && s.back() == '/') s.pop_back();
  for (const char* tail : {"/.git", ".git", "/repo"}) {  // the fetch tool's mirrors end in /repo
    const size_t n = std::char_traits<char>::length(tail);
    if (s.size() > n && s.compare(s.size() - n, n, tail) == 0) s.resize(s.size() - n);
  }
  const size_t slash = s.find_last_of("/:");
  std::string name = slash == std::string::npos ? s : s.substr(slash + 1);
  const size_t plus = name.find('+');  // owner+name
  if (plus != std::string::npos) name = name.substr(plus + 1);
  return name.empty() ? "repo" : name;
}

CommitResult mine_commit(const GitRepo& repo, const CommitInfo& commit, const MineConfig& config,
                         const parser::Language& language) {
  CommitResult r;
  if (commit.parents > 1) {
    r.outcome = Outcome::kMerge;
    return r;
  }
  if (commit.parents == 0) {
    r.outcome = Outcome::kRoot;
    return r;
  }
  if (config.keywords && !has_fix_keyword(commit.message)) {
    r.outcome = Outcome::kNoKeyword;
    return r;
  }
  std::vector<FileChange> files;
  const size_t count =
      repo.python_changes(commit.id, config.max_files, config.max_file_bytes, &files);
  if (count == 0) {
    r.outcome = Outcome::kNoPython;
    return r;
  }
  if (config.max_files > 0 && count > config.max_files) {
    r.outcome = Outcome::kTooManyFiles;
    return r;
  }
  // No hunk small enough for one rewrite: no pair of these files can match, so skip the parsing.
  // All files are parsed otherwise, as every changed function counts against --max-hunks.
  if (!has_one_token_hunk(files)) {
    r.outcome = Outcome::kNoOneTokenHunk;
    return r;
  }
  FinderOptions options;
  options.max_functions = config.max_functions;
  options.max_function_bytes = config.max_function_bytes;
  r.outcome = Outcome::kMatched;
  r.fixes = find_fixes(files, language, options);
  return r;
}

// Mines the commits of `run` from the repository at `path` on `threads` workers, each with its
// own libgit2 handle. Throws the first worker's Error if the repository cannot be opened.
std::vector<CommitResult> mine_commits(const std::string& path, const RepoRun& run,
                                       const MineConfig& config, const parser::Language& language) {
  const size_t n = run.commits.size();
  std::vector<CommitResult> results(n);
  ProgressBar bar("mine " + run.label, n);
  std::atomic<uint64_t> candidates{0}, fixes{0};
  const size_t workers = std::max<size_t>(1, std::min<size_t>(std::max(config.threads, 1), n));
  // libgit2 frees a worker's thread-local error state when the thread ends only while libgit2 is
  // still initialized; without this reference the last GitRepo's shutdown came first and leaked it
  // (LeakSanitizer, scripts/test --sanitize, MineTest.SameThreadsOrNot). Declared before the
  // handles, so they close first.
  git_libgit2_init();
  struct Shutdown {
    ~Shutdown() { git_libgit2_shutdown(); }
  } shutdown;
  std::vector<std::unique_ptr<GitRepo>> repos(workers);  // one handle per worker, opened lazily
  // A repository that cannot be opened throws out of parallel_for, which stops the others.
  parallel_for(n, static_cast<int>(workers), [&](size_t i, int w) {
    std::unique_ptr<GitRepo>& repo = repos[static_cast<size_t>(w)];
    if (!repo) repo = std::make_unique<GitRepo>(path);
    try {
      results[i] = mine_commit(*repo, run.commits[i], config, language);
    } catch (const std::exception& e) {
      // One missing object costs its commit, not the repository's whole history.
      log_debug("mine", path, ": ", run.commits[i].id, ": ", e.what());
      results[i] = CommitResult{};
      results[i].outcome = Outcome::kUnreadable;
    }
    candidates += results[i].fixes.candidates;
    fixes += results[i].fixes.fixes.size();
    bar.advance(1, std::to_string(candidates) + " candidates, " + std::to_string(fixes) + " fixes");
  });
  bar.finish();
  return results;
}

json::Value fix_json(const Mined& m, const RepoRun& run) {
  const FoundFix& f = m.fix;
  json::Value origin = json::Value::object();
  origin.set("repo", run.origin);
  origin.set("commit", m.commit->id);
  origin.set("path", f.path);
  origin.set("function", f.function);
  origin.set("line", f.line);
  origin.set("date", iso8601(m.commit->time, m.commit->offset_minutes));
  const std::string& message = m.commit->message;
  origin.set("subject", message.substr(0, message.find('\n')));
  json::Value v = json::Value::object();
  v.set("id", run.label + "-" + m.commit->id.substr(0, 12) + "-" + std::to_string(m.order + 1));
  v.set("path", f.path);
  v.set("language", "python");
  v.set("buggy_source", f.buggy_source);
  v.set("fixed_source", f.fixed_source);
  v.set("kind", parser::bug_kind_name(f.kind));
  v.set("is_test", f.is_test);
  v.set("origin", std::move(origin));
  return v;
}

}  // namespace

std::unordered_set<std::string> read_commit_list(const std::string& path) {
  std::unordered_set<std::string> ids;
  std::istringstream in(read_file(path));
  std::string line;
  auto is_hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
  while (std::getline(in, line)) {
    size_t at = 0;
    while (at < line.size()) {
      size_t end = at;
      while (end < line.size() && is_hex(line[end])) ++end;
      if (end - at == 40) ids.insert(line.substr(at, 40));
      at = end == at ? at + 1 : end;
    }
  }
  if (ids.empty()) throw Error("mine: " + path + " names no commit (40 hex digits)");
  return ids;
}

int64_t parse_date(const std::string& date) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (date.size() != 10 || std::sscanf(date.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
      m < 1 || m > 12 || d < 1 || d > 31) {
    throw UsageError("a date must be YYYY-MM-DD, not '" + date + "'");
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  return static_cast<int64_t>(timegm(&tm));
}

std::string iso8601(int64_t time, int offset_minutes) {
  const std::time_t local = static_cast<std::time_t>(time + int64_t{offset_minutes} * 60);
  std::tm tm{};
  gmtime_r(&local, &tm);
  char buf[64];
  const int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

bool has_fix_keyword(std::string_view message) {
  static constexpr std::string_view kWords[] = {"fix",     "bug",     "typo",  "wrong", "error",
                                                "mistake", "correct", "issue", "patch", "repair"};
  std::string lower(message);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto word_char = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  for (std::string_view word : kWords) {
    for (size_t at = lower.find(word); at != std::string::npos; at = lower.find(word, at + 1)) {
      if (at == 0 || !word_char(lower[at - 1])) return true;
    }
  }
  return false;
}

uint64_t MineSummary::repos_read() const {
  return static_cast<uint64_t>(std::count_if(repos.begin(), repos.end(), [](const RepoSummary& r) {
    return r.error.empty() && !r.excluded;
  }));
}

std::string MineSummary::format_table() const {
  std::ostringstream out;
  auto row = [&](const std::string& key, const std::string& value) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "  %-26s ", key.c_str());
    out << buf << value << "\n";
  };
  auto per_1000 = [&](uint64_t n) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.2f", commits == 0 ? 0.0 : 1000.0 * n / commits);
    return std::string(buf);
  };
  const uint64_t excluded = static_cast<uint64_t>(
      std::count_if(repos.begin(), repos.end(), [](const RepoSummary& r) { return r.excluded; }));
  const uint64_t failed = repos.size() - excluded - repos_read();
  out << "mined " << repos_read() << " of " << repos.size() << " repositories (" << excluded
      << " excluded, " << failed << " unreadable) in " << format_duration(seconds) << "\n";
  row("commits read", std::to_string(commits));
  row("skipped: merge", std::to_string(merges));
  row("skipped: root commit", std::to_string(roots));
  if (no_keyword > 0) row("skipped: no fix keyword", std::to_string(no_keyword));
  row("with Python changes", std::to_string(python_commits));
  row("skipped: over --max-files", std::to_string(too_many_files));
  row("skipped: no one-token hunk", std::to_string(no_one_token_hunk));
  if (unreadable > 0) row("skipped: missing objects", std::to_string(unreadable));
  row("skipped: over --max-hunks", std::to_string(too_many_functions));
  row("changed functions", std::to_string(changed_functions));
  row("candidates", std::to_string(candidates) + " explained as one rewrite");
  row("dropped: rename", std::to_string(renames));
  row("dropped: signature change", std::to_string(signature_changes));
  row("dropped: undone later", std::to_string(reverted));
  row("dropped: duplicate", std::to_string(duplicates));
  row("fixes kept", std::to_string(fixes) + " (" + per_1000(fixes) + " per 1,000 commits; " +
                        std::to_string(test_fixes) + " in tests)");
  for (int k = 0; k < parser::kNumBugKinds; ++k) {
    row("  " + std::string(parser::bug_kind_name(static_cast<parser::BugKind>(k))),
        std::to_string(per_kind[k]) + " (" + per_1000(per_kind[k]) + " per 1,000 commits)");
  }
  return out.str();
}

MineSummary mine_repositories(const MineConfig& config) {
  const auto start = std::chrono::steady_clock::now();
  const int64_t since = config.since.empty() ? 0 : parse_date(config.since);
  const parser::Language* language = parser::find_language("python");
  if (language == nullptr) throw Error("mine: the python grammar is not registered");
  ExclusionList excluded;
  if (!config.exclude_repos.empty()) excluded = ExclusionList::read(config.exclude_repos);

  MineSummary summary;
  std::vector<RepoRun> runs(config.repos.size());
  std::vector<std::vector<CommitResult>> results(config.repos.size());
  for (size_t r = 0; r < config.repos.size(); ++r) {
    const std::string& path = config.repos[r];
    RepoSummary rs;
    rs.path = path;
    RepoRun& run = runs[r];
    try {
      std::error_code ec;
      run.origin = std::filesystem::absolute(path, ec).lexically_normal().string();
      if (run.origin.size() > 1 && run.origin.back() == '/') run.origin.pop_back();
      std::vector<CommitInfo> commits;
      {
        GitRepo repo(path);
        rs.url = repo.remote_url();
        if (!rs.url.empty()) run.origin = rs.url;
        const std::string mirror = mirror_url(path);
        run.label = label_of(rs.url.empty() ? mirror : rs.url, run.origin);
        for (const std::string& url : {rs.url, mirror}) {
          if (excluded.contains(url)) {
            rs.excluded = true;
            log_warn("mine", path, ": refused: ", url, " is listed in ", config.exclude_repos,
                     " (the real-bug benchmarks come from it; it must not feed training)");
            break;
          }
        }
        if (!rs.excluded) commits = repo.commits(config.revs);
      }
      if (rs.excluded) {
        summary.repos.push_back(std::move(rs));
        continue;
      }
      if (!config.only_commits.empty()) {
        commits.erase(std::remove_if(commits.begin(), commits.end(),
                                     [&](const CommitInfo& c) {
                                       return config.only_commits.count(c.id) == 0;
                                     }),
                      commits.end());
      }
      commits.erase(std::remove_if(commits.begin(), commits.end(),
                                   [&](const CommitInfo& c) { return c.time < since; }),
                    commits.end());
      if (config.only_commits.empty() && config.max_commits > 0 &&
          commits.size() > config.max_commits) {
        commits.erase(commits.begin(), commits.end() - static_cast<ptrdiff_t>(config.max_commits));
      }
      run.commits = std::move(commits);
      results[r] = mine_commits(path, run, config, *language);
      rs.commits = run.commits.size();
    } catch (const std::exception& e) {
      rs.error = e.what();
      run.commits.clear();
      results[r].clear();
      log_warn("mine", "skipping ", path, ": ", e.what());
    }
    summary.repos.push_back(std::move(rs));
  }
  if (summary.repos_read() == 0) {
    throw Error("mine: no repository could be read (" + std::to_string(config.repos.size()) +
                " given; see the messages above)");
  }

  // Count, then de-duplicate whitespace-insensitively keeping the oldest commit's copy.
  std::vector<Mined> mined;
  for (size_t r = 0; r < runs.size(); ++r) {
    for (size_t i = 0; i < results[r].size(); ++i) {
      CommitResult& cr = results[r][i];
      summary.commits += 1;
      switch (cr.outcome) {
        case Outcome::kMerge:
          summary.merges += 1;
          continue;
        case Outcome::kRoot:
          summary.roots += 1;
          continue;
        case Outcome::kNoKeyword:
          summary.no_keyword += 1;
          continue;
        case Outcome::kNoPython:
          continue;
        case Outcome::kUnreadable:
          summary.unreadable += 1;
          continue;
        case Outcome::kTooManyFiles:
          summary.too_many_files += 1;
          break;
        case Outcome::kNoOneTokenHunk:
          summary.no_one_token_hunk += 1;
          break;
        case Outcome::kMatched:
          break;
      }
      summary.python_commits += 1;
      if (cr.fixes.too_many_functions) summary.too_many_functions += 1;
      if (cr.outcome != Outcome::kMatched || cr.fixes.too_many_functions) continue;
      summary.changed_functions += cr.fixes.changed_functions;
      summary.candidates += cr.fixes.candidates;
      summary.renames += cr.fixes.renames;
      summary.signature_changes += cr.fixes.signature_changes;
      for (size_t k = 0; k < cr.fixes.fixes.size(); ++k) {
        mined.push_back({std::move(cr.fixes.fixes[k]), r, &runs[r].commits[i], i, k, false, false});
      }
    }
  }
  std::vector<size_t> by_age(mined.size());
  std::iota(by_age.begin(), by_age.end(), size_t{0});
  std::stable_sort(by_age.begin(), by_age.end(), [&](size_t a, size_t b) {
    return mined[a].commit->time < mined[b].commit->time;
  });
  // A change undone later (A -> B, then B -> A) was no fix: the later commit repairs what the
  // earlier one broke (a slip, or a deliberately failing test). Newest first, so each looks
  // only at later changes.
  std::unordered_set<std::string> later;
  for (auto it = by_age.rbegin(); it != by_age.rend(); ++it) {
    Mined& m = mined[*it];
    m.reverted = later.count(pair_key(m.fix, true)) > 0;
    later.insert(pair_key(m.fix, false));
  }
  std::unordered_set<std::string> seen;
  for (size_t i : by_age) {
    Mined& m = mined[i];
    if (!m.reverted) m.duplicate = !seen.insert(pair_key(m.fix, false)).second;
  }

  std::string out;
  for (const Mined& m : mined) {
    if (m.reverted) {
      summary.reverted += 1;
      continue;
    }
    if (m.duplicate) {
      summary.duplicates += 1;
      continue;
    }
    summary.fixes += 1;
    summary.test_fixes += m.fix.is_test ? 1 : 0;
    summary.per_kind[static_cast<int>(m.fix.kind)] += 1;
    summary.repos[m.repo].fixes += 1;
    out += json::dump(fix_json(m, runs[m.repo]));
    out += '\n';
  }
  write_file_atomic(config.out, out);
  for (size_t r = 0; r < runs.size(); ++r) {
    const RepoSummary& rs = summary.repos[r];
    if (rs.error.empty() && !rs.excluded) {
      log_info("mine", runs[r].label, ": ", rs.commits, " commits read, ", rs.fixes, " fixes kept");
    }
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace bugseek::mine
