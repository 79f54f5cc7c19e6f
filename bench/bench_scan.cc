// Scan throughput: `bugseek scan` over the Python standard library (about 300k lines of code in
// ~1,000 files); target under 15 s on 2 threads with the default model, and a second scan of the
// unchanged tree, answered by the result cache, at least 20x faster than the first.
//
//   build/bench/bench_scan [--model FILE] [--stdlib DIR] [--threads 2] [--preset default]
//                          [--save-model FILE] [--cache-dir DIR] [--uncached] [--profile FILE]
//
// With --model, times that model file. Without, builds an untrained detector of --preset size
// (the default model's shapes; its speed is what matters, not its answers) with a SentencePiece
// vocabulary trained on labels of a sample of the scanned files, and says so. Scans twice with a
// fresh cache folder (--cache-dir, emptied first; default a temporary folder): the first scan
// runs the model and fills the cache, the second reads it. --uncached adds a scan without any
// cache first (what writing the cache costs). Prints, per scan, files, lines, functions, checked
// units, wall and CPU seconds (CPU time is the steadier number on a shared machine), lines/s and
// functions/s, then the first/second ratio. --profile FILE (with --threads 1, where the scan runs
// on the calling thread) writes a chrome://tracing trace of the first scan's LibTorch operators
// (the legacy profiler; its overhead makes that scan slower).
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

#include <torch/csrc/autograd/profiler_legacy.h>

#include "common/fs.h"
#include "data/corpus.h"
#include "data/extract.h"
#include "data/node_vocab.h"
#include "data/vocab.h"
#include "detector/detector.h"
#include "detector/model_file.h"
#include "scan/scanner.h"

namespace {

namespace fs = std::filesystem;

// CPU seconds (user + system) this process has used: on a shared machine, less noisy than wall
// time, and on idle cores about `threads` times the wall time of a parallel scan.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}
namespace po = boost::program_options;
using namespace bugseek;

// An untrained model of `preset` size with a vocabulary from every 10th file of `root`.
detector::ModelFile untrained_model(const fs::path& root, const std::string& preset) {
  const parser::Language& language = *parser::find_language("python");
  const data::CorpusListing listing = data::list_source_files({root});
  std::vector<std::string> labels;
  for (size_t i = 0; i < listing.files.size(); i += 10) {
    const data::ReadResult read = data::read_source_text(listing.files[i].path, 1u << 20);
    if (!read.ok) continue;
    data::ExtractResult r = data::extract_functions(read.text, listing.files[i].rel_path, language,
                                                    data::ExtractOptions{}, true);
    for (auto& l : r.labels) labels.push_back(std::move(l));
  }
  data::VocabTrainOptions vo;
  vo.vocab_size = 4000;
  vo.threads = 2;
  detector::ModelFile model;
  model.vocab_model = data::train_vocabulary(labels, vo);
  const data::Vocabulary vocab = data::Vocabulary::from_bytes(model.vocab_model);
  model.config = detector::detector_preset(preset, detector::ModelFamily::kGnn);
  model.config.subtoken_vocab = vocab.size();
  model.config.node_type_vocab = data::node_type_vocab_size(language);
  model.config.text_vocab = data::text_vocab_size();
  model.language = language.name;
  model.grammar_version = language.grammar_version;
  model.weights = detector::Detector(model.config, 1).save_weights();
  return model;
}

}  // namespace

