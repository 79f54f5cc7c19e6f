// Classes are numbered by looking each node's exact signature (a short list of integers) up in a
// hash table that compares whole signatures, so equal signatures and nothing else share a class;
// ids follow first appearance.
#include "detector/node_classes.h"

#include <algorithm>
#include <cstring>

namespace bugseek::detector {
namespace {

uint64_t hash_of(const int64_t* begin, size_t size) {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ size;
  for (size_t i = 0; i < size; ++i) {
    h = (h ^ static_cast<uint64_t>(begin[i])) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  return h;
}

// Classes of the nodes whose signatures are flat[start[v]] .. flat[start[v + 1] - 1]: an open
// addressing table of each class's first node (no allocation per node).
NodeClasses classes_of(const std::vector<int64_t>& flat, const std::vector<size_t>& start) {
  const size_t n = start.size() - 1;
  size_t capacity = 16;
  while (capacity < 2 * n) capacity *= 2;
  std::vector<int32_t> first(capacity, -1);  // a class's first node, by hash slot
  NodeClasses out;
  out.of_node.resize(n);
  for (size_t v = 0; v < n; ++v) {
    const int64_t* sig = flat.data() + start[v];
    const size_t size = start[v + 1] - start[v];
    for (size_t slot = hash_of(sig, size) & (capacity - 1);; slot = (slot + 1) & (capacity - 1)) {
      const int32_t u = first[slot];
      if (u < 0) {
        first[slot] = static_cast<int32_t>(v);
        out.of_node[v] = out.num_classes++;
        break;
      }
      const auto w = static_cast<size_t>(u);
      if (start[w + 1] - start[w] == size &&
          std::memcmp(flat.data() + start[w], sig, size * sizeof(int64_t)) == 0) {
        out.of_node[v] = out.of_node[w];
        break;
      }
    }
  }
  return out;
}

}  // namespace

NodeClasses input_classes(const data::Batch& batch) {
  const auto n = static_cast<size_t>(batch.num_nodes);
  std::vector<int64_t> flat;
  flat.reserve(n * (1 + data::kMaxSubtokens));
  std::vector<size_t> start;
  start.reserve(n + 1);
  for (size_t v = 0; v < n; ++v) {
    start.push_back(flat.size());
    flat.push_back(batch.node_types[v]);
    for (size_t j = 0; j < static_cast<size_t>(data::kMaxSubtokens); ++j) {
      flat.push_back(batch.subtokens[v * data::kMaxSubtokens + j]);
    }
  }
  start.push_back(flat.size());
  return classes_of(flat, start);
}

NodeClasses refine_classes(const NodeClasses& classes, const int64_t* src, const int64_t* rel,
                           const int64_t* dst_order, const int64_t* dst_ptr) {
  const size_t n = classes.of_node.size();
  const int64_t c = classes.num_classes;
  std::vector<int64_t> flat;
  std::vector<size_t> start;
  start.reserve(n + 1);
  for (size_t v = 0; v < n; ++v) {
    start.push_back(flat.size());
    flat.push_back(classes.of_node[v]);
    const size_t first = flat.size();
    for (int64_t k = dst_ptr[v]; k < dst_ptr[v + 1]; ++k) {
      const int64_t e = dst_order[k];
      flat.push_back(rel[e] * c + classes.of_node[static_cast<size_t>(src[e])]);
    }
    // A set: max ignores how often and in which order a message comes.
    std::sort(flat.begin() + static_cast<std::ptrdiff_t>(first), flat.end());
    flat.erase(std::unique(flat.begin() + static_cast<std::ptrdiff_t>(first), flat.end()),
               flat.end());
  }
  start.push_back(flat.size());
  return classes_of(flat, start);
}

}  // namespace bugseek::detector
