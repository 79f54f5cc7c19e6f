// Detector training throughput: steps/s (forward + backward + Adam) and graphs/s for each model
// family at the default and large presets, with the achieved GFLOP/s beside a torch::mm peak
// measured in the same run.
//
//   build/bench/bench_detector [--data stdlib|synthetic] [--stdlib DIR] [--max-files N]
//                              [--batch G] [--steps N] [--threads T] [--device cpu|cuda|auto]
//                              [--models gnn,transformer] [--sizes default,large]
//                              [--profile FILE] [--predict [--batch-nodes N] [--rounds R]]
//                              [--order random|bucketed] [--gemm onednn,blas] [--repeat N]
//
// --data stdlib (the default when DIR exists) featurizes functions of the Python standard library
// (the first --max-files files, sorted; bugs planted at random, half the samples clean) with a
// SentencePiece vocabulary trained on them; --data synthetic uses graphs shaped like real ones
// (150 nodes, 600 edges, 12 sites). Batches take graphs in random order, as `bugseek train` does
// (--order bucketed sorts them by length first). --gemm runs each model with oneDNN's products
// (the default) and/or torch's BLAS ones (BUGSEEK_GEMM=blas), --repeat N alternates them; the
// peaks of both for a 1024^3 product are printed first. FLOPs are counted analytically from the matrix products
// (forward x 3 for a training step); element-wise work is not counted. cpu_s/step is the process's
// CPU time per step, a load-independent measure on a shared machine (with --threads 1).
// --profile FILE writes a chrome://tracing trace of the last model's timed steps (LibTorch's
// legacy profiler; its overhead makes those steps slower).
// --predict times inference instead, as `bugseek scan` runs it: Detector::predict under
// c10::InferenceMode on batches packed as the scan packs them (graphs sorted by node count, each
// batch filled to --batch-nodes nodes); prints graphs/s, GFLOP/s and CPU ms per 100 graphs, the
// best of --rounds passes over all batches (the best is the steadiest number on a shared machine).
#include <sys/resource.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <c10/core/InferenceMode.h>
#include <torch/csrc/autograd/profiler_legacy.h>
#include <torch/cuda.h>
#include <torch/optim/adam.h>

#include "common/fs.h"
#include "data/extract.h"
#include "data/featurize.h"
#include "data/node_vocab.h"
#include "data/sample.h"
#include "data/vocab.h"
#include "detector/cpu_gemm.h"
#include "detector/detector.h"
#include "detector/synthetic.h"
#include "detector/torch_api.h"
#include "parser/language.h"

namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;
using namespace bugseek;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct Options {
  std::string data = "stdlib";
  std::string stdlib = "/usr/lib/python3.11";
  int max_files = 80;
  int batch = 16;
  int steps = 20;
  int threads = 1;
  std::string device = "cpu";
  std::string models = "gnn,transformer";
  std::string sizes = "default,large";
  std::string profile;
  bool predict = false;
  int batch_nodes = 256;
  int rounds = 5;
  std::string order = "random";
  std::string gemm = "onednn";
  int repeat = 1;
};

struct Data {
  std::vector<data::GraphFeatures> graphs;
  int32_t subtoken_vocab = 0, node_type_vocab = 0, text_vocab = 0;
};

// The preset `size` of `model` (gnn | transformer) with the vocabularies of `d`.
detector::DetectorConfig config_for(const std::string& model, const std::string& size,
                                    const Data& d) {
  auto c = detector::detector_preset(size, detector::family_from_name(model));
  c.subtoken_vocab = d.subtoken_vocab;
  c.node_type_vocab = d.node_type_vocab;
  c.text_vocab = d.text_vocab;
  return c;
}

Data stdlib_data(const Options& o) {
  const parser::Language* python = parser::find_language("python");
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(o.stdlib)) {
    if (e.is_regular_file() && e.path().extension() == ".py") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  if (static_cast<int>(files.size()) > o.max_files) files.resize(static_cast<size_t>(o.max_files));
  std::vector<data::FunctionRecord> functions;
  std::vector<std::string> labels;
  for (const auto& f : files) {
    auto r = data::extract_functions(read_file(f), f.filename().string(), *python,
                                     data::ExtractOptions{}, true);
    functions.insert(functions.end(), r.functions.begin(), r.functions.end());
    labels.insert(labels.end(), r.labels.begin(), r.labels.end());
  }
  data::VocabTrainOptions vo;
  vo.vocab_size = 4000;
  const auto vocab = data::Vocabulary::from_bytes(data::train_vocabulary(labels, vo));
  data::Featurizer featurizer(vocab, *python);
  data::RandomBugSelector selector;
  data::SampleOptions so;
  so.max_nodes = 1500;
  data::Rng rng(1);
  Data d;
  for (const auto& f : functions) {
    data::Sample s = data::make_sample(f, so, featurizer, &selector, rng);
    if (s.status != data::SampleStatus::kSkipped) d.graphs.push_back(std::move(s.features));
  }
  d.subtoken_vocab = vocab.size();
  d.node_type_vocab = featurizer.node_type_vocab_size();
  d.text_vocab = data::text_vocab_size();
  return d;
}

