// The doctor's graph check on the production step (train/doctor.h, check_step_graphs): the graph
// the model is fed for each planted bug must be its clean function's graph with the bug in it,
// i.e. the two token sequences in the batch agree everywhere but inside the target's edit.
#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>
#include <vector>

#include "data/function_graph.h"
#include "parser/language.h"
#include "train/doctor.h"
#include "train/phases.h"

namespace bugseek::train {
namespace {

// One token as the model sees it: its node type and its subtoken ids.
struct TokenView {
  int32_t type = 0;
  std::array<int32_t, data::kMaxSubtokens> subtokens{};
  bool operator==(const TokenView& o) const { return type == o.type && subtokens == o.subtokens; }
};

// Token views of the nodes `tokens[begin, end)` (node indices into `types` and `subtokens`).
std::vector<TokenView> token_views(const std::vector<int32_t>& tokens, size_t begin, size_t end,
                                   const std::vector<int32_t>& types,
                                   const std::vector<int32_t>& subtokens) {
  std::vector<TokenView> out;
  out.reserve(end - begin);
  for (size_t t = begin; t < end; ++t) {
    const auto node = static_cast<size_t>(tokens[t]);
    TokenView v;
    v.type = types[node];
    std::copy_n(subtokens.begin() + static_cast<ptrdiff_t>(node * data::kMaxSubtokens),
                data::kMaxSubtokens, v.subtokens.begin());
    out.push_back(v);
  }
  return out;
}

// Graph `g` of the batch, as the model's tensors will hold it.
std::vector<TokenView> batch_tokens(const data::Batch& b, int g) {
  const auto gi = static_cast<size_t>(g);
  return token_views(b.tokens, static_cast<size_t>(b.token_offsets[gi]),
                     static_cast<size_t>(b.token_offsets[gi + 1]), b.node_types, b.subtokens);
}

std::vector<TokenView> graph_tokens(const data::GraphFeatures& f) {
  return token_views(f.tokens, 0, f.tokens.size(), f.node_types, f.subtokens);
}

// The token nodes of `graph` in the featurizer's order (GraphFeatures::tokens).
std::vector<int32_t> token_nodes(const parser::CodeGraph& graph) {
  std::vector<int32_t> out;
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    if (graph.nodes[i].kind == parser::NodeKind::kToken) out.push_back(static_cast<int32_t>(i));
  }
  return out;
}

// Whether a token at `span` belongs to the edit of bytes [begin, end): it overlaps them, or, for
// an insertion (begin == end), it touches the insertion point.
bool in_edit(const parser::Span& span, uint32_t begin, uint32_t end) {
  if (begin == end) return span.start_byte <= begin && begin <= span.end_byte;
  return span.start_byte < end && span.end_byte > begin;
}

std::string byte_range(uint32_t begin, uint32_t end) {
  return "bytes " + std::to_string(begin) + "-" + std::to_string(end);
}

}  // namespace

