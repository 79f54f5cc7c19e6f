// The pure parts of `bugseek corpus debian`: URL normalization, the exclusion list, deb822
// parsing, the manifest and the package list. The apt/dpkg work is in data/debian_fetch.cc.
#include "data/debian_corpus.h"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <unordered_set>

#include "common/error.h"
#include "common/fs.h"

namespace bugseek::data {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Path components after the host that start a browse view, not part of the repository's name.
bool is_browse_component(std::string_view c) {
  static const char* const kTails[] = {"-",      "tree",  "blob", "src",      "commits", "commit",
                                       "issues", "pulls", "wiki", "releases", "tags"};
  for (const char* t : kTails) {
    if (c == t) return true;
  }
  return false;
}

std::string strip_tab_newline(std::string s) {
  for (char& c : s) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

bool is_salsa(const std::string& normalized) {
  return starts_with(normalized, "salsa.debian.org/");
}

bool is_forge(const std::string& normalized) {
  static const char* const kHosts[] = {"github.com/",   "gitlab.com/", "bitbucket.org/",
                                       "codeberg.org/", "sr.ht/",      "git.sr.ht/"};
  for (const char* h : kHosts) {
    if (starts_with(normalized, h)) return true;
  }
  return false;
}

}  // namespace

std::string normalize_repo_url(std::string_view url) {
  url = trim(url);
  if (auto space = url.find_first_of(" \t"); space != std::string_view::npos) {
    url = url.substr(0, space);
  }
  std::string s = lower(url);
  if (auto cut = s.find_first_of("?#"); cut != std::string::npos) s.resize(cut);
  if (starts_with(s, "git+")) s.erase(0, 4);
  if (auto scheme = s.find("://"); scheme != std::string::npos) {
    s.erase(0, scheme + 3);
  } else if (auto colon = s.find(':');
             colon != std::string::npos && s.find('@') < colon && s.find('/') > colon) {
    s[colon] = '/';  // scp-like "git@github.com:owner/repo"
  }
  if (auto at = s.find('@'); at != std::string::npos && at < s.find('/')) s.erase(0, at + 1);
  if (starts_with(s, "www.")) s.erase(0, 4);
  // Split into components, dropping empty ones (double or trailing slashes).
  std::vector<std::string> parts;
  std::string cur;
  for (char c : s + "/") {
    if (c != '/') {
      cur += c;
    } else if (!cur.empty()) {
      parts.push_back(cur);
      cur.clear();
    }
  }
  if (parts.empty()) return "";
  // The host: drop an explicit port.
  if (auto colon = parts[0].find(':'); colon != std::string::npos) parts[0].resize(colon);
  // Browse tails start after host/owner/repo at the earliest.
  for (size_t i = 3; i < parts.size(); ++i) {
    if (is_browse_component(parts[i])) {
      parts.resize(i);
      break;
    }
  }
  std::string& last = parts.back();
  if (parts.size() > 1 && ends_with(last, ".git") && last.size() > 4) last.resize(last.size() - 4);
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

std::string normalize_repo_name(std::string_view name) {
  std::string out = lower(trim(name));
  for (char& c : out) {
    if (c == '_' || c == '.') c = '-';
  }
  return out;
}

std::string package_project_name(std::string_view package) {
  std::string name = normalize_repo_name(package);
  for (std::string_view prefix : {"python3-", "python-"}) {
    if (starts_with(name, prefix) && name.size() > prefix.size()) {
      return name.substr(prefix.size());
    }
  }
  return name;
}

void RepoExcludeList::add(std::string_view url) {
  url = trim(url);
  if (url.empty() || url.front() == '#') return;
  const std::string key = normalize_repo_url(url);
  if (key.empty()) return;
  urls_.emplace(key, std::string(url));
  // Names only for host/owner/repo URLs: a bare host or owner names no project.
  if (std::count(key.begin(), key.end(), '/') < 2) return;
  const std::string name = normalize_repo_name(key.substr(key.rfind('/') + 1));
  names_.emplace(name, std::string(url));
  for (std::string_view prefix : {"python3-", "python-"}) {
    if (starts_with(name, prefix) && name.size() > prefix.size()) {
      names_.emplace(name.substr(prefix.size()), std::string(url));
    }
  }
}

RepoExcludeList RepoExcludeList::load(const std::filesystem::path& path) {
  RepoExcludeList list;
  std::istringstream in(read_file(path));
  std::string line;
  while (std::getline(in, line)) list.add(line);
  return list;
}

std::string RepoExcludeList::match_url(std::string_view url) const {
  const std::string key = normalize_repo_url(url);
  // The URL itself, then each shorter prefix down to host/owner.
  for (std::string k = key; k.find('/') != std::string::npos; k.resize(k.rfind('/'))) {
    if (auto it = urls_.find(k); it != urls_.end()) return it->second;
  }
  return "";
}

std::string RepoExcludeList::match_package(std::string_view package) const {
  const std::string name = package_project_name(package);
  if (auto it = names_.find(name); it != names_.end()) return it->second;
  return "";
}

std::string exclusion_reason(const PackageMeta& meta, const RepoExcludeList& exclude,
                             std::string* matched) {
  const std::pair<const char*, const std::string*> fields[] = {
      {"Homepage", &meta.homepage}, {"Vcs-Git", &meta.vcs_git}, {"Vcs-Browser", &meta.vcs_browser}};
  for (const auto& [field, value] : fields) {
    if (value->empty()) continue;
    if (std::string repo = exclude.match_url(*value); !repo.empty()) {
      if (matched) *matched = repo;
      return std::string(field) + " " + *value + " is excluded repository " + repo;
    }
  }
  for (const std::string* name : {&meta.package, &meta.source}) {
    if (name->empty()) continue;
    if (std::string repo = exclude.match_package(*name); !repo.empty()) {
      if (matched) *matched = repo;
      return "name '" + package_project_name(*name) + "' is excluded repository " + repo;
    }
  }
  return "";
}

std::string upstream_url(const PackageMeta& meta) {
  for (const std::string* url : {&meta.homepage, &meta.vcs_browser, &meta.vcs_git}) {
    const std::string key = normalize_repo_url(*url);
    if (!key.empty() && is_forge(key) && !is_salsa(key)) return std::string(trim(*url));
  }
  for (const std::string* url : {&meta.homepage, &meta.vcs_browser, &meta.vcs_git}) {
    if (!trim(*url).empty()) return std::string(trim(*url));
  }
  return "";
}

std::vector<std::map<std::string, std::string>> parse_deb822(std::string_view text) {
  std::vector<std::map<std::string, std::string>> out;
  std::map<std::string, std::string> para;
  std::string last_field;
  std::istringstream in{std::string(text)};
  std::string line;
  auto flush = [&] {
    if (!para.empty()) out.push_back(std::move(para));
    para.clear();
    last_field.clear();
  };
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty()) {
      flush();
    } else if (line[0] == ' ' || line[0] == '\t') {
      if (!last_field.empty()) {
        std::string& v = para[last_field];
        const std::string_view more = trim(line);
        if (more != ".") v += (v.empty() ? "" : " ") + std::string(more);
      }
    } else if (auto colon = line.find(':'); colon != std::string::npos) {
      last_field = std::string(trim(std::string_view(line).substr(0, colon)));
      para[last_field] = std::string(trim(std::string_view(line).substr(colon + 1)));
    }
  }
  flush();
  return out;
}

