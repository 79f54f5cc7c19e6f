// The apt/dpkg half of `bugseek corpus debian`: runs apt-cache, apt-get download and dpkg-deb as
// subprocesses, keeps the *.py files of each package, and writes the markers and the manifest.
// A package folder appears only by renaming a finished staging folder, so a killed run leaves
// nothing that looks complete; hidden work folders (.debs, .tmp-*, .staging-*) are ignored by
// `bugseek prepare`'s corpus walk.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <sstream>

#include "common/error.h"
#include "common/fs.h"
#include "common/log.h"
#include "common/parallel.h"
#include "common/progress.h"
#include "data/debian_corpus.h"

namespace bugseek::data {
namespace fs = std::filesystem;

namespace {

constexpr const char* kMarker = ".complete";
constexpr const char* kDefaultList = "data/corpora/debian-python.txt";

struct CommandResult {
  int status = -1;     // exit code; 127 when the program could not be started; 128+N on signal N
  std::string output;  // stdout and stderr together
};

// Runs argv[0] (searched on PATH) in `cwd` with stdin from /dev/null and returns its status and
// output. Only async-signal-safe calls happen between fork and exec: workers run this at once.
CommandResult run_command(const std::vector<std::string>& argv, const fs::path& cwd = {}) {
  CommandResult result;
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const std::string dir = cwd.string();
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    result.output = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (null_fd >= 0) ::dup2(null_fd, 0);
    ::dup2(pipe_fds[1], 1);
    ::dup2(pipe_fds[1], 2);
    if (!dir.empty() && ::chdir(dir.c_str()) != 0) {
      static const char kMsg[] = "cannot change to the working folder\n";
      (void)!::write(2, kMsg, sizeof(kMsg) - 1);
      ::_exit(126);
    }
    ::execvp(args[0], args.data());
    static const char kMsg[] = "command not found\n";
    (void)!::write(2, kMsg, sizeof(kMsg) - 1);
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  if (null_fd >= 0) ::close(null_fd);
  if (pid < 0) {
    ::close(pipe_fds[0]);
    result.output = std::string("fork: ") + std::strerror(errno);
    return result;
  }
  char buf[8192];
  for (;;) {
    const ssize_t n = ::read(pipe_fds[0], buf, sizeof(buf));
    if (n > 0) {
      result.output.append(buf, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(pipe_fds[0]);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(wstatus)) result.status = WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus)) result.status = 128 + WTERMSIG(wstatus);
  return result;
}

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (!dir.empty() && ::access((fs::path(dir) / program).c_str(), X_OK) == 0) return true;
  }
  return false;
}

// The most telling line of a failed command's output: its last "E: " line, else its last line.
std::string last_error_line(const std::string& output) {
  std::istringstream in(output);
  std::string line, last, last_e;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    last = line;
    if (line.rfind("E: ", 0) == 0 || line.find("error") != std::string::npos) last_e = line;
  }
  return last_e.empty() ? last : last_e;
}

std::string describe_failure(const std::string& what, const CommandResult& r) {
  if (r.status == 127) return what + ": command not found";
  return what + " exited " + std::to_string(r.status) + ": " + last_error_line(r.output);
}

// Source-package records from `apt-cache showsrc`, by binary and by source package name.
struct SourceRecords {
  std::map<std::string, std::map<std::string, std::string>> by_name;

  const std::map<std::string, std::string>* find(const std::string& name) const {
    auto it = by_name.find(name);
    return it == by_name.end() ? nullptr : &it->second;
  }
};

