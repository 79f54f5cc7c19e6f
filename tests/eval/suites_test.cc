// The eval suites with a tiny untrained model: the real-bug suite on the example pairs
// (matched and unmatched exactly as written), the synthetic suite on a small test split built
// here, outcome judging against hand-made predictions, and determinism for a given seed.
#include <gtest/gtest.h>

#include <set>

#include "common/json.h"
#include "data/dataset.h"
#include "data/extract.h"
#include "data/function_graph.h"
#include "eval/suites.h"
#include "parser/language.h"
#include "parser/rewrites.h"
#include "tests/scan/tiny_model.h"

namespace bugseek::eval {
namespace {

using bugseek::testing::ScratchDir;

const std::string kExamplePairs = std::string(BUGSEEK_SOURCE_DIR) +
                                  "/tests/fixtures/realbugs_example.jsonl";

const char* kModule = R"PY(import os


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

    def join(self, left, right):
        return os.path.join(left, right)


def mean(values):
    total = 0
    for v in values:
        total += v
    return total / len(values) if values else 0.0
)PY";

// A dataset directory whose test split holds the functions of kModule.
std::filesystem::path write_dataset(const ScratchDir& dir) {
  const auto root = dir.path() / "dataset";
  std::filesystem::create_directories(root);
  const data::ExtractResult extracted = data::extract_functions(
      kModule, "pkg/mod.py", *parser::find_language("python"), data::ExtractOptions{}, false);
  data::ShardWriter writer(root, data::Split::kTest, 3);
  for (const auto& f : extracted.functions) writer.add(f);
  data::Manifest m;
  for (const auto& lang : parser::languages()) m.languages.emplace_back(lang.name, lang.grammar_version);
  m.shards = writer.finish();
  m.files[static_cast<int>(data::Split::kTest)] = 1;
  m.functions[static_cast<int>(data::Split::kTest)] = extracted.functions.size();
  data::write_manifest(root, m);
  return root;
}

TEST(RealSuite, ExamplePairsMatchAsWritten) {
  const auto pairs = read_real_bug_pairs(kExamplePairs);
  ASSERT_EQ(pairs.size(), 10u);
  const data::Vocabulary vocab = data::Vocabulary::from_bytes(bugseek::testing::tiny_vocab_bytes());
  const SuiteSamples set = make_real_samples(pairs, vocab, "python", SuiteOptions{});
  EXPECT_EQ(set.inputs, 10);
  ASSERT_EQ(set.skipped.size(), 2u);
  std::set<std::string> skipped;
  for (const auto& s : set.skipped) {
    skipped.insert(s.id);
    EXPECT_EQ(s.reason.rfind("unmatched: ", 0), 0u) << s.reason;
  }
  EXPECT_EQ(skipped, (std::set<std::string>{"example-two-tokens", "example-whitespace-only"}));
  ASSERT_EQ(set.samples.size(), 16u);
  // Buggy and clean twins side by side; the twins share the kind; every kind appears.
  std::set<int> kinds;
  for (size_t i = 0; i < set.samples.size(); i += 2) {
    const LabeledSample& buggy = set.samples[i];
    const LabeledSample& clean = set.samples[i + 1];
    EXPECT_GE(buggy.features.target_site, 0);
    EXPECT_GE(buggy.features.target_cand, 0);
    EXPECT_EQ(buggy.features.cand_site[buggy.features.target_cand], buggy.features.target_site);
    EXPECT_LT(clean.features.target_site, 0);
    EXPECT_EQ(buggy.kind, clean.kind);
    kinds.insert(buggy.kind);
  }
  EXPECT_EQ(kinds.size(), 7u);
}

// A fixed sample's `plant` is the bug its author made, as a rewrite of the fixed function: the
// matcher run the other way (the fix as the "buggy" side) finds the same rewrite, at the site
// where the buggy twin has its bug.
TEST(RealSuite, TheFixedTwinIsLabelledWithTheRewriteBackToTheBug) {
  const auto pairs = read_real_bug_pairs(kExamplePairs);
  const data::Vocabulary vocab = data::Vocabulary::from_bytes(bugseek::testing::tiny_vocab_bytes());
  const SuiteSamples set = make_real_samples(pairs, vocab, "python", SuiteOptions{});
  ASSERT_EQ(set.samples.size(), 16u);
  const parser::Language& python = *parser::find_language("python");
  int checked = 0;
  for (size_t i = 0; i < set.samples.size(); i += 2) {
    const LabeledSample& buggy = set.samples[i];
    const LabeledSample& fixed = set.samples[i + 1];
    EXPECT_EQ(buggy.plant, -1);
    ASSERT_GE(fixed.plant, 0) << fixed.id;
    ASSERT_LT(static_cast<size_t>(fixed.plant), fixed.features.cand_site.size());
    const int32_t site = fixed.features.cand_site[static_cast<size_t>(fixed.plant)];
    EXPECT_EQ(fixed.features.site_kind[static_cast<size_t>(site)], buggy.kind) << fixed.id;
    EXPECT_EQ(fixed.features.site_node[static_cast<size_t>(site)],
              buggy.features.site_node[static_cast<size_t>(buggy.features.target_site)])
        << fixed.id;
    for (const RealBugPair& pair : pairs) {
      if (pair.id != fixed.id) continue;
      std::string from = pair.fixed_source, to = pair.buggy_source;
      uint32_t from_indent = 0, to_indent = 0;
      ASSERT_TRUE(data::dedent(from, &from_indent) && data::dedent(to, &to_indent));
      const parser::BugFixMatch back = parser::match_bug_fix(from, to, python);
      ASSERT_TRUE(back.matched) << fixed.id << ": " << back.reason;
      EXPECT_EQ(static_cast<int32_t>(back.rewrite), fixed.plant) << fixed.id;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 8);
}

TEST(RealSuite, ReportCountsAndIsDeterministic) {
  ScratchDir dir;
  const auto model = detector::load_model_file(bugseek::testing::write_tiny_model(dir.path()));
  SuiteOptions o;
  const EvalReport a = run_real_suite(model, kExamplePairs, o);
  EXPECT_EQ(a.suite, "real");
  EXPECT_EQ(a.inputs, 10);
  EXPECT_EQ(a.skipped.size(), 2u);
  EXPECT_EQ(a.metrics.num_buggy, 8);
  EXPECT_EQ(a.metrics.num_clean, 8);
  // Two variable misuses (one in an indented method), one pair of every other kind.
  for (int k = 0; k < parser::kNumBugKinds; ++k) {
    EXPECT_EQ(a.metrics.per_kind[k].localization.total,
              k == static_cast<int>(parser::BugKind::kVariableMisuse) ? 2 : 1);
  }
  o.threads = 3;
  const EvalReport b = run_real_suite(model, kExamplePairs, o);
  EXPECT_EQ(json::dump(report_to_json(a)), json::dump(report_to_json(b)));
  const std::string md = render_markdown(a);
  EXPECT_NE(md.find("example-two-tokens"), std::string::npos);
}

TEST(SyntheticSuite, PlantsOneBugPerFunctionAndIsDeterministic) {
  ScratchDir dir;
  const auto model = detector::load_model_file(bugseek::testing::write_tiny_model(dir.path()));
  const auto data_dir = write_dataset(dir);
  SuiteOptions o;
  o.seed = 7;
  const EvalReport a = run_synthetic_suite(model, data_dir, o);
  EXPECT_EQ(a.suite, "synthetic");
  EXPECT_EQ(a.inputs, 4);  // clamp, Walker.walk, Walker.join, mean
  EXPECT_EQ(a.metrics.num_buggy + static_cast<int64_t>(a.skipped.size()), a.inputs);
  EXPECT_EQ(a.metrics.num_buggy, a.metrics.num_clean);
  EXPECT_GE(a.metrics.num_buggy, 3);
  o.threads = 2;
  const EvalReport b = run_synthetic_suite(model, data_dir, o);
  EXPECT_EQ(json::dump(report_to_json(a)), json::dump(report_to_json(b)));
  o.max_functions = 2;
  const EvalReport c = run_synthetic_suite(model, data_dir, o);
  EXPECT_EQ(c.inputs, 2);
}

TEST(SyntheticSuite, SeedChangesThePlantedBugs) {
  const data::Vocabulary vocab = data::Vocabulary::from_bytes(bugseek::testing::tiny_vocab_bytes());
  const data::ExtractResult extracted = data::extract_functions(
      kModule, "pkg/mod.py", *parser::find_language("python"), data::ExtractOptions{}, false);
  auto targets = [&](uint64_t seed) {
    SuiteOptions o;
    o.seed = seed;
    std::vector<int32_t> t;
    for (const auto& s : make_synthetic_samples(extracted.functions, vocab, "python", o).samples) {
      t.push_back(s.features.target_cand);
    }
    return t;
  };
  EXPECT_EQ(targets(1), targets(1));
  bool differs = false;
  for (uint64_t seed = 2; seed < 6 && !differs; ++seed) differs = targets(seed) != targets(1);
  EXPECT_TRUE(differs);
}

TEST(Outcome, JudgesLikeDecide) {
  LabeledSample buggy;
  buggy.features.site_node = {0, 1, 2};
  buggy.features.target_site = 1;
  buggy.features.target_cand = 3;
  buggy.kind = 2;
  detector::GraphPrediction p;
  p.p_no_bug = 0.5;
  // site 0: 0.3 (cands 0, 1), site 1: 0.2 (cands 2, 3): NO_BUG wins; best bug site is 0.
  p.proposals = {{0, 0, 0.25f}, {1, 3, 0.15f}, {0, 1, 0.05f}, {1, 2, 0.05f}};
  SampleOutcome o = outcome_of(p, buggy);
  EXPECT_TRUE(o.buggy);
  EXPECT_TRUE(o.predicted_no_bug);
  EXPECT_FALSE(o.site_correct);
  EXPECT_TRUE(o.repair_correct);  // best repair at the true site is candidate 3
  EXPECT_NEAR(o.bug_confidence, 0.25, 1e-6);
  EXPECT_EQ(o.kind, 2);
  EXPECT_EQ(o.num_sites, 3);
  EXPECT_EQ(o.true_site_rank, 2);  // site 0 (0.3) ranks above the true site 1 (0.2)

  p.p_no_bug = 0.1;
  p.proposals = {{1, 3, 0.6f}, {0, 0, 0.2f}, {1, 2, 0.1f}};
  o = outcome_of(p, buggy);
  EXPECT_FALSE(o.predicted_no_bug);
  EXPECT_TRUE(o.site_correct);
  EXPECT_TRUE(o.repair_correct);
  EXPECT_NEAR(o.bug_confidence, 0.6, 1e-6);
  EXPECT_EQ(o.true_site_rank, 1);

  LabeledSample clean = buggy;
  clean.features.target_site = -1;
  clean.features.target_cand = -1;
  o = outcome_of(p, clean);
  EXPECT_FALSE(o.buggy);
  EXPECT_FALSE(o.site_correct);
  EXPECT_NEAR(o.bug_confidence, 0.6, 1e-6);
}

}  // namespace
}  // namespace bugseek::eval
