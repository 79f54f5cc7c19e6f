// Per-language rules tables: which grammar node types are functions, statements, names, strings...
// A <lang>_rules.cc file writes the tables by type name; resolve() turns them into per-symbol-id
// bit sets once, when the registry is built, so graph passes test `rules.is(type_id, kTcX)` and
// never compare strings in hot loops.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

struct TSLanguage;

namespace bugseek::parser {

// What a node type is for the passes. A type can belong to several classes. Append new classes
// (the semantic passes may add theirs) at the end; at most 32.
enum TypeClass : uint32_t {
  kTcFunction = 1u << 0,        // a def (function_definition): a unit unless nested
  kTcLambda = 1u << 1,          // a lambda expression: a unit when it is a statement's value
  kTcClass = 1u << 2,           // a class definition: its name prefixes qualified names
  kTcDecorated = 1u << 3,       // decorators + a definition (its `definition` field)
  kTcStatement = 1u << 4,       // any statement
  kTcCompound = 1u << 5,        // a statement holding blocks (if, for, while, try, with, def...)
  kTcBlock = 1u << 6,           // a statement list (module, block)
  kTcIdentifier = 1u << 7,      // a name token
  kTcString = 1u << 8,          // string-like: one token leaf unless it holds code
  kTcInterpolation = 1u << 9,   // code inside a string-like node (f-string `{...}`)
  kTcSkip = 1u << 10,           // never in a graph (comments, line continuations)
  kTcComprehension = 1u << 11,  // list/set/dict comprehensions and generator expressions
  kTcModule = 1u << 12,         // the root of a file
  kTcError = 1u << 13,          // ERROR nodes (see kErrorTypeId)
  kTcLiteral = 1u << 14,        // numbers, strings, True/False/None
  kTcAssignment = 1u << 15,     // `left = right` (chains through its `right` field)
  kTcExpressionStatement = 1u << 16,  // a statement made of one expression or assignment
};

constexpr uint16_t kNoSymbol = 0;  // grammar symbol 0 is the end token, never a node type

struct LanguageRules {
  // ---- Written by <lang>_rules.cc, by name. ----
  std::vector<std::pair<std::string_view, uint32_t>> named_types;  // named type -> TypeClass bits
  std::vector<std::pair<std::string_view, uint32_t>> anonymous_types;  // keywords, operators
  std::string_view field_name = "name";                                // def/class name
  std::string_view field_body = "body";                                // def/class/lambda body
  std::string_view field_definition = "definition";                    // decorated -> def/class
  std::string_view field_right = "right";                              // assignment value
  std::string_view field_left = "left";                                // assignment target
  std::string_view string_segment_type = "string_content";  // type of merged string pieces
  // Semantic passes (parser/semantic_roles.h): named type -> SemRole, and SemField -> field name.
  std::vector<std::pair<std::string_view, uint8_t>> role_types;
  std::vector<std::string_view> role_fields;

  // ---- Filled by resolve() against the grammar. ----
  const TSLanguage* grammar = nullptr;
  std::vector<uint32_t> classes;             // by symbol id: TypeClass bits
  std::vector<std::string_view> type_names;  // by symbol id (names live in the grammar)
  uint16_t id_name = 0, id_body = 0, id_definition = 0, id_right = 0, id_left = 0;  // 0 = none
  uint16_t string_segment_symbol = kNoSymbol;
  std::vector<uint8_t> roles;  // by symbol id: SemRole (0 = none)

  // Resolves the tables against `grammar`. Throws Error if a listed type is not in the grammar.
  void resolve(const TSLanguage* grammar);

  // Whether node type `type_id` (a Node::type_id) belongs to any class in `mask`.
  bool is(uint16_t type_id, uint32_t mask) const;
  // The id of a named node type ("assignment"), or kNoSymbol if the grammar has none.
  uint16_t named_symbol(std::string_view name) const;
  // The id of a field ("left"), or 0 if the grammar has none.
  uint16_t field_id(std::string_view name) const;
  // The grammar type name of `type_id` ("ERROR" for kErrorTypeId, "symbol" for kSymbolTypeId).
  std::string_view type_name(uint16_t type_id) const;
};

// The Python tables (parser/python_rules.cc), resolved against `grammar`.
LanguageRules python_rules(const TSLanguage* grammar);

}  // namespace bugseek::parser
