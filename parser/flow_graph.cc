// Flow graph construction: a work stack of small actions stands in for recursion. Expanding a node
// pushes, in reverse, the actions that evaluate it: visits of its parts in evaluation order,
// block starts and jumps for its branches, and context pushes (loops, try handlers, finally,
// function regions) that break/continue/return/raise consult.
#include "parser/flow_graph.h"

namespace bugseek::parser {
namespace {

constexpr uint32_t kNoBlock = UINT32_MAX;
// Finally bodies nested deeper than this inside other finally bodies get one shared copy.
constexpr uint32_t kMaxFinallyCopyDepth = 3;

enum Op : uint8_t {
  kOpVisit,          // a = node
  kOpStart,          // a = block: continue in it
  kOpGoto,           // a = block: edge from the current block, which ends
  kOpSplit,          // a, b = blocks: edges to both, the current block ends
  kOpPushCtx,        // a = context
  kOpPopCtx,
  kOpEnterRegion,    // a = entry block, b = 1 for a closure edge
  kOpLeaveRegion,
  kOpMarker,         // a = node
  kOpImplicitRaise,  // inside try: the statement about to run may raise
  kOpJump,           // a = JumpKind
  kOpFinallyEnd,     // a = context, b = block reached by normal completion of try
  kOpParamWrites,    // a = parameters node
  kOpAugWrite,       // a = augmented assignment target
};

enum JumpKind : uint8_t { kJumpReturn = 1, kJumpRaise = 2, kJumpBreak = 4, kJumpContinue = 8 };

enum CtxKind : uint8_t { kCtxFunction, kCtxLoop, kCtxTry, kCtxFinally };

struct Action {
  Op op;
  uint32_t a = 0;
  uint32_t b = 0;
};

struct Context {
  CtxKind kind;
  uint8_t pending = 0;  // finally: JumpKinds routed through it
  uint32_t a = 0;       // function: exit; loop: continue target; try: dispatch; finally: entry
  uint32_t b = 0;       // loop: break target
};

// Token overrides for events: no event (annotation-only target), or read now + silent write later.
enum TokenEvent : uint8_t { kTokNormal = 0, kTokNone, kTokAug };

class FlowBuilder {
 public:
  FlowBuilder(const SemanticView& view, const std::vector<uint32_t>& occurrence_of,
              const FlowOptions& options)
      : view_(view), graph_(view.graph), occ_of_(occurrence_of), opts_(options) {}

  FlowGraph build() {
    const uint32_t root = graph_.root;
    if (view_.syntax_count == 0) return finish();
    if (opts_.name_events) mark_token_overrides();
    root_fn_ = root;
    if (view_.role(root) == kRoleDecorated) root_fn_ = view_.child(root, kFieldDefinition);

    cur_ = new_block();
    const uint32_t unit_exit = new_block();
    ctx_stack_.push_back(new_ctx(kCtxFunction, unit_exit));
    stack_.push_back({kOpVisit, root, 0});
    while (!stack_.empty()) {
      const Action act = stack_.back();
      stack_.pop_back();
      step(act);
    }
    return finish();
  }

 private:
  // ---- blocks, edges, events ----
  uint32_t new_block() {
    has_pred_.push_back(0);
    return num_blocks_++;
  }
  void link(uint32_t from, uint32_t to, bool closure = false) {
    if (from == kNoBlock || to == kNoBlock) return;
    edges_.push_back({from, to, closure});
    has_pred_[to] = 1;
  }
  void add_event(uint32_t item, FlowEventKind kind) {
    if (cur_ == kNoBlock) cur_ = new_block();  // unreachable code still gets a block
    events_.push_back({item, cur_, kind});
  }
  uint32_t new_ctx(CtxKind kind, uint32_t a, uint32_t b = 0) {
    ctx_pool_.push_back(Context{kind, 0, a, b});
    return static_cast<uint32_t>(ctx_pool_.size() - 1);
  }

