// Featurizing: a unit's CodeGraph and its Sites (plus, for a planted bug, the site and the
// candidate that repairs it) become a GraphFeatures, the torch-free tensors-to-be of one graph.
// A Featurizer caches label encodings, so keep one per worker thread.
#pragma once

#include <string>
#include <unordered_map>

#include "data/batch.h"
#include "data/vocab.h"
#include "parser/code_graph.h"
#include "parser/language.h"
#include "parser/rewrites.h"

namespace bugseek::data {

class Featurizer {
 public:
  // `vocab` must outlive the Featurizer. Node type ids are sized for `language`.
  Featurizer(const Vocabulary& vocab, const parser::Language& language);

  // Features of `graph` with candidates from `sites` (candidate i = sites.rewrites[i]).
  // `target_rewrite` is the rewrite that repairs a planted bug (its site becomes the target
  // site), or -1 for a clean graph. Throws Error if an index in `sites` is out of range.
  GraphFeatures featurize(const parser::CodeGraph& graph, const parser::Sites& sites,
                          int32_t target_rewrite = -1);

  int32_t node_type_vocab_size() const { return node_type_vocab_size_; }

 private:
  const Vocabulary::Subtokens& label(const std::string& text);

  const Vocabulary& vocab_;
  int32_t node_type_vocab_size_;
  std::unordered_map<std::string, Vocabulary::Subtokens> cache_;
};

// The candidate kind of a site's rewrites.
CandidateKind candidate_kind(parser::BugKind kind);

}  // namespace bugseek::data
