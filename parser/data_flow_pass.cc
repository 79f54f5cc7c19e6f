// The data-flow pass: LastRead / LastWrite by a may-reach analysis over the flow graph, and
// ComputedFrom from assignment-like constructs.
//
// The state at a program point is, per symbol, the set of reads and the set of writes that may
// have been the most recent ones. Bits are numbered so that each symbol's reads, then its writes,
// form one contiguous range: an event clears its range and sets its own bit. States are bitsets
// per block, iterated to a fixed point with a worklist; when blocks x words would be too large,
// the symbols are processed in chunks so memory stays bounded.
#include <algorithm>
#include <deque>
#include <vector>

#include "parser/flow_graph.h"
#include "parser/graph_passes.h"
#include "parser/semantic_roles.h"

namespace bugseek::parser {
namespace {

constexpr size_t kMaxStateWords = size_t{1} << 22;  // 32 MiB of block states per chunk

struct BitLayout {
  std::vector<uint32_t> read_begin;   // by symbol
  std::vector<uint32_t> write_begin;  // by symbol; writes end at read_begin[s + 1]
  std::vector<uint32_t> bit_token;    // by bit
  std::vector<uint32_t> event_bit;    // by flow event (UINT32_MAX for markers)
  std::vector<uint32_t> event_symbol;
};

BitLayout layout_bits(const CodeGraph& graph, const FlowGraph& flow) {
  const size_t num_symbols = graph.symbols.size();
  BitLayout l;
  std::vector<uint32_t> reads(num_symbols, 0), writes(num_symbols, 0);
  for (const FlowEvent& e : flow.events) {
    if (e.kind == kEvMarker) continue;
    const uint32_t s = graph.occurrences[e.item].symbol;
    (e.kind == kEvRead ? reads : writes)[s]++;
  }
  l.read_begin.assign(num_symbols + 1, 0);
  l.write_begin.assign(num_symbols, 0);
  uint32_t next = 0;
  for (size_t s = 0; s < num_symbols; ++s) {
    l.read_begin[s] = next;
    l.write_begin[s] = next + reads[s];
    next += reads[s] + writes[s];
  }
  l.read_begin[num_symbols] = next;
  l.bit_token.assign(next, 0);
  std::vector<uint32_t> fill_r(l.read_begin.begin(), l.read_begin.end() - 1);
  std::vector<uint32_t> fill_w(l.write_begin);
  l.event_bit.assign(flow.events.size(), UINT32_MAX);
  l.event_symbol.assign(flow.events.size(), 0);
  for (size_t i = 0; i < flow.events.size(); ++i) {
    const FlowEvent& e = flow.events[i];
    if (e.kind == kEvMarker) continue;
    const Occurrence& o = graph.occurrences[e.item];
    const uint32_t bit = e.kind == kEvRead ? fill_r[o.symbol]++ : fill_w[o.symbol]++;
    l.event_bit[i] = bit;
    l.event_symbol[i] = o.symbol;
    l.bit_token[bit] = o.token;
  }
  return l;
}

void clear_bits(uint64_t* words, uint32_t lo, uint32_t hi) {
  for (uint32_t b = lo; b < hi;) {
    if ((b & 63) == 0 && b + 64 <= hi) {
      words[b >> 6] = 0;
      b += 64;
    } else {
      words[b >> 6] &= ~(uint64_t{1} << (b & 63));
      ++b;
    }
  }
}

class ReachingAccesses {
 public:
  ReachingAccesses(const CodeGraph& graph, const FlowGraph& flow, const BitLayout& bits)
      : graph_(graph), flow_(flow), bits_(bits) {}

  void run(std::vector<Edge>& out) {
    const size_t num_symbols = graph_.symbols.size();
    const size_t blocks = std::max<size_t>(flow_.num_blocks, 1);
    const size_t max_bits = std::max<size_t>(64, kMaxStateWords / blocks * 64);
    for (size_t s0 = 0; s0 < num_symbols;) {
      size_t s1 = s0 + 1;
      while (s1 < num_symbols && bits_.read_begin[s1 + 1] - bits_.read_begin[s0] <= max_bits) ++s1;
      chunk(static_cast<uint32_t>(s0), static_cast<uint32_t>(s1), out);
      s0 = s1;
    }
  }