SourceRecords load_source_records(const std::vector<std::string>& packages) {
  SourceRecords records;
  if (packages.empty() || !on_path("apt-cache")) return records;
  std::vector<std::vector<std::string>> attempts;
  attempts.push_back({"apt-cache", "showsrc"});
  // Without deb-src lines in sources.list, the deb-src lists scripts/setup keeps in .deps/apt-src.
  if (auto root = find_project_root(); root && fs::is_directory(*root / ".deps/apt-src/lists")) {
    const fs::path apt = *root / ".deps/apt-src";
    attempts.push_back({"apt-cache", "-o", "Dir::State::Lists=" + (apt / "lists").string(), "-o",
                        "Dir::Etc::SourceList=/dev/null", "-o",
                        "Dir::Etc::SourceParts=" + (apt / "sources.list.d").string(), "-o",
                        "Dir::Cache::pkgcache=", "-o", "Dir::Cache::srcpkgcache=", "showsrc"});
  }
  for (auto argv : attempts) {
    argv.insert(argv.end(), packages.begin(), packages.end());
    const CommandResult r = run_command(argv);
    if (r.status != 0 || r.output.find("Package:") == std::string::npos) continue;
    for (auto& para : parse_deb822(r.output)) {
      std::istringstream binaries(para["Binary"]);
      std::string b;
      while (std::getline(binaries, b, ',')) {
        b.erase(std::remove_if(b.begin(), b.end(), [](char c) { return c == ' ' || c == '\n'; }),
                b.end());
        if (!b.empty()) records.by_name.emplace(b, para);
      }
      records.by_name.emplace(para["Package"], para);
    }
    log_debug("corpus", "source records for ", records.by_name.size(), " names");
    return records;
  }
  log_info("corpus", "no deb-src records (apt-cache showsrc): upstream from Homepage only");
  return records;
}

// Fills the fields `meta` lacks from the package's source record, if any.
void merge_source_record(PackageMeta& meta, const SourceRecords& records) {
  const auto* rec = records.find(meta.package);
  if (!rec && !meta.source.empty()) rec = records.find(meta.source);
  if (!rec) return;
  auto fill = [&](std::string& field, const char* key) {
    if (!field.empty()) return;
    if (auto it = rec->find(key); it != rec->end()) field = it->second;
  };
  fill(meta.source, "Package");
  fill(meta.version, "Version");  // the source's: a guess until the .deb is read
  fill(meta.homepage, "Homepage");
  fill(meta.vcs_git, "Vcs-Git");
  fill(meta.vcs_browser, "Vcs-Browser");
}

PackageMeta meta_from_fields(const std::map<std::string, std::string>& f) {
  auto get = [&](const char* key) {
    auto it = f.find(key);
    return it == f.end() ? std::string() : it->second;
  };
  PackageMeta m;
  m.package = get("Package");
  m.version = get("Version");
  m.source = get("Source");
  if (auto space = m.source.find(' '); space != std::string::npos) m.source.resize(space);
  m.homepage = get("Homepage");
  m.vcs_git = get("Vcs-Git");
  m.vcs_browser = get("Vcs-Browser");
  return m;
}

struct FileCount {
  uint64_t files = 0;
  uint64_t bytes = 0;
};

// Regular files below `dir` other than its own marker.
FileCount count_files(const fs::path& dir) {
  FileCount c;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file() || it->path() == dir / kMarker) continue;
    c.files += 1;
    c.bytes += it->file_size();
  }
  return c;
}

std::string marker_text(const PackageMeta& m, const FileCount& c) {
  std::ostringstream out;
  out << "Package: " << m.package << "\nVersion: " << m.version << "\nSource: " << m.source
      << "\nHomepage: " << m.homepage << "\nVcs-Git: " << m.vcs_git
      << "\nVcs-Browser: " << m.vcs_browser << "\nFiles: " << c.files << "\nBytes: " << c.bytes
      << "\n";
  return out.str();
}

// The metadata of an earlier run's package folder when its marker matches the files there.
std::optional<PackageMeta> verified_marker(const fs::path& dir, FileCount* count) {
  std::error_code ec;
  if (!fs::is_regular_file(dir / kMarker, ec)) return std::nullopt;
  std::vector<std::map<std::string, std::string>> paras;
  try {
    paras = parse_deb822(read_file(dir / kMarker));
  } catch (const Error&) {
    return std::nullopt;
  }
  if (paras.size() != 1) return std::nullopt;
  const FileCount actual = count_files(dir);
  if (paras[0]["Files"] != std::to_string(actual.files) ||
      paras[0]["Bytes"] != std::to_string(actual.bytes) || actual.files == 0) {
    return std::nullopt;
  }
  *count = actual;
  return meta_from_fields(paras[0]);
}

