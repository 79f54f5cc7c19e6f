#include "eval/report.h"

#include <cstdio>

#include "common/fs.h"
#include "common/log.h"
#include "common/svg_plot.h"

namespace bugseek::eval {
namespace {

std::string pct(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f%%", 100.0 * v);
  return buf;
}

std::string fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
  return buf;
}

// A markdown table cell: no pipes or newlines may break the row.
std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

json::Value ratio_json(const Ratio& r) {
  json::Value v = json::Value::object();
  v.set("correct", r.correct);
  v.set("total", r.total);
  v.set("value", r.total ? json::Value(r.value()) : json::Value());
  return v;
}

json::Value kind_json(const KindMetrics& k) {
  json::Value v = json::Value::object();
  v.set("no_bug_accuracy", ratio_json(k.no_bug));
  v.set("localization_accuracy", ratio_json(k.localization));
  v.set("repair_accuracy", ratio_json(k.repair));
  v.set("joint_accuracy", ratio_json(k.joint));
  return v;
}

json::Value point_json(const PrPoint& p) {
  json::Value v = json::Value::object();
  v.set("threshold", p.threshold);
  v.set("precision", p.precision);
  v.set("recall", p.recall);
  v.set("true_positives", p.true_positives);
  v.set("false_positives", p.false_positives);
  return v;
}

// Indices of at most `max_points` points spread evenly over `n`, always with the first and last.
std::vector<size_t> thin(size_t n, size_t max_points) {
  std::vector<size_t> keep;
  if (max_points == 0 || n <= max_points) {
    for (size_t i = 0; i < n; ++i) keep.push_back(i);
    return keep;
  }
  if (max_points == 1) return {n - 1};
  for (size_t k = 0; k < max_points; ++k) {
    size_t i = (k * (n - 1)) / (max_points - 1);
    if (keep.empty() || keep.back() != i) keep.push_back(i);
  }
  return keep;
}

void kind_row(std::string& out, std::string_view name, const KindMetrics& k) {
  out += str_cat("| ", cell(name), " | ", k.localization.total, " | ", percent(k.localization),
                 " | ", percent(k.repair), " | ", percent(k.joint), " | ", k.no_bug.total, " | ",
                 percent(k.no_bug), " |\n");
}

}  // namespace

std::string percent(const Ratio& ratio) { return ratio.total ? pct(ratio.value()) : "n/a"; }

std::string render_markdown(const EvalReport& report, const MarkdownOptions& options) {
  const Metrics& m = report.metrics;
  std::string out =
      str_cat("## bugseek eval: ", report.suite.empty() ? "?" : report.suite, " suite\n\n");
  out += str_cat("- model: `", report.model, "`\n");
  if (!report.data.empty()) out += str_cat("- data: `", report.data, "`\n");
  out += str_cat("- seed: ", report.seed, "\n");
  out += str_cat("- inputs: ", report.inputs, ", skipped: ", report.skipped.size(), "\n");
  out += str_cat("- samples: ", m.num_buggy, " buggy, ", m.num_clean, " clean\n\n");
  out += "| bug kind | buggy | localization | repair | joint | clean | no-bug |\n";
  out += "|---|---:|---:|---:|---:|---:|---:|\n";
  for (size_t i = 0; i < m.kind_names.size(); ++i) kind_row(out, m.kind_names[i], m.per_kind[i]);
  kind_row(out, "**all**", m.overall);
  out +=
      str_cat("\nAt threshold ", fixed(m.threshold, 2), ": precision ",
              pct(m.at_threshold.precision), ", recall ", pct(m.at_threshold.recall),
              " (bug found and fixed); false alarms on clean functions ", percent(m.false_alarms),
              " (", m.false_alarms.correct, "/", m.false_alarms.total,
              "). Area under the precision-recall curve: ", fixed(m.average_precision, 3), ".\n");
  if (!report.skipped.empty()) {
    out += str_cat("\n### Skipped inputs (", report.skipped.size(), ")\n\n");
    size_t listed = std::min(report.skipped.size(), options.max_skipped_listed);
    for (size_t i = 0; i < listed; ++i)
      out +=
          str_cat("- `", cell(report.skipped[i].id), "`: ", cell(report.skipped[i].reason), "\n");
    if (listed < report.skipped.size())
      out += str_cat("- ... and ", report.skipped.size() - listed, " more\n");
  }
  return out;
}

std::string render_comparison_markdown(const std::vector<std::pair<std::string, Metrics>>& runs) {
  std::string out =
      "| run | buggy | clean | localization | repair | joint | no-bug | false alarms | AP |\n"
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& [name, m] : runs) {
    out += str_cat("| ", cell(name), " | ", m.num_buggy, " | ", m.num_clean, " | ",
                   percent(m.overall.localization), " | ", percent(m.overall.repair), " | ",
                   percent(m.overall.joint), " | ", percent(m.overall.no_bug), " | ",
                   percent(m.false_alarms), " | ", fixed(m.average_precision, 3), " |\n");
  }
  if (runs.empty()) return out;
  out += "\nJoint accuracy per bug kind:\n\n| bug kind |";
  std::string rule = "|---|";
  for (const auto& run : runs) {
    out += str_cat(" ", cell(run.first), " |");
    rule += "---:|";
  }
  out += "\n" + rule + "\n";
  const std::vector<std::string>& kinds = runs.front().second.kind_names;
  for (size_t i = 0; i < kinds.size(); ++i) {
    out += str_cat("| ", cell(kinds[i]), " |");
    for (const auto& run : runs) {
      const Metrics& m = run.second;
      out += str_cat(" ", i < m.per_kind.size() ? percent(m.per_kind[i].joint) : "n/a", " |");
    }
    out += "\n";
  }
  return out;
}

