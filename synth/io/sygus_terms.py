"""The small term language the SyGuS reader hands to solvers.

A term is one of

* ``Sym(name)``: a variable (a state variable, a primed next-state variable, a declared input,
  a synth-fun parameter or a grammar nonterminal, depending on where the term comes from);
* ``App(op, args)``: an operator applied to a tuple of terms. ``op`` is the SMT-LIB name as
  written in the file (``and``, ``or``, ``not``, ``=>``, ``=``, ``distinct``, ``ite``, ``+``, ``-``,
  ``*``, ``div``, ``mod``, ``abs``, ``<``, ``<=``, ``>``, ``>=``, ``str.++``, ``str.len``, ...;
  SyGuS v1 names ``str.to.int``/``int.to.str`` are renamed to ``str.to_int``/``str.from_int``),
  or the name of a synth-fun in a constraint. ``and``, ``or``, ``+``, ``*``, ``str.++`` and the
  comparisons may be n-ary, ``-`` unary or n-ary, exactly as in the file;
* a literal: Python ``bool`` (``true``/``false``), ``int`` (numerals; v1's ``-1`` and v2's
  ``(- 1)`` both become the int ``-1`` only where the reader folds them, see ``sygus.py``) or
  ``str`` (a string literal, already unescaped: SMT-LIB's ``""`` inside quotes is one ``"``).

``let`` is expanded and calls of ``define-fun`` functions are inlined by the reader, so a term never
contains either. Terms are immutable and hashable; shared subterms are shared objects (a DAG), so
walk big terms with ``iter_subterms`` (each object once) rather than naive recursion.
Note ``bool`` is a subclass of ``int``: test ``isinstance(t, bool)`` before ``isinstance(t, int)``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator, Mapping, Union


@dataclass(frozen=True, slots=True)
class Sym:
    """A variable (or nonterminal) by name."""

    name: str

    def __str__(self) -> str:
        return format_term(self)


@dataclass(frozen=True, slots=True)
class App:
    """``(op arg ...)``."""

    op: str
    args: tuple

    def __str__(self) -> str:
        return format_term(self)


Term = Union[Sym, App, bool, int, str]


def is_literal(t: Term) -> bool:
    return isinstance(t, (bool, int, str))


def iter_subterms(t: Term) -> Iterator[Term]:
    """Every distinct subterm object once (pre-order), without recursion."""
    seen: set[int] = set()
    stack = [t]
    while stack:
        x = stack.pop()
        if isinstance(x, App):
            if id(x) in seen:
                continue
            seen.add(id(x))
            stack.extend(reversed(x.args))
        yield x


def term_depth(t: Term, stop_above: int | None = None, memo: dict | None = None) -> int:
    """Levels of the term as a tree (a leaf is 0, ``(f x)`` is 1), computed without recursion,
    each distinct subterm once. With ``stop_above``, returns a depth above it as soon as the
    depth is known to exceed it. ``memo`` (id -> (depth, term)) may be shared between calls on
    terms that share subterms."""
    if not isinstance(t, App):
        return 0
    memo = {} if memo is None else memo
    stack: list = [(t, False)]
    path = 0  # subterms being expanded: the markers (x, True) on the stack
    while stack:
        x, ready = stack.pop()
        if ready:
            path -= 1
            memo[id(x)] = (1 + max((memo[id(a)][0] for a in x.args if isinstance(a, App)), default=0), x)
            continue
        if id(x) in memo:
            continue
        stack.append((x, True))
        path += 1
        if stop_above is not None and path > stop_above:
            return path
        for a in x.args:
            if isinstance(a, App) and id(a) not in memo:
                stack.append((a, False))
    return memo[id(t)][0]


def free_symbols(t: Term) -> set[str]:
    """Names of the ``Sym`` leaves of a term."""
    return {x.name for x in iter_subterms(t) if isinstance(x, Sym)}


def substitute(t: Term, mapping: Mapping[str, Term]) -> Term:
    """Replace ``Sym(name)`` by ``mapping[name]`` everywhere (simultaneously). Shared subterms stay
    shared: each distinct subterm object is rewritten once."""
    if not mapping:
        return t
    memo: dict[int, Term] = {}

    def go(x: Term) -> Term:
        if isinstance(x, Sym):
            return mapping.get(x.name, x)
        if not isinstance(x, App):
            return x
        key = id(x)
        done = memo.get(key)
        if done is not None:
            return done
        args = tuple(go(a) for a in x.args)
        out = x if all(a is b for a, b in zip(args, x.args)) else App(x.op, args)
        memo[key] = out
        return out

    return go(t)


def map_ops(t: Term, rename: Callable[[str], str]) -> Term:
    """The same term with every op name passed through ``rename``."""
    memo: dict[int, Term] = {}

    def go(x: Term) -> Term:
        if not isinstance(x, App):
            return x
        done = memo.get(id(x))
        if done is None:
            done = App(rename(x.op), tuple(go(a) for a in x.args))
            memo[id(x)] = done
        return done

    return go(t)


def format_literal(v: bool | int | str, negative_style: str = "v2") -> str:
    """SMT-LIB text of a literal. Negative ints are ``(- 5)`` in v2 and ``-5`` in v1."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        if v < 0:
            return f"(- {-v})" if negative_style == "v2" else str(v)
        return str(v)
    if isinstance(v, str):
        return '"' + v.replace('"', '""') + '"'
    raise TypeError(f"not a SyGuS literal: {v!r}")


