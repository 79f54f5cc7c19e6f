// The scope pass: which variable each name token denotes. One linear pre-order walk gives every
// node its evaluation scope and a binding mode (read, write, parameter, capture...) derived from
// its parent's role and field; then each name is resolved with Python's rules (function, class,
// lambda and comprehension scopes; class bodies invisible to nested scopes; global / nonlocal;
// walrus binding outside comprehensions). Names bound nowhere in the unit become free symbols of
// the outermost scope, so every occurrence still has a symbol.
#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "parser/graph_passes.h"
#include "parser/semantic_roles.h"

namespace bugseek::parser {
namespace {

enum Mode : uint8_t {
  kRead,
  kWrite,       // assignment / for / with / except target
  kAugWrite,    // `x += 1`: read then written
  kDeclare,     // `x: int` without a value: binds, writes nothing
  kParamList,   // a parameters node
  kParam,       // parameter name
  kWalrus,      // `x := v`: binds outside comprehensions
  kDelete,      // `del x`: binds for scoping, used as a read
  kImportBind,  // a name an import binds
  kCapture,     // match capture pattern
  kPattern,     // inside a case pattern
  kNotVar,      // attribute names, keyword argument names, module paths
  kGlobalDecl,
  kNonlocalDecl,
};

bool is_target_mode(Mode m) {
  switch (m) {
    case kWrite: case kAugWrite: case kDeclare: case kParam: case kWalrus: case kDelete:
    case kCapture: case kPattern: case kNotVar: case kImportBind:
      return true;
    default:
      return false;
  }
}

enum BindFlags : uint8_t {
  kBound = 1,
  kDeclGlobal = 2,
  kDeclNonlocal = 4,
  kBoundParam = 8,
  kBoundImport = 16,
};

struct RawOccurrence {
  uint32_t token;
  uint32_t name;
  int32_t scope;  // where resolution starts
  bool is_write;
};

uint64_t key(int32_t scope, uint32_t name) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(scope)) << 32) | name;
}

class ScopeBuilder {
 public:
  ScopeBuilder(CodeGraph& graph, const LanguageRules& rules)
      : graph_(graph), view_(graph, rules) {}

  void run() {
    const uint32_t n = view_.syntax_count;
    if (n == 0) return;
    mode_.assign(n, kRead);
    scope_.assign(n, 0);
    first_clause_.assign(n, 0);
    stmt_.assign(n, graph_.root);

    const uint32_t root = graph_.root;
    module_unit_ = view_.role(root) == kRoleModule;
    graph_.scopes.clear();
    graph_.scopes.push_back(Scope{ScopeKind::kModule, -1, module_unit_ ? int32_t(root) : -1});
    for (uint32_t i = root; i < n; ++i) {
      const Node& node = graph_.nodes[i];
      if (node.parent != kNoNode && i != root) {
        const auto p = static_cast<uint32_t>(node.parent);
        stmt_[i] = view_.is_statement(i) ? i : stmt_[p];
      } else {
        stmt_[i] = i;
      }
      if (node.kind == NodeKind::kSyntax) {
        assign_children(i);
      } else if (view_.role(i) == kRoleIdentifier) {
        name_token(i);
      }
    }
    resolve_all();
  }

 private:
  int32_t new_scope(ScopeKind kind, int32_t parent, uint32_t node) {
    graph_.scopes.push_back(Scope{kind, parent, static_cast<int32_t>(node)});
    return static_cast<int32_t>(graph_.scopes.size() - 1);
  }

  void set(uint32_t child, Mode m, int32_t s) {
    mode_[child] = m;
    scope_[child] = s;
  }

