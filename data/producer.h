// The batch producer: worker threads turn stored functions into samples (parse, plant a bug,
// featurize) ahead of the trainer, and the consumer packs them into Batches capped by total
// nodes. Sample i always uses function perm_e(i mod N) of epoch e = i / N and a generator
// seeded from (seed, i), and batches are packed in sample order, so the batch stream depends on
// the seed alone, not on the thread count or timing.
#pragma once

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "data/batch.h"
#include "data/sample.h"
#include "data/shard.h"
#include "data/vocab.h"

namespace bugseek::data {

struct ProducerOptions {
  int threads = 1;                    // worker threads (at least 1)
  uint64_t seed = 1;
  int32_t max_nodes_per_batch = 10000;  // a batch holds graphs up to this many nodes in total
  int32_t max_graphs_per_batch = 0;     // 0 = no limit
  double buggy_fraction = 0.5;          // share of samples with a planted bug
  bool shuffle = true;                  // a new function order every epoch
  uint64_t epochs = 0;                  // 0 = endless
  uint64_t start_sample = 0;            // resume: the cursor() of an earlier producer
  size_t prefetch_samples = 1024;       // samples built ahead of the consumer
};

struct ProducerStats {
  uint64_t samples = 0;        // consumed
  std::array<uint64_t, 4> by_status{};  // per SampleStatus
  uint64_t too_large = 0;      // skipped: alone over max_nodes_per_batch
  uint64_t batches = 0;
};

class BatchProducer {
 public:
  // `functions` are shared read-only with the workers; `selector` may be null (clean only) and
  // must be thread-safe; `vocab` must outlive the producer.
  BatchProducer(std::shared_ptr<const std::vector<FunctionRecord>> functions, const Vocabulary& vocab,
                std::shared_ptr<BugSelector> selector, const ProducerOptions& options);
  ~BatchProducer();
  BatchProducer(const BatchProducer&) = delete;
  BatchProducer& operator=(const BatchProducer&) = delete;

  // The next batch; nullopt once every epoch is consumed (never, when epochs = 0).
  std::optional<Batch> next();
  // Index of the first sample not yet packed into a returned batch (store it to resume).
  uint64_t cursor() const { return cursor_; }
  const ProducerStats& stats() const { return stats_; }

  // Function index of sample `i`: a seeded permutation of [0, N) per epoch.
  static uint64_t function_index(uint64_t i, uint64_t n, uint64_t seed, bool shuffle);

 private:
  void worker();
  Sample take(uint64_t index);  // waits for sample `index`

  std::shared_ptr<const std::vector<FunctionRecord>> functions_;
  const Vocabulary& vocab_;
  std::shared_ptr<BugSelector> selector_;
  ProducerOptions options_;
  uint64_t total_ = 0;  // samples in all epochs, UINT64_MAX if endless

  std::mutex mutex_;
  std::condition_variable ready_;   // a sample arrived
  std::condition_variable room_;    // the consumer moved on
  std::map<uint64_t, Sample> done_;
  uint64_t next_to_build_ = 0;
  uint64_t consumed_ = 0;           // samples taken by the consumer (guarded by mutex_)
  bool stop_ = false;
  std::vector<std::thread> workers_;

  uint64_t cursor_ = 0;                    // consumer side
  std::optional<GraphFeatures> carry_;     // a graph that did not fit the previous batch
  uint64_t carry_index_ = 0;
  ProducerStats stats_;
};

}  // namespace bugseek::data