  void mark_token_overrides() {
    token_event_.assign(view_.syntax_count, kTokNormal);
    for (uint32_t i = 0; i < view_.syntax_count; ++i) {
      const SemRole role = view_.role(i);
      if (role == kRoleAssignment && view_.child(i, kFieldRight) == kNoIndex) {
        const uint32_t left = view_.child(i, kFieldLeft);
        if (left == kNoIndex) continue;
        for (uint32_t t = left; t < view_.subtree_end[left]; ++t) {
          const uint32_t o = occ_of_[t];
          if (o != kNoIndex && graph_.occurrences[o].is_write) token_event_[t] = kTokNone;
        }
      } else if (role == kRoleAugAssignment) {
        const uint32_t left = view_.child(i, kFieldLeft);
        if (left != kNoIndex && view_.role(left) == kRoleIdentifier) token_event_[left] = kTokAug;
      }
    }
  }

  // ---- jumps through the context stack ----
  void jump_links(uint8_t kind) {
    if (cur_ == kNoBlock) return;
    for (size_t i = ctx_stack_.size(); i-- > 0;) {
      Context& c = ctx_pool_[ctx_stack_[i]];
      switch (c.kind) {
        case kCtxFunction:
          if (kind & (kJumpReturn | kJumpRaise)) link(cur_, c.a);
          return;  // break/continue outside a loop: a syntax error, nothing to do
        case kCtxLoop:
          if (kind == kJumpBreak) return link(cur_, c.b);
          if (kind == kJumpContinue) return link(cur_, c.a);
          break;
        case kCtxTry:
          if (kind == kJumpRaise) return link(cur_, c.a);
          break;
        case kCtxFinally:
          c.pending |= kind;
          return link(cur_, c.a);
      }
    }
  }

  bool in_protected_region() const {
    for (size_t i = ctx_stack_.size(); i-- > 0;) {
      const CtxKind k = ctx_pool_[ctx_stack_[i]].kind;
      if (k == kCtxFunction) return false;
      if (k == kCtxTry || k == kCtxFinally) return true;
    }
    return false;
  }

  // ---- the work loop ----
  void step(const Action& act) {
    switch (act.op) {
      case kOpVisit: visit(act.a); break;
      case kOpStart: cur_ = act.a; break;
      case kOpGoto: link(cur_, act.a); cur_ = kNoBlock; break;
      case kOpSplit:
        link(cur_, act.a);
        link(cur_, act.b);
        cur_ = kNoBlock;
        break;
      case kOpPushCtx: ctx_stack_.push_back(act.a); break;
      case kOpPopCtx: ctx_stack_.pop_back(); break;
      case kOpEnterRegion:
        link(cur_, act.a, act.b != 0);
        cur_stack_.push_back(cur_);
        cur_ = act.a;
        break;
      case kOpLeaveRegion: {
        const uint32_t saved = cur_stack_.back();
        cur_stack_.pop_back();
        cur_ = kNoBlock;
        if (saved != kNoBlock) {  // a fresh block keeps each block's events contiguous
          cur_ = new_block();
          link(saved, cur_);
        }
        break;
      }
      case kOpMarker:
        if (opts_.markers) add_event(act.a, kEvMarker);
        break;
      case kOpImplicitRaise:
        if (cur_ != kNoBlock && in_protected_region()) {
          jump_links(kJumpRaise);
          if (!events_.empty() && events_.back().block == cur_) {
            const uint32_t next = new_block();
            link(cur_, next);
            cur_ = next;
          }
        }
        break;
      case kOpJump:
        jump_links(static_cast<uint8_t>(act.a));
        cur_ = kNoBlock;
        break;
      case kOpFinallyEnd: {
        const uint8_t pending = ctx_pool_[act.a].pending;
        for (uint8_t kind = 1; kind <= kJumpContinue; kind <<= 1) {
          if (pending & kind) jump_links(kind);
        }
        // Without a separate normal-path copy (act.b == kNoBlock) this copy only resumes jumps.
        if (act.b == kNoBlock || !has_pred_[act.b]) cur_ = kNoBlock;
        break;
      }
      case kOpParamWrites: param_writes(act.a); break;
      case kOpAugWrite:
        if (opts_.name_events && act.a < occ_of_.size() && occ_of_[act.a] != kNoIndex &&
            token_event_[act.a] == kTokAug) {
          add_event(occ_of_[act.a], kEvSilentWrite);
        }
        break;
    }
  }