DoctorCheck check_step_graphs(const StepData& step, const StepBatch& batch, uint32_t max_nodes,
                              data::Featurizer& featurizer) {
  DoctorCheck check{"graphs (the production step's buggy vs clean)", false, ""};
  std::unordered_map<const data::GraphFeatures*, int> graph_of;
  for (size_t g = 0; g < batch.graphs.size(); ++g) graph_of[batch.graphs[g]] = static_cast<int>(g);
  int bugs = 0, inside = 0, hidden = 0;
  std::string first_problem;
  auto note = [&](const std::string& problem) {
    if (first_problem.empty()) first_problem = problem;
  };
  for (size_t j = 0; j < step.jobs.size(); ++j) {
    const int g_buggy = batch.graph_of_job[j];
    if (g_buggy < 0) continue;
    ++bugs;
    const size_t function = step.jobs[j].function;
    const data::Sample& sample = step.buggy[j];
    const data::FunctionRecord& record = *step.records[function];
    const auto clean_it = graph_of.find(&step.clean[function].features);
    if (clean_it == graph_of.end()) {
      note(record.name + ": the clean function's graph is not in the batch");
      continue;
    }
    // Byte spans of the tokens: the labelled buggy code and the clean code, parsed again.
    const parser::Language* language = parser::find_language(record.language);
    data::FunctionGraph buggy_graph, clean_graph;
    if (language == nullptr ||
        data::build_function_graph(sample.buggy_text, *language, max_nodes, buggy_graph) !=
            data::GraphStatus::kOk ||
        data::build_function_graph(record.text, *language, max_nodes, clean_graph) !=
            data::GraphStatus::kOk) {
      note(record.name + ": the buggy or the clean code does not parse again");
      continue;
    }
    const int32_t cand = sample.features.target_cand;
    if (cand < 0 || static_cast<size_t>(cand) >= buggy_graph.sites.rewrites.size()) {
      note(record.name + ": target candidate " + std::to_string(cand) + " of " +
           std::to_string(buggy_graph.sites.rewrites.size()));
      continue;
    }
    // The target's edit, in the buggy code and (shifted by the length change) in the clean code.
    const parser::TextEdit& edit = buggy_graph.sites.rewrites[static_cast<size_t>(cand)].edit;
    const uint32_t clean_end = edit.start_byte + static_cast<uint32_t>(edit.new_text.size());
    const std::vector<TokenView> buggy = batch_tokens(batch.batch, g_buggy);
    const std::vector<TokenView> clean = batch_tokens(batch.batch, clean_it->second);
    const std::vector<int32_t> buggy_nodes = token_nodes(buggy_graph.graph);
    const std::vector<int32_t> clean_nodes = token_nodes(clean_graph.graph);
    if (buggy.size() != buggy_nodes.size() || clean.size() != clean_nodes.size()) {
      note(record.name + ": the model's buggy and clean graphs have " +
           std::to_string(buggy.size()) + " and " + std::to_string(clean.size()) +
           " tokens, their code " + std::to_string(buggy_nodes.size()) + " and " +
           std::to_string(clean_nodes.size()));
      continue;
    }
    // The tokens that differ: those between the longest common prefix and suffix. Every token
    // outside the edit agrees exactly when all of them lie inside it, on both sides.
    size_t prefix = 0;
    while (prefix < buggy.size() && prefix < clean.size() && buggy[prefix] == clean[prefix]) {
      ++prefix;
    }
    size_t suffix = 0;
    while (suffix < buggy.size() - prefix && suffix < clean.size() - prefix &&
           buggy[buggy.size() - 1 - suffix] == clean[clean.size() - 1 - suffix]) {
      ++suffix;
    }
    if (prefix == buggy.size() && prefix == clean.size()) {
      // Identical to the model. Fine only if the labelled codes' own graphs look identical too
      // (a bug past the labels' kMaxSubtokens subtokens, or in pieces the vocabulary lacks).
      if (graph_tokens(featurizer.featurize(buggy_graph.graph, buggy_graph.sites)) ==
          graph_tokens(featurizer.featurize(clean_graph.graph, clean_graph.sites))) {
        ++hidden;
      } else {
        note(record.name + ": the model's buggy graph has the clean graph's tokens; the bug " +
             "the target repairs (" + byte_range(edit.start_byte, edit.old_end_byte) +
             " of the buggy code, to be '" + edit.new_text + "') never reaches it");
      }
      continue;
    }
    auto outside = [&](const std::vector<int32_t>& nodes, const data::FunctionGraph& fg, size_t end,
                       uint32_t edit_begin, uint32_t edit_end, const char* which) -> bool {
      for (size_t t = prefix; t < end; ++t) {
        const parser::Node& node = fg.graph.nodes[static_cast<size_t>(nodes[t])];
        if (in_edit(node.span, edit_begin, edit_end)) continue;
        note(record.name + ": the model's buggy and clean graphs differ at token " +
             std::to_string(t) + " ('" + node.text + "', " +
             byte_range(node.span.start_byte, node.span.end_byte) + " of the " + which +
             " code), outside the target's edit (" + byte_range(edit_begin, edit_end) + ")");
        return true;
      }
      return false;
    };
    if (outside(buggy_nodes, buggy_graph, buggy.size() - suffix, edit.start_byte, edit.old_end_byte,
                "buggy") ||
        outside(clean_nodes, clean_graph, clean.size() - suffix, edit.start_byte, clean_end,
                "clean")) {
      continue;
    }
    ++inside;
  }
  check.passed = bugs > 0 && inside > 0 && inside + hidden == bugs;
  check.detail = std::to_string(inside) + "/" + std::to_string(bugs) +
                 " buggy graphs differ from their clean graphs only inside the target's edit";
  if (hidden > 0) {
    check.detail += ", " + std::to_string(hidden) + "/" + std::to_string(bugs) +
                    " not at all (the vocabulary's labels hide the bug)";
  }
  if (bugs == 0) check.detail += "; no bug was planted in the step";
  if (!first_problem.empty()) check.detail += "; first problem: " + first_problem;
  return check;
}

}  // namespace bugseek::train