  // Gives each child of `p` its mode and scope from p's role, mode and the child's field.
  void assign_children(uint32_t p) {
    const Mode m = static_cast<Mode>(mode_[p]);
    const int32_t s = scope_[p];
    const IndexRange kids = graph_.children(p);
    switch (view_.role(p)) {
      case kRoleFunction:
      case kRoleLambda: {
        const bool lambda = view_.role(p) == kRoleLambda;
        const int32_t f = new_scope(lambda ? ScopeKind::kLambda : ScopeKind::kFunction, s, p);
        for (uint32_t c : kids) {
          switch (view_.field(c)) {
            case kFieldName: set(c, kWrite, s); break;
            case kFieldParameters: set(c, kParamList, f); break;
            case kFieldBody: set(c, kRead, f); break;
            default: set(c, kRead, s); break;
          }
        }
        return;
      }
      case kRoleClass: {
        const int32_t c_scope = new_scope(ScopeKind::kClass, s, p);
        for (uint32_t c : kids) {
          const SemField f = view_.field(c);
          set(c, f == kFieldName ? kWrite : kRead, f == kFieldBody ? c_scope : s);
        }
        return;
      }
      case kRoleComprehension: {
        const int32_t q = new_scope(ScopeKind::kComprehension, s, p);
        bool first = true;
        for (uint32_t c : kids) {
          set(c, kRead, q);
          if (first && view_.role(c) == kRoleForIn) {
            first_clause_[c] = 1;
            first = false;
          }
        }
        return;
      }
      case kRoleForIn:
        for (uint32_t c : kids) {
          const SemField f = view_.field(c);
          if (f == kFieldLeft) {
            set(c, kWrite, s);
          } else if (f == kFieldRight && first_clause_[p] && s >= 0) {
            // The first iterable is evaluated in the scope around the comprehension.
            set(c, kRead, graph_.scopes[s].parent >= 0 ? graph_.scopes[s].parent : s);
          } else {
            set(c, kRead, s);
          }
        }
        return;
      case kRoleParameters:
        for (uint32_t c : kids) set(c, m == kParamList ? kParam : kRead, s);
        return;
      case kRoleTypedParameter:
      case kRoleDefaultParameter:
        for (uint32_t c : kids) {
          const SemField f = view_.field(c);
          if (m == kParam && (f == kFieldType || f == kFieldValue)) {
            // Defaults and annotations are evaluated where the def is, not in its body.
            const int32_t outer = s >= 0 && graph_.scopes[s].parent >= 0 ? graph_.scopes[s].parent : s;
            set(c, kRead, outer);
          } else {
            set(c, m == kParam ? kParam : kRead, s);
          }
        }
        return;
      case kRoleAssignment: {
        const bool has_value = view_.child(p, kFieldRight) != kNoIndex;
        for (uint32_t c : kids) {
          set(c, view_.field(c) == kFieldLeft ? (has_value ? kWrite : kDeclare) : kRead, s);
        }
        return;
      }
      case kRoleAugAssignment:
        for (uint32_t c : kids) set(c, view_.field(c) == kFieldLeft ? kAugWrite : kRead, s);
        return;
      case kRoleNamedExpr:
        for (uint32_t c : kids) set(c, view_.field(c) == kFieldName ? kWalrus : kRead, s);
        return;
      case kRoleFor:
      case kRoleTypeAlias:
        for (uint32_t c : kids) set(c, view_.field(c) == kFieldLeft ? kWrite : kRead, s);
        return;
      case kRoleExcept: {
        bool after_as = false;
        for (uint32_t c : kids) {
          const Node& child = graph_.nodes[c];
          if (child.kind == NodeKind::kToken && view_.role(c) != kRoleIdentifier &&
              (child.text == "as" || child.text == ",")) {
            after_as = true;
          }
          set(c, (after_as || view_.field(c) == kFieldAlias) ? kWrite : kRead, s);
        }
        return;
      }
      case kRoleAsPattern: {
        bool after_as = false;
        for (uint32_t c : kids) {
          const Node& child = graph_.nodes[c];
          if (child.kind == NodeKind::kToken && view_.role(c) != kRoleIdentifier &&
              child.text == "as") {
            after_as = true;
            continue;
          }
          if (view_.role(c) == kRoleAsTarget) {
            set(c, kWrite, s);
          } else if (after_as && view_.role(c) == kRoleIdentifier) {
            set(c, kCapture, s);
          } else {
            set(c, m == kPattern ? kPattern : kRead, s);
          }
        }
        return;
      }
      case kRoleAsTarget:
        for (uint32_t c : kids) set(c, kWrite, s);
        return;
      case kRoleCase:
        for (uint32_t c : kids) set(c, view_.role(c) == kRolePattern ? kPattern : kRead, s);
        return;
      case kRolePattern:
        for (uint32_t c : kids) set(c, m == kPattern ? kPattern : kRead, s);
        return;
      case kRoleClassPattern:
        for (uint32_t c : kids) {
          set(c, view_.role(c) == kRoleDottedName ? kRead : (m == kPattern ? kPattern : kRead), s);
        }
        return;
      case kRoleKeywordPattern: {
        bool first = true;
        for (uint32_t c : kids) {
          if (first && view_.role(c) == kRoleIdentifier) {
            set(c, kNotVar, s);
            first = false;
          } else {
            set(c, m == kPattern ? kPattern : kRead, s);
          }
        }
        return;
      }
      case kRoleSplatPattern:
        for (uint32_t c : kids) set(c, kCapture, s);
        return;
      case kRoleDictPattern:
        for (uint32_t c : kids) set(c, view_.field(c) == kFieldKey ? kRead : kPattern, s);
        return;
      case kRoleDottedName: {
        uint32_t names = 0;
        for (uint32_t c : kids) names += view_.role(c) == kRoleIdentifier;
        bool first = true;
        for (uint32_t c : kids) {
          Mode cm = kNotVar;
          if (first && view_.role(c) == kRoleIdentifier) {
            first = false;
            if (m == kPattern) {
              cm = names == 1 ? kCapture : kRead;  // `case x:` captures; `case a.B:` reads a
            } else if (m == kImportBind || m == kNotVar) {
              cm = m;
            } else {
              cm = kRead;
            }
          }
          set(c, cm, s);
        }
        return;
      }
      case kRoleGlobal:
      case kRoleNonlocal:
        for (uint32_t c : kids) set(c, view_.role(p) == kRoleGlobal ? kGlobalDecl : kNonlocalDecl, s);
        return;
      case kRoleImport:
        for (uint32_t c : kids) set(c, view_.field(c) == kFieldName ? kImportBind : kNotVar, s);
        return;
      case kRoleImportFrom:
        for (uint32_t c : kids) {
          set(c, view_.field(c) == kFieldName ? kImportBind : kNotVar, s);
        }
        return;
      case kRoleFutureImport:
        for (uint32_t c : kids) set(c, kNotVar, s);
        return;
      case kRoleAliasedImport:
        for (uint32_t c : kids) {
          set(c, view_.field(c) == kFieldAlias && m != kNotVar ? kImportBind : kNotVar, s);
        }
        return;
      case kRoleAttribute:
        for (uint32_t c : kids) {
          set(c, view_.field(c) == kFieldAttribute || m == kNotVar ? kNotVar : kRead, s);
        }
        return;
      case kRoleKeywordArgument:
        for (uint32_t c : kids) set(c, view_.field(c) == kFieldName ? kNotVar : kRead, s);
        return;
      case kRoleDelete:
        for (uint32_t c : kids) set(c, kDelete, s);
        return;
      case kRoleDestructure:
        for (uint32_t c : kids) set(c, is_target_mode(m) ? m : kRead, s);
        return;
      default:
        for (uint32_t c : kids) set(c, m == kNotVar ? kNotVar : kRead, s);
        return;
    }
  }

