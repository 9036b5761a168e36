"""Sorts and operator signatures of the SMT-LIB theories SyGuS problems use (Core, Ints, Strings),
and the ground evaluator of PBE-strings terms.

The reader type-checks every term against ``result_sort``; the evaluator runs a term on one
input with the strings domain's reference semantics (``synth/dsl/strings/ops.py``), so checking a
printed solution uses the same semantics the search used.
"""
from __future__ import annotations

from typing import Any, Mapping

from synth.io.sygus_terms import App, Sym, Term

#: sorts the reader accepts
SORTS = ("Int", "Bool", "String")
#: SyGuS v1 (SMT-LIB 2.5) names -> SMT-LIB 2.6 names
V1_OP_NAMES = {"str.to.int": "str.to_int", "int.to.str": "str.from_int"}
V2_TO_V1_OP_NAMES = {v: k for k, v in V1_OP_NAMES.items()}

B, I, S = "Bool", "Int", "String"

# fixed-arity ops: name -> (argument sorts, result sort)
_FIXED: dict[str, tuple[tuple[str, ...], str]] = {
    "not": ((B,), B),
    "div": ((I, I), I), "mod": ((I, I), I), "abs": ((I,), I),
    "str.len": ((S,), I), "str.substr": ((S, I, I), S), "str.at": ((S, I), S),
    "str.indexof": ((S, S, I), I), "str.replace": ((S, S, S), S),
    "str.replace_all": ((S, S, S), S),
    "str.prefixof": ((S, S), B), "str.suffixof": ((S, S), B), "str.contains": ((S, S), B),
    "str.to_int": ((S,), I), "str.from_int": ((I,), S),
    "str.is_digit": ((S,), B), "str.to_code": ((S,), I), "str.from_code": ((I,), S),
    "str.<": ((S, S), B), "str.<=": ((S, S), B),
}
# n-ary ops over one sort: name -> (argument sort, result sort, least arity)
_NARY: dict[str, tuple[str, str, int]] = {
    "and": (B, B, 1), "or": (B, B, 1), "xor": (B, B, 2), "=>": (B, B, 2),
    "+": (I, I, 2), "*": (I, I, 2), "-": (I, I, 1),
    "<": (I, B, 2), "<=": (I, B, 2), ">": (I, B, 2), ">=": (I, B, 2),
    "str.++": (S, S, 2),
}


class SortError(Exception):
    """A term's arguments do not fit its operator (the reader adds file and line)."""


def is_theory_op(name: str) -> bool:
    return name in _FIXED or name in _NARY or name in ("=", "distinct", "ite") or name in V1_OP_NAMES


def result_sort(op: str, arg_sorts: tuple[str, ...]) -> str:
    """The sort of ``(op args...)``; ``SortError`` if the arguments do not fit."""
    op = V1_OP_NAMES.get(op, op)
    if op in _FIXED:
        want, ret = _FIXED[op]
        if tuple(arg_sorts) != want:
            raise SortError(f"{op} takes ({' '.join(want)}), got ({' '.join(arg_sorts)})")
        return ret
    if op in _NARY:
        arg, ret, least = _NARY[op]
        if len(arg_sorts) < least or any(s != arg for s in arg_sorts):
            raise SortError(f"{op} takes {least} or more {arg} arguments, got ({' '.join(arg_sorts)})")
        return ret
    if op in ("=", "distinct"):
        if len(arg_sorts) < 2 or len(set(arg_sorts)) != 1:
            raise SortError(f"{op} takes 2 or more arguments of one sort, got ({' '.join(arg_sorts)})")
        return B
    if op == "ite":
        if len(arg_sorts) != 3 or arg_sorts[0] != B or arg_sorts[1] != arg_sorts[2]:
            raise SortError(f"ite takes (Bool T T), got ({' '.join(arg_sorts)})")
        return arg_sorts[1]
    raise SortError(f"unknown function {op}")


