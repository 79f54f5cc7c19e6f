// `bugseek`: one binary, a table of subcommands. Every error ends here as `bugseek: error: ...`.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "cli/commands.h"
#include "common/error.h"
#include "common/memory.h"

#ifndef BUGSEEK_VERSION
#define BUGSEEK_VERSION "unknown"
#endif

namespace {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);
};

int run_version(int, char**) {
  std::printf("bugseek %s\n", BUGSEEK_VERSION);
  return 0;
}

int print_table(FILE* out);

int run_help(int, char**) { return print_table(stdout); }

const Command kCommands[] = {
    {"parse", "show the code graph of a source file", bugseek::cli::run_parse},
    {"rewrites", "list the bug sites and rewrites of a source file", bugseek::cli::run_rewrites},
    {"corpus", "fetch source code to train on (Debian packages)", bugseek::cli::run_corpus},
    {"prepare", "build a dataset: function shards, splits, vocabulary", bugseek::cli::run_prepare},
    {"train", "train a detector against a bug selector (BugLab's loop)", bugseek::cli::run_train},
    {"doctor", "run the pipeline's self-checks", bugseek::cli::run_doctor},
    {"inspect", "show what a model file holds", bugseek::cli::run_inspect},
    {"calibrate", "set a model's threshold for a false-alarm rate", bugseek::cli::run_calibrate},
    {"average", "average the weights of a run's snapshots into one model", bugseek::cli::run_average},
    {"eval", "measure a model on planted (synthetic) or real bugs", bugseek::cli::run_eval},
    {"scan", "look for bugs in files and folders with a trained model", bugseek::cli::run_scan},
    {"mine", "mine real single-token bug fixes from git histories", bugseek::cli::run_mine},
    {"version", "print the version", run_version},
    {"help", "list the commands", run_help},
};

int print_table(FILE* out) {
  std::fprintf(out, "usage: bugseek COMMAND [options]   (bugseek COMMAND --help for details)\n\n");
  for (const auto& c : kCommands) std::fprintf(out, "  %-10s %s\n", c.name, c.summary);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // A file-size limit (ulimit -f) then fails the write with EFBIG, reported like a full disk,
  // instead of killing the process mid-checkpoint.
  std::signal(SIGXFSZ, SIG_IGN);
  bugseek::keep_freed_memory();
  if (argc < 2) {
    print_table(stderr);
    return 2;
  }
  const char* name = argv[1];
  if (std::strcmp(name, "--help") == 0 || std::strcmp(name, "-h") == 0) return run_help(0, nullptr);
  if (std::strcmp(name, "--version") == 0) return run_version(0, nullptr);
  for (const auto& c : kCommands) {
    if (std::strcmp(c.name, name) != 0) continue;
    try {
      return c.run(argc - 1, argv + 1);
    } catch (const bugseek::UsageError& e) {
      std::fprintf(stderr, "bugseek %s: %s\n", name, e.what());
      return 2;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bugseek: error: %s\n", e.what());
      return 1;
    } catch (...) {
      std::fprintf(stderr, "bugseek: error: unknown exception\n");
      return 1;
    }
  }
  std::fprintf(stderr, "bugseek: unknown command '%s'\n\n", name);
  print_table(stderr);
  return 2;
}
