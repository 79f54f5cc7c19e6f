#include "data/producer.h"

#include <limits>

#include "common/error.h"
#include "common/log.h"
#include "data/split.h"

namespace bugseek::data {
namespace {

// A keyed bijection on [0, 2^bits) (4-round Feistel over two halves), cycle-walked into [0, n).
uint64_t permute(uint64_t x, uint64_t n, uint64_t key) {
  int bits = 2;
  while ((uint64_t{1} << bits) < n) bits += 2;
  const int half = bits / 2;
  const uint64_t mask = (uint64_t{1} << half) - 1;
  do {
    uint64_t left = x >> half, right = x & mask;
    for (uint64_t round = 0; round < 4; ++round) {
      const uint64_t f = mix64(right ^ mix64(key + round)) & mask;
      const uint64_t next = left ^ f;
      left = right;
      right = next;
    }
    x = (left << half) | right;
  } while (x >= n);
  return x;
}

uint64_t sample_seed(uint64_t seed, uint64_t index) { return mix64(mix64(seed) ^ (index + 1)); }

}  // namespace

uint64_t BatchProducer::function_index(uint64_t i, uint64_t n, uint64_t seed, bool shuffle) {
  const uint64_t epoch = i / n, pos = i % n;
  if (!shuffle || n == 1) return pos;
  return permute(pos, n, mix64(seed ^ mix64(epoch + 0x5eed)));
}

BatchProducer::BatchProducer(std::shared_ptr<const std::vector<FunctionRecord>> functions,
                             const Vocabulary& vocab, std::shared_ptr<BugSelector> selector,
                             const ProducerOptions& options)
    : functions_(std::move(functions)), vocab_(vocab), selector_(std::move(selector)),
      options_(options) {
  if (!functions_ || functions_->empty()) {
    throw_error("BatchProducer", "", "no functions to sample from (empty split?)");
  }
  if (options_.max_nodes_per_batch <= 0) throw UsageError("max nodes per batch must be positive");
  const uint64_t n = functions_->size();
  total_ = options_.epochs == 0 || options_.epochs > std::numeric_limits<uint64_t>::max() / n
               ? std::numeric_limits<uint64_t>::max()
               : options_.epochs * n;
  next_to_build_ = consumed_ = cursor_ = options_.start_sample;
  if (options_.prefetch_samples == 0) options_.prefetch_samples = 1;
  const int threads = std::max(1, options_.threads);
  for (int t = 0; t < threads; ++t) workers_.emplace_back([this] { worker(); });
}

BatchProducer::~BatchProducer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  room_.notify_all();
  ready_.notify_all();
  for (auto& t : workers_) t.join();
}

void BatchProducer::worker() {
  const parser::Language* fallback = &parser::languages().front();
  std::map<std::string, std::unique_ptr<Featurizer>> featurizers;  // one per language
  SampleOptions sample_options;
  sample_options.buggy_fraction = options_.buggy_fraction;
  sample_options.max_nodes = static_cast<uint32_t>(options_.max_nodes_per_batch);
  const uint64_t n = functions_->size();
  for (;;) {
    uint64_t index;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      room_.wait(lock, [&] {
        return stop_ || next_to_build_ >= total_ ||
               next_to_build_ < consumed_ + options_.prefetch_samples;
      });
      if (stop_ || next_to_build_ >= total_) return;
      index = next_to_build_++;
    }
    const FunctionRecord& record = (*functions_)[function_index(index, n, options_.seed, options_.shuffle)];
    auto& featurizer = featurizers[record.language];
    if (!featurizer) {
      const parser::Language* lang = parser::find_language(record.language);
      featurizer = std::make_unique<Featurizer>(vocab_, lang ? *lang : *fallback);
    }
    Rng rng(sample_seed(options_.seed, index));
    Sample sample = make_sample(record, sample_options, *featurizer, selector_.get(), rng);
    sample.buggy_text.clear();  // not needed downstream; keeps the queue small
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_.emplace(index, std::move(sample));
    }
    ready_.notify_all();
  }
}

Sample BatchProducer::take(uint64_t index) {
  std::unique_lock<std::mutex> lock(mutex_);
  ready_.wait(lock, [&] { return done_.count(index) > 0; });
  auto it = done_.find(index);
  Sample sample = std::move(it->second);
  done_.erase(it);
  consumed_ = index + 1;
  lock.unlock();
  room_.notify_all();
  return sample;
}

std::optional<Batch> BatchProducer::next() {
  Batch batch;
  auto fits = [&](const GraphFeatures& g) {
    if (batch.num_graphs == 0) return true;
    if (options_.max_graphs_per_batch > 0 && batch.num_graphs >= options_.max_graphs_per_batch) return false;
    return batch.num_nodes + g.num_nodes <= options_.max_nodes_per_batch;
  };
  if (carry_) {
    append_to_batch(batch, *carry_);
    cursor_ = carry_index_ + 1;
    carry_.reset();
  }
  uint64_t index = std::max(cursor_, consumed_);
  while (index < total_) {
    Sample sample = take(index);
    stats_.samples += 1;
    stats_.by_status[static_cast<int>(sample.status)] += 1;
    if (sample.status == SampleStatus::kSkipped) {
      cursor_ = ++index;
      continue;
    }
    if (sample.features.num_nodes > options_.max_nodes_per_batch) {
      stats_.too_large += 1;
      cursor_ = ++index;
      continue;
    }
    if (!fits(sample.features)) {
      carry_ = std::move(sample.features);
      carry_index_ = index;
      break;
    }
    append_to_batch(batch, sample.features);
    cursor_ = ++index;
  }
  if (batch.num_graphs == 0) return std::nullopt;
  stats_.batches += 1;
  return batch;
}

}  // namespace bugseek::data
