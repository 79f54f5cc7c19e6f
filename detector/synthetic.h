// Synthetic featurized graphs shaped like real ones (a syntax tree in pre-order with token leaves,
// symbol nodes, every edge kind, sites of every bug kind with their candidates), for detector tests
// and benchmarks before real data is at hand. A planted bug leaves a learnable trace: marker
// subtokens on the site and on the fix (or a hint naming the fix's text). Torch-free.
#pragma once

#include <cstdint>
#include <random>

#include "data/batch.h"

namespace bugseek::detector {

struct SyntheticSpec {
  int num_nodes = 150;        // syntax + token + symbol nodes
  int num_symbols = 8;
  int num_sites = 12;
  int edges = 600;            // total edges, all kinds (before the detector adds reverse edges)
  double bug_probability = 0.5;
  int subtoken_vocab = 4096;  // ids 1..63 are reserved for markers and hints
  int node_type_vocab = 512;
  int text_vocab = 32;
};

// One graph; a bug (target) with probability spec.bug_probability.
data::GraphFeatures synthetic_graph(const SyntheticSpec& spec, std::mt19937_64& rng);

// `num_graphs` graphs drawn with `seed`, appended into one batch.
data::Batch synthetic_batch(const SyntheticSpec& spec, int num_graphs, uint64_t seed);

}  // namespace bugseek::detector
