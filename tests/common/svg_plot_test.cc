#include "common/svg_plot.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "common/error.h"

namespace bugseek::svg {
namespace {

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
    ++n;
  return n;
}

// True if every element opened is closed in order (self-closing tags allowed), and nothing but
// whitespace lies outside the root element.
bool balanced(const std::string& svg, std::string* why) {
  std::vector<std::string> stack;
  size_t i = 0;
  while ((i = svg.find('<', i)) != std::string::npos) {
    size_t end = svg.find('>', i);
    if (end == std::string::npos) {
      *why = "unterminated tag";
      return false;
    }
    std::string tag = svg.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.empty()) {
      *why = "empty tag";
      return false;
    }
    if (tag[0] == '/') {
      std::string name = tag.substr(1);
      if (stack.empty() || stack.back() != name) {
        *why = "mismatched </" + name + ">";
        return false;
      }
      stack.pop_back();
      continue;
    }
    if (tag[0] == '?' || tag[0] == '!') continue;
    if (tag.back() == '/') continue;
    stack.push_back(tag.substr(0, tag.find_first_of(" \n")));
  }
  if (!stack.empty()) {
    *why = "unclosed <" + stack.back() + ">";
    return false;
  }
  return true;
}

void expect_well_formed(const std::string& svg) {
  std::string why;
  EXPECT_TRUE(balanced(svg, &why)) << why << "\n" << svg;
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_EQ(count(svg, "<svg"), 1u);
  EXPECT_EQ(svg.find("href"), std::string::npos);  // nothing external
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
}

TEST(SvgPlot, EscapesXml) {
  EXPECT_EQ(escape_xml("a<b & \"c\" > 'd'"), "a&lt;b &amp; &quot;c&quot; &gt; &#39;d&#39;");
  EXPECT_EQ(escape_xml(std::string("x\x01y\tz")), "xy\tz");
}

TEST(SvgPlot, NiceTicks) {
  EXPECT_EQ(nice_ticks(0, 1), (std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1.0}));
  EXPECT_EQ(nice_ticks(0, 97), (std::vector<double>{0, 20, 40, 60, 80, 100}));
  EXPECT_EQ(nice_ticks(3, 3), (std::vector<double>{2.7, 2.8, 2.9, 3.0, 3.1, 3.2, 3.3}));
  std::vector<double> t = nice_ticks(-0.35, 0.12);
  EXPECT_LE(t.front(), -0.35);
  EXPECT_GE(t.back(), 0.12);
  for (double v : nice_ticks(0.1, 0.7)) EXPECT_EQ(v, std::round(v * 10) / 10);
}

TEST(SvgPlot, LineChartHasOneGroupPerSeriesAndEscapesText) {
  LineChart c;
  c.title = "Loss <train & val>";
  c.x_label = "step";
  c.y_label = "loss";
  c.series.push_back({"train \"det\"", {0, 100, 200}, {2.0, 1.0, 0.5}});
  c.series.push_back({"val", {0, 100, 200}, {2.1, std::nan(""), 0.7}});
  c.series.push_back({"sel", {0, 200}, {1.5, 1.4}});
  std::string svg = render(c);
  expect_well_formed(svg);
  EXPECT_EQ(count(svg, "class=\"series\""), 3u);
  EXPECT_EQ(count(svg, "<polyline"), 4u);  // the NaN splits "val" in two
  EXPECT_NE(svg.find("Loss &lt;train &amp; val&gt;"), std::string::npos);
  EXPECT_NE(svg.find("train &quot;det&quot;"), std::string::npos);
  EXPECT_EQ(svg.find("<train"), std::string::npos);
  EXPECT_EQ(count(svg, "class=\"legend\""), 1u);
  EXPECT_EQ(render(c), svg);  // deterministic
}

TEST(SvgPlot, LineChartRejectsMismatchedSeries) {
  LineChart c;
  c.series.push_back({"bad", {1, 2}, {1}});
  EXPECT_THROW(render(c), Error);
}

TEST(SvgPlot, EmptyChartsSayNoData) {
  for (const std::string& svg :
       {render(LineChart{}), render(Histogram{}), render(BarChart{}), render(StackedArea{})}) {
    expect_well_formed(svg);
    EXPECT_NE(svg.find("no data"), std::string::npos);
  }
}

TEST(SvgPlot, HistogramDrawsOneBarPerBin) {
  Histogram h;
  h.title = "layer.0.weight";
  h.edges = {-1, -0.5, 0, 0.5, 1};
  h.counts = {3, 10, 12, 2};
  std::string svg = render(h);
  expect_well_formed(svg);
  size_t bars_at = svg.find("class=\"bars\"");
  ASSERT_NE(bars_at, std::string::npos);
  EXPECT_EQ(count(svg.substr(bars_at), "<rect"), 4u);
  h.counts.pop_back();
  EXPECT_THROW(render(h), Error);
}

TEST(SvgPlot, BarChartGroupsSeriesOverCategories) {
  BarChart b;
  b.title = "Per kind";
  b.categories = {"variable-misuse", "wrong-binary-op", "argument-swap"};
  b.series_names = {"localization", "joint"};
  b.values = {{0.8, 0.5, 0.3}, {0.6, 0.4, 0.2}};
  b.y_max = 1;
  std::string svg = render(b);
  expect_well_formed(svg);
  EXPECT_EQ(count(svg, "class=\"series\""), 2u);
  EXPECT_EQ(count(svg, "\"><title>"), 6u);  // one tooltip per bar
  EXPECT_NE(svg.find(">variable-misuse</tspan>"), std::string::npos);  // fits on one line
  b.size = {420, 200};
  std::string narrow = render(b);
  expect_well_formed(narrow);
  EXPECT_NE(narrow.find(">variable-</tspan><tspan x="), std::string::npos);  // wrapped at '-'
  b.values[1].pop_back();
  EXPECT_THROW(render(b), Error);
}

TEST(SvgPlot, StackedAreaNormalizesColumns) {
  StackedArea s;
  s.title = "Mix";
  s.x = {0, 1000, 2000};
  s.layer_names = {"a", "b", "c"};
  s.layers = {{1, 2, 0}, {1, 0, 0}, {2, 2, 5}};
  std::string svg = render(s);
  expect_well_formed(svg);
  EXPECT_EQ(count(svg, "<polygon"), 3u);
  EXPECT_EQ(count(svg, "class=\"series\""), 3u);
  s.layers[2].push_back(1);
  EXPECT_THROW(render(s), Error);
}

}  // namespace
}  // namespace bugseek::svg