std::string_view package_status_name(PackageStatus status) {
  switch (status) {
    case PackageStatus::kOk:
      return "ok";
    case PackageStatus::kExcluded:
      return "excluded";
    case PackageStatus::kDownloadFailed:
      return "download-failed";
    case PackageStatus::kNoPython:
      return "no-python";
    case PackageStatus::kFailed:
      return "failed";
    case PackageStatus::kNotReached:
      return "not-reached";
  }
  return "unknown";
}

std::optional<PackageStatus> parse_package_status(std::string_view name) {
  for (int s = 0; s < kNumPackageStatuses; ++s) {
    if (package_status_name(static_cast<PackageStatus>(s)) == name) {
      return static_cast<PackageStatus>(s);
    }
  }
  return std::nullopt;
}

std::string format_manifest(const std::vector<ManifestRow>& rows) {
  std::ostringstream out;
  out << "# package\tversion\tstatus\tfiles\tbytes\tupstream\treason\n";
  for (const auto& r : rows) {
    out << strip_tab_newline(r.package) << '\t' << strip_tab_newline(r.version) << '\t'
        << package_status_name(r.status) << '\t' << r.files << '\t' << r.bytes << '\t'
        << strip_tab_newline(r.upstream) << '\t' << strip_tab_newline(r.reason) << '\n';
  }
  return out.str();
}

std::vector<ManifestRow> parse_manifest(std::string_view text) {
  std::vector<ManifestRow> rows;
  std::istringstream in{std::string(text)};
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::istringstream ls(line);
    std::string col;
    while (std::getline(ls, col, '\t')) cols.push_back(col);
    if (!line.empty() && line.back() == '\t') cols.emplace_back();
    const std::string where = "manifest line " + std::to_string(line_no);
    if (cols.size() != 7) {
      throw_error("parse_manifest", where,
                  "expected 7 columns, got " + std::to_string(cols.size()));
    }
    ManifestRow r;
    r.package = cols[0];
    r.version = cols[1];
    const auto status = parse_package_status(cols[2]);
    if (!status) throw_error("parse_manifest", where, "unknown status '" + cols[2] + "'");
    r.status = *status;
    try {
      size_t used = 0;
      r.files = std::stoull(cols[3], &used);
      if (used != cols[3].size()) throw std::invalid_argument("files");
      r.bytes = std::stoull(cols[4], &used);
      if (used != cols[4].size()) throw std::invalid_argument("bytes");
    } catch (const std::exception&) {
      throw_error("parse_manifest", where, "files and bytes must be numbers");
    }
    r.upstream = cols[5];
    r.reason = cols[6];
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<std::string> read_package_list(const std::filesystem::path& path) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  std::istringstream in(read_file(path));
  std::string line;
  while (std::getline(in, line)) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string name;
    while (words >> name) {
      if (seen.insert(name).second) out.push_back(name);
    }
  }
  return out;
}

}  // namespace bugseek::data