  void param_writes(uint32_t params) {
    if (!opts_.name_events || params == kNoIndex) return;
    const uint32_t end = view_.subtree_end[params];
    for (uint32_t i = params + 1; i < end;) {
      const SemField f = view_.field(i);
      if ((f == kFieldValue || f == kFieldType) && graph_.nodes[i].parent >= 0) {
        const SemRole pr = view_.role(static_cast<uint32_t>(graph_.nodes[i].parent));
        if (pr == kRoleTypedParameter || pr == kRoleDefaultParameter) {
          i = view_.subtree_end[i];
          continue;
        }
      }
      const uint32_t o = occ_of_[i];
      if (o != kNoIndex && graph_.occurrences[o].is_write) add_event(o, kEvWrite);
      ++i;
    }
  }

  void token(uint32_t t) {
    if (!opts_.name_events || t >= occ_of_.size()) return;
    const uint32_t o = occ_of_[t];
    if (o == kNoIndex) return;
    switch (token_event_[t]) {
      case kTokNone: return;
      case kTokAug: add_event(o, kEvRead); return;
      default: add_event(o, graph_.occurrences[o].is_write ? kEvWrite : kEvRead); return;
    }
  }

  // ---- expansion helpers: build seq_, then push it reversed ----
  void emit(Op op, uint32_t a = 0, uint32_t b = 0) { seq_.push_back({op, a, b}); }
  void emit_visit(uint32_t node) {
    if (node != kNoIndex) seq_.push_back({kOpVisit, node, 0});
  }
  void flush() {
    for (size_t i = seq_.size(); i-- > 0;) stack_.push_back(seq_[i]);
    seq_.clear();
  }
  void prologue(uint32_t node) {
    emit(kOpImplicitRaise);
    emit(kOpMarker, node);
  }
  bool under_decorator(uint32_t node) const {
    const int32_t p = graph_.nodes[node].parent;
    return p >= 0 && view_.role(static_cast<uint32_t>(p)) == kRoleDecorated;
  }

  void visit(uint32_t node) {
    if (node >= view_.syntax_count) return;
    if (graph_.nodes[node].kind != NodeKind::kSyntax) {
      token(node);
      return;
    }
    seq_.clear();
    const SemRole role = view_.role(node);
    switch (role) {
      case kRoleIf: expand_if(node); break;
      case kRoleWhile: expand_while(node); break;
      case kRoleFor: expand_for(node); break;
      case kRoleTry: expand_try(node); break;
      case kRoleMatch: expand_match(node); break;
      case kRoleFunction:
      case kRoleLambda: expand_function(node); break;
      case kRoleClass: expand_class(node); break;
      case kRoleComprehension: expand_comprehension(node); break;
      case kRoleConditionalExpr: expand_conditional(node); break;
      case kRoleBooleanOp: expand_boolean(node); break;
      case kRoleAssignment: expand_assignment(node); break;
      case kRoleAugAssignment:
        emit_visit(view_.child(node, kFieldLeft));
        emit_visit(view_.child(node, kFieldRight));
        emit(kOpAugWrite, view_.child(node, kFieldLeft));
        break;
      case kRoleNamedExpr:
        emit_visit(view_.child(node, kFieldValue));
        emit_visit(view_.child(node, kFieldName));
        break;
      case kRoleTypeAlias:
        prologue(node);
        emit_visit(view_.child(node, kFieldRight));
        emit_visit(view_.child(node, kFieldLeft));
        break;
      case kRoleReturn:
      case kRoleRaise:
        prologue(node);
        for (uint32_t c : graph_.children(node)) emit_visit(c);
        emit(kOpJump, role == kRoleReturn ? kJumpReturn : kJumpRaise);
        break;
      case kRoleBreak:
      case kRoleContinue:
        prologue(node);
        emit(kOpJump, role == kRoleBreak ? kJumpBreak : kJumpContinue);
        break;
      default:
        if (view_.is_statement(node)) prologue(node);
        for (uint32_t c : graph_.children(node)) emit_visit(c);
        break;
    }
    flush();
  }