int main(int argc, char** argv) {
  std::string model_path, stdlib, preset = "default", save_model, cache_dir, profile;
  bool uncached = false;
  int threads = 2;
  double threshold = 0.5;
  int32_t batch_nodes = bugseek::scan::ScanOptions{}.batch_nodes;
  po::options_description opts("bench_scan");
  opts.add_options()("help,h", "show help")("model", po::value(&model_path),
                                            "model file (default: untrained --preset model)")(
      "stdlib", po::value(&stdlib), "folder to scan (default: the Python standard library)")(
      "threads", po::value(&threads)->default_value(threads), "scan threads")(
      "preset", po::value(&preset)->default_value(preset), "untrained model size")(
      "threshold", po::value(&threshold)->default_value(threshold), "finding threshold")(
      "save-model", po::value(&save_model), "also save the untrained model to FILE")(
      "batch-nodes", po::value(&batch_nodes)->default_value(batch_nodes), "nodes per batch")(
      "cache-dir", po::value(&cache_dir), "cache folder, emptied first (default: a temporary one)")(
      "uncached", po::bool_switch(&uncached), "first time a scan without any cache")(
      "profile", po::value(&profile), "write a chrome://tracing trace of the first scan to FILE");
  po::variables_map vm;
  po::store(po::parse_command_line(argc, argv, opts), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return 0;
  }
  if (stdlib.empty()) {
    const auto found = find_python_stdlib();
    if (!found) {
      std::cerr << "bench_scan: no Python standard library found; pass --stdlib DIR\n";
      return 2;
    }
    stdlib = found->string();
  }
  detector::ModelFile model;
  if (!model_path.empty()) {
    model = detector::load_model_file(model_path);
    std::printf("model      %s\n", model_path.c_str());
  } else {
    model = untrained_model(stdlib, preset);
    if (!save_model.empty()) detector::save_model_file(save_model, model);
    std::printf("model      UNTRAINED '%s' preset (hidden %d, %d layers; speed only)\n",
                preset.c_str(), model.config.hidden, model.config.layers);
  }
  scan::ScanOptions options;
  options.threads = threads;
  options.threshold = threshold;
  options.progress = false;
  options.batch_nodes = batch_nodes;
  std::printf("scanned    %s\n", stdlib.c_str());
  std::printf("threads    %d (batches of <= %d nodes)\n", threads, batch_nodes);
  auto run = [&](const char* name, const std::string& cache) {
    options.cache_dir = cache;
    std::unique_ptr<torch::autograd::profiler::RecordProfile> recording;
    if (!profile.empty()) {
      recording = std::make_unique<torch::autograd::profiler::RecordProfile>(profile);
      profile.clear();  // the first scan only
    }
    const double cpu_before = cpu_seconds();
    const scan::ScanResult r = scan::scan_paths({stdlib}, model, options);
    const double cpu = cpu_seconds() - cpu_before;
    recording.reset();
    const scan::ScanStats& s = r.stats;
    std::printf("\n[%s]\n", name);
    std::printf("files      %llu (+%llu unparseable, %llu skipped; %llu from the cache)\n",
                static_cast<unsigned long long>(s.files_scanned),
                static_cast<unsigned long long>(s.files_unparseable),
                static_cast<unsigned long long>(s.skipped_total()),
                static_cast<unsigned long long>(s.cache_file_hits));
    std::printf("lines      %llu (%.1f MB)\n", static_cast<unsigned long long>(s.lines),
                s.bytes / 1e6);
    std::printf("functions  %llu (units checked %llu, model ran on %llu, too large %llu)\n",
                static_cast<unsigned long long>(s.functions),
                static_cast<unsigned long long>(s.units_checked),
                static_cast<unsigned long long>(s.units_run),
                static_cast<unsigned long long>(s.units_too_large));
    std::printf("findings   %llu at p >= %.2f\n", static_cast<unsigned long long>(s.findings_total),
                threshold);
    std::printf("seconds    %.2f (CPU %.2f s: %.2f cores busy)\n", s.seconds, cpu,
                cpu / s.seconds);
    std::printf("lines/s    %.0f\n", s.lines / s.seconds);
    std::printf("functions/s %.0f\n", s.functions / s.seconds);
    std::fflush(stdout);
    return s.seconds;
  };
  if (uncached) run("no cache", "");
  const bool temporary = cache_dir.empty();
  if (temporary) {
    cache_dir = (fs::temp_directory_path() / ("bench_scan_cache." + std::to_string(::getpid())))
                    .string();
  }
  std::error_code ec;
  fs::remove_all(cache_dir, ec);
  const double first = run("first scan, empty cache", cache_dir);
  const double second = run("second scan, same tree", cache_dir);
  std::printf("\ncache      second scan %.1fx faster than the first (%.2f s vs %.2f s)\n",
              first / second, second, first);
  if (temporary) fs::remove_all(cache_dir, ec);
  return 0;
}
