#include "common/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "common/error.h"
#include "common/log.h"

namespace bugseek::svg {
namespace {

constexpr double kLeft = 62, kTop = 34, kBottom = 46, kRightPad = 16;
constexpr double kCharWidth = 6.2;  // rough width of an 11px sans-serif character

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f", v);
  std::string s = buf;
  // Trim "12.50" -> "12.5", "3.00" -> "3" so equal charts stay small and stable.
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

std::string tick_label(double v, double step) {
  if (v == 0) return "0";
  double a = std::fabs(v);
  char buf[32];
  if (a >= 1e6) {
    std::snprintf(buf, sizeof(buf), "%gM", v / 1e6);
  } else if (a >= 1e4) {
    std::snprintf(buf, sizeof(buf), "%gk", v / 1e3);
  } else {
    int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
    if (a < 1e-3 && decimals > 4) {
      std::snprintf(buf, sizeof(buf), "%.1e", v);
    } else {
      std::snprintf(buf, sizeof(buf), "%.*f", std::min(decimals, 6), v);
    }
  }
  return buf;
}

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return lo > hi; }
};

// An axis: the data interval mapped onto the plot and the ticks drawn on it.
struct Axis {
  double lo = 0, hi = 1;
  std::vector<double> ticks;
};

Axis make_axis(Range data, std::optional<double> fixed_lo, std::optional<double> fixed_hi) {
  if (data.empty()) data = Range{0, 1};
  double lo = fixed_lo.value_or(data.lo), hi = fixed_hi.value_or(data.hi);
  Axis axis;
  axis.ticks = nice_ticks(lo, hi);
  axis.lo = fixed_lo ? *fixed_lo : axis.ticks.front();
  axis.hi = fixed_hi ? *fixed_hi : axis.ticks.back();
  if (axis.hi <= axis.lo) axis.hi = axis.lo + 1;
  std::vector<double> kept;
  for (double t : axis.ticks) {
    double eps = (axis.hi - axis.lo) * 1e-9;
    if (t >= axis.lo - eps && t <= axis.hi + eps) kept.push_back(t);
  }
  axis.ticks = kept;
  return axis;
}

double tick_step(const Axis& axis) {
  return axis.ticks.size() >= 2 ? axis.ticks[1] - axis.ticks[0] : 1.0;
}

// The plot rectangle inside the canvas, and the mapping from data to pixels.
struct Frame {
  double x0, y0, w, h;
  Axis xa, ya;
  double px(double x) const { return x0 + (x - xa.lo) / (xa.hi - xa.lo) * w; }
  double py(double y) const {
    double t = (y - ya.lo) / (ya.hi - ya.lo);
    return y0 + h - std::clamp(t, -0.02, 1.02) * h;
  }
};

double legend_width(const std::vector<std::string>& names) {
  size_t longest = 0;
  for (const auto& n : names) longest = std::max(longest, n.size());
  if (names.empty()) return 0;
  return std::min(28.0 + kCharWidth * static_cast<double>(longest), 200.0);
}

Frame make_frame(const Size& size, double legend_w, Axis xa, Axis ya) {
  double right = kRightPad + (legend_w > 0 ? legend_w + 8 : 0);
  Frame f{kLeft,
          kTop,
          std::max(10.0, size.width - kLeft - right),
          std::max(10.0, size.height - kTop - kBottom),
          std::move(xa),
          std::move(ya)};
  return f;
}