  void expand_if(uint32_t node) {
    prologue(node);
    const uint32_t join = new_block();
    uint32_t then_b = new_block(), next = new_block();
    emit_visit(view_.child(node, kFieldCondition));
    emit(kOpSplit, then_b, next);
    emit(kOpStart, then_b);
    emit_visit(view_.child(node, kFieldConsequence));
    emit(kOpGoto, join);
    for (uint32_t alt : graph_.children(node)) {
      if (view_.field(alt) != kFieldAlternative || next == kNoBlock) continue;
      emit(kOpStart, next);
      if (view_.role(alt) == kRoleElif) {
        emit(kOpMarker, alt);
        then_b = new_block();
        next = new_block();
        emit_visit(view_.child(alt, kFieldCondition));
        emit(kOpSplit, then_b, next);
        emit(kOpStart, then_b);
        emit_visit(view_.child(alt, kFieldConsequence));
      } else {
        emit_visit(alt);
        next = kNoBlock;
      }
      emit(kOpGoto, join);
    }
    if (next != kNoBlock) {
      emit(kOpStart, next);
      emit(kOpGoto, join);
    }
    emit(kOpStart, join);
  }

  void loop_body(uint32_t node, uint32_t head, uint32_t body_b, uint32_t else_b, uint32_t exit,
                 uint32_t target) {
    emit(kOpSplit, body_b, else_b);
    emit(kOpStart, body_b);
    emit_visit(target);
    emit(kOpPushCtx, new_ctx(kCtxLoop, head, exit));
    emit_visit(view_.child(node, kFieldBody));
    emit(kOpPopCtx);
    emit(kOpGoto, head);
    emit(kOpStart, else_b);
    emit_visit(view_.child(node, kFieldAlternative));
    emit(kOpGoto, exit);
    emit(kOpStart, exit);
  }

  // The loop's marker sits at its head, so a body's back edge returns to the loop statement.
  void expand_while(uint32_t node) {
    const uint32_t head = new_block(), body_b = new_block(), else_b = new_block(),
                   exit = new_block();
    emit(kOpImplicitRaise);
    emit(kOpGoto, head);
    emit(kOpStart, head);
    emit(kOpMarker, node);
    emit_visit(view_.child(node, kFieldCondition));
    loop_body(node, head, body_b, else_b, exit, kNoIndex);
  }

  void expand_for(uint32_t node) {
    const uint32_t head = new_block(), body_b = new_block(), else_b = new_block(),
                   exit = new_block();
    emit(kOpImplicitRaise);
    emit_visit(view_.child(node, kFieldRight));
    emit(kOpGoto, head);
    emit(kOpStart, head);
    emit(kOpMarker, node);
    loop_body(node, head, body_b, else_b, exit, view_.child(node, kFieldLeft));
  }