def format_term(t: Term, negative_style: str = "v2", rename: Callable[[str], str] | None = None,
                limit: int | None = None) -> str:
    """SMT-LIB text of a term (no ``let``s: shared subterms are printed in full). With ``limit``,
    at most that many characters, ending in "..." when cut: a term with much sharing can be far
    too big to print in full."""
    out: list[str] = []
    size = 0
    stack: list = [t]
    while stack:
        if limit is not None and size > limit:
            return "".join(out)[:max(0, limit - 3)] + "..."
        x = stack.pop()
        if x is _CLOSE:
            piece = ")"
        elif isinstance(x, App):
            piece = "(" + (rename(x.op) if rename else x.op)
            stack.append(_CLOSE)
            for a in reversed(x.args):
                stack.append(a)
                stack.append(_SPACE)
        elif x is _SPACE:
            piece = " "
        elif isinstance(x, Sym):
            piece = _symbol_text(x.name)
        else:
            piece = format_literal(x, negative_style)
        out.append(piece)
        size += len(piece)
    text = "".join(out)
    if limit is not None and len(text) > limit:
        return text[:max(0, limit - 3)] + "..."
    return text


_CLOSE, _SPACE = object(), object()
_PLAIN_SYMBOL = re.compile(r"[a-zA-Z~!@$%^&*_+=<>.?/\-][a-zA-Z0-9~!@$%^&*_+=<>.?/\-]*")


def _symbol_text(name: str) -> str:
    if _PLAIN_SYMBOL.fullmatch(name):
        return name
    return "|" + name + "|"


def term_size(t: Term) -> int:
    """AST nodes of the term as printed: one per op application and one per leaf, where a negative
    int literal counts as the two nodes of ``(- n)`` (the measure used for cvc5's solutions)."""
    size = 0
    stack = [t]
    while stack:
        x = stack.pop()
        if isinstance(x, App):
            size += 1
            stack.extend(x.args)
        elif isinstance(x, int) and not isinstance(x, bool) and x < 0:
            size += 2
        else:
            size += 1
    return size


def to_z3(t: Term, symbols: Mapping[str, object]):
    """The term as a Z3 expression; ``symbols`` maps every free name to a Z3 constant
    (e.g. ``{"x": z3.Int("x"), "x!": z3.Int("x!")}``). Int/Bool ops only (the Inv track's)."""
    import z3

    memo: dict[int, object] = {}

    def go(x):
        if isinstance(x, bool):
            return z3.BoolVal(x)
        if isinstance(x, int):
            return z3.IntVal(x)
        if isinstance(x, Sym):
            return symbols[x.name]
        if isinstance(x, str):
            return z3.StringVal(x)
        done = memo.get(id(x))
        if done is not None:
            return done
        a = [go(y) for y in x.args]
        op = x.op
        if op == "and":
            r = z3.And(*a)
        elif op == "or":
            r = z3.Or(*a)
        elif op == "not":
            r = z3.Not(a[0])
        elif op == "=>":
            r = a[-1]
            for y in reversed(a[:-1]):
                r = z3.Implies(y, r)
        elif op == "xor":
            r = a[0]
            for y in a[1:]:
                r = z3.Xor(r, y)
        elif op == "ite":
            r = z3.If(a[0], a[1], a[2])
        elif op == "=":
            r = z3.And(*[p == q for p, q in zip(a, a[1:])]) if len(a) > 2 else a[0] == a[1]
        elif op == "distinct":
            r = z3.Distinct(*a)
        elif op == "+":
            r = z3.Sum(*a)
        elif op == "*":
            r = a[0]
            for y in a[1:]:
                r = r * y
        elif op == "-":
            if len(a) == 1:
                r = -a[0]
            else:
                r = a[0]
                for y in a[1:]:
                    r = r - y
        elif op == "div":
            r = a[0] / a[1]
        elif op == "mod":
            r = a[0] % a[1]
        elif op == "abs":
            r = z3.If(a[0] >= 0, a[0], -a[0])
        elif op in ("<", "<=", ">", ">="):
            cmp = {"<": lambda p, q: p < q, "<=": lambda p, q: p <= q,
                   ">": lambda p, q: p > q, ">=": lambda p, q: p >= q}[op]
            parts = [cmp(p, q) for p, q in zip(a, a[1:])]
            r = parts[0] if len(parts) == 1 else z3.And(*parts)
        else:
            raise ValueError(f"to_z3: unsupported op {op}")
        memo[id(x)] = r
        return r

    return go(t)
