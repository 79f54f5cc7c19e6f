// Python variable misuse: a read of a local variable replaced by another local of the same scope
// (comprehensions and lambdas also see the enclosing function's locals). Both names must be bound
// before the statement holding the read, so the planted bug is plausible and reversible: reads
// never change where a name is bound.
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "parser/rewrites_internal.h"

namespace bugseek::parser::rewrites_detail {
namespace {

constexpr uint32_t kNotLocal = kSymGlobal | kSymNonlocal | kSymImport | kSymFree;

bool local_variable(const CodeGraph& g, const Symbol& s) {
  if (s.flags & kNotLocal) return false;
  if (s.name == "self" || s.name == "cls") return false;
  if (s.scope < 0 || static_cast<size_t>(s.scope) >= g.scopes.size()) return false;
  ScopeKind k = g.scopes[s.scope].kind;
  return k == ScopeKind::kFunction || k == ScopeKind::kLambda || k == ScopeKind::kComprehension;
}

// Bound before the statement starting at `before`: a parameter, a comprehension variable (the
// read is inside its comprehension), or written earlier.
bool bound_before(const CodeGraph& g, const Symbol& s, uint32_t before) {
  if (s.flags & kSymParameter) return true;
  if (g.scopes[s.scope].kind == ScopeKind::kComprehension) return true;
  return s.first_write_byte < before;
}

int32_t first_for_clause(const GraphView& v, uint32_t comprehension) {
  for (uint32_t c : v.graph().children(comprehension)) {
    if (v.type(c) == "for_in_clause") return static_cast<int32_t>(c);
  }
  return kNoNode;
}

}  // namespace

bool python_target_bound(const GraphView& v, uint32_t target, uint32_t before) {
  // `a.b[c] = ...` is bound when its base name `a` is: what `+=` would read exists at least.
  int32_t base = static_cast<int32_t>(target);
  while (base >= 0 && (v.type(base) == "attribute" || v.type(base) == "subscript")) {
    base = v.child_by_field(static_cast<uint32_t>(base),
                            v.type(base) == "attribute" ? "object" : "value");
  }
  if (base < 0 || v.type(static_cast<uint32_t>(base)) != "identifier") return false;
  int32_t o = v.occurrence(static_cast<uint32_t>(base));
  if (o < 0) return false;
  const CodeGraph& g = v.graph();
  const Symbol& s = g.symbols[g.occurrences[o].symbol];
  return (s.flags & kSymParameter) != 0 || s.first_write_byte < before;
}

void python_variable_misuse_sites(const GraphView& v, std::vector<Candidate>& out) {
  const CodeGraph& g = v.graph();
  if (g.occurrences.empty() || g.scopes.empty()) return;
  const uint32_t size = v.tree_size();

  std::vector<uint8_t> written(size, 0);
  for (const Occurrence& o : g.occurrences) {
    if (o.is_write && o.token < size) written[o.token] = 1;
  }
  // Innermost scope of every tree node, from the scopes' syntax nodes (pre-order: parents first).
  int32_t outermost = 0;
  std::unordered_map<int32_t, int32_t> scope_at;
  for (size_t i = 0; i < g.scopes.size(); ++i) {
    if (g.scopes[i].syntax_node >= 0) scope_at[g.scopes[i].syntax_node] = static_cast<int32_t>(i);
    if (g.scopes[i].parent < 0) outermost = static_cast<int32_t>(i);
  }
  std::vector<int32_t> scope_of(size, outermost);
  for (uint32_t n = 0; n < size; ++n) {
    auto it = scope_at.find(static_cast<int32_t>(n));
    int32_t p = v.parent(n);
    if (it != scope_at.end()) {
      scope_of[n] = it->second;
    } else if (p >= 0 && static_cast<uint32_t>(p) < n) {
      scope_of[n] = scope_of[p];
      // The first iterable of a comprehension runs in the enclosing scope.
      if (v.field(n) == "right" && v.type(p) == "for_in_clause") {
        int32_t comp = v.parent(p);
        auto c = scope_at.find(comp);
        if (c != scope_at.end() && first_for_clause(v, static_cast<uint32_t>(comp)) == p &&
            g.scopes[c->second].parent >= 0) {
          scope_of[n] = g.scopes[c->second].parent;
        }
      }
    }
  }
  std::vector<std::vector<uint32_t>> symbols_in(g.scopes.size());
  for (size_t i = 0; i < g.symbols.size(); ++i) {
    int32_t s = g.symbols[i].scope;
    if (s >= 0 && static_cast<size_t>(s) < g.scopes.size()) {
      symbols_in[s].push_back(static_cast<uint32_t>(i));
    }
  }

  std::vector<int32_t> chain;
  std::unordered_set<std::string_view> seen;
  for (const Occurrence& o : g.occurrences) {
    if (o.is_write || o.token >= size || written[o.token]) continue;
    if (v.excluded(o.token) || v.type(o.token) != "identifier") continue;
    chain.clear();
    for (int32_t s = scope_of[o.token]; s >= 0; s = g.scopes[s].parent) {
      chain.push_back(s);
      ScopeKind k = g.scopes[s].kind;
      if (k != ScopeKind::kComprehension && k != ScopeKind::kLambda) break;
    }
    // A read may be recorded against a free symbol of an inner scope; resolve it along the chain.
    uint32_t sym_index = o.symbol;
    if (g.symbols[sym_index].flags & kSymFree) {
      for (int32_t s : chain) {
        for (uint32_t k : symbols_in[s]) {
          if (!(g.symbols[k].flags & kSymFree) && g.symbols[k].name == g.symbols[o.symbol].name) {
            sym_index = k;
            break;
          }
        }
        if (sym_index != o.symbol) break;
      }
    }
    const Symbol& sym = g.symbols[sym_index];
    if (!local_variable(g, sym)) continue;
    uint32_t before =
        o.statement < size ? v.node(o.statement).span.start_byte : v.node(o.token).span.start_byte;
    if (!bound_before(g, sym, before)) continue;
    bool visible = false;
    for (int32_t s : chain) visible = visible || s == sym.scope;
    if (!visible) continue;

    const Span& span = v.node(o.token).span;
    Candidate c = make_candidate(v, o.token, BugKind::kVariableMisuse, span);
    if (c.site.original != sym.name) continue;
    seen.clear();
    for (int32_t s : chain) {
      for (uint32_t k : symbols_in[s]) {
        const Symbol& other = g.symbols[k];
        if (other.flags & kSymFree) continue;
        if (!seen.insert(other.name).second) continue;  // shadowed by an inner scope
        if (k == sym_index || other.name == sym.name) continue;
        if (!local_variable(g, other) || !bound_before(g, other, before)) continue;
        Rewrite& r = add_rewrite(c, other.name, span.start_byte, span.end_byte, other.name);
        r.symbol_node = static_cast<int32_t>(other.node);
      }
    }
    out.push_back(std::move(c));
  }
}

}  // namespace bugseek::parser::rewrites_detail