json::Value metrics_to_json(const Metrics& m, size_t max_pr_points) {
  json::Value v = json::Value::object();
  v.set("buggy_samples", m.num_buggy);
  v.set("clean_samples", m.num_clean);
  v.set("overall", kind_json(m.overall));
  json::Value kinds = json::Value::object();
  for (size_t i = 0; i < m.kind_names.size(); ++i)
    kinds.set(m.kind_names[i], kind_json(m.per_kind[i]));
  v.set("per_kind", std::move(kinds));
  v.set("threshold", m.threshold);
  v.set("false_alarm_rate", ratio_json(m.false_alarms));
  v.set("at_threshold", point_json(m.at_threshold));
  v.set("average_precision", m.average_precision);
  json::Value curve = json::Value::array();
  for (size_t i : thin(m.pr_curve.size(), max_pr_points))
    curve.push_back(point_json(m.pr_curve[i]));
  v.set("pr_curve", std::move(curve));
  return v;
}

json::Value report_to_json(const EvalReport& report, size_t max_pr_points) {
  json::Value v = json::Value::object();
  v.set("suite", report.suite);
  v.set("model", report.model);
  v.set("data", report.data);
  // Seeds above int64 (rare) go out as strings rather than failing or losing digits.
  if (report.seed <= static_cast<uint64_t>(INT64_MAX)) {
    v.set("seed", static_cast<int64_t>(report.seed));
  } else {
    v.set("seed", std::to_string(report.seed));
  }
  v.set("inputs", report.inputs);
  json::Value skipped = json::Value::array();
  for (const SkippedInput& s : report.skipped) {
    json::Value item = json::Value::object();
    item.set("id", s.id);
    item.set("reason", s.reason);
    skipped.push_back(std::move(item));
  }
  v.set("skipped", std::move(skipped));
  v.set("metrics", metrics_to_json(report.metrics, max_pr_points));
  return v;
}

std::string predictions_to_jsonl(const EvalReport& report) {
  const std::vector<std::string>& kinds = report.metrics.kind_names;
  std::string out;
  for (const SamplePrediction& p : report.predictions) {
    const SampleOutcome& o = p.outcome;
    json::Value v = json::Value::object();
    v.set("id", p.id);
    v.set("buggy", o.buggy);
    const bool named = o.kind >= 0 && static_cast<size_t>(o.kind) < kinds.size();
    v.set("kind", named ? json::Value(kinds[static_cast<size_t>(o.kind)]) : json::Value());
    v.set("predicted_no_bug", o.predicted_no_bug);
    v.set("p_no_bug", o.p_no_bug);
    v.set("bug_confidence", o.bug_confidence);
    v.set("num_sites", static_cast<int64_t>(o.num_sites));
    if (o.buggy) {
      v.set("site_correct", o.site_correct);
      v.set("repair_correct", o.repair_correct);
      v.set("joint", o.site_correct && o.repair_correct && !o.predicted_no_bug);
      v.set("true_site_rank", static_cast<int64_t>(o.true_site_rank));
    }
    out += json::dump(v) + "\n";
  }
  return out;
}

std::string render_pr_curve_svg(const std::vector<std::pair<std::string, const Metrics*>>& runs,
                                const std::string& title) {
  svg::LineChart chart;
  chart.title = title;
  chart.x_label = "recall (bugs found and fixed)";
  chart.y_label = "precision";
  chart.x_min = 0;
  chart.x_max = 1;
  chart.y_min = 0;
  chart.y_max = 1;
  for (const auto& [name, m] : runs) {
    svg::Series s;
    s.name = str_cat(name, " (AP ", fixed(m->average_precision, 3), ")");
    for (size_t i : thin(m->pr_curve.size(), 400)) {
      s.x.push_back(m->pr_curve[i].recall);
      s.y.push_back(m->pr_curve[i].precision);
    }
    chart.series.push_back(std::move(s));
  }
  chart.markers = runs.size() == 1 && !runs.empty() && runs[0].second->pr_curve.size() <= 30;
  return svg::render(chart);
}

std::filesystem::path write_plots(const std::filesystem::path& dir, const EvalReport& report) {
  std::filesystem::path path = dir / "pr_curve.svg";
  std::string title = str_cat("Precision-recall, ", report.suite, " suite");
  std::string body = render_pr_curve_svg({{report.suite, &report.metrics}}, title);
  write_file_atomic(path, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body);
  return path;
}

}  // namespace bugseek::eval
