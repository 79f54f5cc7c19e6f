// Fixed vocabularies besides SentencePiece: node types (from the grammar's symbol ids, so they
// are stable for a grammar version) and the replacement texts of kText candidates (a table in
// this file, append-only, because model files store embeddings indexed by it).
#pragma once

#include <cstdint>
#include <string_view>

#include "parser/code_graph.h"
#include "parser/language.h"
#include "parser/rewrites.h"

namespace bugseek::data {

// Node type ids: 0 pads, then symbol nodes, ERROR nodes, grammar ids out of range, and
// kNodeTypeFirstGrammar + the grammar symbol id (ts_node_symbol) for everything else.
constexpr int32_t kNodeTypeSymbol = 1;
constexpr int32_t kNodeTypeError = 2;
constexpr int32_t kNodeTypeUnknown = 3;
constexpr int32_t kNodeTypeFirstGrammar = 4;

// Number of node type ids for `language` (the node type embedding's rows).
int32_t node_type_vocab_size(const parser::Language& language);
// The id of `node`; ids at or past `vocab_size` become kNodeTypeUnknown.
inline int32_t node_type_id(const parser::Node& node, int32_t vocab_size) {
  if (node.kind == parser::NodeKind::kSymbol || node.type_id == parser::kSymbolTypeId) {
    return kNodeTypeSymbol;
  }
  if (node.type_id == parser::kErrorTypeId) return kNodeTypeError;
  const int32_t id = kNodeTypeFirstGrammar + node.type_id;
  return id < vocab_size ? id : kNodeTypeUnknown;
}

// Replacement-text ids for kText candidates: 0 = not a text candidate, 1 = unknown text,
// 2 = insert `not`, 3 = remove `not`, then the table below.
constexpr int32_t kTextNone = 0;
constexpr int32_t kTextUnknown = 1;
constexpr int32_t kTextNotInsert = 2;
constexpr int32_t kTextNotRemove = 3;
constexpr int32_t kTextFirstEntry = 4;

// Rows of the replacement-text embedding.
int32_t text_vocab_size();
// The text of id `id` ("<=", "True", "<not-insert>"); "" past the end.
std::string_view text_vocab_entry(int32_t id);
// The id of replacement `rewrite` at `site` (kTextUnknown when it is not in the table).
int32_t text_id(const parser::Site& site, const parser::Rewrite& rewrite);
// The id of a plain replacement text ("<=", "-1", "and"), kTextUnknown if absent.
int32_t text_id(std::string_view replacement);

}  // namespace bugseek::data
