#include "data/producer.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <vector>

#include "common/error.h"
#include "tests/data/pipeline_fixture.h"

namespace bugseek::data {
namespace {

std::shared_ptr<const std::vector<FunctionRecord>> functions() {
  return std::make_shared<const std::vector<FunctionRecord>>(testing::pipeline_fixture().functions);
}

std::vector<Batch> run(int threads, uint64_t seed, int32_t max_nodes, uint64_t epochs,
                       uint64_t start = 0) {
  ProducerOptions o;
  o.threads = threads;
  o.seed = seed;
  o.max_nodes_per_batch = max_nodes;
  o.epochs = epochs;
  o.start_sample = start;
  o.prefetch_samples = 7;
  BatchProducer producer(functions(), testing::pipeline_fixture().vocab,
                         std::make_shared<RandomBugSelector>(), o);
  std::vector<Batch> out;
  while (auto b = producer.next()) out.push_back(std::move(*b));
  return out;
}

bool same(const Batch& a, const Batch& b) {
  return a.num_graphs == b.num_graphs && a.subtokens == b.subtokens && a.edge_src == b.edge_src &&
         a.cand_text == b.cand_text && a.target_site == b.target_site && a.target_cand == b.target_cand;
}

TEST(Producer, DeterministicGivenSeedWhateverTheThreadCount) {
  const auto one = run(1, 7, 600, 4);
  const auto three = run(3, 7, 600, 4);
  ASSERT_EQ(one.size(), three.size());
  for (size_t i = 0; i < one.size(); ++i) EXPECT_TRUE(same(one[i], three[i])) << "batch " << i;
  const auto other = run(2, 8, 600, 4);
  bool differs = other.size() != one.size();
  for (size_t i = 0; !differs && i < one.size(); ++i) differs = !same(one[i], other[i]);
  EXPECT_TRUE(differs);
}

TEST(Producer, BatchesRespectTheNodeCapAndCoverEveryEpoch) {
  const int32_t cap = 500;
  const auto batches = run(2, 1, cap, 3);
  int64_t graphs = 0, buggy = 0;
  for (const Batch& b : batches) {
    EXPECT_LE(b.num_nodes, cap);
    graphs += b.num_graphs;
    for (int k = 0; k < parser::kNumEdgeKinds; ++k) {
      for (size_t e = 0; e < b.edge_src[k].size(); ++e) {
        ASSERT_EQ(b.node_graph[b.edge_src[k][e]], b.node_graph[b.edge_dst[k][e]]);
      }
    }
    for (int32_t g = 0; g < b.num_graphs; ++g) buggy += b.target_site[g] >= 0;
  }
  // Every function fits the cap in this fixture, so every sample of 3 epochs arrives.
  EXPECT_EQ(graphs, 3 * static_cast<int64_t>(testing::pipeline_fixture().functions.size()));
  EXPECT_GT(buggy, 0);
  EXPECT_LT(buggy, graphs);
}

TEST(Producer, ResumingFromTheCursorContinuesTheSameStream) {
  ProducerOptions o;
  o.threads = 2;
  o.seed = 5;
  o.max_nodes_per_batch = 400;
  o.epochs = 3;
  std::vector<Batch> first;
  uint64_t cursor = 0;
  {
    BatchProducer p(functions(), testing::pipeline_fixture().vocab,
                    std::make_shared<RandomBugSelector>(), o);
    for (int i = 0; i < 2; ++i) first.push_back(*p.next());
    cursor = p.cursor();
  }
  const auto all = run(2, 5, 400, 3);
  const auto rest = run(1, 5, 400, 3, cursor);
  ASSERT_EQ(first.size() + rest.size(), all.size());
  for (size_t i = 0; i < rest.size(); ++i) EXPECT_TRUE(same(rest[i], all[i + 2])) << i;
}

TEST(Producer, EpochOrderIsAPermutation) {
  for (uint64_t n : {1u, 2u, 5u, 17u, 100u}) {
    for (uint64_t epoch = 0; epoch < 3; ++epoch) {
      std::set<uint64_t> seen;
      for (uint64_t i = 0; i < n; ++i) seen.insert(BatchProducer::function_index(epoch * n + i, n, 9, true));
      EXPECT_EQ(seen.size(), n);
      EXPECT_LT(*seen.rbegin(), n);
    }
  }
}

TEST(Producer, EmptyInputIsAnError) {
  EXPECT_THROW(BatchProducer(std::make_shared<const std::vector<FunctionRecord>>(),
                             testing::pipeline_fixture().vocab, nullptr, ProducerOptions{}),
               Error);
}

}  // namespace
}  // namespace bugseek::data
