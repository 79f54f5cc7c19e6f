// Language registry: a language is a tree-sitter grammar plus rules tables (which node types are
// functions, scopes, statements, names...). Graph passes read the rules, never a language name,
// so adding JavaScript or Go means adding one registry entry and its rules file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

struct TSLanguage;

namespace bugseek::parser {

struct LanguageRules;  // per-language tables, defined in parser/<lang>_rules.h

struct Language {
  std::string name;             // "python"
  std::string grammar_version;  // npm version of the grammar package
  std::vector<std::string> extensions;  // {".py"}
  const TSLanguage* (*grammar)();       // tree_sitter_<name>
  const LanguageRules* rules;
};

// Every registered language. The first entry is the default.
const std::vector<Language>& languages();
// By name ("python"); nullptr if none.
const Language* find_language(std::string_view name);
// By file extension of `path`; nullptr if none.
const Language* language_for_path(std::string_view path);

}  // namespace bugseek::parser
