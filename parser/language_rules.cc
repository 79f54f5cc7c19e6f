// Resolving a language's rules tables (type names) into per-symbol-id bit sets.
#include "parser/language_rules.h"

#include <tree_sitter/api.h>

#include <string>

#include "common/error.h"
#include "parser/code_graph.h"

namespace bugseek::parser {
namespace {

void mark(LanguageRules& rules, std::string_view name, uint32_t bits, TSSymbolType want) {
  bool found = false;
  for (uint32_t id = 0; id < rules.classes.size(); ++id) {
    if (ts_language_symbol_type(rules.grammar, static_cast<TSSymbol>(id)) != want) continue;
    if (rules.type_names[id] != name) continue;
    rules.classes[id] |= bits;
    found = true;
  }
  if (!found) {
    throw_error(
        "LanguageRules::resolve", "",
        "node type '" + std::string(name) + "' is listed in the rules but not in the grammar");
  }
}

}  // namespace

void LanguageRules::resolve(const TSLanguage* lang) {
  grammar = lang;
  const uint32_t count = ts_language_symbol_count(lang);
  classes.assign(count, 0);
  type_names.resize(count);
  for (uint32_t id = 0; id < count; ++id) {
    const char* name = ts_language_symbol_name(lang, static_cast<TSSymbol>(id));
    type_names[id] = name ? std::string_view(name) : std::string_view();
  }
  for (const auto& [name, bits] : named_types) mark(*this, name, bits, TSSymbolTypeRegular);
  for (const auto& [name, bits] : anonymous_types) mark(*this, name, bits, TSSymbolTypeAnonymous);
  roles.assign(count, 0);
  for (const auto& [name, role] : role_types) {
    for (uint32_t id = 0; id < count; ++id) {
      if (type_names[id] == name &&
          ts_language_symbol_type(lang, static_cast<TSSymbol>(id)) == TSSymbolTypeRegular) {
        roles[id] = role;
      }
    }
  }
  id_name = field_id(field_name);
  id_body = field_id(field_body);
  id_definition = field_id(field_definition);
  id_right = field_id(field_right);
  id_left = field_id(field_left);
  string_segment_symbol = named_symbol(string_segment_type);
}

bool LanguageRules::is(uint16_t type_id, uint32_t mask) const {
  if (type_id < classes.size()) return (classes[type_id] & mask) != 0;
  return type_id == kErrorTypeId && (mask & kTcError) != 0;
}

uint16_t LanguageRules::named_symbol(std::string_view name) const {
  for (uint32_t id = 0; id < type_names.size(); ++id) {
    if (type_names[id] == name &&
        ts_language_symbol_type(grammar, static_cast<TSSymbol>(id)) == TSSymbolTypeRegular) {
      return static_cast<uint16_t>(id);
    }
  }
  return kNoSymbol;
}

uint16_t LanguageRules::field_id(std::string_view name) const {
  if (!grammar || name.empty()) return 0;
  return ts_language_field_id_for_name(grammar, name.data(), static_cast<uint32_t>(name.size()));
}

std::string_view LanguageRules::type_name(uint16_t type_id) const {
  if (type_id < type_names.size()) return type_names[type_id];
  if (type_id == kErrorTypeId) return "ERROR";
  if (type_id == kSymbolTypeId) return "symbol";
  return "?";
}

}  // namespace bugseek::parser