Data synthetic_data(int count) {
  detector::SyntheticSpec spec;
  std::mt19937_64 rng(1);
  Data d;
  for (int i = 0; i < count; ++i) d.graphs.push_back(detector::synthetic_graph(spec, rng));
  d.subtoken_vocab = spec.subtoken_vocab;
  d.node_type_vocab = spec.node_type_vocab;
  d.text_vocab = spec.text_vocab;
  return d;
}

// Forward matrix-product FLOPs of one batch (2 per multiply-add).
double forward_flops(const detector::DetectorConfig& c, const data::Batch& b) {
  const double h = c.hidden, n = b.num_nodes, g = b.num_graphs;
  double edges = 0;
  for (const auto& e : b.edge_src) edges += 2.0 * static_cast<double>(e.size());  // + reverse
  double flops = 0;
  if (c.family == detector::ModelFamily::kGnn) {
    flops += c.layers * (2 * edges * h * h + 2 * n * 2 * h * h);
  } else {
    double len = 1;
    for (int i = 0; i < b.num_graphs; ++i) {
      len = std::max<double>(len, b.token_offsets[i + 1] - b.token_offsets[i]);
    }
    len = std::min<double>(len, c.max_len);
    const double t = g * len;
    flops += c.layers * (2 * t * h * 3 * h + 2 * t * h * h + 2 * 2 * t * h * c.ff_mult * h +
                         2 * 2 * g * len * len * h);
  }
  const double s = static_cast<double>(b.site_node.size());
  double sym = 0, swap = 0;
  for (int32_t k : b.cand_kind) {
    sym += k == static_cast<int32_t>(data::CandidateKind::kSymbol);
    swap += k == static_cast<int32_t>(data::CandidateKind::kSwap);
  }
  flops += 2 * s * h * h * 2 + 2 * g * 2 * h * h + 2 * sym * h * h + 2 * swap * 3 * h * h;
  return flops;
}

// User + system CPU seconds of this process: on a shared machine, work per step independent of
// how much of the CPU the scheduler gave us.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double mm_peak_gflops(const at::Device& device) {
  const int64_t n = 1024;
  auto a = at::randn({n, n}).to(device), b = at::randn({n, n}).to(device);
  double best = 0;
  for (int round = 0; round < 5; ++round) {
    if (device.is_cuda()) torch::cuda::synchronize();
    auto t0 = Clock::now();
    for (int i = 0; i < 4; ++i) a.mm(b);
    if (device.is_cuda()) torch::cuda::synchronize();
    best = std::max(best, 4 * 2.0 * n * n * n / seconds_since(t0) / 1e9);
  }
  return best;
}

// The same product by oneDNN's sgemm (detector/cpu_gemm.h), which the detector's products use.
double onednn_peak_gflops() {
  const bool was_on = detector::onednn_gemm_enabled();
  detector::set_onednn_gemm(true);
  struct Restore {
    bool on;
    ~Restore() { detector::set_onednn_gemm(on); }
  } restore{was_on};
  const int64_t n = 1024;
  auto a = at::randn({n, n}), b = at::randn({n, n}), c = at::empty({n, n});
  double best = 0;
  for (int round = 0; round < 5; ++round) {
    auto t0 = Clock::now();
    for (int i = 0; i < 4; ++i) {
      if (!detector::onednn_sgemm('N', 'N', n, n, n, a.data_ptr<float>(), n, b.data_ptr<float>(),
                                  n, 0.0f, c.data_ptr<float>(), n)) {
        return 0;
      }
    }
    best = std::max(best, 4 * 2.0 * n * n * n / seconds_since(t0) / 1e9);
  }
  return best;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');) out.push_back(item);
  return out;
}

