// Rewrites: the exact sites of fixture snippets (tests/fixtures/rewrites/*.txt, format in its
// README), every fixture rewrite applied and undone, bug-fix matching both ways, and the small
// helpers (kind names, edits, diffs). Set BUGSEEK_UPDATE_FIXTURES=1 to rewrite the expected lists
// from the current output (then review the diff).
#include "parser/rewrites.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/fs.h"

namespace bugseek::parser {
namespace {
namespace fs = std::filesystem;

const fs::path kFixtures = fs::path(BUGSEEK_SOURCE_DIR) / "tests" / "fixtures" / "rewrites";

const Language& python() { return *find_language("python"); }

struct FixtureCase {
  std::string name;
  std::vector<BugKind> kinds;  // empty = all
  std::string source;
  std::string expected;
};

std::vector<FixtureCase> read_cases(const fs::path& path) {
  std::vector<FixtureCase> cases;
  std::istringstream in(read_file(path));
  std::string line;
  enum { kNone, kSource, kExpected } state = kNone;
  while (std::getline(in, line)) {
    if (line.rfind("=== ", 0) == 0) {
      cases.push_back({line.substr(4), {}, "", ""});
      state = kSource;
    } else if (state == kSource && line.rfind("kinds:", 0) == 0 && cases.back().source.empty()) {
      std::istringstream names(line.substr(6));
      std::string name;
      while (names >> name) {
        auto kind = bug_kind_from_name(name);
        if (!kind) throw Error(path.string() + ": unknown kind " + name);
        cases.back().kinds.push_back(*kind);
      }
    } else if (state == kSource && line == "---") {
      state = kExpected;
    } else if (state == kSource) {
      cases.back().source += line + "\n";
    } else if (state == kExpected) {
      cases.back().expected += line + "\n";
    }
  }
  return cases;
}

// One line per site of every unit: "line:col kind `original` -> r1, r2".
std::string render(const std::string& source, const std::vector<BugKind>& kinds) {
  ParsedFile file = parse_source(source, python(), "fixture.py");
  std::string out;
  for (const Unit& unit : extract_units(file)) {
    CodeGraph graph = build_graph(file, unit);
    Sites sites = enumerate_rewrites(file, graph);
    for (uint32_t s = 0; s < sites.sites.size(); ++s) {
      const Site& site = sites.sites[s];
      if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), site.kind) == kinds.end()) {
        continue;
      }
      out += format_point(site.span.start) + " " + std::string(bug_kind_name(site.kind)) + " `" +
             site.original + "` ->";
      bool first = true;
      for (const Rewrite& r : sites.rewrites) {
        if (r.site != s) continue;
        out += first ? " " : ", ";
        out += r.replacement;
        first = false;
      }
      out += "\n";
    }
  }
  return out;
}