  uint32_t intern(std::string_view name) {
    auto [it, inserted] = names_.emplace(name, static_cast<uint32_t>(names_.size()));
    return it->second;
  }

  uint8_t& bind(int32_t scope, uint32_t name) { return binds_[key(scope, name)]; }

  void name_token(uint32_t t) {
    const Mode m = static_cast<Mode>(mode_[t]);
    if (m == kNotVar || m == kParamList) return;
    const uint32_t name = intern(graph_.nodes[t].text);
    int32_t s = scope_[t];
    switch (m) {
      case kRead:
        occ_.push_back({t, name, s, false});
        return;
      case kGlobalDecl:
        bind(s, name) |= kDeclGlobal;
        return;
      case kNonlocalDecl:
        bind(s, name) |= kDeclNonlocal;
        return;
      case kDelete:
        bind(s, name) |= kBound;
        occ_.push_back({t, name, s, false});
        return;
      case kWalrus:
        while (s > 0 && graph_.scopes[s].kind == ScopeKind::kComprehension) {
          s = graph_.scopes[s].parent;
        }
        break;
      default:
        break;
    }
    uint8_t& flags = bind(s, name);
    flags |= kBound;
    if (m == kParam) flags |= kBoundParam;
    if (m == kImportBind) flags |= kBoundImport;
    occ_.push_back({t, name, s, true});
  }