 private:
  // Applies event i to `state` (bits relative to `base_`); with `out`, first records its edges.
  void apply(size_t i, uint64_t* state, std::vector<Edge>* out) const {
    const FlowEvent& e = flow_.events[i];
    const uint32_t s = bits_.event_symbol[i];
    const uint32_t rb = bits_.read_begin[s] - base_, wb = bits_.write_begin[s] - base_,
                   we = bits_.read_begin[s + 1] - base_;
    if (out && e.kind != kEvSilentWrite) {
      const uint32_t token = graph_.occurrences[e.item].token;
      for (uint32_t b = rb; b < we; ++b) {
        if (state[b >> 6] >> (b & 63) & 1) {
          out->push_back(Edge{token, bits_.bit_token[b + base_],
                              b < wb ? EdgeKind::kLastRead : EdgeKind::kLastWrite, 0});
        }
      }
    }
    const uint32_t bit = bits_.event_bit[i] - base_;
    if (e.kind == kEvRead) {
      clear_bits(state, rb, wb);
    } else {
      clear_bits(state, wb, we);
    }
    state[bit >> 6] |= uint64_t{1} << (bit & 63);
  }

  bool in_chunk(size_t i) const {
    return bits_.event_bit[i] != UINT32_MAX && bits_.event_symbol[i] >= s0_ &&
           bits_.event_symbol[i] < s1_;
  }

  void chunk(uint32_t s0, uint32_t s1, std::vector<Edge>& out) {
    s0_ = s0;
    s1_ = s1;
    base_ = bits_.read_begin[s0];
    const uint32_t nbits = bits_.read_begin[s1] - base_;
    if (nbits == 0) return;
    const size_t words = (nbits + 63) / 64;
    const uint32_t blocks = flow_.num_blocks;
    std::vector<uint64_t> in(static_cast<size_t>(blocks) * words, 0);
    std::vector<uint64_t> tmp(words);
    std::vector<uint8_t> queued(blocks, 1);
    std::deque<uint32_t> work;
    for (uint32_t b = 0; b < blocks; ++b) work.push_back(b);
    while (!work.empty()) {
      const uint32_t b = work.front();
      work.pop_front();
      queued[b] = 0;
      std::copy(in.begin() + b * words, in.begin() + (b + 1) * words, tmp.begin());
      for (uint32_t i = flow_.event_begin[b]; i < flow_.event_begin[b + 1]; ++i) {
        if (in_chunk(i)) apply(i, tmp.data(), nullptr);
      }
      for (uint32_t k = flow_.succ_begin[b]; k < flow_.succ_begin[b + 1]; ++k) {
        const uint32_t t = flow_.succ[k];
        uint64_t* dst = in.data() + static_cast<size_t>(t) * words;
        bool changed = false;
        for (size_t w = 0; w < words; ++w) {
          const uint64_t merged = dst[w] | tmp[w];
          changed |= merged != dst[w];
          dst[w] = merged;
        }
        if (changed && !queued[t]) {
          queued[t] = 1;
          work.push_back(t);
        }
      }
    }
    for (uint32_t b = 0; b < blocks; ++b) {
      std::copy(in.begin() + b * words, in.begin() + (b + 1) * words, tmp.begin());
      for (uint32_t i = flow_.event_begin[b]; i < flow_.event_begin[b + 1]; ++i) {
        if (in_chunk(i)) apply(i, tmp.data(), &out);
      }
    }
  }

  const CodeGraph& graph_;
  const FlowGraph& flow_;
  const BitLayout& bits_;
  uint32_t s0_ = 0, s1_ = 0, base_ = 0;
};

// ComputedFrom: every target name (and the base object of `a.b = ...` / `a[i] = ...`) to every
// name in the value.
class ComputedFrom {
 public:
  ComputedFrom(const SemanticView& view, const std::vector<uint32_t>& occ_of)
      : view_(view), graph_(view.graph), occ_of_(occ_of) {}