// Moves every regular *.py file below `from` to the same relative path below `to`.
FileCount keep_python_files(const fs::path& from, const fs::path& to) {
  FileCount c;
  std::vector<fs::path> keep;
  for (fs::recursive_directory_iterator it(from), end; it != end; ++it) {
    if (it->is_regular_file() && !it->is_symlink() && it->path().extension() == ".py") {
      keep.push_back(it->path());
    }
  }
  for (const auto& src : keep) {
    const fs::path dst = to / fs::relative(src, from);
    fs::create_directories(dst.parent_path());
    c.bytes += fs::file_size(src);
    fs::rename(src, dst);
    c.files += 1;
  }
  return c;
}

class CorpusBuilder {
 public:
  CorpusBuilder(const DebianCorpusConfig& config, const RepoExcludeList& exclude,
                const SourceRecords& records, const std::map<std::string, fs::path>& local_debs)
      : config_(config),
        exclude_(exclude),
        records_(records),
        local_debs_(local_debs),
        out_(config.out),
        debs_(out_ / ".debs") {}

  ManifestRow process(const std::string& package) {
    ManifestRow row;
    row.package = package;
    const fs::path dir = out_ / package;
    FileCount count;
    if (auto meta = verified_marker(dir, &count)) {
      row.version = meta->version;
      row.upstream = upstream_url(*meta);
      if (std::string why = exclusion_reason(*meta, exclude_); !why.empty()) {
        fs::remove_all(dir);
        return fail(row, PackageStatus::kExcluded, why);
      }
      row.files = count.files;
      row.bytes = count.bytes;
      row.reason = "resumed";
      return row;
    }
    // Decide from the source record first, so an excluded package is not even downloaded.
    PackageMeta pre;
    pre.package = package;
    merge_source_record(pre, records_);
    if (std::string why = exclusion_reason(pre, exclude_); !why.empty()) {
      row.version = pre.version;
      row.upstream = upstream_url(pre);
      fs::remove_all(dir);
      return fail(row, PackageStatus::kExcluded, why);
    }
    std::string error;
    const fs::path deb = obtain_deb(package, &error);
    if (deb.empty()) return fail(row, PackageStatus::kDownloadFailed, error);
    const CommandResult fields = run_command({"dpkg-deb", "-f", deb.string(), "Package", "Version",
                                              "Homepage", "Vcs-Git", "Vcs-Browser", "Source"});
    const auto paras = parse_deb822(fields.output);
    if (fields.status != 0 || paras.size() != 1) {
      return fail(row, PackageStatus::kFailed, describe_failure("dpkg-deb -f", fields));
    }
    PackageMeta meta = meta_from_fields(paras[0]);
    if (meta.package.empty()) meta.package = package;
    merge_source_record(meta, records_);
    row.version = meta.version;
    row.upstream = upstream_url(meta);
    if (std::string why = exclusion_reason(meta, exclude_); !why.empty()) {
      fs::remove_all(dir);
      return fail(row, PackageStatus::kExcluded, why);
    }
    return extract(row, meta, deb);
  }

 private:
  static ManifestRow fail(ManifestRow row, PackageStatus status, std::string reason) {
    row.status = status;
    row.files = row.bytes = 0;
    row.reason = std::move(reason);
    return row;
  }