  void expand_try(uint32_t node) {
    prologue(node);
    uint32_t body = kNoIndex, else_c = kNoIndex, fin = kNoIndex;
    handlers_.clear();
    for (uint32_t c : graph_.children(node)) {
      switch (view_.role(c)) {
        case kRoleExcept: handlers_.push_back(c); break;
        case kRoleElse: else_c = c; break;
        case kRoleFinally: fin = c; break;
        default:
          if (view_.field(c) == kFieldBody) body = c;
          break;
      }
    }
    const uint32_t after = new_block();
    uint32_t fin_ctx = kNoIndex, fin_entry = kNoBlock, dispatch = kNoBlock;
    if (fin != kNoIndex) {
      fin_entry = new_block();
      fin_ctx = new_ctx(kCtxFinally, fin_entry);
      emit(kOpPushCtx, fin_ctx);
    }
    if (!handlers_.empty()) {
      dispatch = new_block();
      emit(kOpPushCtx, new_ctx(kCtxTry, dispatch));
    }
    emit_visit(body);
    if (!handlers_.empty()) {
      emit(kOpImplicitRaise);  // the last statement may have raised too
      emit(kOpPopCtx);
    }
    emit_visit(else_c);
    emit(kOpGoto, after);
    uint32_t entry = dispatch;
    for (size_t h = 0; h < handlers_.size() && entry != kNoBlock; ++h) {
      const uint32_t handler = handlers_[h];
      emit(kOpStart, entry);
      emit(kOpMarker, handler);
      // value part, then (only when it matched) the alias binding and the block
      uint32_t block = kNoIndex;
      bool has_value = false, after_as = false;
      alias_part_.clear();
      for (uint32_t c : graph_.children(handler)) {
        const Node& child = graph_.nodes[c];
        if (view_.role(c) == kRoleBlock) {
          block = c;
          continue;
        }
        if (child.kind == NodeKind::kToken && view_.role(c) != kRoleIdentifier) {
          if (child.text == "as" || child.text == ",") after_as = true;
          continue;
        }
        if (after_as || view_.field(c) == kFieldAlias) {
          alias_part_.push_back(c);
        } else {
          has_value = true;
          emit_visit(c);
        }
      }
      const uint32_t body_b = new_block();
      uint32_t next = kNoBlock;
      if (has_value) {
        next = new_block();
        emit(kOpSplit, body_b, next);
      } else {
        emit(kOpGoto, body_b);  // a bare except catches everything
      }
      emit(kOpStart, body_b);
      for (uint32_t c : alias_part_) emit_visit(c);
      emit_visit(block);
      emit(kOpGoto, after);
      entry = next;
    }
    if (entry != kNoBlock) {  // no handler matched: the exception propagates
      emit(kOpStart, entry);
      emit(kOpJump, kJumpRaise);
    }
    emit(kOpStart, after);
    if (fin == kNoIndex) return;
    emit(kOpPopCtx);
    if (finally_ancestors(node) < kMaxFinallyCopyDepth) {
      // Two copies of the finally body: one for normal completion, which continues after the
      // try, and one for the jumps routed through it, which resume them. Edges from both copies
      // are merged, so the later code sees only what normal completion leaves.
      const uint32_t normal = new_block(), join = new_block();
      emit(kOpGoto, normal);
      emit(kOpStart, normal);
      emit_visit(fin);
      emit(kOpGoto, join);
      emit(kOpStart, fin_entry);
      emit_visit(fin);
      emit(kOpFinallyEnd, fin_ctx, kNoBlock);
      emit(kOpStart, join);
    } else {
      emit(kOpGoto, fin_entry);
      emit(kOpStart, fin_entry);
      emit_visit(fin);
      emit(kOpFinallyEnd, fin_ctx, after);
    }
  }

  // How many finally clauses enclose `node` (each one visits its body twice).
  uint32_t finally_ancestors(uint32_t node) const {
    uint32_t count = 0;
    for (int32_t p = graph_.nodes[node].parent; p >= 0; p = graph_.nodes[p].parent) {
      count += view_.role(static_cast<uint32_t>(p)) == kRoleFinally;
    }
    return count;
  }