# ----------------------------------------------------------------------------------- evaluation

def _ops():
    from synth.dsl.strings import ops as o
    return o


def _fold(fn, args):
    acc = args[0]
    for a in args[1:]:
        acc = fn(acc, a)
    return acc


def _chain(fn, args):
    return all(fn(a, b) for a, b in zip(args, args[1:]))


def _apply(op: str, args: list) -> Any:
    """One op on evaluated arguments, with the strings domain's reference functions; None where
    the domain's op is undefined (SMT-LIB's string and integer ops are total, so only ``div`` and
    ``mod`` by zero give None here)."""
    o = _ops()
    op = V1_OP_NAMES.get(op, op)
    fixed = {
        "not": o.not_, "str.len": o.str_len, "str.substr": o.str_substr, "str.at": o.str_at,
        "str.indexof": o.str_indexof, "str.replace": o.str_replace, "str.prefixof": o.str_prefixof,
        "str.suffixof": o.str_suffixof, "str.contains": o.str_contains, "str.to_int": o.str_to_int,
        "str.from_int": o.str_from_int,
    }
    if op in fixed:
        return fixed[op](*args)
    if op == "ite":
        return o.ite(*args)
    if op == "and":
        return all(args)
    if op == "or":
        return any(args)
    if op == "xor":
        return _fold(lambda a, b: a != b, args)
    if op == "=>":
        r = args[-1]
        for a in reversed(args[:-1]):
            r = (not a) or r
        return r
    if op == "=":
        return _chain(o.eq, args)
    if op == "distinct":
        return len(set(args)) == len(args)
    if op == "+":
        return _fold(o.int_add, args)
    if op == "*":
        return _fold(o.int_mul, args)
    if op == "-":
        return o.int_neg(args[0]) if len(args) == 1 else _fold(o.int_sub, args)
    if op == "str.++":
        return _fold(o.str_concat, args)
    if op in ("<", "<=", ">", ">="):
        return _chain({"<": o.lt, "<=": o.le, ">": o.gt_, ">=": o.ge}[op], args)
    if op == "abs":
        return abs(args[0])
    if op in ("div", "mod"):
        a, b = args
        if b == 0:
            return None
        q = a // b if b > 0 else -(a // -b)  # SMT-LIB: floor for b > 0, ceiling for b < 0
        return q if op == "div" else a - b * q
    if op == "str.replace_all":
        s, t, r = args
        return s if t == "" else s.replace(t, r)
    if op == "str.is_digit":
        return len(args[0]) == 1 and "0" <= args[0] <= "9"
    if op == "str.to_code":
        return ord(args[0]) if len(args[0]) == 1 else -1
    if op == "str.from_code":
        return chr(args[0]) if 0 <= args[0] <= 196607 else ""
    if op == "str.<":
        return args[0] < args[1]
    if op == "str.<=":
        return args[0] <= args[1]
    raise KeyError(op)


def evaluate(term: Term, env: Mapping[str, Any], funs: Mapping[str, tuple] | None = None) -> Any:
    """Value of a term where ``env`` gives every free symbol; ``funs`` maps a function name to
    ``(param_names, body)`` for calls to it (a synth-fun's candidate). None where undefined."""
    if isinstance(term, Sym):
        return env[term.name]
    if not isinstance(term, App):
        return term
    if funs and term.op in funs:
        params, body = funs[term.op]
        args = [evaluate(a, env, funs) for a in term.args]
        if any(a is None for a in args):
            return None
        return evaluate(body, dict(zip(params, args)), funs)
    if term.op == "ite":  # lazy, like SMT-LIB's ite
        c = evaluate(term.args[0], env, funs)
        if c is None:
            return None
        return evaluate(term.args[1 if c else 2], env, funs)
    args = [evaluate(a, env, funs) for a in term.args]
    if any(a is None for a in args):
        return None
    return _apply(term.op, args)
