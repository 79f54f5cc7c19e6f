// `bugseek scan` end to end with a tiny untrained model: the three output formats, exit codes
// (0, 3 with --fail-on-findings, 2 for usage errors and a missing default model, 1 for a bad
// model file), broken or binary files counted rather than fatal, and a hostile tree.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>

#include "common/json.h"
#include "tests/scan/cli_run.h"
#include "tests/scan/tiny_model.h"

namespace bugseek {
namespace {

using testing::run_bugseek;

class ScanCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("src/good.py",
               "def clamp(value, low, high):\n    if value < low:\n        return low\n"
               "    if value > high:\n        return high\n    return value\n\n\n"
               "class Walker:\n    def walk(self, root, limit):\n        seen = []\n"
               "        for name in root:\n            if len(seen) >= limit:\n"
               "                break\n            seen.append(name)\n        return seen\n");
    dir_.write("src/broken.py", "def ok(a, b):\n    return a - b\n\n\ndef bad(x:\n    return x\n");
    dir_.write("src/blob.py", std::string("x = 1\0\0\n", 8));
    model_ = testing::write_tiny_model(dir_.path()).string();
  }
  std::string src() const { return (dir_.path() / "src").string(); }
  testing::CliRun scan(const std::string& args) const {
    return run_bugseek("scan " + src() + " --model " + model_ + " " + args, dir_.path());
  }

  testing::ScratchDir dir_;
  std::string model_;
};

TEST_F(ScanCli, HelpExitsZero) {
  const auto r = run_bugseek("scan --help", dir_.path());
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("--fail-on-findings"), std::string::npos);
}

TEST_F(ScanCli, TextFindingsInCompilerStyle) {
  const auto r = scan("--threshold 0");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find(": warning: possible "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[bugseek/"), std::string::npos);
  EXPECT_NE(r.out.find("^"), std::string::npos);
  EXPECT_NE(r.err.find("bugseek scan: 2 files"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1 binary"), std::string::npos) << r.err;
}

TEST_F(ScanCli, JsonHasFindingsAndSummary) {
  const auto r = scan("--threshold 0 --format json --top 2");
  ASSERT_EQ(r.status, 0) << r.err;
  const json::Value v = json::parse(r.out);
  EXPECT_EQ(v.at("findings").size(), 2u);
  EXPECT_GT(v.at("summary").at("findings_total").as_int(), 2);
  EXPECT_EQ(v.at("summary").at("files_scanned").as_int(), 2);
  EXPECT_EQ(v.at("summary").at("files_syntax_errors").as_int(), 1);
  const json::Value& f = v.at("findings")[0];
  EXPECT_TRUE(f.contains("replacement"));
  EXPECT_TRUE(f.contains("probability"));
}

TEST_F(ScanCli, SarifIsVersion210) {
  const auto r = scan("--threshold 0 --format sarif");
  ASSERT_EQ(r.status, 0) << r.err;
  const json::Value v = json::parse(r.out);
  EXPECT_EQ(v.at("version").as_string(), "2.1.0");
  const json::Value& run = v.at("runs")[0];
  EXPECT_EQ(run.at("tool").at("driver").at("rules").size(), 7u);
  EXPECT_GT(run.at("results").size(), 0u);
}

TEST_F(ScanCli, FailOnFindingsExitsThree) {
  EXPECT_EQ(scan("--threshold 0 --fail-on-findings -q").status, 3);
  EXPECT_EQ(scan("--threshold 1 --fail-on-findings -q").status, 0);
}

TEST_F(ScanCli, UsageErrorsExitTwo) {
  EXPECT_EQ(scan("--format xml").status, 2);
  EXPECT_EQ(scan("--threshold 2").status, 2);
  EXPECT_EQ(run_bugseek("scan --model " + model_, dir_.path()).status, 2);
  EXPECT_EQ(run_bugseek("scan /no/such/path --model " + model_, dir_.path()).status, 2);
}

TEST_F(ScanCli, MissingDefaultModelSaysHowToGetOne) {
  // BUGSEEK_HOME without models/: no shipped model either.
  ASSERT_EQ(setenv("BUGSEEK_HOME", dir_.path().c_str(), 1), 0);
  const auto r = run_bugseek("scan " + src(), dir_.path(), dir_.path().string());
  unsetenv("BUGSEEK_HOME");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("bugseek train"), std::string::npos) << r.err;
}

TEST_F(ScanCli, ShippedModelWhenNoRunExistsAndSaysSo) {
  const auto home = dir_.path() / "home";
  std::filesystem::create_directories(home / "models");
  std::filesystem::copy_file(model_, home / "models/python.bugseek");
  ASSERT_EQ(setenv("BUGSEEK_HOME", home.c_str(), 1), 0);
  const auto r = run_bugseek("scan src --threshold 0 --fail-on-findings", dir_.path(),
                             dir_.path().string());
  unsetenv("BUGSEEK_HOME");
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.err.find("shipped"), std::string::npos) << r.err;
}

TEST_F(ScanCli, DefaultModelFromRuns) {
  std::filesystem::create_directories(dir_.path() / "runs/a");
  std::filesystem::copy_file(model_, dir_.path() / "runs/a/model-best.bugseek");
  const auto r = run_bugseek("scan src --threshold 0 --fail-on-findings", dir_.path(),
                             dir_.path().string());
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.out.find("src/good.py:"), std::string::npos) << r.out;
}

TEST_F(ScanCli, BadModelFileExitsOne) {
  dir_.write("bad.bugseek", "not a model");
  const auto r = run_bugseek("scan " + src() + " --model " + (dir_.path() / "bad.bugseek").string(),
                             dir_.path());
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("bugseek: error:"), std::string::npos) << r.err;
}

