#include "data/node_vocab.h"

#include <tree_sitter/api.h>

#include <string>
#include <unordered_map>

namespace bugseek::data {
namespace {

// Append only: ids are part of the model file format.
constexpr std::string_view kTextTable[] = {
    // binary operators
    "+", "-", "*", "/", "//", "%", "**", "@", "<<", ">>", "&", "|", "^",
    // augmented assignment
    "+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=", "<<=", ">>=", "&=", "|=", "^=", "=",
    // comparisons
    "<", "<=", ">", ">=", "==", "!=", "is", "is not", "in", "not in",
    // boolean operators
    "and", "or",
    // literals
    "-2", "-1", "0", "1", "2", "True", "False", "None",
    // other languages' spellings (JavaScript, C family)
    "&&", "||", "===", "!==", "true", "false",
};
constexpr int32_t kTableSize = static_cast<int32_t>(sizeof(kTextTable) / sizeof(kTextTable[0]));

const std::unordered_map<std::string_view, int32_t>& text_index() {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string_view, int32_t>();
    for (int32_t i = 0; i < kTableSize; ++i) m->emplace(kTextTable[i], kTextFirstEntry + i);
    return m;
  }();
  return *index;
}

bool starts_with_not(std::string_view s) {
  return s.size() > 3 && s.substr(0, 3) == "not" && (s[3] == ' ' || s[3] == '(' || s[3] == '\t');
}

}  // namespace

int32_t node_type_vocab_size(const parser::Language& language) {
  return kNodeTypeFirstGrammar + static_cast<int32_t>(ts_language_symbol_count(language.grammar()));
}

int32_t text_vocab_size() { return kTextFirstEntry + kTableSize; }

std::string_view text_vocab_entry(int32_t id) {
  switch (id) {
    case kTextNone: return "<none>";
    case kTextUnknown: return "<unknown>";
    case kTextNotInsert: return "<not-insert>";
    case kTextNotRemove: return "<not-remove>";
    default: break;
  }
  if (id < kTextFirstEntry || id >= text_vocab_size()) return "";
  return kTextTable[id - kTextFirstEntry];
}

int32_t text_id(std::string_view replacement) {
  const auto& index = text_index();
  auto it = index.find(replacement);
  return it == index.end() ? kTextUnknown : it->second;
}

int32_t text_id(const parser::Site& site, const parser::Rewrite& rewrite) {
  if (site.kind == parser::BugKind::kBooleanOperator) {
    const bool was_not = starts_with_not(site.original);
    const bool is_not = starts_with_not(rewrite.replacement);
    if (is_not && !was_not) return kTextNotInsert;
    if (was_not && !is_not) return kTextNotRemove;
  }
  return text_id(rewrite.replacement);
}

}  // namespace bugseek::data
