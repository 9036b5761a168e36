"""Loop-program statements (assignment, if/else, assume, assert) and their concrete execution.

Expressions inside are lia nodes. ``unknown()`` and ``nondet()`` draw from the caller's random
generator, so running a program samples one of its behaviours.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Mapping

from synth.dsl.base import Apply, Const, Node, Var


@dataclass(frozen=True)
class Assign:
    var: str
    expr: Node


@dataclass(frozen=True)
class If:
    cond: Node
    then: tuple
    orelse: tuple = ()


@dataclass(frozen=True)
class Assume:
    cond: Node


@dataclass(frozen=True)
class Assert:
    cond: Node


Stmt = Assign | If | Assume | Assert


class Infeasible(Exception):
    """An ``assume`` failed: this run of the program does not exist."""


class AssertionFailed(Exception):
    """An ``assert`` failed on a concrete run."""


#: range of the integers ``nondet()`` draws when run concretely
NONDET_RANGE = 20


def eval_expr(node: Node, env: Mapping[str, Any], rng: random.Random | None = None) -> Any:
    """Evaluate a lia node on concrete values (Python ints and bools)."""
    if isinstance(node, Var):
        return env[node.name]
    if isinstance(node, Const):
        return node.value
    op = node.op
    if op == "unknown":
        return (rng or random).random() < 0.5
    if op == "nondet":
        return (rng or random).randint(-NONDET_RANGE, NONDET_RANGE)
    if op == "and":
        return all(eval_expr(a, env, rng) for a in node.args)
    if op == "or":
        return any(eval_expr(a, env, rng) for a in node.args)
    if op == "=>":
        return (not eval_expr(node.args[0], env, rng)) or bool(eval_expr(node.args[1], env, rng))
    if op == "ite":
        c = eval_expr(node.args[0], env, rng)
        return eval_expr(node.args[1] if c else node.args[2], env, rng)
    args = [eval_expr(a, env, rng) for a in node.args]
    from synth.dsl.lia.ops import LIA_OPS

    fn = _FNS.get(op)
    if fn is None:
        _FNS.update({o.name: o.fn for o in LIA_OPS})
        fn = _FNS[op]
    out = fn(*args)
    if out is None:
        raise ArithmeticError(f"{op} is undefined on {args}")
    return out


_FNS: dict = {}


def execute(stmts, env: dict, rng: random.Random | None = None) -> dict:
    """Run statements on ``env`` in place; raises ``Infeasible`` or ``AssertionFailed``."""
    for st in stmts:
        if isinstance(st, Assign):
            env[st.var] = eval_expr(st.expr, env, rng)
        elif isinstance(st, If):
            execute(st.then if eval_expr(st.cond, env, rng) else st.orelse, env, rng)
        elif isinstance(st, Assume):
            if not eval_expr(st.cond, env, rng):
                raise Infeasible(st)
        elif isinstance(st, Assert):
            if not eval_expr(st.cond, env, rng):
                raise AssertionFailed(st)
        else:
            raise TypeError(f"not a statement: {st!r}")
    return env


def assigned_vars(stmts) -> list[str]:
    out: dict[str, None] = {}
    for st in stmts:
        if isinstance(st, Assign):
            out.setdefault(st.var, None)
        elif isinstance(st, If):
            for v in assigned_vars(st.then) + assigned_vars(st.orelse):
                out.setdefault(v, None)
    return list(out)


def stmt_exprs(stmts):
    """Every expression of the statements (conditions and right-hand sides)."""
    for st in stmts:
        if isinstance(st, Assign):
            yield st.expr
        elif isinstance(st, If):
            yield st.cond
            yield from stmt_exprs(st.then)
            yield from stmt_exprs(st.orelse)
        else:
            yield st.cond


def is_nondet(node: Node) -> bool:
    return isinstance(node, Apply) and node.op in ("unknown", "nondet")
