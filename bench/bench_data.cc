// Data pipeline throughput: functions turned into GraphFeatures per second per thread, on the
// machine's Python standard library (or a prepared dataset).
//
//   ninja -C build-data bench_data
//   ./build-data/bench/bench_data                 # prepares the stdlib into a temp dir first
//   ./build-data/bench/bench_data DATA_DIR [N]    # a `bugseek prepare` output; N functions (3000)
//
// Prints, per stage, graphs/s on one thread (parse + graph + sites + featurize; then with a
// planted bug: apply, re-parse, inverse), and the BatchProducer's graphs/s with 1 and 2 threads.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/fs.h"
#include "common/log.h"
#include "data/dataset.h"
#include "data/prepare.h"
#include "data/producer.h"
#include "data/sample.h"

namespace {
namespace fs = std::filesystem;
using namespace bugseek;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

void bench_samples(const char* label, const std::vector<data::FunctionRecord>& fns,
                   const data::Vocabulary& vocab, double buggy_fraction) {
  data::Featurizer featurizer(vocab, *parser::find_language("python"));
  data::RandomBugSelector selector;
  data::SampleOptions options;
  options.buggy_fraction = buggy_fraction;
  uint64_t graphs = 0, nodes = 0, buggy = 0;
  const auto start = Clock::now();
  for (size_t i = 0; i < fns.size(); ++i) {
    data::Rng rng(i);
    const data::Sample s = data::make_sample(fns[i], options, featurizer, &selector, rng);
    if (s.status == data::SampleStatus::kSkipped) continue;
    graphs += 1;
    nodes += static_cast<uint64_t>(s.features.num_nodes);
    buggy += s.status == data::SampleStatus::kBuggy;
  }
  const double secs = seconds_since(start);
  std::printf("%-34s %8.0f graphs/s  %9.0f nodes/s  (%lu graphs, %.0f nodes/graph, %lu buggy)\n",
              label, graphs / secs, nodes / secs, static_cast<unsigned long>(graphs),
              graphs ? static_cast<double>(nodes) / graphs : 0.0, static_cast<unsigned long>(buggy));
}

void bench_producer(int threads, const std::vector<data::FunctionRecord>& fns,
                    const data::Vocabulary& vocab) {
  data::ProducerOptions o;
  o.threads = threads;
  o.epochs = 1;
  o.max_nodes_per_batch = 10000;
  data::BatchProducer producer(std::make_shared<const std::vector<data::FunctionRecord>>(fns), vocab,
                               std::make_shared<data::RandomBugSelector>(), o);
  uint64_t graphs = 0, batches = 0;
  const auto start = Clock::now();
  while (auto b = producer.next()) {
    graphs += static_cast<uint64_t>(b->num_graphs);
    batches += 1;
  }
  const double secs = seconds_since(start);
  std::printf("producer, %d thread(s), 10k-node batches %8.0f graphs/s  (%lu batches, %.1f batches/s)\n",
              threads, graphs / secs, static_cast<unsigned long>(batches), batches / secs);
}

}  // namespace

int main(int argc, char** argv) {
  set_log_level(std::getenv("BUGSEEK_BENCH_DEBUG") ? LogLevel::kDebug : LogLevel::kQuiet);
  fs::path dir;
  std::unique_ptr<fs::path> temp;
  if (argc > 1) {
    dir = argv[1];
  } else {
    temp = std::make_unique<fs::path>(fs::temp_directory_path() / "bugseek_bench_data");
    dir = *temp;
    data::PrepareConfig cfg;
    cfg.out = dir.string();
    cfg.threads = 2;
    const auto start = Clock::now();
    data::prepare_dataset(cfg);
    std::printf("prepare (stdlib, 2 threads): %.1f s\n", seconds_since(start));
  }
  const size_t limit = argc > 2 ? std::stoul(argv[2]) : 3000;
  const data::Manifest m = data::read_manifest(dir);
  const data::Vocabulary vocab = data::Vocabulary::from_bytes(data::load_vocab_model(dir, m));
  std::vector<data::FunctionRecord> fns = data::load_functions(dir, m, data::Split::kTrain);
  if (fns.size() > limit) fns.resize(limit);
  std::printf("%zu training functions, vocabulary %d pieces\n", fns.size(), vocab.size());

  bench_samples("clean (parse+graph+sites+featurize)", fns, vocab, 0.0);
  bench_samples("buggy (+apply, re-parse, inverse)", fns, vocab, 1.0);
  bench_samples("mixed 50% buggy (training default)", fns, vocab, 0.5);
  bench_producer(1, fns, vocab);
  bench_producer(2, fns, vocab);
  if (temp) fs::remove_all(*temp);
  return 0;
}