  void expand_match(uint32_t node) {
    prologue(node);
    const uint32_t body = view_.child(node, kFieldBody);
    for (uint32_t c : graph_.children(node)) {
      if (c != body) emit_visit(c);
    }
    const uint32_t join = new_block();
    uint32_t next = new_block();
    emit(kOpGoto, next);
    if (body != kNoIndex) {
      for (uint32_t cs : graph_.children(body)) {
        if (view_.role(cs) != kRoleCase) continue;
        emit(kOpStart, next);
        emit(kOpMarker, cs);
        const uint32_t cons = view_.child(cs, kFieldConsequence);
        for (uint32_t c : graph_.children(cs)) {
          if (c != cons) emit_visit(c);
        }
        const uint32_t body_b = new_block();
        next = new_block();
        emit(kOpSplit, body_b, next);
        emit(kOpStart, body_b);
        emit_visit(cons);
        emit(kOpGoto, join);
      }
    }
    emit(kOpStart, next);
    emit(kOpGoto, join);
    emit(kOpStart, join);
  }

  // Defaults, annotations and the name are evaluated at the def; the body runs in its own region.
  void expand_function(uint32_t node) {
    if (view_.role(node) == kRoleFunction && !under_decorator(node)) prologue(node);
    const uint32_t params = view_.child(node, kFieldParameters);
    const uint32_t body = view_.child(node, kFieldBody);
    const uint32_t name = view_.child(node, kFieldName);
    if (params != kNoIndex) {
      for (uint32_t p : graph_.children(params)) {
        const SemRole pr = view_.role(p);
        if (pr != kRoleTypedParameter && pr != kRoleDefaultParameter) continue;
        for (uint32_t c : graph_.children(p)) {
          const SemField f = view_.field(c);
          if (f == kFieldValue || f == kFieldType) emit_visit(c);
        }
      }
    }
    for (uint32_t c : graph_.children(node)) {
      if (c != params && c != body && c != name) emit_visit(c);
    }
    emit_visit(name);
    const uint32_t entry = new_block(), exit = new_block();
    emit(kOpEnterRegion, entry, node == root_fn_ ? 0 : 1);
    emit(kOpPushCtx, new_ctx(kCtxFunction, exit));
    emit(kOpParamWrites, params);
    emit_visit(body);
    emit(kOpPopCtx);
    emit(kOpLeaveRegion);
  }

  // A class body runs inline, before its name is bound.
  void expand_class(uint32_t node) {
    if (!under_decorator(node)) prologue(node);
    const uint32_t body = view_.child(node, kFieldBody);
    const uint32_t name = view_.child(node, kFieldName);
    for (uint32_t c : graph_.children(node)) {
      if (c != body && c != name) emit_visit(c);
    }
    emit_visit(body);
    emit_visit(name);
  }

  // Clauses nest as loops; the first iterable is evaluated before the first loop.
  void expand_comprehension(uint32_t node) {
    const uint32_t exit = new_block();
    uint32_t outer = exit;
    for (uint32_t cl : graph_.children(node)) {
      const SemRole r = view_.role(cl);
      if (r == kRoleForIn) {
        for (uint32_t c : graph_.children(cl)) {
          if (view_.field(c) == kFieldRight) emit_visit(c);
        }
        const uint32_t head = new_block(), body_b = new_block();
        emit(kOpGoto, head);
        emit(kOpStart, head);
        emit(kOpSplit, body_b, outer);
        emit(kOpStart, body_b);
        for (uint32_t c : graph_.children(cl)) {
          if (view_.field(c) == kFieldLeft) emit_visit(c);
        }
        outer = head;
      } else if (r == kRoleIfClause) {
        emit_visit(cl);
        const uint32_t pass = new_block();
        emit(kOpSplit, pass, outer);
        emit(kOpStart, pass);
      }
    }
    emit_visit(view_.child(node, kFieldBody));
    emit(kOpGoto, outer);
    emit(kOpStart, exit);
  }