void open_svg(std::string& out, const Size& size, std::string_view title) {
  out += str_cat("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"", size.width, "\" height=\"",
                 size.height, "\" viewBox=\"0 0 ", size.width, " ", size.height,
                 "\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">\n");
  out += str_cat("<title>", escape_xml(title), "</title>\n");
  out += str_cat("<rect x=\"0\" y=\"0\" width=\"", size.width, "\" height=\"", size.height,
                 "\" fill=\"#ffffff\"/>\n");
  out += str_cat("<text x=\"", num(size.width / 2.0),
                 "\" y=\"20\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">",
                 escape_xml(title), "</text>\n");
}

void close_svg(std::string& out) { out += "</svg>\n"; }

void no_data_note(std::string& out, const Frame& f) {
  out += str_cat("<text x=\"", num(f.x0 + f.w / 2), "\" y=\"", num(f.y0 + f.h / 2),
                 "\" text-anchor=\"middle\" fill=\"#888888\">no data</text>\n");
}

// Grid lines, tick labels, axis labels. `x_ticks` false: the caller labels x itself.
void draw_axes(std::string& out, const Frame& f, std::string_view x_label, std::string_view y_label,
               bool x_ticks) {
  out += "<g class=\"axes\" stroke=\"#dddddd\" stroke-width=\"1\">\n";
  for (double t : f.ya.ticks)
    out += str_cat("<line x1=\"", num(f.x0), "\" y1=\"", num(f.py(t)), "\" x2=\"", num(f.x0 + f.w),
                   "\" y2=\"", num(f.py(t)), "\"/>\n");
  if (x_ticks) {
    for (double t : f.xa.ticks)
      out += str_cat("<line x1=\"", num(f.px(t)), "\" y1=\"", num(f.y0), "\" x2=\"", num(f.px(t)),
                     "\" y2=\"", num(f.y0 + f.h), "\"/>\n");
  }
  out += "</g>\n";
  out += str_cat("<rect x=\"", num(f.x0), "\" y=\"", num(f.y0), "\" width=\"", num(f.w),
                 "\" height=\"", num(f.h), "\" fill=\"none\" stroke=\"#333333\"/>\n");
  out += "<g class=\"ticks\" fill=\"#333333\">\n";
  double ystep = tick_step(f.ya);
  for (double t : f.ya.ticks)
    out += str_cat("<text x=\"", num(f.x0 - 5), "\" y=\"", num(f.py(t) + 4),
                   "\" text-anchor=\"end\">", escape_xml(tick_label(t, ystep)), "</text>\n");
  if (x_ticks) {
    double xstep = tick_step(f.xa);
    for (double t : f.xa.ticks)
      out += str_cat("<text x=\"", num(f.px(t)), "\" y=\"", num(f.y0 + f.h + 15),
                     "\" text-anchor=\"middle\">", escape_xml(tick_label(t, xstep)), "</text>\n");
  }
  out += "</g>\n";
  if (!x_label.empty())
    out += str_cat("<text x=\"", num(f.x0 + f.w / 2), "\" y=\"", num(f.y0 + f.h + 34),
                   "\" text-anchor=\"middle\">", escape_xml(x_label), "</text>\n");
  if (!y_label.empty()) {
    double cx = 14, cy = f.y0 + f.h / 2;
    out += str_cat("<text x=\"", num(cx), "\" y=\"", num(cy), "\" text-anchor=\"middle\" ",
                   "transform=\"rotate(-90 ", num(cx), " ", num(cy), ")\">", escape_xml(y_label),
                   "</text>\n");
  }
}

void draw_legend(std::string& out, const Frame& f, const std::vector<std::string>& names) {
  if (names.empty()) return;
  double x = f.x0 + f.w + 10;
  out += "<g class=\"legend\">\n";
  for (size_t i = 0; i < names.size(); ++i) {
    double y = f.y0 + 6 + 16 * static_cast<double>(i);
    out += str_cat("<rect x=\"", num(x), "\" y=\"", num(y - 8), "\" width=\"12\" height=\"10\" ",
                   "fill=\"", palette_color(i), "\"/>\n");
    out += str_cat("<text x=\"", num(x + 16), "\" y=\"", num(y + 1), "\">", escape_xml(names[i]),
                   "</text>\n");
  }
  out += "</g>\n";
}

// A category label as one line, or two split at the '-' or ' ' nearest the middle, each cut
// to `max_chars` with a trailing '~' (the full text stays in a tooltip).
std::vector<std::string> label_lines(const std::string& text, size_t max_chars) {
  auto cut = [&](std::string line) {
    if (line.size() > max_chars) line = line.substr(0, max_chars - 1) + "~";
    return line;
  };
  if (text.size() <= max_chars) return {text};
  size_t best = std::string::npos;
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] != '-' && text[i] != ' ') continue;
    auto distance = [&](size_t k) {
      return k > text.size() / 2 ? k - text.size() / 2 : text.size() / 2 - k;
    };
    if (best == std::string::npos || distance(i) < distance(best)) best = i;
  }
  if (best == std::string::npos) return {cut(text)};
  size_t first_end = text[best] == '-' ? best + 1 : best;  // keep the hyphen, drop the space
  return {cut(text.substr(0, first_end)), cut(text.substr(best + 1))};
}

