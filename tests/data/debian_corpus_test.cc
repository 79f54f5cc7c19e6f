// The pure parts of `bugseek corpus debian`: URL normalization, exclusion matching (URLs and
// names, matches and non-matches), deb822 parsing, the manifest round trip, the package list.
#include "data/debian_corpus.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "tests/data/test_util.h"

namespace bugseek::data {
namespace {
using testing::TempDir;

TEST(DebianCorpus, NormalizesRepositoryUrls) {
  const std::string want = "github.com/owner/repo";
  for (const char* url :
       {"https://github.com/owner/repo", "http://www.github.com/Owner/Repo/",
        "https://github.com/owner/repo.git", "git+https://github.com/owner/repo",
        "git://github.com/owner/repo.git", "git@github.com:owner/repo.git",
        "ssh://git@github.com/owner/repo", "https://github.com/owner/repo/tree/main",
        "https://github.com/owner/repo/blob/main/setup.py", "https://github.com/owner/repo#readme",
        "  https://github.com/owner/repo  ",
        "https://github.com/owner/repo.git -b debian/master"}) {
    EXPECT_EQ(normalize_repo_url(url), want) << url;
  }
  EXPECT_EQ(normalize_repo_url("https://gitlab.com/group/sub/repo/-/tree/master"),
            "gitlab.com/group/sub/repo");
  EXPECT_EQ(normalize_repo_url("https://bitbucket.org/owner/repo/src/default/"),
            "bitbucket.org/owner/repo");
  EXPECT_EQ(normalize_repo_url("https://example.org:8080/proj/"), "example.org/proj");
  EXPECT_EQ(normalize_repo_url(""), "");
  EXPECT_EQ(normalize_repo_url("   "), "");
}

TEST(DebianCorpus, NormalizesNames) {
  EXPECT_EQ(normalize_repo_name("Django_Rest.Framework"), "django-rest-framework");
  EXPECT_EQ(package_project_name("python3-ruamel.yaml"), "ruamel-yaml");
  EXPECT_EQ(package_project_name("python-six"), "six");
  EXPECT_EQ(package_project_name("python3-"), "python3-");  // nothing left: keep the name
  EXPECT_EQ(package_project_name("cython3"), "cython3");
}

RepoExcludeList example_list() {
  RepoExcludeList list;
  list.add("https://github.com/psf/requests");
  list.add("https://gitlab.com/group/Some_Tool.git");
  list.add("https://github.com/python-ldap/python-ldap");
  list.add("# a comment");
  list.add("");
  return list;
}

TEST(DebianCorpus, MatchesExcludedUrls) {
  const RepoExcludeList list = example_list();
  EXPECT_EQ(list.size(), 3u);
  EXPECT_EQ(list.match_url("https://github.com/psf/requests"), "https://github.com/psf/requests");
  EXPECT_EQ(list.match_url("http://www.GitHub.com/psf/requests.git/"),
            "https://github.com/psf/requests");
  EXPECT_EQ(list.match_url("https://github.com/psf/requests/issues"),
            "https://github.com/psf/requests");
  EXPECT_EQ(list.match_url("git@gitlab.com:group/some_tool.git"),
            "https://gitlab.com/group/Some_Tool.git");
  // Non-matches: another owner, a longer repository name, the owner alone, another host.
  EXPECT_EQ(list.match_url("https://github.com/someone/requests"), "");
  EXPECT_EQ(list.match_url("https://github.com/psf/requests-oauthlib"), "");
  EXPECT_EQ(list.match_url("https://github.com/psf"), "");
  EXPECT_EQ(list.match_url("https://gitlab.com/psf/requests"), "");
  EXPECT_EQ(list.match_url("https://requests.readthedocs.io"), "");
  EXPECT_EQ(list.match_url(""), "");
}

TEST(DebianCorpus, MatchesExcludedNames) {
  const RepoExcludeList list = example_list();
  EXPECT_EQ(list.match_package("python3-requests"), "https://github.com/psf/requests");
  EXPECT_EQ(list.match_package("python-requests"), "https://github.com/psf/requests");
  EXPECT_EQ(list.match_package("python3-some-tool"), "https://gitlab.com/group/Some_Tool.git");
  EXPECT_EQ(list.match_package("python3-some.tool"), "https://gitlab.com/group/Some_Tool.git");
  EXPECT_EQ(list.match_package("python3-ldap"), "https://github.com/python-ldap/python-ldap");
  EXPECT_EQ(list.match_package("python3-requests-toolbelt"), "");
  EXPECT_EQ(list.match_package("python3-psf"), "");  // an owner is not a project
  EXPECT_EQ(list.match_package("python3-tool"), "");
}

TEST(DebianCorpus, ExclusionReasonLooksAtEveryField) {
  const RepoExcludeList list = example_list();
  PackageMeta meta;
  meta.package = "python3-fine";
  meta.homepage = "https://fine.example.org";
  meta.vcs_git = "https://salsa.debian.org/python-team/packages/fine.git";
  EXPECT_EQ(exclusion_reason(meta, list), "");
  meta.vcs_browser = "https://github.com/psf/requests/tree/main";
  std::string matched;
  EXPECT_NE(exclusion_reason(meta, list, &matched).find("Vcs-Browser"), std::string::npos);
  EXPECT_EQ(matched, "https://github.com/psf/requests");
  meta.vcs_browser.clear();
  meta.source = "requests";  // the source package's name counts too
  EXPECT_NE(exclusion_reason(meta, list).find("name 'requests'"), std::string::npos);
}

TEST(DebianCorpus, UpstreamPrefersForgeOverSalsa) {
  PackageMeta meta;
  meta.homepage = "https://fine.example.org";
  meta.vcs_git = "https://salsa.debian.org/python-team/packages/fine.git";
  EXPECT_EQ(upstream_url(meta), "https://fine.example.org");
  meta.vcs_browser = "https://github.com/fine/fine";
  EXPECT_EQ(upstream_url(meta), "https://github.com/fine/fine");
  EXPECT_EQ(upstream_url(PackageMeta{}), "");
}

TEST(DebianCorpus, ParsesDeb822) {
  const auto paras = parse_deb822(
      "Package: python-foo\nBinary: python3-foo,\n python-foo-doc\nHomepage:  https://x.org \n"
      "\n\nPackage: bar\nDescription: one\n .\n two\n");
  ASSERT_EQ(paras.size(), 2u);
  EXPECT_EQ(paras[0].at("Binary"), "python3-foo, python-foo-doc");
  EXPECT_EQ(paras[0].at("Homepage"), "https://x.org");
  EXPECT_EQ(paras[1].at("Package"), "bar");
  EXPECT_EQ(paras[1].at("Description"), "one two");
  EXPECT_TRUE(parse_deb822("").empty());
}

TEST(DebianCorpus, ManifestRoundTrip) {
  std::vector<ManifestRow> rows(3);
  rows[0] = {"python3-a", "1.0-1", PackageStatus::kOk, 12, 3456, "https://github.com/a/a", ""};
  rows[1] = {"python3-b",
             "2:3.1",
             PackageStatus::kExcluded,
             0,
             0,
             "https://github.com/psf/b",
             "Homepage https://github.com/psf/b is excluded"};
  rows[2] = {"python3-c", "", PackageStatus::kDownloadFailed, 0, 0, "", "E: Unable\tto locate"};
  const std::string text = format_manifest(rows);
  EXPECT_EQ(text.rfind("# package\t", 0), 0u);
  const auto back = parse_manifest(text);
  ASSERT_EQ(back.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(back[i].package, rows[i].package);
    EXPECT_EQ(back[i].version, rows[i].version);
    EXPECT_EQ(back[i].status, rows[i].status);
    EXPECT_EQ(back[i].files, rows[i].files);
    EXPECT_EQ(back[i].bytes, rows[i].bytes);
    EXPECT_EQ(back[i].upstream, rows[i].upstream);
  }
  EXPECT_EQ(back[2].reason, "E: Unable to locate");  // a tab in a field becomes a space
  EXPECT_THROW(parse_manifest("a\tb\tok\t1\n"), Error);
  EXPECT_THROW(parse_manifest("a\t1\tgreat\t1\t2\t\t\n"), Error);
  EXPECT_THROW(parse_manifest("a\t1\tok\tx\t2\t\t\n"), Error);
}

TEST(DebianCorpus, StatusNamesRoundTrip) {
  for (int s = 0; s < kNumPackageStatuses; ++s) {
    const auto status = static_cast<PackageStatus>(s);
    EXPECT_EQ(parse_package_status(package_status_name(status)), status);
  }
  EXPECT_FALSE(parse_package_status("nope").has_value());
}

TEST(DebianCorpus, ReadsPackageLists) {
  TempDir tmp;
  const auto path =
      tmp.write("list.txt", "# header\npython3-a\n\n  python3-b  # why b\npython3-a\npython3-c\n");
  EXPECT_EQ(read_package_list(path),
            (std::vector<std::string>{"python3-a", "python3-b", "python3-c"}));
  EXPECT_THROW(read_package_list(tmp.path() / "missing.txt"), Error);
}

TEST(DebianCorpus, ShippedListIsLargeAndWellFormed) {
  const auto list =
      read_package_list(std::string(BUGSEEK_SOURCE_DIR) + "/data/corpora/debian-python.txt");
  EXPECT_GE(list.size(), 300u);
  for (const auto& p : list) EXPECT_EQ(p.rfind("python3-", 0), 0u) << p;
}

}  // namespace
}  // namespace bugseek::data
