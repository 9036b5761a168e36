"""The lia ops: integer arithmetic, comparisons and boolean connectives, each with its Python
reference semantics (``and``/``or`` take any number of arguments). ``%`` is SMT-LIB ``mod``
(never negative); ``unknown()``/``nondet()`` are nondeterministic and have no reference value."""
from __future__ import annotations

from synth.dsl.base import Op


def _add(a, b):
    return a + b


def _sub(a, b):
    return a - b


def _mul(a, b):
    return a * b


def _neg(a):
    return -a


def _mod(a, b):
    if b == 0:
        return None
    return a % abs(b)


def _le(a, b):
    return a <= b


def _lt(a, b):
    return a < b


def _ge(a, b):
    return a >= b


def _gt(a, b):
    return a > b


def _eq(a, b):
    return a == b


def _ne(a, b):
    return a != b


def _and(*xs):
    return all(xs)


def _or(*xs):
    return any(xs)


def _not(a):
    return not a


def _implies(a, b):
    return (not a) or b


def _ite(c, a, b):
    return a if c else b


def _nondet():
    return None


LIA_OPS = (
    Op("+", ("Int", "Int"), "Int", _add, "sum"),
    Op("-", ("Int", "Int"), "Int", _sub, "difference"),
    Op("*", ("Int", "Int"), "Int", _mul, "product (linear when one side is a constant)"),
    Op("neg", ("Int",), "Int", _neg, "negation", symbol="-"),
    Op("%", ("Int", "Int"), "Int", _mod, "remainder, never negative (SMT-LIB mod)"),
    Op("<=", ("Int", "Int"), "Bool", _le),
    Op("<", ("Int", "Int"), "Bool", _lt),
    Op(">=", ("Int", "Int"), "Bool", _ge),
    Op(">", ("Int", "Int"), "Bool", _gt),
    Op("==", ("Int", "Int"), "Bool", _eq, "equality (of integers or of booleans)"),
    Op("!=", ("Int", "Int"), "Bool", _ne),
    Op("and", ("Bool", "Bool"), "Bool", _and, "conjunction (any number of arguments)"),
    Op("or", ("Bool", "Bool"), "Bool", _or, "disjunction (any number of arguments)"),
    Op("not", ("Bool",), "Bool", _not),
    Op("=>", ("Bool", "Bool"), "Bool", _implies, "implication"),
    Op("ite", ("Bool", "Int", "Int"), "Int", _ite, "if-then-else"),
    Op("unknown", (), "Bool", _nondet, "a nondeterministic boolean (loop programs only)"),
    Op("nondet", (), "Int", _nondet, "a nondeterministic integer (loop programs only)"),
)

COMPARISONS = ("<=", "<", ">=", ">", "==", "!=")
#: the comparison that is true exactly when the given one is false
NEGATED = {"<=": ">", "<": ">=", ">=": "<", ">": "<=", "==": "!=", "!=": "=="}
#: the comparison with its sides swapped
FLIPPED = {"<=": ">=", "<": ">", ">=": "<=", ">": "<", "==": "==", "!=": "!="}