void check(bool ok, std::string_view chart, const std::string& what) {
  if (!ok) throw_error(str_cat("svg::render(", chart, ")"), "", what);
}

}  // namespace

std::string_view palette_color(size_t index) {
  // Colorblind-friendly (Okabe-Ito order, then a few extra distinct tones).
  static constexpr std::string_view kColors[] = {"#0072b2", "#e69f00", "#009e73", "#d55e00",
                                                 "#cc79a7", "#56b4e9", "#f0e442", "#000000",
                                                 "#999999", "#8c564b"};
  return kColors[index % (sizeof(kColors) / sizeof(kColors[0]))];
}

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') break;
        out += c;
    }
  }
  return out;
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {0, 1};
  if (hi < lo) std::swap(lo, hi);
  if (hi == lo) {
    double delta = lo == 0 ? 1 : std::fabs(lo) * 0.1;
    lo -= delta;
    hi += delta;
  }
  target = std::max(target, 2);
  double raw = (hi - lo) / target;
  int exponent = static_cast<int>(std::floor(std::log10(raw)));
  double mag = std::pow(10.0, exponent);
  double frac = raw / mag;
  int mantissa = frac < 1.5 ? 1 : frac < 3 ? 2 : frac < 7 ? 5 : 10;
  // A tick is index * mantissa * 10^exponent. With a negative exponent, dividing the exact
  // integer by the exact power of ten gives the double nearest the decimal (0.6, not
  // 0.6000000000000001), so labels and comparisons stay clean.
  double scale = std::pow(10.0, std::abs(exponent));
  auto tick_at = [&](long long index) {
    double units = static_cast<double>(index * mantissa);
    return exponent < 0 ? units / scale : units * scale;
  };
  double step = tick_at(1);
  // Ticks too fine to count in integers (a tiny range far from zero): just the two ends.
  if (std::fabs(lo / step) > 1e15 || std::fabs(hi / step) > 1e15) return {lo, hi};
  long long first = static_cast<long long>(std::floor(lo / step + 1e-9));
  long long last = static_cast<long long>(std::ceil(hi / step - 1e-9));
  if (last - first > 1000) last = first + 1000;
  std::vector<double> ticks;
  for (long long k = first; k <= last; ++k) ticks.push_back(k == 0 ? 0.0 : tick_at(k));
  return ticks;
}

std::string render(const LineChart& chart) {
  Range xr, yr;
  std::vector<std::string> names;
  for (const Series& s : chart.series) {
    check(s.x.size() == s.y.size(), "LineChart",
          str_cat("series '", s.name, "' has ", s.x.size(), " x and ", s.y.size(), " y values"));
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      xr.add(s.x[i]);
      yr.add(s.y[i]);
    }
    names.push_back(s.name);
  }
  bool empty = xr.empty();
  Frame f = make_frame(chart.size, legend_width(names), make_axis(xr, chart.x_min, chart.x_max),
                       make_axis(yr, chart.y_min, chart.y_max));
  std::string out;
  open_svg(out, chart.size, chart.title);
  draw_axes(out, f, chart.x_label, chart.y_label, true);
  if (empty) no_data_note(out, f);
  for (size_t k = 0; k < chart.series.size(); ++k) {
    const Series& s = chart.series[k];
    std::string_view color = palette_color(k);
    out += str_cat("<g class=\"series\" data-name=\"", escape_xml(s.name), "\" stroke=\"", color,
                   "\" fill=\"none\" stroke-width=\"1.6\">\n");
    std::string points;
    auto flush = [&] {
      if (!points.empty()) out += str_cat("<polyline points=\"", points, "\"/>\n");
      points.clear();
    };
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) {
        flush();
        continue;
      }
      if (!points.empty()) points += ' ';
      points += str_cat(num(f.px(s.x[i])), ",", num(f.py(s.y[i])));
    }
    flush();
    if (chart.markers) {
      for (size_t i = 0; i < s.x.size(); ++i) {
        if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
        out += str_cat("<circle cx=\"", num(f.px(s.x[i])), "\" cy=\"", num(f.py(s.y[i])),
                       "\" r=\"2.5\" fill=\"", color, "\" stroke=\"none\"/>\n");
      }
    }
    out += "</g>\n";
  }
  if (chart.series.size() > 1 || (chart.series.size() == 1 && !chart.series[0].name.empty()))
    draw_legend(out, f, names);
  close_svg(out);
  return out;
}

