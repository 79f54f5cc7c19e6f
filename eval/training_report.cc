#include "eval/training_report.h"

#include "common/error.h"
#include "common/fs.h"
#include "common/log.h"

namespace bugseek::eval {
namespace {

constexpr const char* kStyle =
    R"(body{font-family:sans-serif;margin:24px;color:#222;max-width:1400px}
h1{font-size:20px;margin-bottom:4px}h2{font-size:16px;margin-top:28px;border-bottom:1px solid #ddd}
.updated{color:#666;font-size:12px}.charts{display:flex;flex-wrap:wrap;gap:12px}
.empty{color:#888;font-style:italic}table{border-collapse:collapse;font-size:13px}
td{border:1px solid #ddd;padding:3px 8px}td:first-child{color:#555}
details summary{cursor:pointer;margin:8px 0}
)";

void empty_note(std::string& out, std::string_view what) {
  out += str_cat("<p class=\"empty\">", svg::escape_xml(what), "</p>\n");
}

bool has_points(const std::vector<svg::Series>& series) {
  for (const auto& s : series)
    if (!s.x.empty()) return true;
  return false;
}

void curves_section(std::string& out, const TrainingReportData& d) {
  out += "<h2>Loss and accuracy</h2>\n<div class=\"charts\">\n";
  if (has_points(d.losses)) {
    svg::LineChart c;
    c.title = "Loss";
    c.x_label = "step";
    c.y_label = "loss";
    c.series = d.losses;
    c.y_min = 0;
    out += svg::render(c);
  } else {
    empty_note(out, "No loss values yet.");
  }
  if (has_points(d.accuracies)) {
    svg::LineChart c;
    c.title = "Accuracy";
    c.x_label = "step";
    c.y_label = "accuracy";
    c.series = d.accuracies;
    c.y_min = 0;
    c.y_max = 1;
    out += svg::render(c);
  } else {
    empty_note(out, "No accuracy values yet.");
  }
  out += "</div>\n";
}

void per_kind_section(std::string& out, const TrainingReportData& d) {
  out += "<h2>Validation accuracy per bug kind</h2>\n<div class=\"charts\">\n";
  bool drew = false;
  if (!d.latest_by_kind.empty()) {
    svg::BarChart c;
    c.title = "Latest validation";
    c.y_label = "accuracy";
    c.categories = d.kind_names;
    c.series_names = d.latest_metric_names;
    c.values = d.latest_by_kind;
    c.y_max = 1;
    c.size = {760, 320};
    out += svg::render(c);
    drew = true;
  }
  if (!d.validation_steps.empty()) {
    svg::LineChart c;
    c.title = "Joint accuracy per kind";
    c.x_label = "step";
    c.y_label = "joint accuracy";
    c.y_min = 0;
    c.y_max = 1;
    c.markers = d.validation_steps.size() <= 20;
    if (d.kind_joint.size() != d.kind_names.size())
      throw_error(
          "render_training_report", "",
          str_cat(d.kind_joint.size(), " kind_joint rows for ", d.kind_names.size(), " kinds"));
    for (size_t k = 0; k < d.kind_names.size(); ++k)
      c.series.push_back(svg::Series{d.kind_names[k], d.validation_steps, d.kind_joint[k]});
    out += svg::render(c);
    drew = true;
  }
  if (!drew) empty_note(out, "No validation yet.");
  out += "</div>\n";
}

void mix_section(std::string& out, const TrainingReportData& d) {
  out += "<h2>Selector's bug-kind mix</h2>\n<div class=\"charts\">\n";
  if (d.mix_steps.empty()) {
    empty_note(out, "No selector statistics yet.");
  } else {
    svg::StackedArea c;
    c.title = "Share of planted bugs by kind";
    c.x_label = "step";
    c.y_label = "share";
    c.x = d.mix_steps;
    c.layer_names = d.kind_names;
    c.layers = d.mix;
    c.normalize = true;
    c.size = {760, 320};
    out += svg::render(c);
  }
  out += "</div>\n";
}

void update_ratio_section(std::string& out, const TrainingReportData& d) {
  out += "<h2>Update-to-weight ratio per step</h2>\n<div class=\"charts\">\n";
  if (!has_points(d.update_ratios)) {
    empty_note(out, "No monitors yet (they start at the first validation).");
    out += "</div>\n";
    return;
  }
  std::vector<std::pair<std::string, std::vector<svg::Series>>> groups;  // by module, in order
  for (const svg::Series& s : d.update_ratios) {
    const std::string module = s.name.substr(0, s.name.find('.'));
    if (groups.empty() || groups.back().first != module) groups.push_back({module, {}});
    groups.back().second.push_back(s);
  }
  for (auto& [module, series] : groups) {
    svg::LineChart c;
    c.title = module + ": ||change|| / ||weights|| per step (log10; -3 is 1e-3)";
    c.x_label = "step";
    c.y_label = "log10 update ratio";
    c.series = std::move(series);
    c.markers = true;
    c.size = {640, 360};
    out += svg::render(c);
  }
  out += "</div>\n";
}

void histogram_section(std::string& out, std::string_view heading, std::string_view items,
                       const std::vector<NamedHistogram>& histograms) {
  out += str_cat("<h2>", svg::escape_xml(heading), "</h2>\n");
  if (histograms.empty()) {
    empty_note(out, "None recorded yet.");
    return;
  }
  out += str_cat("<details open><summary>", histograms.size(), " ", items,
                 "</summary>\n<div class=\"charts\">\n");
  for (const NamedHistogram& h : histograms) {
    svg::Histogram c;
    c.title = h.name;
    c.edges = h.edges;
    c.counts = h.counts;
    out += svg::render(c);
  }
  out += "</div></details>\n";
}

}  // namespace

std::string render_training_report(const TrainingReportData& d) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += str_cat("<title>", svg::escape_xml(d.title), "</title>\n<style>\n", kStyle,
                 "</style>\n</head>\n<body>\n");
  out += str_cat("<h1>", svg::escape_xml(d.title), "</h1>\n");
  if (!d.updated.empty())
    out += str_cat("<div class=\"updated\">updated ", svg::escape_xml(d.updated), "</div>\n");
  if (!d.facts.empty()) {
    out += "<table>\n";
    for (const auto& [key, value] : d.facts)
      out += str_cat("<tr><td>", svg::escape_xml(key), "</td><td>", svg::escape_xml(value),
                     "</td></tr>\n");
    out += "</table>\n";
  }
  if (!d.notes.empty()) {
    out += "<ul>\n";
    for (const std::string& note : d.notes)
      out += str_cat("<li>", svg::escape_xml(note), "</li>\n");
    out += "</ul>\n";
  }
  curves_section(out, d);
  per_kind_section(out, d);
  mix_section(out, d);
  histogram_section(out, "Weights per layer", "tensors", d.weight_histograms);
  update_ratio_section(out, d);
  histogram_section(out, "Activations per layer (latest validation batch, eval mode)", "layers",
                    d.activation_histograms);
  out += "</body>\n</html>\n";
  return out;
}

void write_training_report(const std::filesystem::path& path, const TrainingReportData& data) {
  write_file_atomic(path, render_training_report(data));
}

}  // namespace bugseek::eval