std::vector<std::string> fixture_files() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kFixtures)) {
    if (e.path().extension() == ".txt") names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class RewriteFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(RewriteFixture, ListsExactlyTheExpectedSites) {
  const fs::path path = kFixtures / GetParam();
  auto cases = read_cases(path);
  ASSERT_FALSE(cases.empty()) << path;
  const bool update = std::getenv("BUGSEEK_UPDATE_FIXTURES") != nullptr;
  std::string rewritten;
  for (const auto& c : cases) {
    std::string actual = render(c.source, c.kinds);
    EXPECT_EQ(actual, c.expected) << "case `" << c.name << "` in " << path;
    rewritten += "=== " + c.name + "\n";
    if (!c.kinds.empty()) {
      rewritten += "kinds:";
      for (BugKind k : c.kinds) rewritten += " " + std::string(bug_kind_name(k));
      rewritten += "\n";
    }
    rewritten += c.source + "---\n" + actual;
  }
  if (update) write_file_atomic(path, rewritten);
}

// Every rewrite of every fixture: re-parses cleanly, stays in its span, is undone by its inverse,
// and bug-fix matching explains the pair both ways.
TEST_P(RewriteFixture, EveryRewriteAppliesAndIsUndoneAndMatched) {
  for (const auto& c : read_cases(kFixtures / GetParam())) {
    ParsedFile file = parse_source(c.source, python(), "fixture.py");
    for (const Unit& unit : extract_units(file)) {
      CodeGraph graph = build_graph(file, unit);
      Sites sites = enumerate_rewrites(file, graph);
      for (size_t i = 0; i < sites.rewrites.size(); ++i) {
        const Rewrite& r = sites.rewrites[i];
        const Site& site = sites.sites[r.site];
        SCOPED_TRACE(c.name + ": " + format_point(site.span.start) + " `" + site.original +
                     "` -> `" + r.replacement + "`");
        EXPECT_GE(r.edit.start_byte, site.span.start_byte);
        EXPECT_LE(r.edit.old_end_byte, site.span.end_byte);
        AppliedRewrite applied = apply_rewrite(file, unit, sites, i);
        ASSERT_TRUE(applied.file.ok());
        EXPECT_EQ(applied.file.error_nodes + applied.file.missing_nodes, 0u) << applied.file.text;
        ASSERT_TRUE(applied.unit.has_value());
        Sites after = enumerate_rewrites(applied.file, applied.graph);
        int32_t inverse = find_inverse(after, applied, site.kind);
        ASSERT_GE(inverse, 0) << applied.file.text;
        EXPECT_EQ(apply_edit(applied.file.text, after.rewrites[inverse].edit), file.text);

        // Planting: original -> rewritten is this very rewrite.
        BugFixMatch planted = match_bug_fix(file.text, applied.file.text, python());
        ASSERT_TRUE(planted.matched) << planted.reason;
        EXPECT_EQ(planted.kind, site.kind);
        EXPECT_EQ(planted.fixed_text, r.edit.new_text);
        EXPECT_EQ(planted.bug_span.start_byte, site.span.start_byte);
        // Fixing: rewritten -> original is its inverse.
        BugFixMatch fix = match_bug_fix(applied.file.text, file.text, python());
        ASSERT_TRUE(fix.matched) << fix.reason;
        EXPECT_EQ(fix.kind, site.kind);
        EXPECT_EQ(fix.fixed_text, applied.undo.new_text);
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, RewriteFixture, ::testing::ValuesIn(fixture_files()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param.substr(0, info.param.find('.'));
                         });

const char* kFunction =
    "def area(width, height):\n"
    "    # the product\n"
    "    size = width * height\n"
    "    return size\n";

TEST(BugFixMatch, FindsTheRewriteWithLocationAndRepair) {
  std::string buggy = kFunction;
  buggy.replace(buggy.find("width *"), 5, "height");
  BugFixMatch m = match_bug_fix(buggy, kFunction, python());
  ASSERT_TRUE(m.matched) << m.reason;
  EXPECT_EQ(m.kind, BugKind::kVariableMisuse);
  EXPECT_EQ(m.buggy_text, "height");
  EXPECT_EQ(m.fixed_text, "width");
  EXPECT_EQ(format_point(m.bug_span.start), "3:12");
  EXPECT_EQ(m.unit, 0u);
}

TEST(BugFixMatch, TwoChangedTokensDoNotMatch) {
  std::string fixed = kFunction;
  fixed.replace(fixed.find("width * height"), 14, "height + width2");
  BugFixMatch m = match_bug_fix(kFunction, fixed, python());
  EXPECT_FALSE(m.matched);
  EXPECT_NE(m.reason.find("no rewrite"), std::string::npos) << m.reason;
}

TEST(BugFixMatch, RenamedFunctionDoesNotMatch) {
  std::string fixed = kFunction;
  fixed.replace(fixed.find("area"), 4, "surface");
  EXPECT_FALSE(match_bug_fix(kFunction, fixed, python()).matched);
}

TEST(BugFixMatch, WhitespaceAndCommentChangesDoNotMatch) {
  std::string fixed = kFunction;
  fixed.replace(fixed.find(" * "), 3, "*");
  fixed.replace(fixed.find("# the product"), 13, "# area");
  BugFixMatch m = match_bug_fix(kFunction, fixed, python());
  EXPECT_FALSE(m.matched);
  EXPECT_NE(m.reason.find("same tokens"), std::string::npos) << m.reason;
}

TEST(BugFixMatch, ChangedStringIsNoRewrite) {
  EXPECT_FALSE(
      match_bug_fix("def f():\n    return 'a b'\n", "def f():\n    return 'a  b'\n", python())
          .matched);
}

TEST(BugFixMatch, UnparsableInputSaysWhy) {
  BugFixMatch m = match_bug_fix("", "def f(): pass\n", python());
  EXPECT_FALSE(m.matched);
  EXPECT_NE(m.reason.find("cannot parse"), std::string::npos) << m.reason;
}

TEST(Rewrites, KindNamesRoundTrip) {
  for (int k = 0; k < kNumBugKinds; ++k) {
    auto kind = static_cast<BugKind>(k);
    EXPECT_EQ(bug_kind_from_name(bug_kind_name(kind)), kind);
    EXPECT_FALSE(bug_kind_title(kind).empty());
  }
  EXPECT_FALSE(bug_kind_from_name("off-by-one").has_value());
}

TEST(Rewrites, ApplyEditAndItsInverse) {
  TextEdit e{5, 6, "<="};
  EXPECT_EQ(apply_edit("if a < b", e), "if a <= b");
  TextEdit undo = inverse_edit("if a < b", e);
  EXPECT_EQ(undo, (TextEdit{5, 7, "<"}));
  EXPECT_EQ(apply_edit("if a <= b", undo), "if a < b");
  EXPECT_THROW(apply_edit("abc", TextEdit{2, 9, ""}), Error);
}

TEST(Rewrites, EditDiffIsUnified) {
  std::string text = "a\nb\nc\nx = 1\nd\ne\nf\ng\n";
  TextEdit e{10, 11, "2"};
  EXPECT_EQ(edit_diff(text, e, "t.py"),
            "--- a/t.py\n+++ b/t.py\n@@ -1,7 +1,7 @@\n a\n b\n c\n-x = 1\n+x = 2\n d\n e\n f\n");
}

TEST(Rewrites, RewritesAreGroupedBySiteInSiteOrder) {
  ParsedFile file = parse_source("def f(a, b):\n    return g(a + 1, b) and a < b\n", python());
  auto units = extract_units(file);
  ASSERT_FALSE(units.empty());
  CodeGraph graph = build_graph(file, units[0]);
  Sites sites = enumerate_rewrites(file, graph);
  ASSERT_FALSE(sites.rewrites.empty());
  for (size_t i = 1; i < sites.rewrites.size(); ++i) {
    EXPECT_LE(sites.rewrites[i - 1].site, sites.rewrites[i].site);
  }
  for (size_t s = 1; s < sites.sites.size(); ++s) {
    EXPECT_TRUE(sites.sites[s - 1].node < sites.sites[s].node ||
                (sites.sites[s - 1].node == sites.sites[s].node &&
                 sites.sites[s - 1].kind < sites.sites[s].kind));
  }
  for (const Rewrite& r : sites.rewrites) {
    const Site& site = sites.sites[r.site];
    EXPECT_EQ(site.original,
              file.text.substr(site.span.start_byte, site.span.end_byte - site.span.start_byte));
    if (site.kind == BugKind::kVariableMisuse) {
      EXPECT_NE(r.symbol_node, kNoNode);
    }
    if (site.kind == BugKind::kArgumentSwap) {
      EXPECT_NE(r.swap_first, kNoNode);
      EXPECT_NE(r.swap_second, kNoNode);
    }
  }
}

TEST(Rewrites, BrokenCodeGivesSitesOutsideErrorsAndNeverThrows) {
  ParsedFile file = parse_source("def f(a, b):\n    x = a + (b\n    return x < 1\n", python());
  for (const Unit& unit : extract_units(file)) {
    CodeGraph graph = build_graph(file, unit);
    Sites sites;
    EXPECT_NO_THROW(sites = enumerate_rewrites(file, graph));
    for (const Site& s : sites.sites) {
      for (uint32_t n = s.node; n != static_cast<uint32_t>(kNoNode);) {
        EXPECT_NE(graph.nodes[n].type, "ERROR");
        int32_t p = graph.nodes[n].parent;
        n = p < 0 ? static_cast<uint32_t>(kNoNode) : static_cast<uint32_t>(p);
      }
    }
  }
}

}  // namespace
}  // namespace bugseek::parser
