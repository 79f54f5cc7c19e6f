// Integration: `bugseek parse` end to end through the real binary: help, usage errors (exit 2),
// bad files (exit 1 with a message), and each output format.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include "common/fs.h"

namespace bugseek {
namespace {

namespace fs = std::filesystem;

struct CliRun {
  int status = -1;
  std::string out;  // stdout and stderr together
};

CliRun run(const std::string& args) {
  CliRun r;
  const std::string cmd = std::string(BUGSEEK_BINARY) + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class ParseCli : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bugseek_parse_cli_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    write_file_atomic(dir_ / "ok.py",
                      "import os\n\nclass C:\n    def m(self, x):\n        return x + 1\n\n"
                      "def f(a):\n    return [a for _ in range(2)]\n");
    write_file_atomic(dir_ / "bin.py", std::string("x = 1\0\0", 7));
    write_file_atomic(dir_ / "broken.py", "def f(:\n    return\n");
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const char* name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(ParseCli, HelpExitsZero) {
  const CliRun r = run("parse --help");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("--function"), std::string::npos);
  EXPECT_NE(r.out.find("--format"), std::string::npos);
}

TEST_F(ParseCli, UsageErrorsExitTwo) {
  EXPECT_EQ(run("parse").status, 2);
  EXPECT_EQ(run("parse " + path("ok.py") + " --no-such-flag").status, 2);
  const CliRun bad_format = run("parse " + path("ok.py") + " --format xml");
  EXPECT_EQ(bad_format.status, 2);
  EXPECT_NE(bad_format.out.find("xml"), std::string::npos);
  EXPECT_EQ(run("parse " + path("ok.py") + " --edges Child,Bogus").status, 2);
}

TEST_F(ParseCli, BadFilesExitOneWithAMessage) {
  const CliRun binary = run("parse " + path("bin.py"));
  EXPECT_EQ(binary.status, 1);
  EXPECT_NE(binary.out.find("binary"), std::string::npos) << binary.out;
  const CliRun missing = run("parse " + path("missing.py"));
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.out.find("missing.py"), std::string::npos) << missing.out;
  const CliRun no_unit = run("parse " + path("ok.py") + " --function nope");
  EXPECT_EQ(no_unit.status, 1);
  EXPECT_NE(no_unit.out.find("C.m"), std::string::npos) << "lists the units: " << no_unit.out;
}

TEST_F(ParseCli, SyntaxErrorsWarnButShowTheGraph) {
  const CliRun r = run("parse " + path("broken.py") + " --summary");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("syntax errors"), std::string::npos) << r.out;
}

TEST_F(ParseCli, FormatsAndSelection) {
  const CliRun summary = run("parse " + path("ok.py") + " --summary");
  EXPECT_EQ(summary.status, 0);
  EXPECT_NE(summary.out.find("function  C.m  lines 4-5"), std::string::npos) << summary.out;
  EXPECT_NE(summary.out.find("module  <module>"), std::string::npos) << summary.out;

  const CliRun sexp = run("parse " + path("ok.py") + " --function m");
  EXPECT_EQ(sexp.status, 0);
  EXPECT_NE(sexp.out.find("(function_definition"), std::string::npos) << sexp.out;
  EXPECT_EQ(sexp.out.find("list_comprehension"), std::string::npos) << "only the chosen unit";

  const CliRun json = run("parse " + path("ok.py") + " --format json -q");
  EXPECT_EQ(json.status, 0);
  EXPECT_EQ(json.out.rfind("{\"file\":", 0), 0u) << json.out.substr(0, 200);
  EXPECT_NE(json.out.find("\"qualified_name\":\"f\""), std::string::npos);

  const CliRun dot =
      run("parse " + path("ok.py") + " --function C.m --format dot --edges Child,NextToken");
  EXPECT_EQ(dot.status, 0);
  EXPECT_EQ(dot.out.rfind("digraph", 0), 0u) << dot.out.substr(0, 200);
  EXPECT_EQ(dot.out.find("tooltip=\"OccurrenceOf\""), std::string::npos) << "edge filter";
}

TEST_F(ParseCli, DotOutputRendersWithGraphviz) {
  if (std::system("command -v dot >/dev/null 2>&1") != 0) GTEST_SKIP() << "graphviz not installed";
  const std::string svg = path("out.svg");
  const int status = std::system((std::string(BUGSEEK_BINARY) + " parse " + path("ok.py") +
                                  " --format dot | dot -Tsvg -o " + svg)
                                     .c_str());
  EXPECT_EQ(status, 0);
  EXPECT_NE(read_file(svg).find("<svg"), std::string::npos);
}

}  // namespace
}  // namespace bugseek
