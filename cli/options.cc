#include "cli/options.h"

#include <iostream>
#include <thread>

#include "common/error.h"
#include "common/log.h"

namespace bugseek::cli {

po::options_description general_group(GeneralOptions& opts, bool with_threads, bool with_seed) {
  po::options_description group("General");
  group.add_options()("help,h", "show this help and exit")(
      "verbose,v", po::bool_switch(&opts.verbose), "more log lines on stderr")(
      "quiet,q", po::bool_switch(&opts.quiet), "only warnings and errors on stderr");
  if (with_threads) {
    group.add_options()("threads", po::value(&opts.threads)->default_value(opts.threads),
                        "worker threads (0 = all cores)");
  }
  if (with_seed) {
    group.add_options()("seed", po::value(&opts.seed)->default_value(opts.seed),
                        "random seed; same seed, same result");
  }
  return group;
}

bool parse_command_line(int argc, char** argv, const std::string& usage,
                        const po::options_description& visible,
                        const po::options_description& hidden,
                        const po::positional_options_description& positional,
                        po::variables_map& vm, const GeneralOptions& general) {
  po::options_description all;
  all.add(visible).add(hidden);
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    if (vm.count("help")) {
      std::cout << usage << "\n\n" << visible << "\n";
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + " (see --help)");
  }
  if (general.quiet) set_log_level(LogLevel::kQuiet);
  if (general.verbose) set_log_level(LogLevel::kDebug);
  return true;
}

int resolve_threads(int requested) {
  if (requested > 0) return requested;
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

}  // namespace bugseek::cli