// Inference throughput of each model on `graphs`, packed as the scan packs them.
int run_predict(const Options& o, Data d) {
  std::stable_sort(d.graphs.begin(), d.graphs.end(),
                   [](const auto& a, const auto& b) { return a.num_nodes < b.num_nodes; });
  std::vector<data::Batch> batches;
  for (size_t i = 0; i < d.graphs.size();) {
    data::Batch b;
    int64_t nodes = 0;
    for (; i < d.graphs.size() && (b.num_graphs == 0 || nodes < o.batch_nodes); ++i) {
      nodes += d.graphs[i].num_nodes;
      data::append_to_batch(b, d.graphs[i]);
    }
    batches.push_back(std::move(b));
  }
  std::printf("predict: %zu graphs in %zu batches of >= %d nodes, best of %d rounds\n",
              d.graphs.size(), batches.size(), o.batch_nodes, o.rounds);
  std::printf("%-12s %-8s %9s %9s %14s\n", "model", "size", "graphs/s", "GFLOP/s",
              "cpu_ms/100g");
  const auto device_kind = detector::device_from_name(o.device);
  for (const auto& model : split(o.models)) {
    for (const auto& size : split(o.sizes)) {
      const auto c = config_for(model, size, d);
      detector::Detector det(c, 1, device_kind);
      c10::InferenceMode inference;
      double flops = 0;
      for (const auto& b : batches) flops += forward_flops(c, b);
      for (const auto& b : batches) det.predict(b);  // warm-up
      double best_cpu = 1e30, best_wall = 1e30;
      for (int r = 0; r < o.rounds; ++r) {
        const auto t0 = Clock::now();
        const double cpu0 = cpu_seconds();
        for (const auto& b : batches) det.predict(b);
        best_cpu = std::min(best_cpu, cpu_seconds() - cpu0);
        best_wall = std::min(best_wall, seconds_since(t0));
      }
      const double graphs = static_cast<double>(d.graphs.size());
      std::printf("%-12s %-8s %9.1f %9.1f %14.2f\n", model.c_str(), size.c_str(),
                  graphs / best_wall, flops / best_cpu / 1e9, 1e5 * best_cpu / graphs);
      std::fflush(stdout);
    }
  }
  return 0;
}

