// Self-contained SVG charts for eval's precision-recall plot and train's report.html: line charts,
// bar charts (histograms and grouped categories) and stacked areas. Output uses only generic font
// families and inline attributes, so it renders offline and embeds directly in HTML. Every label
// is XML-escaped; the same input always gives the same bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bugseek::svg {

struct Size {
  int width = 640;
  int height = 360;
};

// One line: points (x[i], y[i]); non-finite points break the line into pieces.
struct Series {
  std::string name;
  std::vector<double> x;
  std::vector<double> y;
};

struct LineChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<Series> series;
  std::optional<double> x_min, x_max, y_min, y_max;  // unset: fitted to the data
  bool markers = false;                              // draw a dot at each point (for short series)
  Size size;
};

// Bars over numeric bins: counts[i] covers [edges[i], edges[i+1]); edges.size() == counts.size()+1.
struct Histogram {
  std::string title;
  std::string x_label;
  std::string y_label = "count";
  std::vector<double> edges;
  std::vector<double> counts;
  Size size = {320, 200};
};

// Grouped bars over named categories: values[s][c] is series s at category c.
struct BarChart {
  std::string title;
  std::string y_label;
  std::vector<std::string> categories;
  std::vector<std::string> series_names;
  std::vector<std::vector<double>> values;
  std::optional<double> y_max;  // unset: fitted to the data
  Size size;
};

// Layers stacked over a shared x axis: layers[k][i] is layer k's value at x[i]. With
// `normalize`, each column is scaled to sum to 1 (shares rather than amounts).
struct StackedArea {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<double> x;
  std::vector<std::string> layer_names;
  std::vector<std::vector<double>> layers;
  bool normalize = true;
  Size size;
};

// Each render function returns one <svg> element (no XML prologue, so it can be inlined in HTML
// or written alone as an .svg file). They throw Error when shapes disagree (x vs y sizes, edges vs
// counts, ...). Empty data gives a chart with a "no data" note.
std::string render(const LineChart& chart);
std::string render(const Histogram& chart);
std::string render(const BarChart& chart);
std::string render(const StackedArea& chart);

// `text` with &, <, >, " and ' replaced by entities; control characters other than tab and
// newline are dropped (XML 1.0 cannot hold them).
std::string escape_xml(std::string_view text);

// "Nice" tick positions (steps of 1, 2 or 5 times a power of ten) covering [lo, hi], about
// `target` of them. lo == hi gives a small range around the value.
std::vector<double> nice_ticks(double lo, double hi, int target = 5);

// The fixed palette: color i (cycled) as "#rrggbb".
std::string_view palette_color(size_t index);

}  // namespace bugseek::svg
