// `bugseek corpus debian` end to end without the network: tiny .deb files built here with
// `dpkg-deb -b` (one plain, one whose Homepage is an excluded repository, one named like an
// excluded repository, one without Python) go through --debs-from; then the kept files, the
// manifest, a resumed rerun, a half-finished package being redone, --max-mb and exit codes.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <map>

#include "common/fs.h"
#include "data/debian_corpus.h"
#include "tests/data/test_util.h"
#include "tests/scan/cli_run.h"

namespace bugseek::data {
namespace {
namespace fs = std::filesystem;
using bugseek::testing::run_bugseek;
using testing::TempDir;

const char* kModule = "def add(a, b):\n    return a + b\n";
const char* kInit = "from .mod import add\n";

// Builds DEBS/<name>_1.0-1_all.deb holding `files` (path -> text) with the given Homepage.
void build_deb(const TempDir& tmp, const std::string& name, const std::string& homepage,
               const std::map<std::string, std::string>& files) {
  const fs::path root = tmp.path() / "src" / name;
  std::string control = "Package: " + name +
                        "\nVersion: 1.0-1\nArchitecture: all\nMaintainer: Test <t@example.org>\n"
                        "Description: fake package for bugseek tests\n";
  if (!homepage.empty()) control += "Homepage: " + homepage + "\n";
  write_file_atomic(root / "DEBIAN" / "control", control);
  for (const auto& [path, text] : files) write_file_atomic(root / path, text);
  fs::create_directories(tmp.path() / "debs");
  const std::string cmd = "dpkg-deb --root-owner-group -b " + root.string() + " " +
                          (tmp.path() / "debs" / (name + "_1.0-1_all.deb")).string() +
                          " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

class DebianCorpusIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("command -v dpkg-deb >/dev/null 2>&1") != 0) GTEST_SKIP() << "no dpkg-deb";
    const std::string lib = "usr/lib/python3/dist-packages/";
    build_deb(tmp_, "python3-bugseek-fake-ok", "https://github.com/someone/fake-ok",
              {{lib + "fakeok/__init__.py", kInit},
               {lib + "fakeok/mod.py", kModule},
               {lib + "fakeok/data.txt", "not python\n"},
               {"usr/share/doc/python3-bugseek-fake-ok/examples/demo.py", "print(1)\n"},
               {"usr/share/doc/python3-bugseek-fake-ok/README", "readme\n"}});
    build_deb(tmp_, "python3-bugseek-fake-bad", "https://www.github.com/Excluded-Owner/bad-repo/",
              {{lib + "fakebad/__init__.py", kModule}});
    build_deb(tmp_, "python3-namesake", "https://namesake.example.org",
              {{lib + "namesake/__init__.py", kModule}});
    build_deb(tmp_, "python3-bugseek-fake-nopy", "", {{"usr/share/doc/nopy/README", "x\n"}});
    tmp_.write("exclude.txt",
               "https://github.com/excluded-owner/bad-repo.git\nhttps://gitlab.com/x/NameSake\n");
    tmp_.write("packages.txt",
               "# test list\npython3-bugseek-fake-ok\npython3-bugseek-fake-bad\npython3-namesake\n"
               "python3-bugseek-fake-nopy\npython3-bugseek-not-there\n");
  }

  std::string args(const std::string& extra = "") const {
    return "corpus debian --out " + out().string() + " --debs-from " +
           (tmp_.path() / "debs").string() + " --packages " +
           (tmp_.path() / "packages.txt").string() + " --exclude-repos " +
           (tmp_.path() / "exclude.txt").string() + " --source-records false " + extra;
  }
  fs::path out() const { return tmp_.path() / "corpus"; }
  std::map<std::string, ManifestRow> manifest() const {
    std::map<std::string, ManifestRow> m;
    for (auto& r : parse_manifest(read_file(out() / "manifest.tsv"))) m[r.package] = r;
    return m;
  }

  TempDir tmp_;
};

