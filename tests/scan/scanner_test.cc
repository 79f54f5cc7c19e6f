// scan_paths over a small tree with a tiny untrained model: what is counted and skipped (binary,
// hidden, VCS, other languages, syntax errors), where findings point, thresholds, --top, the
// summary and the default-model lookup.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "common/json.h"
#include "parser/rewrites.h"
#include "scan/scanner.h"
#include "tests/common/temp_dir.h"
#include "tests/scan/tiny_model.h"

namespace bugseek::scan {
namespace {

using bugseek::testing::ScratchDir;

const char* kGood = R"PY(import os


def clamp(value, low, high):
    if value < low:
        return low
    if value > high:
        return high
    return value


class Walker:
    def walk(self, root, limit):
        seen = []
        for name in os.listdir(root):
            if not name.startswith("."):
                seen.append(name)
            if len(seen) >= limit:
                break
        return seen


TOTAL = clamp(3, 1, 2) + 1
)PY";

const char* kBroken = R"PY(def ok(a, b):
    return a + b


def broken(x:
    return x * 2 +
)PY";

struct Tree {
  ScratchDir dir;
  std::filesystem::path model;
  Tree() {
    dir.write("src/good.py", kGood);
    dir.write("src/broken.py", kBroken);
    dir.write("src/blob.py", std::string("abc\0def\n", 8));
    dir.write("src/notes.txt", "not code\n");
    dir.write("src/.hidden/secret.py", "x = 1\n");
    dir.write("src/.git/hook.py", "x = 1\n");
    model = bugseek::testing::write_tiny_model(dir.path());
  }
  ScanResult scan(const ScanOptions& options) const {
    return scan_paths({dir.path() / "src"}, detector::load_model_file(model), options);
  }
};

ScanOptions all_findings() {
  ScanOptions o;
  o.threshold = 0;  // every checked unit reports its best guess
  o.progress = false;
  return o;
}

TEST(Scan, CountsFilesUnitsAndSkips) {
  Tree tree;
  const ScanResult r = tree.scan(all_findings());
  const ScanStats& s = r.stats;
  EXPECT_EQ(s.files_listed, 3u);  // good, broken, blob
  EXPECT_EQ(s.files_scanned, 2u);
  EXPECT_EQ(s.files_syntax_errors, 1u);
  EXPECT_EQ(s.files_unparseable, 0u);
  EXPECT_EQ(s.skipped[static_cast<int>(data::SkipReason::kBinary)], 1u);
  EXPECT_EQ(s.skipped[static_cast<int>(data::SkipReason::kNoLanguage)], 1u);
  EXPECT_EQ(s.skipped[static_cast<int>(data::SkipReason::kHidden)], 1u);
  EXPECT_EQ(s.skipped[static_cast<int>(data::SkipReason::kVcs)], 1u);
  EXPECT_GE(s.units_syntax_errors, 1u);
  EXPECT_GE(s.functions, 3u);  // clamp, Walker.walk, ok (and `broken` if it is still a unit)
  EXPECT_EQ(s.units, s.functions + 2);  // one module unit per scanned file
  EXPECT_EQ(s.units, s.units_checked + s.units_no_sites + s.units_syntax_errors + s.units_too_large);
  // Threshold 0: each checked unit gives exactly one finding.
  EXPECT_EQ(r.findings.size(), s.units_checked);
  EXPECT_EQ(s.findings_total, s.units_checked);
  EXPECT_GE(s.units_checked, 3u);
  EXPECT_EQ(s.lines, 23u + 6u);
}

TEST(Scan, FindingsPointAtTheirSiteText) {
  Tree tree;
  const ScanResult r = tree.scan(all_findings());
  ASSERT_FALSE(r.findings.empty());
  for (const eval::Finding& f : r.findings) {
    SCOPED_TRACE(f.path + ":" + std::to_string(f.line) + ":" + std::to_string(f.column));
    EXPECT_GE(f.probability, 0.0);
    EXPECT_LE(f.probability, 1.0);
    EXPECT_TRUE(parser::bug_kind_from_name(f.kind).has_value());
    EXPECT_NE(f.original, f.replacement);
    if (f.line == f.end_line) {
      ASSERT_LE(static_cast<size_t>(f.end_column - 1), f.source_line.size());
      EXPECT_EQ(f.source_line.substr(f.column - 1, f.end_column - f.column), f.original);
    }
    EXPECT_FALSE(f.function.empty());
  }
  for (size_t i = 1; i < r.findings.size(); ++i) {
    EXPECT_GE(r.findings[i - 1].probability, r.findings[i].probability);
  }
}

TEST(Scan, ThresholdAndTopCutFindings) {
  Tree tree;
  ScanOptions o = all_findings();
  o.threshold = 1.0;
  EXPECT_TRUE(tree.scan(o).findings.empty());
  o = all_findings();
  o.top = 1;
  const ScanResult r = tree.scan(o);
  EXPECT_EQ(r.findings.size(), 1u);
  EXPECT_GT(r.stats.findings_total, 1u);
  EXPECT_NE(format_summary(r).find("1 shown"), std::string::npos);
}

TEST(Scan, SameInputSameOutput) {
  Tree tree;
  const auto a = tree.scan(all_findings());
  const auto b = tree.scan(all_findings());
  EXPECT_EQ(json::dump(eval::findings_to_json(a.findings)),
            json::dump(eval::findings_to_json(b.findings)));
  ScanOptions two = all_findings();
  two.threads = 2;
  const auto c = tree.scan(two);
  ASSERT_EQ(a.findings.size(), c.findings.size());
  for (size_t i = 0; i < a.findings.size(); ++i) {
    EXPECT_EQ(a.findings[i].line, c.findings[i].line);
    EXPECT_NEAR(a.findings[i].probability, c.findings[i].probability, 1e-5);
  }
}

TEST(Scan, SummaryNamesSkipReasons) {
  Tree tree;
  const ScanResult r = tree.scan(all_findings());
  const std::string text = format_summary(r);
  EXPECT_NE(text.find("2 files"), std::string::npos) << text;
  EXPECT_NE(text.find("1 binary"), std::string::npos) << text;
  EXPECT_NE(text.find("syntax errors"), std::string::npos) << text;
  const json::Value v = summary_to_json(r);
  EXPECT_EQ(v.at("files_scanned").as_int(), 2);
  EXPECT_EQ(v.at("skipped").at("binary").as_int(), 1);
}

TEST(Scan, MissingRootThrows) {
  Tree tree;
  EXPECT_THROW(scan_paths({tree.dir.path() / "nope"}, detector::load_model_file(tree.model),
                          all_findings()),
               Error);
}

TEST(Scan, ReplacementTextAppliesTheEditInsideTheSite) {
  parser::Site site;
  site.span.start_byte = 10;
  site.span.end_byte = 16;
  site.original = "(a, b)";
  parser::Rewrite swap;
  swap.replacement = "0<->1";
  swap.edit = {11, 15, "b, a"};
  EXPECT_EQ(replacement_text(site, swap), "(b, a)");
  parser::Rewrite insert_not;
  insert_not.replacement = "not x";
  insert_not.edit = {10, 10, "not "};
  EXPECT_EQ(replacement_text(site, insert_not), "not (a, b)");
  parser::Rewrite outside;
  outside.replacement = "y";
  outside.edit = {2, 3, "y"};
  EXPECT_EQ(replacement_text(site, outside), "y");
}

TEST(Scan, DefaultModelIsTheNewestBest) {
  ScratchDir dir;
  EXPECT_TRUE(find_default_model(dir.path() / "runs").empty());
  dir.write("runs/old/model-best.bugseek", "x");
  dir.write("runs/other/model-latest.bugseek", "x");
  std::filesystem::last_write_time(dir.path() / "runs/old/model-best.bugseek",
                                   std::filesystem::file_time_type::clock::now() -
                                       std::chrono::hours(1));
  dir.write("runs/new/model-best.bugseek", "x");
  EXPECT_EQ(find_default_model(dir.path() / "runs"),
            dir.path() / "runs/new/model-best.bugseek");
}

TEST(Scan, SarifRulesCoverEveryKind) {
  const auto rules = sarif_rules();
  ASSERT_EQ(rules.size(), static_cast<size_t>(parser::kNumBugKinds));
  for (const auto& r : rules) EXPECT_FALSE(r.description.empty());
}

}  // namespace
}  // namespace bugseek::scan

namespace bugseek::scan {
namespace {

TEST(ModelResolution, AGivenModelIsUsedAsIs) {
  EXPECT_EQ(resolve_model("some/model.bugseek", "scan"), "some/model.bugseek");
}

TEST(ModelResolution, ShippedModelIsFoundUnderBugseekHome) {
  testing::TempDir home;
  const auto model = home.write("models/python.bugseek", "not really a model");
  ASSERT_EQ(setenv("BUGSEEK_HOME", home.path().c_str(), 1), 0);
  EXPECT_EQ(find_shipped_model(), model);
  unsetenv("BUGSEEK_HOME");
  // Without the variable the source tree's own models/ (if any) is what is found.
  const auto found = find_shipped_model();
  if (!found.empty()) {
    EXPECT_EQ(found.filename(), "python.bugseek");
  }
  EXPECT_NE(found, model);
}

}  // namespace
}  // namespace bugseek::scan
