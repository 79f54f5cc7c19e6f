// Scan for daily use: `# bugseek: ignore` comments, baselines matched without line numbers, the
// result cache (a second scan reuses everything, an edit reruns only what changed, corrupt
// entries are misses), `--diff` against a git revision, and the calibrated threshold with its
// place in the model file.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "common/fs.h"
#include "common/json.h"
#include "detector/calibration.h"
#include "scan/baseline.h"
#include "scan/result_cache.h"
#include "scan/scanner.h"
#include "scan/suppressions.h"
#include "tests/common/temp_dir.h"
#include "tests/mine/git_fixture.h"
#include "tests/scan/scan_tree.h"
#include "tests/scan/tiny_model.h"

namespace bugseek::scan {
namespace {

namespace fs = std::filesystem;
using bugseek::testing::ScratchDir;

using bugseek::testing::every_finding;
using bugseek::testing::kTwoFunctions;
using CachedTree = bugseek::testing::ScanTree;

std::string findings_text(const ScanResult& r) {
  return json::dump(eval::findings_to_json(r.findings));
}

// --- suppressions ---------------------------------------------------------------------------

TEST(Suppressions, CommentsSilenceTheirLineAllOrSomeKinds) {
  const auto s = find_suppressions(
      "x = a + b  # bugseek: ignore\n"
      "y = c < d  # bugseek:ignore[wrong-compare-op, variable-misuse]\n"
      "z = 1  # type: ignore  # bugseek: ignore[wrong-literal]\n"
      "w = 2  # bugseek: ignored\n"
      "# bugseek ignore\n"
      "v = 3\n"
      "u = 4  # bugseek: ignore\r\n");  // CRLF line ends
  ASSERT_EQ(s.size(), 4u);
  EXPECT_TRUE(s.at(7).all);
  EXPECT_TRUE(s.at(1).all);
  EXPECT_FALSE(s.at(2).all);
  EXPECT_EQ(s.at(2).kinds, (std::vector<std::string>{"wrong-compare-op", "variable-misuse"}));
  EXPECT_EQ(s.at(3).kinds, std::vector<std::string>{"wrong-literal"});
  eval::Finding f;
  f.line = 2;
  f.kind = "wrong-compare-op";
  EXPECT_TRUE(is_suppressed(s, f));
  f.kind = "wrong-binary-op";
  EXPECT_FALSE(is_suppressed(s, f));
  f.line = 1;
  EXPECT_TRUE(is_suppressed(s, f));
  f.line = 4;
  EXPECT_FALSE(is_suppressed(s, f));
}

// --- baselines ------------------------------------------------------------------------------

eval::Finding finding(const std::string& path, int line, const std::string& function,
                      const std::string& original, const std::string& replacement) {
  eval::Finding f;
  f.path = path;
  f.line = f.end_line = line;
  f.column = 5;
  f.end_column = 5 + static_cast<int>(original.size());
  f.kind = "wrong-compare-op";
  f.kind_title = "wrong comparison operator";
  f.original = original;
  f.replacement = replacement;
  f.probability = 0.9;
  f.source_line = "    " + original + " x";
  f.function = function;
  return f;
}

TEST(Baseline, MatchesByFunctionAndTokenNotLine) {
  json::Value out = json::Value::object();
  out.set("findings", eval::findings_to_json({finding("src/a.py", 10, "f", "<", "<=")}));
  const Baseline b = Baseline::from_json(out, "test");
  EXPECT_EQ(b.size(), 1u);
  std::vector<eval::Finding> now = {finding("./src/a.py", 42, "f", "<", "<="),  // moved
                                    finding("src/a.py", 10, "g", "<", "<="),    // other function
                                    finding("src/a.py", 10, "f", "<", ">")};    // other fix
  EXPECT_EQ(b.remove_known(now), 1u);
  ASSERT_EQ(now.size(), 2u);
  EXPECT_EQ(now[0].function, "g");
  EXPECT_EQ(now[1].replacement, ">");
}

TEST(Baseline, ReadsSarifAndCountsCopies) {
  const std::vector<eval::Finding> before = {finding("src/a b.py", 3, "f", "<", "<="),
                                             finding("/abs/c.py", 7, "C.m", "==", "!=")};
  const json::Value sarif = eval::findings_to_sarif(before, eval::SarifTool{}, {});
  const Baseline b = Baseline::from_json(sarif, "test");
  EXPECT_EQ(b.size(), 2u);
  std::vector<eval::Finding> now = {finding("src/a b.py", 9, "f", "<", "<="),
                                    finding("src/a b.py", 12, "f", "<", "<="),  // a second copy
                                    finding("/abs/c.py", 1, "C.m", "==", "!=")};
  EXPECT_EQ(b.remove_known(now), 2u);
  EXPECT_EQ(now.size(), 1u);
  EXPECT_THROW(Baseline::from_json(json::parse("{\"x\": 1}"), "test"), Error);
}

// --- calibration ----------------------------------------------------------------------------

TEST(Calibration, ThresholdKeepsTheFalseAlarmRate) {
  std::vector<double> scores;
  for (int i = 0; i < 400; ++i) scores.push_back(i / 400.0);
  // 1 in 200 of 400: at most 2 scores may pass.
  const double t = detector::threshold_for_rate(scores, 1.0 / 200);
  EXPECT_EQ(std::count_if(scores.begin(), scores.end(), [&](double s) { return s >= t; }), 2);
  EXPECT_GT(t, 397 / 400.0);
  EXPECT_EQ(detector::threshold_for_rate(scores, 1.0), 0.0);
  const double none = detector::threshold_for_rate(scores, 0.0);
  EXPECT_EQ(std::count_if(scores.begin(), scores.end(), [&](double s) { return s >= none; }), 0);
  EXPECT_THROW(detector::threshold_for_rate(scores, 1.5), UsageError);
}

TEST(Calibration, TiesNeverLetMoreThroughThanTheRate) {
  std::vector<double> scores(100, 0.7);
  scores.push_back(0.9);
  const double t = detector::threshold_for_rate(scores, 0.05);  // 5 of 101 allowed
  EXPECT_EQ(std::count_if(scores.begin(), scores.end(), [&](double s) { return s >= t; }), 1);
}

TEST(Calibration, StoredScoresGiveOtherRatesAndSurviveText) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<double> scores;
  for (int i = 0; i < 5000; ++i) scores.push_back(u(rng) * u(rng));
  const detector::Calibration c = detector::calibrate(scores, 0.005, "somewhere (valid)");
  EXPECT_EQ(c.functions, 5000u);
  EXPECT_EQ(c.threshold, detector::threshold_for_rate(scores, 0.005));
  for (double rate : {0.001, 0.01, 0.1}) {  // within the kept top scores: exact
    EXPECT_EQ(detector::threshold_for_rate(c, rate), detector::threshold_for_rate(scores, rate));
  }
  // Past the kept top scores the quantiles answer, to within a quantile step.
  const double from_quantiles = detector::threshold_for_rate(c, 0.5);
  const double exact = detector::threshold_for_rate(scores, 0.5);
  const auto flagged = [&](double t) {
    return std::count_if(scores.begin(), scores.end(), [&](double s) { return s >= t; });
  };
  EXPECT_NEAR(static_cast<double>(flagged(from_quantiles)), static_cast<double>(flagged(exact)),
              5000 / 1000.0 + 1);
  const detector::Calibration back =
      detector::calibration_from_text(detector::calibration_to_text(c));
  EXPECT_EQ(back.threshold, c.threshold);
  EXPECT_EQ(back.false_alarm_rate, c.false_alarm_rate);
  EXPECT_EQ(back.functions, c.functions);
  EXPECT_EQ(back.data, c.data);
  EXPECT_EQ(back.top, c.top);
  EXPECT_EQ(back.quantiles, c.quantiles);
  EXPECT_EQ(detector::describe_rate(0.005), "at most 1 finding per 200 clean functions");
  // A damaged section is an Error, never a nonsense threshold.
  for (const char* bad : {"threshold = nan\n", "threshold = 0.5\nfunctions = -1\n",
                          "threshold = 0.5\nfunctions = 1e30\n", "threshold = 0.5\ntop = 0.9 2\n",
                          "threshold = 1.5\n", "functions = 3\n"}) {
    EXPECT_THROW(detector::calibration_from_text(bad), Error) << bad;
  }
}

TEST(Calibration, ModelFilesWithAndWithoutOneLoad) {
  ScratchDir dir;
  const fs::path path = bugseek::testing::write_tiny_model(dir.path());
  detector::ModelFile model = detector::load_model_file(path);
  EXPECT_FALSE(model.calibration.has_value());  // written without one, as older files are
  model.calibration = detector::calibrate({0.1, 0.2, 0.3}, 0.5, "here");
  detector::save_model_file(dir.path() / "calibrated.bugseek", model);
  const detector::ModelFile back = detector::load_model_file(dir.path() / "calibrated.bugseek");
  ASSERT_TRUE(back.calibration.has_value());
  EXPECT_EQ(back.calibration->threshold, model.calibration->threshold);
  EXPECT_EQ(back.weights, model.weights);
}

// --- the cache ------------------------------------------------------------------------------

TEST(Cache, SecondScanReusesEverythingAndGivesTheSameFindings) {
  CachedTree tree;
  const ScanResult first = tree.scan();
  EXPECT_EQ(first.stats.cache_file_hits, 0u);
  EXPECT_EQ(first.stats.units_run, first.stats.units_checked);
  EXPECT_GT(first.stats.units_checked, 0u);
  const ScanResult second = tree.scan();
  EXPECT_EQ(second.stats.cache_file_hits, 2u);
  EXPECT_EQ(second.stats.units_run, 0u);
  EXPECT_EQ(second.stats.units_checked, first.stats.units_checked);
  EXPECT_EQ(second.stats.lines, first.stats.lines);
  EXPECT_EQ(findings_text(second), findings_text(first));
  // Without a cache folder nothing is reused.
  ScanOptions none = every_finding();
  const ScanResult uncached =
      scan_paths({tree.dir.path() / "src"}, detector::load_model_file(tree.model), none);
  EXPECT_EQ(uncached.stats.units_run, first.stats.units_checked);
}

TEST(Cache, AnEditRerunsOnlyTheChangedUnits) {
  CachedTree tree;
  const ScanResult first = tree.scan();
  std::string edited = std::string("import os\n\n") + kTwoFunctions;  // moves every line down by two
  const size_t at = edited.find("item * 2");
  edited.replace(at, 8, "item * 3");
  tree.dir.write("src/a.py", edited);
  const ScanResult second = tree.scan();
  EXPECT_EQ(second.stats.cache_file_hits, 1u);  // b.py
  EXPECT_EQ(second.stats.cache_unit_hits, 1u);  // clamp, moved but unchanged
  EXPECT_GE(second.stats.units_run, 1u);        // total (edited), and a.py's module unit
  EXPECT_LE(second.stats.units_run, 2u);        // if it has anything to check
  // The reused unit's findings point at its new lines.
  for (const eval::Finding& f : second.findings) {
    if (f.function != "clamp" || f.path.find("a.py") == std::string::npos) continue;
    EXPECT_GE(f.line, 3);
    EXPECT_EQ(f.source_line.substr(f.column - 1, f.end_column - f.column), f.original);
  }
}

TEST(Cache, CorruptEntriesAreMisses) {
  CachedTree tree;
  const ScanResult first = tree.scan();
  size_t entries = 0;
  for (const auto& e : fs::recursive_directory_iterator(tree.dir.path() / "cache")) {
    if (!e.is_regular_file()) continue;
    std::string bytes = read_file(e.path());
    bytes[bytes.size() / 2] ^= 0x20;  // one flipped bit in the middle
    write_file_atomic(e.path(), entries % 2 == 0 ? bytes : std::string("garbage"));
    ++entries;
  }
  EXPECT_GE(entries, 2u);
  const ScanResult second = tree.scan();
  EXPECT_EQ(second.stats.cache_file_hits, 0u);
  EXPECT_EQ(second.stats.units_run, first.stats.units_checked);
  EXPECT_EQ(findings_text(second), findings_text(first));
  EXPECT_EQ(tree.scan().stats.units_run, 0u);  // rewritten whole by the second scan
}

TEST(Cache, KeyedByTheModel) {
  CachedTree tree;
  tree.scan();
  fs::create_directories(tree.dir.path() / "m2");
  const fs::path other = bugseek::testing::write_tiny_model(tree.dir.path() / "m2", 7);
  ScanOptions o = every_finding();
  o.cache_dir = (tree.dir.path() / "cache").string();
  const ScanResult r = scan_paths({tree.dir.path() / "src"}, detector::load_model_file(other), o);
  EXPECT_EQ(r.stats.cache_file_hits, 0u);
  EXPECT_EQ(r.stats.units_run, r.stats.units_checked);
}

// --- suppressions and baselines in a scan ----------------------------------------------------

TEST(ScanFilters, SuppressedFindingsAreCountedAndListedOnRequest) {
  ScratchDir dir;
  std::string code;
  for (const char* line :
       {"def f(a, b):", "    if a < b:", "        return a - b", "    return b - a"}) {
    code += std::string(line) + "  # bugseek: ignore\n";
  }
  dir.write("src/s.py", code);
  const fs::path model = bugseek::testing::write_tiny_model(dir.path());
  const ScanResult quiet =
      scan_paths({dir.path() / "src"}, detector::load_model_file(model), every_finding());
  EXPECT_TRUE(quiet.findings.empty());
  EXPECT_EQ(quiet.stats.findings_total, 0u);
  EXPECT_GE(quiet.stats.findings_suppressed, 1u);
  ScanOptions show = every_finding();
  show.show_suppressed = true;
  const ScanResult shown = scan_paths({dir.path() / "src"}, detector::load_model_file(model), show);
  ASSERT_EQ(shown.findings.size(), quiet.stats.findings_suppressed);
  for (const eval::Finding& f : shown.findings) EXPECT_TRUE(f.suppressed);
  EXPECT_EQ(shown.stats.findings_total, 0u);
}

TEST(ScanFilters, BaselineHidesKnownFindingsEvenWhenMoved) {
  CachedTree tree;
  const ScanResult first = tree.scan();
  ASSERT_FALSE(first.findings.empty());
  json::Value out = json::Value::object();
  out.set("findings", eval::findings_to_json(first.findings));
  const fs::path baseline = tree.dir.write("baseline.json", json::dump(out));
  tree.dir.write("src/a.py", std::string("\n\n\n") + kTwoFunctions);
  ScanOptions o = every_finding();
  o.baseline = baseline.string();
  const ScanResult again = tree.scan(o);
  EXPECT_TRUE(again.findings.empty());
  EXPECT_EQ(again.stats.findings_baselined, first.findings.size());
  tree.dir.write("src/new.py", "def fresh(p, q):\n    return p < q\n");
  const ScanResult with_new = tree.scan(o);
  ASSERT_FALSE(with_new.findings.empty());
  for (const eval::Finding& f : with_new.findings)
    EXPECT_NE(f.path.find("new.py"), std::string::npos);
}

// --- --diff ---------------------------------------------------------------------------------

TEST(Diff, OnlyChangedFunctionsAndNewFilesAreChecked) {
  ScratchDir dir;
  bugseek::testing::GitFixture repo(dir.path(), "repo");
  repo.write("pkg/a.py", kTwoFunctions);
  repo.write("pkg/b.py", kTwoFunctions);
  repo.commit("start", "2020-01-01T00:00:00+00:00");
  const fs::path model = bugseek::testing::write_tiny_model(dir.path());

  std::string edited = kTwoFunctions;
  edited.replace(edited.find("item * 2"), 8, "item * 3");  // inside total()
  repo.write("pkg/a.py", edited);
  repo.write("pkg/new.py", "def fresh(p, q):\n    return p < q\n");  // untracked
  ScanOptions o = every_finding();
  o.diff_rev = "HEAD";
  const ScanResult r = scan_paths({repo.path() / "pkg"}, detector::load_model_file(model), o);
  EXPECT_EQ(r.stats.files_unchanged, 1u);  // b.py
  EXPECT_EQ(r.stats.files_scanned, 2u);
  EXPECT_EQ(r.stats.functions, 2u);        // total (changed) and fresh (new)
  EXPECT_GE(r.stats.units_unchanged, 1u);  // clamp
  for (const eval::Finding& f : r.findings) {
    EXPECT_TRUE(f.function == "total" || f.function == "fresh" || f.function == "<module>")
        << f.function;
  }
  // Staged changes count too, and a revision that does not exist is a usage error.
  repo.git("add pkg/a.py");
  EXPECT_EQ(scan_paths({repo.path() / "pkg"}, detector::load_model_file(model), o).stats.functions,
            2u);
  o.diff_rev = "no-such-branch";
  EXPECT_THROW(scan_paths({repo.path() / "pkg"}, detector::load_model_file(model), o), UsageError);
  o.diff_rev = "HEAD";
  EXPECT_THROW(scan_paths({dir.path()}, detector::load_model_file(model), o), UsageError);
}

}  // namespace
}  // namespace bugseek::scan
