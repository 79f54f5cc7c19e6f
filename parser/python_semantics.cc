// Python's semantic roles (tree-sitter-python 0.23) and the per-graph SemanticView the scope,
// data-flow and control-flow passes share.
#include <array>
#include <utility>

#include "parser/semantic_roles.h"

namespace bugseek::parser {

void set_python_semantic_tables(LanguageRules& rules) {
  rules.role_types = {
      {"identifier", kRoleIdentifier},
      {"module", kRoleModule},
      {"function_definition", kRoleFunction},
      {"lambda", kRoleLambda},
      {"class_definition", kRoleClass},
      {"decorated_definition", kRoleDecorated},
      {"list_comprehension", kRoleComprehension},
      {"set_comprehension", kRoleComprehension},
      {"dictionary_comprehension", kRoleComprehension},
      {"generator_expression", kRoleComprehension},
      {"for_in_clause", kRoleForIn},
      {"if_clause", kRoleIfClause},
      {"parameters", kRoleParameters},
      {"lambda_parameters", kRoleParameters},
      {"typed_parameter", kRoleTypedParameter},
      {"default_parameter", kRoleDefaultParameter},
      {"typed_default_parameter", kRoleDefaultParameter},
      {"block", kRoleBlock},
      {"assignment", kRoleAssignment},
      {"augmented_assignment", kRoleAugAssignment},
      {"named_expression", kRoleNamedExpr},
      {"for_statement", kRoleFor},
      {"while_statement", kRoleWhile},
      {"if_statement", kRoleIf},
      {"elif_clause", kRoleElif},
      {"else_clause", kRoleElse},
      {"try_statement", kRoleTry},
      {"except_clause", kRoleExcept},
      {"except_group_clause", kRoleExcept},
      {"finally_clause", kRoleFinally},
      {"with_statement", kRoleWith},
      {"as_pattern", kRoleAsPattern},
      {"as_pattern_target", kRoleAsTarget},
      {"match_statement", kRoleMatch},
      {"case_clause", kRoleCase},
      {"case_pattern", kRolePattern},
      {"union_pattern", kRolePattern},
      {"dotted_name", kRoleDottedName},
      {"class_pattern", kRoleClassPattern},
      {"keyword_pattern", kRoleKeywordPattern},
      {"splat_pattern", kRoleSplatPattern},
      {"dict_pattern", kRoleDictPattern},
      {"return_statement", kRoleReturn},
      {"yield", kRoleYield},
      {"raise_statement", kRoleRaise},
      {"break_statement", kRoleBreak},
      {"continue_statement", kRoleContinue},
      {"global_statement", kRoleGlobal},
      {"nonlocal_statement", kRoleNonlocal},
      {"import_statement", kRoleImport},
      {"import_from_statement", kRoleImportFrom},
      {"future_import_statement", kRoleFutureImport},
      {"aliased_import", kRoleAliasedImport},
      {"attribute", kRoleAttribute},
      {"keyword_argument", kRoleKeywordArgument},
      {"conditional_expression", kRoleConditionalExpr},
      {"boolean_operator", kRoleBooleanOp},
      {"delete_statement", kRoleDelete},
      {"type_alias_statement", kRoleTypeAlias},
      {"pattern_list", kRoleDestructure},
      {"tuple_pattern", kRoleDestructure},
      {"list_pattern", kRoleDestructure},
      {"tuple", kRoleDestructure},
      {"list", kRoleDestructure},
      {"expression_list", kRoleDestructure},
      {"parenthesized_expression", kRoleDestructure},
      {"list_splat_pattern", kRoleDestructure},
      {"list_splat", kRoleDestructure},
      {"dictionary_splat_pattern", kRoleDestructure},
      {"type", kRoleDestructure},
      {"subscript", kRoleSubscript},
  };
  rules.role_fields.assign(kNumSemFields, std::string_view());
  rules.role_fields[kFieldName] = "name";
  rules.role_fields[kFieldBody] = "body";
  rules.role_fields[kFieldParameters] = "parameters";
  rules.role_fields[kFieldLeft] = "left";
  rules.role_fields[kFieldRight] = "right";
  rules.role_fields[kFieldValue] = "value";
  rules.role_fields[kFieldAlias] = "alias";
  rules.role_fields[kFieldType] = "type";
  rules.role_fields[kFieldAttribute] = "attribute";
  rules.role_fields[kFieldObject] = "object";
  rules.role_fields[kFieldCondition] = "condition";
  rules.role_fields[kFieldConsequence] = "consequence";
  rules.role_fields[kFieldAlternative] = "alternative";
  rules.role_fields[kFieldGuard] = "guard";
  rules.role_fields[kFieldSubject] = "subject";
  rules.role_fields[kFieldDefinition] = "definition";
  rules.role_fields[kFieldModuleName] = "module_name";
  rules.role_fields[kFieldKey] = "key";
}

SemanticView::SemanticView(const CodeGraph& g, const LanguageRules& r) : graph(g), rules(r) {
  // Symbol nodes (appended by the scope pass) are never syntax; they have no parent and sit last.
  auto n = static_cast<uint32_t>(graph.nodes.size());
  while (n > 0 && graph.nodes[n - 1].kind == NodeKind::kSymbol) --n;
  syntax_count = n;

  // Graph field index -> SemField: the graph interns only the fields it uses (a handful).
  std::vector<uint8_t> field_map(graph.field_names.size(), kFieldNone);
  for (size_t i = 1; i < graph.field_names.size(); ++i) {
    for (size_t f = 1; f < rules.role_fields.size(); ++f) {
      if (!rules.role_fields[f].empty() && graph.field_names[i] == rules.role_fields[f]) {
        field_map[i] = static_cast<uint8_t>(f);
        break;
      }
    }
  }

  roles.assign(n, kRoleNone);
  fields.assign(n, kFieldNone);
  statement.assign(n, 0);
  subtree_end.assign(n, 0);
  for (uint32_t i = 0; i < n; ++i) {
    const Node& node = graph.nodes[i];
    // Anonymous keyword tokens share names with node types ("yield", "lambda"): tokens never
    // take a syntax role, and syntax nodes never take the identifier role.
    if (node.type_id < rules.roles.size()) {
      const uint8_t role = rules.roles[node.type_id];
      if (node.kind == NodeKind::kToken) {
        roles[i] = role == kRoleIdentifier ? role : uint8_t{kRoleNone};
      } else if (role != kRoleIdentifier) {
        roles[i] = role;
      }
      statement[i] = node.kind == NodeKind::kSyntax && rules.is(node.type_id, kTcStatement);
    }
    if (node.field < field_map.size()) fields[i] = field_map[node.field];
  }
  // Pre-order: a subtree ends where its last child's subtree ends.
  for (uint32_t i = n; i-- > 0;) {
    const IndexRange kids = graph.children(i);
    subtree_end[i] = kids.size() == 0 ? i + 1 : subtree_end[*(kids.end() - 1)];
  }
}

uint32_t SemanticView::child(uint32_t node, SemField f) const {
  for (uint32_t c : graph.children(node)) {
    if (fields[c] == f) return c;
  }
  return kNoIndex;
}

}  // namespace bugseek::parser
