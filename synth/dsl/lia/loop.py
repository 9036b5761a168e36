"""Loop problems: ``{pre} while (guard) { body } {post}`` over integer (and boolean) variables,
as given by JSON tasks (``synth.task``) and Code2Inv's C programs, and their transition system for Z3.

An invariant ``Inv`` proves the loop when ``pre → Inv``, ``Inv ∧ guard ∧ body → Inv'`` and
``Inv ∧ ¬guard → post``. A missing guard (``while (unknown())``) may stop at any iteration; a
JSON task says so with ``"guard": null``, ``"unknown()"`` or ``"*"`` (an empty guard is an error).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from synth.dsl.base import Apply, Const, Node, Var
from synth.dsl.lia.statements import Assert, Assign, Assume, If, assigned_vars, stmt_exprs
from synth.dsl.lia.syntax import TRUE, mk_and, mk_not, mk_or, parse_expr, parse_stmts
from synth.dsl.lia.syntax import has_nondet_op as has_nondet  # noqa: F401  (used by verify)
from synth.errors import InvalidTask, ProgramSyntaxError


@dataclass
class LoopProblem:
    """One single-loop program. ``pre`` may mention existential helper variables (``exists``):
    initial values that the code before the loop overwrote."""

    name: str
    vars: list[str]
    pre: Node
    guard: Node | None
    body: tuple
    post: Node
    bool_vars: frozenset = frozenset()
    exists: list[str] = field(default_factory=list)

    def var_sort(self, v: str) -> str:
        return "Bool" if v in self.bool_vars else "Int"

    def expressions(self):
        yield self.pre
        if self.guard is not None:
            yield self.guard
        yield from stmt_exprs(self.body)
        yield self.post


# ------------------------------------------------------------------------------- node helpers
def subst(node: Node, mapping: Mapping[str, Node]) -> Node:
    """Replace variables by nodes."""
    if isinstance(node, Var):
        return mapping.get(node.name, node)
    if isinstance(node, Const):
        return node
    return Apply(node.op, tuple(subst(a, mapping) for a in node.args))


def expr_vars(node: Node) -> list[str]:
    out: dict[str, None] = {}
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Var):
            out.setdefault(n.name, None)
        elif isinstance(n, Apply):
            stack.extend(n.args)
    return list(out)


class _Symbolic:
    """Symbolic execution over lia nodes (values as ite-expressions of the initial values).

    Used for the straight-line code around a loop: what runs before it becomes ``pre``, what runs
    after it (with its asserts) becomes ``post``."""

    def __init__(self, state: dict[str, Node]):
        self.state = dict(state)
        self.assumes: list[Node] = []
        self.asserts: list[Node] = []
        self.fresh = itertools.count(1)
        self.exists: list[str] = []

    def value(self, node: Node) -> Node:
        node = self._nondet(node)
        return subst(node, self.state)

    def _nondet(self, node: Node) -> Node:
        if isinstance(node, Apply):
            if node.op in ("unknown", "nondet"):
                name = f"_{node.op}{next(self.fresh)}"
                self.exists.append(name)
                return Var(name, "Bool" if node.op == "unknown" else "Int")
            return Apply(node.op, tuple(self._nondet(a) for a in node.args))
        return node

    def run(self, stmts, branch: Node = TRUE, assumed: Node = TRUE) -> Node:
        """Execute; ``branch`` is the conjunction of the enclosing if-conditions, ``assumed`` that
        of the assumes met so far on this path. Returns ``assumed`` at the end."""
        for st in stmts:
            if isinstance(st, Assign):
                self.state[st.var] = self.value(st.expr)
            elif isinstance(st, Assume):
                c = self.value(st.cond)
                self.assumes.append(mk_or(mk_not(branch), c) if branch != TRUE else c)
                assumed = mk_and(assumed, c)  # later asserts only matter where it holds
            elif isinstance(st, Assert):
                guard = mk_and(branch, assumed)
                c = self.value(st.cond)
                self.asserts.append(mk_or(mk_not(guard), c) if guard != TRUE else c)
            elif isinstance(st, If):
                c = self.value(st.cond)
                before = dict(self.state)
                a1 = self.run(st.then, mk_and(branch, c), assumed)
                after_then = self.state
                self.state = dict(before)
                a2 = self.run(st.orelse, mk_and(branch, mk_not(c)), assumed)
                after_else = self.state
                merged = {}
                for v in set(after_then) | set(after_else):
                    a, b = after_then.get(v, before.get(v)), after_else.get(v, before.get(v))
                    merged[v] = a if a == b else Apply("ite", (c, a, b))
                self.state = merged
                assumed = a1 if a1 == a2 else mk_or(mk_and(c, a1), mk_and(mk_not(c), a2))
            else:
                raise TypeError(f"not a statement: {st!r}")
        return assumed


def pre_from_statements(vars_: Sequence[str], stmts, bool_vars=frozenset()) -> tuple[Node, list[str]]:
    """The loop-entry condition of the code before a loop, and the helper variables it needs.

    Every variable starts with an arbitrary value; a variable that is reassigned but whose initial
    value still matters keeps it in a helper ``<name>__0``."""
    init = {v: Var(f"{v}__0", "Bool" if v in bool_vars else "Int") for v in vars_}
    sym = _Symbolic(init)
    sym.run(stmts)
    if sym.asserts:
        raise InvalidTask("an assert before the loop is not supported")
    assigned = set(assigned_vars(stmts))
    # initial values of never-assigned variables are their values at loop entry
    rename = {f"{v}__0": Var(v, init[v].type) for v in vars_ if v not in assigned}
    parts = [subst(a, rename) for a in sym.assumes]
    for v in vars_:
        if v in assigned:
            val = subst(sym.state[v], rename)
            if val != Var(v, init[v].type):
                parts.append(Apply("==", (Var(v, init[v].type), val)))
    pre = mk_and(*parts)
    used = set(expr_vars(pre))
    exists = [f"{v}__0" for v in vars_ if f"{v}__0" in used] + [e for e in sym.exists if e in used]
    return pre, exists


def post_from_statements(vars_: Sequence[str], stmts, bool_vars=frozenset()) -> Node:
    """The condition the loop-exit state must meet for every assert after the loop to hold."""
    sym = _Symbolic({v: Var(v, "Bool" if v in bool_vars else "Int") for v in vars_})
    sym.run(stmts)
    if sym.exists:
        raise InvalidTask("unknown()/nondet() after the loop is not supported")
    return mk_and(*sym.asserts)


# ---------------------------------------------------------------------------------- JSON tasks
LIA_FIELDS = {"vars", "pre", "guard", "body", "post", "bool_vars", "source", "tags", "solution",
              "invalid", "max_size"}


def loop_from_spec(name: str, spec: Mapping[str, Any], where: str = "") -> LoopProblem:
    """Build and check the loop of a JSON lia task; a malformed field is an ``InvalidTask``."""
    at = where or f"task {name!r}: "
    unknown = set(spec) - LIA_FIELDS
    if unknown:
        raise InvalidTask(f"{at}unknown field(s) {', '.join(sorted(unknown))} in a lia task; "
                          f"allowed: {', '.join(sorted(LIA_FIELDS))}")
    for key in ("pre", "body", "post"):
        if key not in spec:
            raise InvalidTask(f"{at}missing field {key!r} (a lia task needs vars, pre, guard, body, post)")
        if not isinstance(spec[key], str):
            raise InvalidTask(f"{at}{key!r} must be a string, got {type(spec[key]).__name__}")
    guard_text = spec.get("guard")
    if guard_text is not None and not isinstance(guard_text, str):
        raise InvalidTask(f"{at}'guard' must be a string (or null for a nondeterministic loop)")
    if isinstance(guard_text, str) and not guard_text.strip():
        raise InvalidTask(f"{at}'guard' is empty; give the loop condition, or null (or "
                          f"\"unknown()\") for a loop that may stop after any iteration")
    for key in ("pre", "post"):
        if not spec[key].strip():
            raise InvalidTask(f"{at}{key!r} is empty; give a condition (\"true\" for none)")
    bool_vars = spec.get("bool_vars", [])
    if not isinstance(bool_vars, list) or not all(isinstance(b, str) for b in bool_vars):
        raise InvalidTask(f"{at}'bool_vars' must be a list of variable names")
    try:
        pre = parse_expr(spec["pre"], bool_vars)
        guard = None if guard_text is None or guard_text.strip() in NONDET_GUARDS else \
            parse_expr(guard_text, bool_vars)
        body = parse_stmts(spec["body"], bool_vars)
        post = parse_expr(spec["post"], bool_vars)
    except ProgramSyntaxError as e:
        raise InvalidTask(f"{at}{e}") from None
    if any(isinstance(s, Assert) for s in body):
        raise InvalidTask(f"{at}assert() is not allowed in a loop body; put the property in 'post'")
    mentioned: dict[str, None] = {}
    for e in (pre, guard, post, *stmt_exprs(body)):
        if e is not None:
            for v in expr_vars(e):
                mentioned.setdefault(v, None)
    for v in assigned_vars(body):
        mentioned.setdefault(v, None)
    vars_ = spec.get("vars")
    if vars_ is None:
        vars_ = list(mentioned)
    if not isinstance(vars_, list) or not all(isinstance(v, str) and v.isidentifier() for v in vars_):
        raise InvalidTask(f"{at}'vars' must be a list of variable names")
    if len(set(vars_)) != len(vars_):
        raise InvalidTask(f"{at}'vars' names a variable twice")
    missing = [v for v in mentioned if v not in vars_]
    if missing:
        raise InvalidTask(f"{at}variable(s) {', '.join(missing)} used but not listed in 'vars'")
    for what, e in (("pre", pre), ("post", post)):
        if has_nondet(e):
            raise InvalidTask(f"{at}'{what}' may not use unknown()/nondet()")
    problem = LoopProblem(name=name, vars=list(vars_), pre=pre, guard=guard, body=body, post=post,
                          bool_vars=frozenset(bool_vars))
    check_sorts(problem, at)
    return problem


#: guard texts of a loop that may stop after any iteration (``while (unknown())``); null too
NONDET_GUARDS = ("unknown()", "*")


def check_sorts(problem: LoopProblem, at: str = "") -> None:
    """``pre``, ``guard``, ``post`` and the body's conditions must be conditions, assignments
    must match their variable's sort (integer, or boolean for ``bool_vars``), and no ``%`` may
    divide by a constant 0; an ``InvalidTask`` names the field otherwise."""
    from synth.dsl.lia.statements import Assert, Assign, Assume, If
    from synth.dsl.lia.syntax import SortError, format_expr, sort_of

    at = at or f"task {problem.name!r}: "

    def var_sort(name: str, declared: str) -> str:
        if name in problem.vars:
            return problem.var_sort(name)
        return declared  # helper variables (unknown()/nondet() values before the loop)

    def check(e: Node, what: str, want: str) -> None:
        try:
            got = sort_of(e, var_sort)
        except SortError as err:
            raise InvalidTask(f"{at}{what}: {err}") from None
        if got != want:
            shown = format_expr(e)
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            if want == "Bool":
                raise InvalidTask(f"{at}{what} must be a boolean condition (such as x < n), "
                                  f"got the integer expression {shown!r}")
            raise InvalidTask(f"{at}{what} must be an integer expression, got the condition "
                              f"{shown!r}")

    check(problem.pre, "'pre'", "Bool")
    if problem.guard is not None:
        check(problem.guard, "'guard'", "Bool")
    check(problem.post, "'post'", "Bool")

    def walk(stmts) -> None:
        for st in stmts:
            if isinstance(st, Assign):
                check(st.expr, f"'body': the value assigned to {st.var}",
                      problem.var_sort(st.var) if st.var in problem.vars else "Int")
            elif isinstance(st, If):
                check(st.cond, "'body': an if condition", "Bool")
                walk(st.then)
                walk(st.orelse)
            elif isinstance(st, Assume):
                check(st.cond, "'body': an assume() condition", "Bool")
            elif isinstance(st, Assert):
                check(st.cond, "'body': an assert() condition", "Bool")

    walk(problem.body)