  struct Resolution {
    int32_t owner;
    uint32_t flags;  // SymbolFlags implied by the way the name resolved
  };

  Resolution resolve(int32_t scope, uint32_t name) {
    bool start = true;
    uint32_t flags = 0;
    int32_t cur = scope;
    while (cur >= 0) {
      const Scope& sc = graph_.scopes[cur];
      // Class bodies are visible only to code directly inside them.
      if (start || sc.kind != ScopeKind::kClass) {
        auto it = binds_.find(key(cur, name));
        if (it != binds_.end()) {
          const uint8_t b = it->second;
          if (b & kDeclGlobal) return {0, flags | kSymGlobal};
          if (b & kDeclNonlocal) {
            flags |= kSymNonlocal;
          } else if (b & kBound) {
            if (b & kBoundParam) flags |= kSymParameter;
            if (b & kBoundImport) flags |= kSymImport;
            return {cur, flags};
          }
        }
      }
      start = false;
      cur = sc.parent;
    }
    return {0, flags};
  }

  void resolve_all() {
    std::unordered_map<uint64_t, Resolution> memo;
    std::unordered_map<uint64_t, uint32_t> symbol_of;  // key(owner, name) -> symbol index
    graph_.symbols.clear();
    graph_.occurrences.clear();
    graph_.occurrences.reserve(occ_.size());
    std::vector<uint32_t> first_token;
    for (const RawOccurrence& o : occ_) {
      const uint64_t k = key(o.scope, o.name);
      auto it = memo.find(k);
      if (it == memo.end()) it = memo.emplace(k, resolve(o.scope, o.name)).first;
      const Resolution r = it->second;
      auto [sit, inserted] =
          symbol_of.emplace(key(r.owner, o.name), static_cast<uint32_t>(graph_.symbols.size()));
      if (inserted) {
        Symbol sym;
        sym.name = graph_.nodes[o.token].text;
        sym.scope = r.owner;
        graph_.symbols.push_back(std::move(sym));
        first_token.push_back(o.token);
      }
      Symbol& sym = graph_.symbols[sit->second];
      sym.flags |= r.flags;
      if (o.is_write) {
        sym.first_write_byte = std::min(sym.first_write_byte, graph_.nodes[o.token].span.start_byte);
      }
      graph_.occurrences.push_back(Occurrence{o.token, sit->second, o.is_write, stmt_[o.token]});
    }
    graph_.nodes.reserve(graph_.nodes.size() + graph_.symbols.size());
    for (size_t i = 0; i < graph_.symbols.size(); ++i) {
      Symbol& sym = graph_.symbols[i];
      if (sym.scope == 0 && module_unit_) sym.flags |= kSymGlobal;
      if (sym.first_write_byte == UINT32_MAX && !(sym.flags & kSymParameter)) sym.flags |= kSymFree;
      Node node;
      node.kind = NodeKind::kSymbol;
      node.type_id = kSymbolTypeId;
      node.type = "symbol";
      node.text = sym.name;
      node.span = graph_.nodes[first_token[i]].span;
      sym.node = graph_.add_node(std::move(node));
    }
    for (const Occurrence& o : graph_.occurrences) {
      graph_.add_edge(o.token, graph_.symbols[o.symbol].node, EdgeKind::kOccurrenceOf);
    }
  }

  CodeGraph& graph_;
  SemanticView view_;
  bool module_unit_ = false;
  std::vector<uint8_t> mode_;
  std::vector<int32_t> scope_;
  std::vector<uint8_t> first_clause_;
  std::vector<uint32_t> stmt_;
  std::unordered_map<std::string_view, uint32_t> names_;
  std::unordered_map<uint64_t, uint8_t> binds_;
  std::vector<RawOccurrence> occ_;
};

}  // namespace

void run_scope_pass(CodeGraph& graph, const Language& language) {
  graph.scopes.clear();
  graph.symbols.clear();
  graph.occurrences.clear();
  if (graph.nodes.empty() || !language.rules) return;
  ScopeBuilder(graph, *language.rules).run();
}

}  // namespace bugseek::parser
