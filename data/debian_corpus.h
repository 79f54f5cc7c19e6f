// `bugseek corpus debian`: a Python training corpus from Debian binary packages, ahead of
// `bugseek prepare`. Each listed package is downloaded with apt-get (or taken from local .deb
// files), skipped when it is built from a repository of the real-bug set (decontamination), and
// reduced to its *.py files under OUT/<package>/. A verified OUT/<package>/.complete marker makes
// reruns resume; OUT/manifest.tsv says what happened to every package. Torch-free.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bugseek::data {

// --- Upstream URLs and the exclusion list (pure functions) ---

// A repository URL reduced to "host/path" for comparison: lowercase; scheme ("https://",
// "git+ssh://", ...), user ("git@"), "www." , query, fragment, ".git" and trailing '/' removed;
// "git@host:owner/repo" becomes "host/owner/repo"; browse tails ("/-/tree/...", "/tree/...",
// "/blob/...", "/src/...", "/commits/...") cut. Only the first whitespace-separated word of `url`
// counts (Vcs-Git may end in "-b BRANCH"). "" for an empty or host-less URL.
std::string normalize_repo_url(std::string_view url);

// A project name for comparison: lowercase, with '_' and '.' written as '-'.
std::string normalize_repo_name(std::string_view name);

// A package name without its "python3-" / "python-" prefix, normalized as a project name.
std::string package_project_name(std::string_view package);

// The repositories no training data may come from (../shared/realbugs/exclude-repos.txt).
class RepoExcludeList {
 public:
  // Adds one repository URL; blank lines and '#' comments are ignored.
  void add(std::string_view url);
  // Reads one URL a line from `path`; throws Error naming the path if it cannot be read.
  static RepoExcludeList load(const std::filesystem::path& path);

  // The excluded repository (as listed) that `url` points into, or "" if none: the normalized
  // URL equals a listed one or lies below it ("github.com/o/r/issues" is in "github.com/o/r").
  std::string match_url(std::string_view url) const;
  // The excluded repository whose name (last path component, also without a "python-" prefix)
  // equals `package` minus its python3-/python- prefix, or "" if none.
  std::string match_package(std::string_view package) const;
  size_t size() const { return urls_.size(); }

 private:
  std::unordered_map<std::string, std::string> urls_;   // normalized URL -> as listed
  std::unordered_map<std::string, std::string> names_;  // normalized repo name -> as listed
};

// What apt and dpkg say about one binary package; Vcs fields usually come from the source
// package (`apt-cache showsrc`) and mostly point at Debian's packaging repository on salsa.
struct PackageMeta {
  std::string package;
  std::string version;
  std::string source;  // source package name ("" = same as package)
  std::string homepage;
  std::string vcs_git;
  std::string vcs_browser;
};

// Why a package is excluded ("" = it is not): its Homepage, Vcs-Git or Vcs-Browser points into
// an excluded repository, or its name is an excluded repository's name. `matched` gets the
// excluded repository's URL.
std::string exclusion_reason(const PackageMeta& meta, const RepoExcludeList& exclude,
                             std::string* matched = nullptr);

// The best guess at the upstream repository for the manifest: the first of Homepage, Vcs-Browser,
// Vcs-Git on a code forge that is not Debian's salsa, else the Homepage, else a Vcs URL.
std::string upstream_url(const PackageMeta& meta);

// Paragraphs of "Field: value" lines (deb822: dpkg-deb -f, apt-cache show/showsrc), separated by
// blank lines; continuation lines (leading space) are joined to their field with one space.
std::vector<std::map<std::string, std::string>> parse_deb822(std::string_view text);

// --- Manifest ---

enum class PackageStatus : uint8_t {
  kOk = 0,          // Python files kept (this run or a verified earlier one)
  kExcluded,        // built from an excluded repository
  kDownloadFailed,  // unknown package, no apt-get, network or apt error
  kNoPython,        // the package holds no *.py file
  kFailed,          // dpkg-deb failed or the files could not be written
  kNotReached,      // --max-mb was reached first
};
constexpr int kNumPackageStatuses = 6;
std::string_view package_status_name(PackageStatus status);  // "ok", "excluded", ...
std::optional<PackageStatus> parse_package_status(std::string_view name);

struct ManifestRow {
  std::string package;
  std::string version;
  PackageStatus status = PackageStatus::kOk;
  uint64_t files = 0;  // *.py files kept
  uint64_t bytes = 0;  // their total size
  std::string upstream;
  std::string reason;  // why it is not ok; for ok rows "resumed" when an earlier run made it
};

// OUT/manifest.tsv: a '#' header line, then one tab-separated row per package (tabs and newlines
// in fields become spaces). parse_manifest throws Error on a malformed row.
std::string format_manifest(const std::vector<ManifestRow>& rows);
std::vector<ManifestRow> parse_manifest(std::string_view text);

// Package names from a list file: one a line, '#' starts a comment, blanks ignored, duplicates
// dropped (first kept). Throws Error naming the path if it cannot be read.
std::vector<std::string> read_package_list(const std::filesystem::path& path);

// --- Building the corpus ---

struct DebianCorpusConfig {
  std::string out;                 // corpus directory (required)
  std::string packages_file;       // package list ("" = the repository's default list)
  std::string exclude_repos_file;  // excluded repositories ("" = none)
  std::string debs_from;           // folder of local .deb files used instead of apt-get download
  double max_mb = 0;               // stop once this many MB of *.py are kept (0 = no limit)
  int threads = 1;                 // packages handled at the same time
  bool source_records = true;      // ask `apt-cache showsrc` for the source packages' Vcs fields
};

struct DebianCorpusSummary {
  std::vector<ManifestRow> rows;                         // one per listed package, in list order
  std::array<uint64_t, kNumPackageStatuses> packages{};  // rows per status
  uint64_t resumed = 0;  // ok rows from an earlier run's verified marker
  uint64_t files = 0;    // *.py files in ok packages
  uint64_t bytes = 0;
  double seconds = 0;
  std::string format_table() const;
};

// Builds the corpus described by `config` into config.out and writes OUT/manifest.tsv. Broken,
// excluded or missing packages are rows of the manifest, never exceptions; throws Error only when
// the list or output folder cannot be used.
DebianCorpusSummary build_debian_corpus(const DebianCorpusConfig& config);

// The folder holding data/corpora/debian-python.txt: searched upward from the running binary and
// from the current directory.
std::optional<std::filesystem::path> find_project_root();

}  // namespace bugseek::data
