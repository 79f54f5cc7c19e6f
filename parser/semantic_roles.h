// What the semantic passes (scopes, data flow, control flow) need to know about node types and
// fields, as small enums. A language's rules file maps its grammar's type and field names onto
// these roles (LanguageRules::role_types / role_fields); the passes switch on roles only, so a new
// language with Python-like constructs needs a table, not new pass code.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "parser/code_graph.h"
#include "parser/language_rules.h"

namespace bugseek::parser {

enum SemRole : uint8_t {
  kRoleNone = 0,       // evaluate children in order
  kRoleIdentifier,     // a name token
  kRoleModule,         // root of a file
  kRoleFunction,       // def: name, parameters, body (own scope)
  kRoleLambda,         // lambda: parameters, body (own scope)
  kRoleClass,          // class: name, superclasses, body (own scope, invisible to nested scopes)
  kRoleDecorated,      // decorators then `definition`
  kRoleComprehension,  // list/set/dict comprehension, generator expression (own scope)
  kRoleForIn,          // comprehension `for left in right`
  kRoleIfClause,       // comprehension `if cond`, case guard
  kRoleParameters,     // parameter list of a def or lambda
  kRoleTypedParameter,    // `x: T` (also `*a: T`): the non-`type` child is the name
  kRoleDefaultParameter,  // `x=v`, `x: T = v`: fields name, type, value
  kRoleBlock,          // statement list
  kRoleAssignment,     // left = right (right may chain), optional `type`
  kRoleAugAssignment,  // left op= right
  kRoleNamedExpr,      // name := value
  kRoleFor,            // for left in right: body else
  kRoleWhile,          // while condition: body else
  kRoleIf,             // if condition: consequence alternative*
  kRoleElif,           // elif condition: consequence
  kRoleElse,           // else: body
  kRoleTry,            // try: body, handlers, else, finally
  kRoleExcept,         // except value as alias: block
  kRoleFinally,        // finally: block
  kRoleWith,           // with items: body
  kRoleAsPattern,      // `expr as target` (with items, case patterns)
  kRoleAsTarget,       // the target of an as_pattern
  kRoleMatch,          // match subject: case clauses
  kRoleCase,           // case patterns [guard]: consequence
  kRolePattern,        // case pattern containers (case_pattern, union_pattern)
  kRoleDottedName,     // a.b.c (import paths, value and capture patterns)
  kRoleClassPattern,   // Cls(p, k=p)
  kRoleKeywordPattern, // k=p inside a class pattern
  kRoleSplatPattern,   // *rest / **rest capture in a case pattern
  kRoleDictPattern,    // {key: p, **rest}
  kRoleReturn,
  kRoleYield,
  kRoleRaise,
  kRoleBreak,
  kRoleContinue,
  kRoleGlobal,         // global a, b
  kRoleNonlocal,       // nonlocal a, b
  kRoleImport,         // import a.b, c as d
  kRoleImportFrom,     // from m import a, b as c
  kRoleFutureImport,   // from __future__ import x: binds nothing we track
  kRoleAliasedImport,  // name as alias
  kRoleAttribute,      // object.attribute: attribute is not a variable
  kRoleKeywordArgument,  // name=value in a call: name is not a variable
  kRoleConditionalExpr,  // a if c else b
  kRoleBooleanOp,      // a and b, a or b
  kRoleDelete,         // del targets
  kRoleTypeAlias,      // type X = ...
  kRoleDestructure,    // tuple/list/pattern_list/parenthesized/starred: targets pass through
  kRoleSubscript,      // value[index]
  kNumSemRoles,
};

enum SemField : uint8_t {
  kFieldNone = 0,
  kFieldName,
  kFieldBody,
  kFieldParameters,
  kFieldLeft,
  kFieldRight,
  kFieldValue,
  kFieldAlias,
  kFieldType,
  kFieldAttribute,
  kFieldObject,
  kFieldCondition,
  kFieldConsequence,
  kFieldAlternative,
  kFieldGuard,
  kFieldSubject,
  kFieldDefinition,
  kFieldModuleName,
  kFieldKey,
  kNumSemFields,
};

// The Python tables: fills rules.role_types and rules.role_fields (call before resolve()).
void set_python_semantic_tables(LanguageRules& rules);

// Per-graph view the semantic passes share: each node's role and field as enums, its subtree
// end (pre-order), all computed in one linear pass with no string compares per node.
struct SemanticView {
  SemanticView(const CodeGraph& graph, const LanguageRules& rules);

  SemRole role(uint32_t node) const { return static_cast<SemRole>(roles[node]); }
  SemField field(uint32_t node) const { return static_cast<SemField>(fields[node]); }
  bool is_statement(uint32_t node) const { return statement[node] != 0; }
  // First child of `node` reached through `f`, or UINT32_MAX.
  uint32_t child(uint32_t node, SemField f) const;

  const CodeGraph& graph;
  const LanguageRules& rules;
  uint32_t syntax_count = 0;      // nodes before the symbol nodes
  std::vector<uint8_t> roles;     // by node: SemRole
  std::vector<uint8_t> fields;    // by node: SemField of the edge from its parent
  std::vector<uint8_t> statement;  // by node: 1 if a statement (rules kTcStatement)
  std::vector<uint32_t> subtree_end;  // by node: one past the last node of its subtree
};

constexpr uint32_t kNoIndex = UINT32_MAX;

}  // namespace bugseek::parser
