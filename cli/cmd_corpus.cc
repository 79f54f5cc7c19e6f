// `bugseek corpus SOURCE`: fetch source code to train on, ahead of `bugseek prepare`. A group of
// sources; today one, `debian` (data::build_debian_corpus).
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "cli/options.h"
#include "common/error.h"
#include "common/log.h"
#include "data/debian_corpus.h"

namespace bugseek::cli {
namespace {
namespace fs = std::filesystem;

const char* kGroupUsage =
    "usage: bugseek corpus SOURCE [options]   (bugseek corpus SOURCE --help for details)\n"
    "\n"
    "Fetches source code into a folder that `bugseek prepare --corpus` reads.\n"
    "Sources:\n"
    "  debian     the *.py files of Debian packages (apt-get download + dpkg-deb)\n";

const char* kDebianUsage =
    "usage: bugseek corpus debian --out DIR [--packages FILE] [--max-mb N] [options]\n"
    "\n"
    "Downloads each listed Debian package with `apt-get download` into DIR/.debs (or takes it\n"
    "from --debs-from), skips packages built from an excluded repository (Homepage, Vcs-Git or\n"
    "Vcs-Browser of the package or its source package, or the package's name minus python3-,\n"
    "against --exclude-repos), and keeps only the *.py files, under DIR/<package>/ with their\n"
    "paths. A verified DIR/<package>/.complete marker makes a rerun skip finished packages.\n"
    "Writes DIR/manifest.tsv (package, version, status, files, bytes, upstream, reason) and\n"
    "prints a summary; exits 1 only when no package gave any Python file.\n"
    "Examples:\n"
    "  bugseek corpus debian --out ~/corpora/debian\n"
    "  bugseek corpus debian --out ~/corpora/debian --max-mb 50 --threads 2\n"
    "  bugseek prepare --corpus ~/corpora/debian --out runs/debian-dataset";

int run_corpus_debian(int argc, char** argv) {
  data::DebianCorpusConfig cfg;
  GeneralOptions general;
  po::options_description visible = general_group(general, true, false);
  po::options_description group("Debian corpus");
  group.add_options()("out,o", po::value(&cfg.out)->required(),
                      "corpus folder to write (required)")(
      "packages", po::value(&cfg.packages_file),
      "package list, one a line, '#' comments (default: the repository's "
      "data/corpora/debian-python.txt; with --debs-from: every .deb there)")(
      "max-mb", po::value(&cfg.max_mb)->default_value(cfg.max_mb),
      "stop after this many MB (10^6 bytes) of kept *.py source (0 = no limit)")(
      "exclude-repos", po::value(&cfg.exclude_repos_file),
      "repository URLs, one a line, whose packages are skipped (default: "
      "../shared/realbugs/exclude-repos.txt beside the repository when it exists; none = no list)")(
      "debs-from", po::value(&cfg.debs_from),
      "take the packages from the .deb files in this folder instead of apt-get download")(
      "source-records", po::value(&cfg.source_records)->default_value(cfg.source_records),
      "also read the source packages' Vcs fields with apt-cache showsrc");
  visible.add(group);
  po::options_description hidden;
  po::positional_options_description positional;
  po::variables_map vm;
  if (!parse_command_line(argc, argv, kDebianUsage, visible, hidden, positional, vm, general)) {
    return 0;
  }
  cfg.threads = resolve_threads(general.threads);
  if (cfg.max_mb < 0) throw UsageError("--max-mb must be >= 0");
  if (!cfg.debs_from.empty() && !fs::is_directory(cfg.debs_from)) {
    throw UsageError("--debs-from " + cfg.debs_from + " is not a folder");
  }
  const auto root = data::find_project_root();
  if (!vm.count("packages") && cfg.debs_from.empty()) {
    if (!root) {
      throw UsageError(
          "no --packages given and data/corpora/debian-python.txt not found above "
          "the binary or the current folder");
    }
    cfg.packages_file = (*root / "data/corpora/debian-python.txt").string();
  }
  if (vm.count("packages") && !fs::is_regular_file(cfg.packages_file)) {
    throw UsageError("--packages " + cfg.packages_file + " is not a file");
  }
  if (cfg.exclude_repos_file == "none") {
    cfg.exclude_repos_file.clear();
  } else if (vm.count("exclude-repos")) {
    if (!fs::is_regular_file(cfg.exclude_repos_file)) {
      throw UsageError("--exclude-repos " + cfg.exclude_repos_file + " is not a file");
    }
  } else if (root && fs::is_regular_file(*root / "../shared/realbugs/exclude-repos.txt")) {
    cfg.exclude_repos_file =
        fs::weakly_canonical(*root / "../shared/realbugs/exclude-repos.txt").string();
  }
  const data::DebianCorpusSummary summary = data::build_debian_corpus(cfg);
  std::cout << summary.format_table() << "  corpus                     " << cfg.out << "\n"
            << "  manifest                   " << (fs::path(cfg.out) / "manifest.tsv").string()
            << "\n";
  if (summary.packages[static_cast<int>(data::PackageStatus::kOk)] == 0) {
    throw Error("no package gave any Python file (see " +
                (fs::path(cfg.out) / "manifest.tsv").string() + ")");
  }
  return 0;
}

}  // namespace

int run_corpus(int argc, char** argv) {
  // argv[0] is "corpus"; argv[1] names the source.
  if (argc < 2) {
    std::cerr << kGroupUsage;
    return 2;
  }
  const std::string source = argv[1];
  if (source == "--help" || source == "-h" || source == "help") {
    std::cout << kGroupUsage;
    return 0;
  }
  if (source == "debian") return run_corpus_debian(argc - 1, argv + 1);
  throw UsageError("unknown corpus source '" + source + "' (sources: debian)");
}

}  // namespace bugseek::cli
