// Option groups shared by subcommands (Boost.Program_options), so every command spells
// -v/-q/--threads/--seed/--device the same way and `--help` shows the struct defaults.
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <vector>

namespace bugseek::cli {

namespace po = boost::program_options;

struct GeneralOptions {
  bool verbose = false;
  bool quiet = false;
  int threads = 0;  // 0 = all cores
  uint64_t seed = 1;
};

// "General": -h/--help, -v/--verbose, -q/--quiet, and optionally --threads and --seed.
po::options_description general_group(GeneralOptions& opts, bool with_threads, bool with_seed);

// Parses argv (argv[0] is the subcommand name) against `visible` plus `hidden` with the given
// positional layout. Returns false if --help was given (help already printed on stdout).
// Throws UsageError on bad flags. Applies -v/-q to the log level.
bool parse_command_line(int argc, char** argv, const std::string& usage,
                        const po::options_description& visible,
                        const po::options_description& hidden,
                        const po::positional_options_description& positional,
                        po::variables_map& vm, const GeneralOptions& general);

// Number of worker threads to use for `requested` (0 = hardware concurrency).
int resolve_threads(int requested);

}  // namespace bugseek::cli