std::string render(const Histogram& chart) {
  check(chart.edges.size() == chart.counts.size() + 1 ||
            (chart.edges.empty() && chart.counts.empty()),
        "Histogram", str_cat(chart.edges.size(), " edges for ", chart.counts.size(), " counts"));
  for (size_t i = 0; i + 1 < chart.edges.size(); ++i)
    check(chart.edges[i] <= chart.edges[i + 1], "Histogram", "edges must not decrease");
  Range xr, yr;
  for (double e : chart.edges) xr.add(e);
  yr.add(0);
  for (double c : chart.counts) yr.add(c);
  if (chart.counts.empty()) yr.add(1);
  Frame f = make_frame(chart.size, 0, make_axis(xr, std::nullopt, std::nullopt),
                       make_axis(yr, 0.0, std::nullopt));
  if (!xr.empty()) {  // bins fill the plot exactly; ticks stay inside it
    f.xa = make_axis(xr, xr.lo, xr.hi > xr.lo ? xr.hi : xr.lo + 1);
  }
  std::string out;
  open_svg(out, chart.size, chart.title);
  draw_axes(out, f, chart.x_label, chart.y_label, true);
  if (chart.counts.empty()) no_data_note(out, f);
  out += str_cat("<g class=\"bars\" fill=\"", palette_color(0), "\">\n");
  for (size_t i = 0; i < chart.counts.size(); ++i) {
    double x1 = f.px(chart.edges[i]), x2 = f.px(chart.edges[i + 1]);
    double y = f.py(std::isfinite(chart.counts[i]) ? chart.counts[i] : 0), base = f.py(0);
    out += str_cat("<rect x=\"", num(x1), "\" y=\"", num(y), "\" width=\"",
                   num(std::max(0.0, x2 - x1 - 0.5)), "\" height=\"", num(std::max(0.0, base - y)),
                   "\"/>\n");
  }
  out += "</g>\n";
  close_svg(out);
  return out;
}

std::string render(const BarChart& chart) {
  check(chart.values.size() == chart.series_names.size(), "BarChart",
        str_cat(chart.values.size(), " value rows for ", chart.series_names.size(), " series"));
  Range yr;
  yr.add(0);
  for (size_t s = 0; s < chart.values.size(); ++s) {
    check(chart.values[s].size() == chart.categories.size(), "BarChart",
          str_cat("series '", chart.series_names[s], "' has ", chart.values[s].size(),
                  " values for ", chart.categories.size(), " categories"));
    for (double v : chart.values[s]) yr.add(v);
  }
  if (yr.hi <= 0) yr.add(1);
  std::vector<std::string> legend =
      chart.series_names.size() > 1 ? chart.series_names : std::vector<std::string>{};
  Frame f =
      make_frame(chart.size, legend_width(legend), Axis{0, 1, {}}, make_axis(yr, 0.0, chart.y_max));
  std::string out;
  open_svg(out, chart.size, chart.title);
  draw_axes(out, f, "", chart.y_label, false);
  size_t n_cat = chart.categories.size(), n_series = chart.values.size();
  if (n_cat == 0 || n_series == 0) no_data_note(out, f);
  double slot = n_cat ? f.w / static_cast<double>(n_cat) : f.w;
  double bar = n_series ? slot * 0.8 / static_cast<double>(n_series) : 0;
  for (size_t s = 0; s < n_series; ++s) {
    out += str_cat("<g class=\"series\" data-name=\"", escape_xml(chart.series_names[s]),
                   "\" fill=\"", palette_color(s), "\">\n");
    for (size_t c = 0; c < n_cat; ++c) {
      double v = std::isfinite(chart.values[s][c]) ? chart.values[s][c] : 0;
      double x = f.x0 + slot * static_cast<double>(c) + slot * 0.1 + bar * static_cast<double>(s);
      double y = f.py(v), base = f.py(0);
      out += str_cat("<rect x=\"", num(x), "\" y=\"", num(y), "\" width=\"", num(bar),
                     "\" height=\"", num(std::max(0.0, base - y)), "\"><title>",
                     escape_xml(chart.categories[c]), ": ", num(v), "</title></rect>\n");
    }
    out += "</g>\n";
  }
  out += "<g class=\"categories\" fill=\"#333333\">\n";
  size_t max_chars = static_cast<size_t>(std::max(3.0, slot / kCharWidth - 1));
  for (size_t c = 0; c < n_cat; ++c) {
    double x = f.x0 + slot * (static_cast<double>(c) + 0.5);
    out += str_cat("<text x=\"", num(x), "\" y=\"", num(f.y0 + f.h + 15),
                   "\" text-anchor=\"middle\">");
    std::vector<std::string> lines = label_lines(chart.categories[c], max_chars);
    for (size_t i = 0; i < lines.size(); ++i)
      out += str_cat("<tspan x=\"", num(x), "\" dy=\"", i ? "12" : "0", "\">", escape_xml(lines[i]),
                     "</tspan>");
    out += str_cat("<title>", escape_xml(chart.categories[c]), "</title></text>\n");
  }
  out += "</g>\n";
  draw_legend(out, f, legend);
  close_svg(out);
  return out;
}