  // The package's .deb: from --debs-from, from an earlier download, or downloaded now into
  // .debs/.partial-<package>/ and then moved into .debs/. Empty (with `error`) on failure.
  fs::path obtain_deb(const std::string& package, std::string* error) {
    if (!config_.debs_from.empty()) {
      auto it = local_debs_.find(package);
      if (it != local_debs_.end()) return it->second;
      *error = "no " + package + "_*.deb in " + config_.debs_from;
      return {};
    }
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(debs_, ec)) {
      const std::string name = e.path().filename().string();
      if (name.rfind(package + "_", 0) == 0 && e.path().extension() == ".deb") {
        if (run_command({"dpkg-deb", "-f", e.path().string(), "Package"}).status == 0) {
          return e.path();
        }
        fs::remove(e.path(), ec);  // a broken earlier download
      }
    }
    const fs::path partial = debs_ / (".partial-" + package);
    fs::remove_all(partial);
    fs::create_directories(partial);
    const CommandResult r = run_command({"apt-get", "download", "-q", package}, partial);
    fs::path got;
    for (const auto& e : fs::directory_iterator(partial, ec)) {
      if (e.path().extension() == ".deb") got = e.path();
    }
    if (r.status != 0 || got.empty()) {
      *error = describe_failure("apt-get download", r);
      fs::remove_all(partial, ec);
      return {};
    }
    const fs::path final_path = debs_ / got.filename();
    fs::rename(got, final_path);
    fs::remove_all(partial, ec);
    return final_path;
  }

  ManifestRow extract(ManifestRow row, const PackageMeta& meta, const fs::path& deb) {
    const fs::path dir = out_ / row.package;
    const fs::path tmp = out_ / (".tmp-" + row.package);
    const fs::path staging = out_ / (".staging-" + row.package);
    std::error_code ec;
    fs::remove_all(tmp, ec);
    fs::remove_all(staging, ec);
    try {
      fs::create_directories(tmp);
      const CommandResult x = run_command({"dpkg-deb", "-x", deb.string(), tmp.string()});
      if (x.status != 0) {
        fs::remove_all(tmp, ec);
        return fail(row, PackageStatus::kFailed, describe_failure("dpkg-deb -x", x));
      }
      fs::create_directories(staging);
      const FileCount count = keep_python_files(tmp, staging);
      fs::remove_all(tmp);
      fs::remove_all(dir);
      if (count.files == 0) {
        fs::remove_all(staging);
        return fail(row, PackageStatus::kNoPython, "no *.py files in the package");
      }
      write_file_atomic(staging / kMarker, marker_text(meta, count));
      fs::rename(staging, dir);
      row.status = PackageStatus::kOk;
      row.files = count.files;
      row.bytes = count.bytes;
      return row;
    } catch (const std::exception& e) {
      fs::remove_all(tmp, ec);
      fs::remove_all(staging, ec);
      return fail(row, PackageStatus::kFailed, e.what());
    }
  }

  const DebianCorpusConfig& config_;
  const RepoExcludeList& exclude_;
  const SourceRecords& records_;
  const std::map<std::string, fs::path>& local_debs_;
  fs::path out_;
  fs::path debs_;
};

// Local .deb files by package name (the part of the file name before the first '_').
std::map<std::string, fs::path> index_local_debs(const fs::path& dir) {
  std::map<std::string, fs::path> out;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec)
    throw_error("build_debian_corpus", dir.string(), "cannot read --debs-from: " + ec.message());
  for (const auto& e : it) {
    if (e.path().extension() != ".deb") continue;
    const std::string name = e.path().filename().string();
    out.emplace(name.substr(0, name.find('_')), e.path());
  }
  return out;
}

std::string mb(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f MB", static_cast<double>(bytes) / 1e6);
  return buf;
}

}  // namespace

std::optional<fs::path> find_project_root() {
  std::vector<fs::path> starts;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) starts.push_back(exe.parent_path());
  const fs::path cwd = fs::current_path(ec);
  if (!ec) starts.push_back(cwd);
  for (const auto& start : starts) {
    for (fs::path p = start; !p.empty(); p = p.parent_path()) {
      if (fs::is_regular_file(p / kDefaultList, ec)) return p;
      if (p == p.root_path()) break;
    }
    // A build folder next to the sources (build/cli/bugseek) is found by the walk above.
  }
  return std::nullopt;
}

