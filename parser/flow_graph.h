// The flow graph behind the data-flow and control-flow passes: basic blocks of events (name reads
// and writes, statement entries) in evaluation order, joined by may-follow edges through
// branches, loops (back edges, else, break/continue), try/except/else/finally, match cases,
// comprehensions, conditional expressions and short-circuit operators. Nested function and lambda
// bodies are their own regions, entered from their definition point by "closure" edges that data
// flow follows (an inner read sees the outer writes before the def) and control flow does not.
// Built from the syntax tree with an explicit work stack, so deep nesting cannot overflow.
#pragma once

#include <cstdint>
#include <vector>

#include "parser/semantic_roles.h"

namespace bugseek::parser {

enum FlowEventKind : uint8_t {
  kEvRead = 0,         // item = occurrence index
  kEvWrite = 1,        // item = occurrence index
  kEvSilentWrite = 2,  // the write half of `x += v`: updates state, adds no edges of its own
  kEvMarker = 3,       // item = statement (or clause) node entered
};

struct FlowEvent {
  uint32_t item = 0;
  uint32_t block = 0;
  FlowEventKind kind = kEvRead;
};

struct FlowGraph {
  uint32_t num_blocks = 0;
  std::vector<FlowEvent> events;     // grouped by block, in evaluation order within a block
  std::vector<uint32_t> event_begin;  // by block: first event (size num_blocks + 1)
  std::vector<uint32_t> succ_begin;   // by block: CSR of successors (size num_blocks + 1)
  std::vector<uint32_t> succ;         // successor block ids
  std::vector<uint8_t> succ_closure;  // parallel to succ: 1 for closure (def -> body) edges
};

struct FlowOptions {
  bool name_events = true;  // emit read/write events (needs `occurrence_of`)
  bool markers = true;      // emit statement-entry markers
};

// Builds the flow graph of `view`'s unit. `occurrence_of` maps a token node to its index in
// graph.occurrences (kNoIndex for none); it may be empty when options.name_events is false.
FlowGraph build_flow_graph(const SemanticView& view, const std::vector<uint32_t>& occurrence_of,
                           const FlowOptions& options);

}  // namespace bugseek::parser
