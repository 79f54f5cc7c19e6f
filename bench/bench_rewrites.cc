// Rewrite throughput on the Python standard library: sites enumerated and rewrites applied per
// second.
//
//   build/bench/bench_rewrites [--stdlib DIR] [--per-unit N] [--max-files N]
//
// Parses every .py file under DIR (default: find_python_stdlib()) and builds each unit's graph
// (not timed), then times (1) enumerate_rewrites on every unit, (2) apply_edit alone, (3)
// apply_rewrite (text + incremental re-parse + the unit's new graph) and (4) the label a training
// step needs after planting a bug: apply_rewrite + enumerate_rewrites + find_inverse. (2)-(4) use
// N rewrites per unit, picked deterministically.
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "common/fs.h"
#include "parser/rewrites.h"

namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;
using Clock = std::chrono::steady_clock;
using namespace bugseek::parser;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string stdlib;
  size_t per_unit = 2;
  size_t max_files = 0;
  po::options_description opts("bench_rewrites");
  opts.add_options()("help,h", "show this help")(
      "stdlib", po::value(&stdlib)->default_value(stdlib), "corpus directory (\"\" = the stdlib)")(
      "per-unit", po::value(&per_unit)->default_value(per_unit), "rewrites applied per unit")(
      "max-files", po::value(&max_files)->default_value(max_files), "files read (0 = all)");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, opts), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "bench_rewrites: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return 0;
  }
  if (stdlib.empty()) {
    auto found = bugseek::find_python_stdlib();
    if (!found) {
      std::cerr << "bench_rewrites: no Python standard library found (use --stdlib)\n";
      return 1;
    }
    stdlib = found->string();
  }
  std::vector<fs::path> paths;
  for (const auto& e : fs::recursive_directory_iterator(stdlib)) {
    const std::string p = e.path().string();
    if (p.find("site-packages") != std::string::npos) continue;
    if (e.path().extension() == ".py" && e.is_regular_file()) paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  if (max_files > 0 && paths.size() > max_files) paths.resize(max_files);

  const Language& python = *find_language("python");
  size_t units = 0, sites = 0, rewrites = 0, applied = 0, inverses = 0;
  double t_enumerate = 0, t_edit = 0, t_apply = 0, t_label = 0;
  std::mt19937_64 rng(7);
  for (const fs::path& path : paths) {
    ParsedFile file = parse_source(bugseek::read_file(path), python, path.string());
    if (!file.ok()) continue;
    for (const Unit& unit : extract_units(file)) {
      CodeGraph graph = build_graph(file, unit);
      auto t = Clock::now();
      Sites s = enumerate_rewrites(file, graph);
      t_enumerate += seconds_since(t);
      ++units;
      sites += s.sites.size();
      rewrites += s.rewrites.size();
      for (size_t k = 0; k < per_unit && !s.rewrites.empty(); ++k) {
        size_t index = rng() % s.rewrites.size();
        t = Clock::now();
        std::string text = apply_edit(file.text, s.rewrites[index].edit);
        t_edit += seconds_since(t);
        t = Clock::now();
        AppliedRewrite a = apply_rewrite(file, unit, s, index);
        t_apply += seconds_since(t);
        t = Clock::now();
        AppliedRewrite b = apply_rewrite(file, unit, s, index);
        Sites after = enumerate_rewrites(b.file, b.graph);
        int32_t inverse = find_inverse(after, b, s.sites[s.rewrites[index].site].kind);
        t_label += seconds_since(t);
        ++applied;
        inverses += inverse >= 0;
        if (text.size() != a.file.text.size()) return 1;  // keeps the timed work observable
      }
    }
  }
  std::printf("corpus: %s, %zu files, %zu units, %zu sites, %zu rewrites\n", stdlib.c_str(),
              paths.size(), units, sites, rewrites);
  std::printf("enumerate_rewrites : %8.0f units/s %10.0f sites/s %10.0f rewrites/s  (%.2f s)\n",
              units / t_enumerate, sites / t_enumerate, rewrites / t_enumerate, t_enumerate);
  std::printf("apply_edit         : %10.0f rewrites/s  (%zu applied)\n", applied / t_edit, applied);
  std::printf("apply_rewrite      : %10.0f rewrites/s  (incremental re-parse + unit graph)\n",
              applied / t_apply);
  std::printf("apply+enum+inverse : %10.0f rewrites/s  (%zu / %zu inverses found)\n",
              applied / t_label, inverses, applied);
  return 0;
}
