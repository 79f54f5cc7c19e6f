// The language registry: one entry per compiled grammar, built once on first use.
#include "parser/language.h"

#include <tree_sitter/api.h>

#include "parser/language_rules.h"

extern "C" const TSLanguage* tree_sitter_python(void);

#ifndef BUGSEEK_GRAMMAR_python_VERSION
#define BUGSEEK_GRAMMAR_python_VERSION "unknown"
#endif

namespace bugseek::parser {
namespace {

const TSLanguage* python_grammar() { return tree_sitter_python(); }

struct Registry {
  LanguageRules python = python_rules(tree_sitter_python());
  std::vector<Language> entries{
      Language{"python", BUGSEEK_GRAMMAR_python_VERSION, {".py", ".pyi"}, &python_grammar, &python},
  };
};

const Registry& registry() {
  static const Registry instance;  // thread-safe initialization; immutable afterwards
  return instance;
}

}  // namespace

const std::vector<Language>& languages() { return registry().entries; }

const Language* find_language(std::string_view name) {
  for (const auto& lang : languages()) {
    if (lang.name == name) return &lang;
  }
  return nullptr;
}

const Language* language_for_path(std::string_view path) {
  for (const auto& lang : languages()) {
    for (const auto& ext : lang.extensions) {
      if (path.size() >= ext.size() && path.substr(path.size() - ext.size()) == ext) return &lang;
    }
  }
  return nullptr;
}

}  // namespace bugseek::parser
