// The Python tables for tree-sitter-python 0.23: which node types are functions, statements,
// names, strings... Graph passes only read these through LanguageRules::is().
#include "parser/language_rules.h"
#include "parser/semantic_roles.h"

namespace bugseek::parser {

LanguageRules python_rules(const TSLanguage* grammar) {
  constexpr uint32_t kSimple = kTcStatement;
  constexpr uint32_t kCompound = kTcStatement | kTcCompound;
  LanguageRules rules;
  rules.named_types = {
      {"module", kTcModule | kTcBlock},
      {"block", kTcBlock},
      {"function_definition", kTcFunction | kCompound},
      {"class_definition", kTcClass | kCompound},
      {"decorated_definition", kTcDecorated | kCompound},
      {"lambda", kTcLambda},
      {"if_statement", kCompound},
      {"for_statement", kCompound},
      {"while_statement", kCompound},
      {"try_statement", kCompound},
      {"with_statement", kCompound},
      {"match_statement", kCompound},
      {"expression_statement", kSimple | kTcExpressionStatement},
      {"assert_statement", kSimple},
      {"break_statement", kSimple},
      {"continue_statement", kSimple},
      {"delete_statement", kSimple},
      {"exec_statement", kSimple},
      {"future_import_statement", kSimple},
      {"global_statement", kSimple},
      {"import_from_statement", kSimple},
      {"import_statement", kSimple},
      {"nonlocal_statement", kSimple},
      {"pass_statement", kSimple},
      {"print_statement", kSimple},
      {"raise_statement", kSimple},
      {"return_statement", kSimple},
      {"type_alias_statement", kSimple},
      {"assignment", kTcAssignment},
      {"identifier", kTcIdentifier},
      {"string", kTcString | kTcLiteral},
      {"format_specifier", kTcString},
      {"interpolation", kTcInterpolation},
      {"format_expression", kTcInterpolation},
      {"concatenated_string", kTcLiteral},
      {"integer", kTcLiteral},
      {"float", kTcLiteral},
      {"true", kTcLiteral},
      {"false", kTcLiteral},
      {"none", kTcLiteral},
      {"ellipsis", kTcLiteral},
      {"list_comprehension", kTcComprehension},
      {"set_comprehension", kTcComprehension},
      {"dictionary_comprehension", kTcComprehension},
      {"generator_expression", kTcComprehension},
      {"comment", kTcSkip},
      {"line_continuation", kTcSkip},
  };
  set_python_semantic_tables(rules);
  rules.resolve(grammar);
  return rules;
}

}  // namespace bugseek::parser