  void run(std::vector<Edge>& out) {
    for (uint32_t i = 0; i < view_.syntax_count; ++i) {
      switch (view_.role(i)) {
        case kRoleAssignment: {
          uint32_t value = view_.child(i, kFieldRight);
          while (value != kNoIndex && view_.role(value) == kRoleAssignment) {
            value = view_.child(value, kFieldRight);
          }
          add(view_.child(i, kFieldLeft), value, out);
          break;
        }
        case kRoleAugAssignment:
        case kRoleFor:
          add(view_.child(i, kFieldLeft), view_.child(i, kFieldRight), out);
          break;
        case kRoleNamedExpr:
          add(view_.child(i, kFieldName), view_.child(i, kFieldValue), out);
          break;
        case kRoleForIn: {
          const uint32_t left = view_.child(i, kFieldLeft);
          for (uint32_t c : graph_.children(i)) {
            if (view_.field(c) == kFieldRight) add(left, c, out);
          }
          break;
        }
        case kRoleAsPattern: {  // with ... as target
          uint32_t target = kNoIndex;
          for (uint32_t c : graph_.children(i)) {
            if (view_.role(c) == kRoleAsTarget) target = c;
          }
          if (target == kNoIndex) break;
          for (uint32_t c : graph_.children(i)) {
            if (c == target) break;
            add(target, c, out);
          }
          break;
        }
        default:
          break;
      }
    }
  }

 private:
  void add(uint32_t target, uint32_t value, std::vector<Edge>& out) {
    if (target == kNoIndex || value == kNoIndex) return;
    targets_.clear();
    const uint32_t tend = view_.subtree_end[target];
    for (uint32_t i = target; i < tend;) {
      const SemRole r = view_.role(i);
      if (r == kRoleAttribute || r == kRoleSubscript) {
        uint32_t j = i;
        while (j < tend && graph_.nodes[j].kind == NodeKind::kSyntax) ++j;
        if (j < tend && occ_of_[j] != kNoIndex) targets_.push_back(j);
        i = view_.subtree_end[i];
        continue;
      }
      const uint32_t o = occ_of_[i];
      if (o != kNoIndex && graph_.occurrences[o].is_write) targets_.push_back(i);
      ++i;
    }
    if (targets_.empty()) return;
    const uint32_t vend = view_.subtree_end[value];
    for (uint32_t v = value; v < vend; ++v) {
      if (occ_of_[v] == kNoIndex) continue;
      for (uint32_t t : targets_) out.push_back(Edge{t, v, EdgeKind::kComputedFrom, 0});
    }
  }

  const SemanticView& view_;
  const CodeGraph& graph_;
  const std::vector<uint32_t>& occ_of_;
  std::vector<uint32_t> targets_;
};

}  // namespace

void run_data_flow_pass(CodeGraph& graph, const Language& language) {
  if (!language.rules || graph.occurrences.empty()) return;
  const SemanticView view(graph, *language.rules);
  std::vector<uint32_t> occ_of(view.syntax_count, kNoIndex);
  for (size_t i = 0; i < graph.occurrences.size(); ++i) {
    const uint32_t t = graph.occurrences[i].token;
    if (t < occ_of.size()) occ_of[t] = static_cast<uint32_t>(i);
  }

  const FlowGraph flow = build_flow_graph(view, occ_of, FlowOptions{true, false});
  const BitLayout bits = layout_bits(graph, flow);
  std::vector<Edge> edges;
  ReachingAccesses(graph, flow, bits).run(edges);
  std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) {
    if (a.src != b.src) return a.src < b.src;
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.dst < b.dst;
  });
  // Duplicated finally bodies give some accesses twice.
  edges.erase(std::unique(edges.begin(), edges.end(),
                          [](const Edge& a, const Edge& b) {
                            return a.src == b.src && a.dst == b.dst && a.kind == b.kind;
                          }),
              edges.end());
  ComputedFrom(view, occ_of).run(edges);
  graph.edges.insert(graph.edges.end(), edges.begin(), edges.end());
}

}  // namespace bugseek::parser
