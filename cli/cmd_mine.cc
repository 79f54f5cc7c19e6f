// `bugseek mine`: git repositories -> real single-token bug fixes as JSON Lines (the format
// `bugseek eval --suite real` reads). One library call: mine::mine_repositories.
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "cli/options.h"
#include "common/error.h"
#include "mine/exclusion.h"
#include "mine/mine.h"

namespace bugseek::cli {
namespace {

const char* kUsage =
    "usage: bugseek mine REPO... --out FIXES.jsonl [options]\n"
    "\n"
    "Walks each repository's history (a work tree, a .git folder or a bare repository; read with\n"
    "libgit2) and keeps the commits that fix one token: every non-merge commit is diffed against\n"
    "its parent, the functions of each changed Python file are paired by qualified name, and a\n"
    "changed pair is kept when the bug-fix matcher explains it as exactly one rewrite (variable\n"
    "misuse, binary/assignment/comparison/boolean operator, argument swap, literal). Renames,\n"
    "signature changes, changes a later commit undid, commits touching too many files or\n"
    "functions, and duplicates are left out; fixes in test files are kept with \"is_test\": true.\n"
    "Repositories listed in --exclude-repos are refused. The summary goes to stdout.\n"
    "Examples:\n"
    "  bugseek mine ~/src/project --out fixes.jsonl\n"
    "  bugseek mine /work/.mirror/*/repo --keywords --since 2015-01-01 --out fixes.jsonl";

}  // namespace

int run_mine(int argc, char** argv) {
  mine::MineConfig cfg;
  cfg.exclude_repos = mine::default_exclusion_file();
  std::string commits_file;
  GeneralOptions general;
  po::options_description visible = general_group(general, true, false);
  po::options_description history("History");
  history.add_options()("rev", po::value(&cfg.revs)->composing(),
                        "revision to walk back from; repeat for several (default: HEAD)")(
      "since", po::value(&cfg.since), "only commits on or after this date, YYYY-MM-DD (UTC)")(
      "max-commits", po::value(&cfg.max_commits)->default_value(cfg.max_commits),
      "newest commits read per repository (0 = all)")(
      "commits", po::value(&commits_file),
      "only the commits listed in FILE (40-hex ids, e.g. the commit column of "
      "data/mined/fixes-sources.tsv): rebuilds a published list in minutes")(
      "keywords", po::bool_switch(&cfg.keywords),
      "only commits whose message has a fix-like word (fix, bug, typo, wrong, error, mistake, "
      "correct, issue, patch, repair)")("max-files",
                                        po::value(&cfg.max_files)->default_value(cfg.max_files),
                                        "skip commits changing more Python files (0 = no limit)")(
      "max-hunks", po::value(&cfg.max_functions)->default_value(cfg.max_functions),
      "skip commits changing more functions (0 = no limit)")(
      "max-file-bytes", po::value(&cfg.max_file_bytes)->default_value(cfg.max_file_bytes),
      "do not read file versions larger than this many bytes (0 = no limit)")(
      "max-function-bytes",
      po::value(&cfg.max_function_bytes)->default_value(cfg.max_function_bytes),
      "do not match functions longer than this many bytes (0 = no limit)")(
      "exclude-repos", po::value(&cfg.exclude_repos)->default_value(cfg.exclude_repos),
      "file of repository URLs to refuse, one a line (\"\" = none)");
  po::options_description output("Output");
  output.add_options()("out,o", po::value(&cfg.out)->required(), "JSON Lines file to write");
  visible.add(history).add(output);
  po::options_description hidden;
  hidden.add_options()("repo", po::value(&cfg.repos)->composing(), "repository");
  po::positional_options_description positional;
  positional.add("repo", -1);
  po::variables_map vm;
  if (!parse_command_line(argc, argv, kUsage, visible, hidden, positional, vm, general)) return 0;
  if (cfg.repos.empty()) throw UsageError("give at least one repository (see --help)");
  if (!cfg.since.empty()) mine::parse_date(cfg.since);  // a bad date is a usage error
  if (!commits_file.empty()) cfg.only_commits = mine::read_commit_list(commits_file);
  cfg.threads = resolve_threads(general.threads);
  const mine::MineSummary summary = mine::mine_repositories(cfg);
  std::cout << summary.format_table() << "  output                     " << cfg.out << "\n";
  return 0;
}

}  // namespace bugseek::cli