std::string render(const StackedArea& chart) {
  check(chart.layers.size() == chart.layer_names.size(), "StackedArea",
        str_cat(chart.layers.size(), " layers for ", chart.layer_names.size(), " names"));
  size_t n = chart.x.size();
  for (size_t k = 0; k < chart.layers.size(); ++k)
    check(chart.layers[k].size() == n, "StackedArea",
          str_cat("layer '", chart.layer_names[k], "' has ", chart.layers[k].size(), " values for ",
                  n, " x positions"));
  // cumulative[k][i]: top of layer k at column i.
  std::vector<std::vector<double>> cumulative(chart.layers.size(), std::vector<double>(n, 0));
  Range xr, yr;
  yr.add(0);
  for (size_t i = 0; i < n; ++i) {
    xr.add(chart.x[i]);
    double total = 0;
    for (const auto& layer : chart.layers)
      total += std::isfinite(layer[i]) ? std::max(0.0, layer[i]) : 0;
    double scale = chart.normalize && total > 0 ? 1 / total : 1;
    double acc = 0;
    for (size_t k = 0; k < chart.layers.size(); ++k) {
      double v = chart.layers[k][i];
      acc += (std::isfinite(v) ? std::max(0.0, v) : 0) * scale;
      cumulative[k][i] = acc;
    }
    yr.add(acc);
  }
  std::optional<double> y_max;
  if (chart.normalize) y_max = 1.0;
  Frame f = make_frame(chart.size, legend_width(chart.layer_names),
                       make_axis(xr, std::nullopt, std::nullopt), make_axis(yr, 0.0, y_max));
  if (!xr.empty() && xr.hi > xr.lo) f.xa = make_axis(xr, xr.lo, xr.hi);
  std::string out;
  open_svg(out, chart.size, chart.title);
  draw_axes(out, f, chart.x_label, chart.y_label, true);
  if (n == 0) no_data_note(out, f);
  for (size_t k = 0; k < chart.layers.size() && n > 0; ++k) {
    std::string points;
    for (size_t i = 0; i < n; ++i)
      points += str_cat(i ? " " : "", num(f.px(chart.x[i])), ",", num(f.py(cumulative[k][i])));
    for (size_t i = n; i-- > 0;) {
      double below = k ? cumulative[k - 1][i] : 0;
      points += str_cat(" ", num(f.px(chart.x[i])), ",", num(f.py(below)));
    }
    out += str_cat("<g class=\"series\" data-name=\"", escape_xml(chart.layer_names[k]), "\">",
                   "<polygon points=\"", points, "\" fill=\"", palette_color(k),
                   "\" fill-opacity=\"0.85\" stroke=\"#ffffff\" stroke-width=\"0.5\"/></g>\n");
  }
  draw_legend(out, f, chart.layer_names);
  close_svg(out);
  return out;
}

}  // namespace bugseek::svg
