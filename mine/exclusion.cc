#include "mine/exclusion.h"

#include <algorithm>
#include <cctype>

#include "common/fs.h"

#ifndef BUGSEEK_SOURCE_DIR
#define BUGSEEK_SOURCE_DIR ""
#endif

namespace bugseek::mine {

std::string normalize_repo_url(std::string_view url) {
  std::string s(url);
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const size_t scheme = s.find("://");
  const bool had_scheme = scheme != std::string::npos;
  if (had_scheme) s.erase(0, scheme + 3);
  const size_t at = s.find('@');
  if (at != std::string::npos && at < s.find('/')) s.erase(0, at + 1);
  if (!had_scheme) {  // scp form: host:owner/name
    const size_t colon = s.find(':');
    if (colon != std::string::npos && colon < s.find('/')) s[colon] = '/';
  }
  if (s.rfind("www.", 0) == 0) s.erase(0, 4);
  for (;;) {
    if (!s.empty() && s.back() == '/') {
      s.pop_back();
    } else if (s.size() > 4 && s.compare(s.size() - 4, 4, ".git") == 0) {
      s.resize(s.size() - 4);
    } else {
      break;
    }
  }
  return s;
}

std::string mirror_url(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(path, ec).lexically_normal();
  std::filesystem::path previous;
  for (const auto& part : p) {
    const std::string name = part.string();
    const size_t plus = name.find('+');
    if (previous == ".mirror" && plus != std::string::npos && plus > 0 && plus + 1 < name.size() &&
        name.find('+', plus + 1) == std::string::npos) {
      return "https://github.com/" + name.substr(0, plus) + "/" + name.substr(plus + 1);
    }
    previous = part;
  }
  return "";
}

ExclusionList ExclusionList::read(const std::filesystem::path& path) {
  ExclusionList list;
  const std::string text = read_file(path);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line = std::string_view(text).substr(start, end - start);
    if (!line.empty() && line.front() != '#') list.add(line);
    start = end + 1;
  }
  return list;
}

void ExclusionList::add(std::string_view url) {
  std::string key = normalize_repo_url(url);
  if (!key.empty()) urls_.insert(std::move(key));
}

bool ExclusionList::contains(std::string_view url) const {
  const std::string key = normalize_repo_url(url);
  return !key.empty() && urls_.count(key) > 0;
}

std::string default_exclusion_file() {
  const std::string root = BUGSEEK_SOURCE_DIR;
  if (root.empty()) return "";
  const auto path =
      std::filesystem::path(root) / ".." / "shared" / "realbugs" / "exclude-repos.txt";
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) ? path.lexically_normal().string() : "";
}

}  // namespace bugseek::mine
