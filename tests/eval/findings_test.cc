#include "eval/findings.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/json.h"

namespace bugseek::eval {
namespace {

Finding compare_finding() {
  Finding f;
  f.path = "src/app.py";
  f.line = 3;
  f.column = 10;  // "    if a < b:" — '<' is byte 10 (1-based)
  f.end_line = 3;
  f.end_column = 11;
  f.kind = "wrong-compare-op";
  f.kind_title = "wrong comparison operator";
  f.original = "<";
  f.replacement = "<=";
  f.probability = 0.8712;
  f.source_line = "    if a < b:";
  f.function = "check";
  return f;
}

TEST(Findings, TextFormatMatchesCompilerStyleExactly) {
  EXPECT_EQ(format_text(compare_finding()),
            "src/app.py:3:10: warning: possible wrong comparison operator: '<' should be '<=' "
            "(p=0.87) [bugseek/wrong-compare-op]\n"
            "    if a < b:\n"
            "         ^\n");
}

TEST(Findings, CaretKeepsTabsCountsCharactersAndUnderlinesTheSpan) {
  Finding f;
  f.path = "m.py";
  f.line = 7;
  f.column = 10;
  f.end_line = 7;
  f.end_column = 14;
  f.kind = "argument-swap";
  f.kind_title = "argument swap";
  f.original = "a, b";
  f.replacement = "b, a";
  f.probability = 0.5;
  f.source_line = "\tx = foo(a, b)";
  EXPECT_EQ(format_text(f),
            "m.py:7:10: warning: possible argument swap: 'a, b' should be 'b, a' (p=0.50) "
            "[bugseek/argument-swap]\n"
            "\tx = foo(a, b)\n"
            "\t        ^~~~\n");

  f.source_line = "s = '\xC3\xA9' + y";  // é is two bytes, one column on screen
  f.column = 12;
  f.end_column = 13;
  f.original = "y";
  f.replacement = "s";
  std::string text = format_text(f);
  EXPECT_EQ(text.substr(text.rfind('\n', text.size() - 2) + 1), "          ^\n");
}

TEST(Findings, MessageCollapsesLongMultiLineText) {
  Finding f = compare_finding();
  f.original = "(first_argument,\n         second_argument_with_a_long_name)";
  f.replacement = "x";
  EXPECT_EQ(finding_message(f),
            "possible wrong comparison operator: '(first_argument, second_argument_with_a_...' "
            "should be 'x' (p=0.87)");
}

TEST(Findings, NoSourceLineMeansNoCaret) {
  Finding f = compare_finding();
  f.source_line.clear();
  std::string text = format_text(f);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
}

TEST(Findings, SortMostConfidentFirstThenByPlace) {
  Finding a = compare_finding(), b = compare_finding(), c = compare_finding();
  a.probability = 0.6;
  b.probability = 0.9;
  c.probability = 0.6;
  c.path = "a.py";
  std::vector<Finding> v{a, b, c};
  sort_findings(v);
  EXPECT_DOUBLE_EQ(v[0].probability, 0.9);
  EXPECT_EQ(v[1].path, "a.py");
  EXPECT_EQ(v[2].path, "src/app.py");
}

TEST(Findings, JsonHasEveryField) {
  json::Value v = json::parse(json::dump(findings_to_json({compare_finding()})));
  ASSERT_EQ(v.size(), 1u);
  const json::Value& f = v[0];
  EXPECT_EQ(f.at("path").as_string(), "src/app.py");
  EXPECT_EQ(f.at("line").as_int(), 3);
  EXPECT_EQ(f.at("column").as_int(), 10);
  EXPECT_EQ(f.at("end_line").as_int(), 3);
  EXPECT_EQ(f.at("end_column").as_int(), 11);
  EXPECT_EQ(f.at("kind").as_string(), "wrong-compare-op");
  EXPECT_EQ(f.at("rule_id").as_string(), "bugseek/wrong-compare-op");
  EXPECT_EQ(f.at("title").as_string(), "wrong comparison operator");
  EXPECT_EQ(f.at("original").as_string(), "<");
  EXPECT_EQ(f.at("replacement").as_string(), "<=");
  EXPECT_DOUBLE_EQ(f.at("probability").as_double(), 0.8712);
  EXPECT_EQ(f.at("source_line").as_string(), "    if a < b:");
  EXPECT_EQ(f.at("function").as_string(), "check");
  EXPECT_NE(f.at("message").as_string().find("should be '<='"), std::string::npos);
}

std::vector<RuleInfo> two_rules() {
  return {{"variable-misuse", "variable misuse", ""},
          {"wrong-compare-op", "wrong comparison operator", "A comparison operator was swapped."}};
}

TEST(Findings, SarifHasRequiredFieldsAndParsesBack) {
  Finding f = compare_finding();
  std::string text = json::dump(findings_to_sarif({f}, {"bugseek", "0.1.0", ""}, two_rules()), {2});
  json::Value log = json::parse(text);
  EXPECT_EQ(log.at("version").as_string(), "2.1.0");
  EXPECT_NE(log.at("$schema").as_string().find("sarif-2.1.0"), std::string::npos);
  const json::Value& run = log.at("runs")[0];
  const json::Value& driver = run.at("tool").at("driver");
  EXPECT_EQ(driver.at("name").as_string(), "bugseek");
  EXPECT_EQ(driver.at("version").as_string(), "0.1.0");
  const json::Value& rules = driver.at("rules");
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].at("id").as_string(), "bugseek/variable-misuse");
  EXPECT_EQ(rules[0].at("shortDescription").at("text").as_string(), "Possible variable misuse");
  EXPECT_EQ(rules[1].at("fullDescription").at("text").as_string(),
            "A comparison operator was swapped.");
  EXPECT_EQ(rules[1].at("defaultConfiguration").at("level").as_string(), "warning");

