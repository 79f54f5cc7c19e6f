// Output formats: labels are unique, edge kind names round-trip, and sexp / JSON / dot output
// is well formed for ordinary and deep graphs.
#include "parser/graph_format.h"

#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <sstream>
#include <string>

#include "parser/language.h"
#include "parser/source_file.h"
#include "parser/units.h"

namespace bugseek::parser {
namespace {

CodeGraph graph_of(const std::string& text, size_t unit = 0, ParseOptions options = {}) {
  const ParsedFile file = parse_source(text, *find_language("python"), "t.py", options);
  EXPECT_TRUE(file.ok()) << file.problem;
  return build_graph(file, extract_units(file).at(unit));
}

// A small recursive JSON checker (our JSON nests only a few levels): values, nothing left over.
class JsonChecker {
 public:
  explicit JsonChecker(const std::string& s) : s_(s) {}
  bool valid() {
    if (!value()) return false;
    ws();
    return i_ == s_.size();
  }

 private:
  void ws() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool eat(char c) {
    ws();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool string() {
    if (!eat('"')) return false;
    for (; i_ < s_.size() && s_[i_] != '"'; ++i_) {
      if (static_cast<unsigned char>(s_[i_]) < 0x20) return false;
      if (s_[i_] == '\\') ++i_;
    }
    return i_++ < s_.size();
  }
  bool value() {
    ws();
    if (i_ >= s_.size()) return false;
    const char c = s_[i_];
    if (c == '"') return string();
    if (c == '{' || c == '[') {
      ++i_;
      const char close = c == '{' ? '}' : ']';
      if (eat(close)) return true;
      do {
        if (c == '{' && !(string() && eat(':'))) return false;
        if (!value()) return false;
      } while (eat(','));
      return eat(close);
    }
    for (const char* word : {"true", "false", "null"}) {
      if (s_.compare(i_, std::strlen(word), word) == 0) {
        i_ += std::strlen(word);
        return true;
      }
    }
    const size_t start = i_;
    if (s_[i_] == '-') ++i_;
    while (i_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i_])) || s_[i_] == '.' ||
                              s_[i_] == 'e' || s_[i_] == 'E' || s_[i_] == '+' || s_[i_] == '-')) {
      ++i_;
    }
    return i_ > start && std::isdigit(static_cast<unsigned char>(s_[i_ - 1]));
  }

  const std::string& s_;
  size_t i_ = 0;
};

bool valid_json(const std::string& s) { return JsonChecker(s).valid(); }

TEST(GraphFormat, EdgeKindNamesRoundTrip) {
  for (int k = 0; k < kNumEdgeKinds; ++k) {
    const auto kind = static_cast<EdgeKind>(k);
    EXPECT_EQ(edge_kind_from_name(edge_kind_name(kind)), kind);
  }
  EXPECT_EQ(edge_kind_from_name("nexttoken"), EdgeKind::kNextToken);
  EXPECT_FALSE(edge_kind_from_name("Parent"));
}

TEST(GraphFormat, LabelsAreUniqueAndReadable) {
  const CodeGraph g = graph_of("a.b.c(d)(e)\nx = 'one\\ttwo' + \"\"\"multi\nline\"\"\"\n");
  const NodeLabels labels(g);
  std::set<std::string> seen;
  for (uint32_t i = 0; i < g.nodes.size(); ++i) {
    EXPECT_TRUE(seen.insert(labels[i]).second) << labels[i];
    EXPECT_EQ(labels[i].find('\n'), std::string::npos);
  }
  EXPECT_TRUE(seen.count("attribute@1:0-1:3"));
  EXPECT_TRUE(seen.count("attribute@1:0-1:5"));
  EXPECT_TRUE(seen.count("x@2:0"));
  EXPECT_TRUE(seen.count("\"\"\"multi\\nline\"\"\"@2:17"));
}

TEST(GraphFormat, JsonIsWellFormed) {
  const CodeGraph g = graph_of("def f(x):\n    s = \"q\\\"\\\\\\n\\t\"  # c\n    return x\n");
  std::ostringstream out;
  write_json(out, g);
  EXPECT_TRUE(valid_json(out.str())) << out.str();
  EXPECT_NE(out.str().find("\"kind\":\"Child\""), std::string::npos);
  EXPECT_NE(out.str().find("\"field\":\"name\""), std::string::npos);
  EXPECT_FALSE(valid_json("{\"a\":1,}"));
  EXPECT_FALSE(valid_json("[1 2]"));
}

TEST(GraphFormat, FileJsonHasEveryUnit) {
  const ParsedFile file =
      parse_source("def f():\n    pass\nx = 1\n", *find_language("python"), "f.py");
  const auto units = extract_units(file);
  std::vector<CodeGraph> graphs;
  for (const auto& unit : units) graphs.push_back(build_graph(file, unit));
  std::ostringstream json, sexp, dot;
  write_units(json, file, units, graphs, GraphFormat::kJson);
  write_units(sexp, file, units, graphs, GraphFormat::kSexp);
  write_units(dot, file, units, graphs, GraphFormat::kDot);
  EXPECT_TRUE(valid_json(json.str())) << json.str();
  EXPECT_NE(json.str().find("\"qualified_name\":\"<module>\""), std::string::npos);
  EXPECT_NE(sexp.str().find(";; function  f  lines 1-2"), std::string::npos) << sexp.str();
  EXPECT_NE(dot.str().find("subgraph cluster_1"), std::string::npos);
}

TEST(GraphFormat, SexpShowsFieldsAndTokens) {
  const CodeGraph g = graph_of("x = 1  # c\n");
  std::ostringstream out;
  write_sexp(out, g, edge_kind_bit(EdgeKind::kChild) | edge_kind_bit(EdgeKind::kNextToken));
  EXPECT_EQ(out.str(),
            "(module\n"
            "  (expression_statement\n"
            "    (assignment\n"
            "      left: (identifier \"x\")\n"
            "      \"=\"\n"
            "      right: (integer \"1\"))))\n");
}

TEST(GraphFormat, DeepGraphsPrint) {
  ParseOptions options;
  options.max_depth = 0;
  const CodeGraph g =
      graph_of("x = " + std::string(3000, '(') + "1" + std::string(3000, ')'), 0, options);
  std::ostringstream sexp, json, dot;
  write_sexp(sexp, g);
  write_json(json, g);
  write_dot(dot, g);
  EXPECT_GT(sexp.str().size(), 6000u);
  EXPECT_TRUE(valid_json(json.str()));
  EXPECT_EQ(dot.str().rfind("digraph", 0), 0u);
}

}  // namespace
}  // namespace bugseek::parser