DebianCorpusSummary build_debian_corpus(const DebianCorpusConfig& config) {
  const auto start = std::chrono::steady_clock::now();
  if (config.out.empty()) throw Error("build_debian_corpus: no output folder");
  const fs::path out(config.out);
  fs::create_directories(out / ".debs");

  std::map<std::string, fs::path> local_debs;
  if (!config.debs_from.empty()) local_debs = index_local_debs(config.debs_from);
  std::vector<std::string> packages;
  if (!config.packages_file.empty()) {
    packages = read_package_list(config.packages_file);
  } else {
    for (const auto& [name, path] : local_debs) packages.push_back(name);
  }
  if (packages.empty()) throw Error("build_debian_corpus: no packages to build a corpus from");

  RepoExcludeList exclude;
  if (!config.exclude_repos_file.empty())
    exclude = RepoExcludeList::load(config.exclude_repos_file);
  log_info("corpus", packages.size(), " packages, ", exclude.size(), " excluded repositories");
  if (exclude.size() == 0)
    log_warn("corpus", "no excluded repositories: nothing is decontaminated");
  if (!on_path("dpkg-deb")) log_warn("corpus", "dpkg-deb not found: no package can be extracted");
  if (config.debs_from.empty() && !on_path("apt-get")) {
    log_warn("corpus", "apt-get not found: no package can be downloaded");
  }
  const SourceRecords records =
      config.source_records ? load_source_records(packages) : SourceRecords{};

  CorpusBuilder builder(config, exclude, records, local_debs);
  const uint64_t max_bytes = static_cast<uint64_t>(std::max(0.0, config.max_mb) * 1e6);
  DebianCorpusSummary summary;
  summary.rows.resize(packages.size());
  std::atomic<uint64_t> kept{0};
  std::atomic<size_t> done{0};
  std::mutex log_mutex;
  parallel_for(packages.size(), config.threads, [&](size_t i, int) {
    ManifestRow row;
    if (max_bytes > 0 && kept.load() >= max_bytes) {
      row.package = packages[i];
      row.status = PackageStatus::kNotReached;
      row.reason = "--max-mb reached";
    } else {
      try {
        row = builder.process(packages[i]);
      } catch (const std::exception& e) {  // a file system error: this package only
        row = ManifestRow{};
        row.package = packages[i];
        row.status = PackageStatus::kFailed;
        row.reason = e.what();
      }
      if (row.status == PackageStatus::kOk) kept += row.bytes;
      std::lock_guard<std::mutex> lock(log_mutex);
      std::string what = std::string(package_status_name(row.status));
      if (row.status == PackageStatus::kOk) {
        what += ", " + std::to_string(row.files) + " files, " + mb(row.bytes) +
                (row.reason.empty() ? "" : " (" + row.reason + ")");
      } else {
        what += ": " + row.reason;
      }
      log_info("corpus", "[", done + 1, "/", packages.size(), "] ", row.package, " ", row.version,
               ": ", what, " | kept ", mb(kept.load()));
    }
    done += 1;
    summary.rows[i] = std::move(row);
  });

  for (const auto& r : summary.rows) {
    summary.packages[static_cast<int>(r.status)] += 1;
    if (r.status != PackageStatus::kOk) continue;
    summary.files += r.files;
    summary.bytes += r.bytes;
    if (r.reason == "resumed") summary.resumed += 1;
  }
  write_file_atomic(out / "manifest.tsv", format_manifest(summary.rows));
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

std::string DebianCorpusSummary::format_table() const {
  std::ostringstream out;
  auto row = [&](const std::string& key, const std::string& value) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "  %-26s ", key.c_str());
    out << buf << value << "\n";
  };
  out << "corpus debian: " << rows.size() << " packages\n";
  row("ok", std::to_string(packages[0]) + " (" + std::to_string(resumed) + " from earlier runs)");
  for (int s = 1; s < kNumPackageStatuses; ++s) {
    row(std::string(package_status_name(static_cast<PackageStatus>(s))),
        std::to_string(packages[s]));
  }
  row("python files", std::to_string(files));
  row("python source", mb(bytes));
  row("time", format_duration(seconds));
  return out.str();
}

}  // namespace bugseek::data