  const json::Value& r = run.at("results")[0];
  EXPECT_EQ(r.at("ruleId").as_string(), "bugseek/wrong-compare-op");
  EXPECT_EQ(r.at("ruleIndex").as_int(), 1);
  EXPECT_EQ(r.at("level").as_string(), "warning");
  EXPECT_EQ(r.at("message").at("text").as_string(),
            "Possible wrong comparison operator: '<' should be '<=' (p=0.87).");
  const json::Value& loc = r.at("locations")[0].at("physicalLocation");
  EXPECT_EQ(loc.at("artifactLocation").at("uri").as_string(), "src/app.py");
  const json::Value& region = loc.at("region");
  EXPECT_EQ(region.at("startLine").as_int(), 3);
  EXPECT_EQ(region.at("startColumn").as_int(), 10);
  EXPECT_EQ(region.at("endLine").as_int(), 3);
  EXPECT_EQ(region.at("endColumn").as_int(), 11);
  const json::Value& fix = r.at("fixes")[0];
  EXPECT_FALSE(fix.at("description").at("text").as_string().empty());
  const json::Value& change = fix.at("artifactChanges")[0];
  EXPECT_EQ(change.at("artifactLocation").at("uri").as_string(), "src/app.py");
  const json::Value& rep = change.at("replacements")[0];
  EXPECT_EQ(rep.at("deletedRegion"), region);
  EXPECT_EQ(rep.at("insertedContent").at("text").as_string(), "<=");
  EXPECT_EQ(r.at("partialFingerprints").at("bugseekFingerprint/v1").as_string().size(), 16u);
}

TEST(Findings, SarifAddsRulesForUnlistedKindsAndEncodesPaths) {
  Finding f = compare_finding();
  f.kind = "wrong-literal";
  f.kind_title = "wrong literal";
  f.path = "dir with space/caf\xC3\xA9#1.py";
  Finding g = compare_finding();
  g.path = "/abs/x.py";
  json::Value log = findings_to_sarif({f, g}, {}, two_rules());
  const json::Value& run = log.at("runs")[0];
  const json::Value& rules = run.at("tool").at("driver").at("rules");
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[2].at("id").as_string(), "bugseek/wrong-literal");
  const json::Value& r0 = run.at("results")[0];
  EXPECT_EQ(r0.at("ruleIndex").as_int(), 2);
  const json::Value& art0 = r0.at("locations")[0].at("physicalLocation").at("artifactLocation");
  EXPECT_EQ(art0.at("uri").as_string(), "dir%20with%20space/caf%C3%A9%231.py");
  EXPECT_EQ(art0.at("uriBaseId").as_string(), "%SRCROOT%");
  const json::Value& art1 =
      run.at("results")[1].at("locations")[0].at("physicalLocation").at("artifactLocation");
  EXPECT_EQ(art1.at("uri").as_string(), "file:///abs/x.py");
  EXPECT_FALSE(art1.contains("uriBaseId"));
}

TEST(Findings, SarifColumnsAreUtf16Units) {
  EXPECT_EQ(utf16_column("s = '\xC3\xA9' + y", 12), 11);     // é: 2 bytes, 1 unit
  EXPECT_EQ(utf16_column("'\xF0\x9F\x98\x80' + y", 10), 8);  // emoji: 4 bytes, 2 units
  EXPECT_EQ(utf16_column("ab", 5), 5);                       // past the end
  Finding f = compare_finding();
  f.source_line = "\xF0\x9F\x98\x80 if a < b:";
  f.column = 11;  // '<' after the 4-byte emoji is byte 11, UTF-16 unit 9
  f.end_column = 12;
  json::Value log = findings_to_sarif({f}, {}, {});
  const json::Value& region =
      log.at("runs")[0].at("results")[0].at("locations")[0].at("physicalLocation").at("region");
  EXPECT_EQ(region.at("startColumn").as_int(), 9);
  EXPECT_EQ(region.at("endColumn").as_int(), 10);
}

TEST(Findings, SarifFingerprintIgnoresLineNumbers) {
  Finding a = compare_finding(), b = compare_finding();
  b.line = 40;
  b.end_line = 40;
  auto fp = [](const Finding& f) {
    return findings_to_sarif({f}, {}, {})
        .at("runs")[0]
        .at("results")[0]
        .at("partialFingerprints")
        .at("bugseekFingerprint/v1")
        .as_string();
  };
  EXPECT_EQ(fp(a), fp(b));
  b.replacement = ">";
  EXPECT_NE(fp(a), fp(b));
}

}  // namespace
}  // namespace bugseek::eval