// A hostile tree: symlink loops, a FIFO, an unreadable file, a 50 MB one-line file, 10,000
// nested brackets, names with a newline and with invalid UTF-8, and code that would leave a mark
// if it were ever run or imported. Scan finishes, exits 0, names each skipped path once with its
// reason, and runs nothing.
TEST_F(ScanCli, HostileTreeIsReportedNotFatal) {
  namespace fs = std::filesystem;
  const fs::path root = dir_.path() / "hostile";
  const fs::path marker = dir_.path() / "executed.txt";
  dir_.write("hostile/ok.py", "import os\nopen(" + json::dump(json::Value(marker.string())) +
                                  ", 'w').write('ran')\n\n\ndef f(a, b):\n    return a < b\n");
  fs::create_directories(root / "sub");
  fs::create_directory_symlink("..", root / "sub" / "loop");
  fs::create_symlink("loop_b.py", root / "loop_a.py");
  fs::create_symlink("loop_a.py", root / "loop_b.py");
  ASSERT_EQ(::mkfifo((root / "fifo.py").c_str(), 0644), 0);
  dir_.write("hostile/locked.py", "def g(x):\n    return x\n");
  fs::permissions(root / "locked.py", fs::perms::none);
  dir_.write("hostile/huge.py", "x = [" + std::string(50u << 20, '1') + "]\n");
  dir_.write("hostile/nested.py", "x = " + std::string(10000, '[') + std::string(10000, ']') + "\n");
  dir_.write("hostile/new\nline.py", std::string("x = 1\0\0\n", 8));  // binary, skipped
  dir_.write("hostile/bad\xff" "name.py", "def k(a):\n    return '\xe9'\n");  // invalid UTF-8
  dir_.write("hostile/latin1.py", "def z(a):\n    return '\xe9'\n");

  const auto r = run_bugseek("scan " + root.string() + " --model " + model_ +
                                 " --no-cache --format json --threshold 0",
                             dir_.path());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_FALSE(fs::exists(marker)) << "scanned code was executed";
  const json::Value summary = json::parse(r.out).at("summary");
  std::map<std::string, std::string> skipped;
  for (size_t i = 0; i < summary.at("skipped_files").size(); ++i) {
    const json::Value& s = summary.at("skipped_files")[i];
    const std::string name = fs::path(s.at("path").as_string()).filename().string();
    EXPECT_TRUE(skipped.emplace(name, s.at("reason").as_string()).second) << "twice: " << name;
  }
  EXPECT_EQ(skipped["huge.py"], "too-large");
  EXPECT_EQ(skipped["fifo.py"], "unreadable");
  EXPECT_EQ(skipped["latin1.py"], "invalid-utf8");
  EXPECT_EQ(skipped["loop"], "symlink-loop");
  EXPECT_EQ(skipped["loop_a.py"], "unreadable");
  if (::geteuid() != 0) {  // root reads anything
    EXPECT_EQ(skipped["locked.py"], "unreadable");
  }
  ASSERT_EQ(summary.at("problems").size(), 1u) << r.out;
  EXPECT_NE(summary.at("problems")[0].at("path").as_string().find("nested.py"), std::string::npos);
  // Odd names are printed one path per line, as valid UTF-8.
  EXPECT_EQ(skipped["new\\x0aline.py"], "binary");
  EXPECT_EQ(skipped["bad\\xffname.py"], "invalid-utf8");
  EXPECT_NE(r.err.find("new\\x0aline.py: note: skipped: binary\n"), std::string::npos) << r.err;
  EXPECT_EQ(summary.at("files_scanned").as_int(), ::geteuid() == 0 ? 2 : 1);  // ok.py, locked.py
  fs::permissions(root / "locked.py", fs::perms::owner_all);
}

}  // namespace
}  // namespace bugseek