int run(const Options& o) {
  detector::set_num_threads(o.threads);
  const bool stdlib = o.data == "stdlib" && fs::exists(o.stdlib);
  auto t0 = Clock::now();
  Data d = stdlib ? stdlib_data(o) : synthetic_data(o.batch * 8);
  if (o.predict) return run_predict(o, std::move(d));
  // --order random: graphs in a random order, as `bugseek train` forms its batches (it does not
  // sort by length). --order bucketed: sorted by token count first, then batches shuffled, which
  // spares the transformer padding one long function's length onto 15 short ones.
  if (o.order == "bucketed") {
    std::stable_sort(d.graphs.begin(), d.graphs.end(), [](const auto& a, const auto& b) {
      return a.tokens.size() < b.tokens.size();
    });
  } else {
    std::shuffle(d.graphs.begin(), d.graphs.end(), std::mt19937_64(2));
  }
  std::vector<data::Batch> batches;
  for (size_t i = 0; i + static_cast<size_t>(o.batch) <= d.graphs.size(); i += o.batch) {
    data::Batch b;
    for (int j = 0; j < o.batch; ++j) data::append_to_batch(b, d.graphs[i + j]);
    batches.push_back(std::move(b));
  }
  std::shuffle(batches.begin(), batches.end(), std::mt19937_64(1));
  if (batches.empty()) {
    std::cerr << "bench_detector: fewer graphs than one batch\n";
    return 1;
  }
  double nodes = 0, edges = 0, tokens = 0;
  for (const auto& g : d.graphs) {
    nodes += g.num_nodes;
    tokens += static_cast<double>(g.tokens.size());
    for (const auto& e : g.edge_src) edges += static_cast<double>(e.size());
  }
  const double count = static_cast<double>(d.graphs.size());
  std::printf("data: %s, %zu graphs (%.1f s to prepare), mean %.0f nodes, %.0f edges, %.0f tokens"
              " per graph; %zu batches of %d\n",
              stdlib ? "stdlib" : "synthetic", d.graphs.size(), seconds_since(t0),
              nodes / count, edges / count, tokens / count, batches.size(), o.batch);

  const auto device_kind = detector::device_from_name(o.device);
  bool printed_peak = false;
  for (int repeat = 0; repeat < o.repeat; ++repeat)
  for (const auto& model : split(o.models)) {
    for (const auto& size : split(o.sizes)) {
    for (const auto& gemm : split(o.gemm)) {
      detector::set_onednn_gemm(gemm == "onednn");
      const auto c = config_for(model, size, d);
      detector::Detector det(c, 1, device_kind);
      const at::Device device = detector::device_of(det);
      if (!printed_peak) {
        std::printf("device %s, %d threads; 1024^3 peaks: torch::mm %.1f GFLOP/s, oneDNN sgemm "
                    "%.1f GFLOP/s; batches of %d graphs in %s order\n",
                    det.device_name().c_str(), o.threads, mm_peak_gflops(device),
                    device.is_cpu() ? onednn_peak_gflops() : 0.0, o.batch, o.order.c_str());
        std::printf("%-12s %-8s %-7s %10s %9s %9s %10s %11s %9s %8s\n", "model", "size", "gemm",
                    "params", "steps/s", "graphs/s", "GFLOP/s", "cpu_s/step", "loss", "joint");
        printed_peak = true;
      }
      torch::optim::Adam opt(detector::parameters(det), torch::optim::AdamOptions(1e-3));
      auto step = [&](const data::Batch& b) {
        opt.zero_grad();
        auto out = detector::forward(det, b);
        out.loss.backward();
        opt.step();
        return out.metrics;
      };
      step(batches[0]);  // warm-up (allocator, oneDNN kernels)
      if (device.is_cuda()) torch::cuda::synchronize();
      double flops = 0;
      detector::LossOutput last;
      std::unique_ptr<torch::autograd::profiler::RecordProfile> profile;
      if (!o.profile.empty()) {
        profile = std::make_unique<torch::autograd::profiler::RecordProfile>(o.profile);
      }
      auto start = Clock::now();
      const double cpu_start = cpu_seconds();
      for (int i = 0; i < o.steps; ++i) {
        const auto& b = batches[static_cast<size_t>(i) % batches.size()];
        last = step(b);
        flops += 3 * forward_flops(c, b);
      }
      if (device.is_cuda()) torch::cuda::synchronize();
      const double secs = seconds_since(start);
      const double cpu = cpu_seconds() - cpu_start;
      profile.reset();
      std::printf("%-12s %-8s %-7s %10lld %9.2f %9.1f %10.2f %11.3f %9.3f %8.2f\n",
                  model.c_str(), size.c_str(), gemm.c_str(),
                  static_cast<long long>(det.num_parameters()), o.steps / secs,
                  o.steps * o.batch / secs, flops / secs / 1e9, cpu / o.steps, last.loss,
                  last.joint_acc);
      std::fflush(stdout);
    }
    }
  }
  detector::set_onednn_gemm(true);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  po::options_description desc("bench_detector options");
  desc.add_options()("help,h", "show this help")(
      "data", po::value(&o.data)->default_value(o.data), "stdlib|synthetic")(
      "stdlib", po::value(&o.stdlib)->default_value(o.stdlib), "Python standard library dir")(
      "max-files", po::value(&o.max_files)->default_value(o.max_files), "stdlib files read")(
      "batch", po::value(&o.batch)->default_value(o.batch), "graphs per training step")(
      "steps", po::value(&o.steps)->default_value(o.steps), "timed steps per model")(
      "threads", po::value(&o.threads)->default_value(o.threads), "torch intra-op threads")(
      "device", po::value(&o.device)->default_value(o.device), "cpu|cuda|auto")(
      "models", po::value(&o.models)->default_value(o.models), "comma list: gnn,transformer")(
      "sizes", po::value(&o.sizes)->default_value(o.sizes), "comma list: tiny,default,large")(
      "profile", po::value(&o.profile)->default_value(o.profile),
      "chrome trace of the timed steps written here (\"\" = none)")(
      "predict", po::bool_switch(&o.predict), "time inference (as scan runs it) instead")(
      "batch-nodes", po::value(&o.batch_nodes)->default_value(o.batch_nodes),
      "--predict: nodes per batch")(
      "rounds", po::value(&o.rounds)->default_value(o.rounds), "--predict: timed passes")(
      "order", po::value(&o.order)->default_value(o.order),
      "random (as bugseek train forms batches) | bucketed (sorted by length first)")(
      "gemm", po::value(&o.gemm)->default_value(o.gemm),
      "comma list: onednn (the default products) | blas (torch's); each runs every model")(
      "repeat", po::value(&o.repeat)->default_value(o.repeat),
      "run the whole sequence this many times (alternating A/B on a noisy machine)");
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
    if (vm.count("help")) {
      std::cout << desc << "\n";
      return 0;
    }
    return run(o);
  } catch (const po::error& e) {
    std::cerr << "bench_detector: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "bench_detector: error: " << e.what() << "\n";
    return 1;
  }
}