TEST_F(DebianCorpusIntegration, KeepsPythonSkipsExcludedAndResumes) {
  auto run = run_bugseek(args("--threads 2"), tmp_.path());
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("excluded"), std::string::npos) << run.out;

  const fs::path ok = out() / "python3-bugseek-fake-ok";
  const std::string lib = "usr/lib/python3/dist-packages/fakeok/";
  EXPECT_EQ(read_file(ok / lib / "mod.py"), kModule);
  EXPECT_EQ(read_file(ok / lib / "__init__.py"), kInit);
  EXPECT_TRUE(fs::exists(ok / "usr/share/doc/python3-bugseek-fake-ok/examples/demo.py"));
  EXPECT_FALSE(fs::exists(ok / lib / "data.txt"));
  EXPECT_FALSE(fs::exists(ok / "usr/share/doc/python3-bugseek-fake-ok/README"));
  EXPECT_TRUE(fs::exists(ok / ".complete"));
  EXPECT_FALSE(fs::exists(out() / "python3-bugseek-fake-bad"));
  EXPECT_FALSE(fs::exists(out() / "python3-namesake"));
  EXPECT_FALSE(fs::exists(out() / "python3-bugseek-fake-nopy"));
  // No work folders are left behind.
  for (const auto& e : fs::directory_iterator(out())) {
    const std::string name = e.path().filename().string();
    EXPECT_TRUE(name.rfind(".tmp-", 0) != 0 && name.rfind(".staging-", 0) != 0) << name;
  }

  auto m = manifest();
  ASSERT_EQ(m.size(), 5u);
  const ManifestRow& row = m["python3-bugseek-fake-ok"];
  EXPECT_EQ(row.status, PackageStatus::kOk);
  EXPECT_EQ(row.version, "1.0-1");
  EXPECT_EQ(row.files, 3u);
  EXPECT_EQ(row.bytes, std::string(kModule).size() + std::string(kInit).size() + 9);
  EXPECT_EQ(row.upstream, "https://github.com/someone/fake-ok");
  EXPECT_EQ(m["python3-bugseek-fake-bad"].status, PackageStatus::kExcluded);
  EXPECT_NE(m["python3-bugseek-fake-bad"].reason.find("Homepage"), std::string::npos);
  EXPECT_EQ(m["python3-namesake"].status, PackageStatus::kExcluded);
  EXPECT_NE(m["python3-namesake"].reason.find("name 'namesake'"), std::string::npos);
  EXPECT_EQ(m["python3-bugseek-fake-nopy"].status, PackageStatus::kNoPython);
  EXPECT_EQ(m["python3-bugseek-not-there"].status, PackageStatus::kDownloadFailed);

  // A rerun takes the verified package as it is: its .deb is not even needed any more.
  fs::remove(tmp_.path() / "debs" / "python3-bugseek-fake-ok_1.0-1_all.deb");
  run = run_bugseek(args("--threads 1"), tmp_.path());
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(manifest()["python3-bugseek-fake-ok"].status, PackageStatus::kOk);
  EXPECT_EQ(manifest()["python3-bugseek-fake-ok"].reason, "resumed");
  EXPECT_NE(run.err.find("resumed"), std::string::npos) << run.err;
}

TEST_F(DebianCorpusIntegration, RedoesHalfFinishedPackages) {
  ASSERT_EQ(run_bugseek(args(), tmp_.path()).status, 0);
  const fs::path mod =
      out() / "python3-bugseek-fake-ok/usr/lib/python3/dist-packages/fakeok/mod.py";
  fs::remove(mod);  // the marker no longer matches the files
  const auto run = run_bugseek(args(), tmp_.path());
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(read_file(mod), kModule);
  EXPECT_EQ(manifest()["python3-bugseek-fake-ok"].reason, "");
}

TEST_F(DebianCorpusIntegration, MaxMbStopsEarly) {
  const auto run = run_bugseek(args("--threads 1 --max-mb 0.000001"), tmp_.path());
  ASSERT_EQ(run.status, 0) << run.err;
  auto m = manifest();
  EXPECT_EQ(m["python3-bugseek-fake-ok"].status, PackageStatus::kOk);
  EXPECT_EQ(m["python3-bugseek-fake-bad"].status, PackageStatus::kNotReached);
  EXPECT_EQ(m["python3-bugseek-not-there"].status, PackageStatus::kNotReached);
}

TEST_F(DebianCorpusIntegration, ExitsOneWhenNothingIsProduced) {
  tmp_.write("packages.txt", "python3-bugseek-fake-bad\npython3-bugseek-not-there\n");
  const auto run = run_bugseek(args(), tmp_.path());
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("bugseek: error: no package gave any Python file"), std::string::npos)
      << run.err;
  EXPECT_EQ(manifest().size(), 2u);  // the manifest is written all the same
}

TEST(DebianCorpusCli, UsageErrorsAndHelp) {
  TempDir tmp;
  auto r = run_bugseek("corpus", tmp.path());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("debian"), std::string::npos);
  r = run_bugseek("corpus --help", tmp.path());
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("debian"), std::string::npos);
  r = run_bugseek("corpus debian --help", tmp.path());
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("--exclude-repos"), std::string::npos);
  EXPECT_EQ(run_bugseek("corpus nosuchsource", tmp.path()).status, 2);
  EXPECT_EQ(run_bugseek("corpus debian", tmp.path()).status, 2);  // --out is required
  EXPECT_EQ(run_bugseek("corpus debian --out x --bogus", tmp.path()).status, 2);
  EXPECT_EQ(run_bugseek("corpus debian --out x --max-mb -1", tmp.path()).status, 2);
  EXPECT_EQ(run_bugseek("corpus debian --out x --debs-from /nonexistent", tmp.path()).status, 2);
  EXPECT_EQ(run_bugseek("corpus debian --out x --exclude-repos /nonexistent", tmp.path()).status,
            2);
}

}  // namespace
}  // namespace bugseek::data