  void expand_conditional(uint32_t node) {
    const IndexRange kids = graph_.children(node);
    if (kids.size() != 5) {  // `a if c else b`; anything else (errors) evaluates in order
      for (uint32_t c : kids) emit_visit(c);
      return;
    }
    const uint32_t a = kids.first[0], cond = kids.first[2], b = kids.first[4];
    const uint32_t ta = new_block(), tb = new_block(), join = new_block();
    emit_visit(cond);
    emit(kOpSplit, ta, tb);
    emit(kOpStart, ta);
    emit_visit(a);
    emit(kOpGoto, join);
    emit(kOpStart, tb);
    emit_visit(b);
    emit(kOpGoto, join);
    emit(kOpStart, join);
  }

  void expand_boolean(uint32_t node) {
    const uint32_t right_b = new_block(), join = new_block();
    emit_visit(view_.child(node, kFieldLeft));
    emit(kOpSplit, right_b, join);
    emit(kOpStart, right_b);
    emit_visit(view_.child(node, kFieldRight));
    emit(kOpGoto, join);
    emit(kOpStart, join);
  }

  // `a = b = v`: v first, then the targets left to right.
  void expand_assignment(uint32_t node) {
    targets_.clear();
    targets_.push_back(view_.child(node, kFieldLeft));
    uint32_t value = view_.child(node, kFieldRight);
    while (value != kNoIndex && view_.role(value) == kRoleAssignment) {
      targets_.push_back(view_.child(value, kFieldLeft));
      value = view_.child(value, kFieldRight);
    }
    emit_visit(value);
    for (uint32_t t : targets_) emit_visit(t);
    emit_visit(view_.child(node, kFieldType));
  }

  FlowGraph finish() {
    FlowGraph out;
    out.num_blocks = num_blocks_;
    out.event_begin.assign(num_blocks_ + 1, 0);
    for (const FlowEvent& e : events_) ++out.event_begin[e.block + 1];
    for (uint32_t b = 0; b < num_blocks_; ++b) out.event_begin[b + 1] += out.event_begin[b];
    out.events.resize(events_.size());
    std::vector<uint32_t> fill(out.event_begin.begin(), out.event_begin.end() - 1);
    for (const FlowEvent& e : events_) out.events[fill[e.block]++] = e;

    out.succ_begin.assign(num_blocks_ + 1, 0);
    for (const RawEdge& e : edges_) ++out.succ_begin[e.from + 1];
    for (uint32_t b = 0; b < num_blocks_; ++b) out.succ_begin[b + 1] += out.succ_begin[b];
    out.succ.resize(edges_.size());
    out.succ_closure.resize(edges_.size());
    fill.assign(out.succ_begin.begin(), out.succ_begin.end() - 1);
    for (const RawEdge& e : edges_) {
      const uint32_t slot = fill[e.from]++;
      out.succ[slot] = e.to;
      out.succ_closure[slot] = e.closure ? 1 : 0;
    }
    return out;
  }

  struct RawEdge {
    uint32_t from, to;
    bool closure;
  };

  const SemanticView& view_;
  const CodeGraph& graph_;
  const std::vector<uint32_t>& occ_of_;
  const FlowOptions opts_;
  uint32_t root_fn_ = kNoIndex;

  uint32_t num_blocks_ = 0;
  uint32_t cur_ = kNoBlock;
  std::vector<uint8_t> has_pred_;
  std::vector<RawEdge> edges_;
  std::vector<FlowEvent> events_;
  std::vector<uint8_t> token_event_;

  std::vector<Action> stack_, seq_;
  std::vector<Context> ctx_pool_;
  std::vector<uint32_t> ctx_stack_, cur_stack_;
  std::vector<uint32_t> handlers_, alias_part_, targets_;
};

}  // namespace

FlowGraph build_flow_graph(const SemanticView& view, const std::vector<uint32_t>& occurrence_of,
                           const FlowOptions& options) {
  return FlowBuilder(view, occurrence_of, options).build();
}

}  // namespace bugseek::parser
