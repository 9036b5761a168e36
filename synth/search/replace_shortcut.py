"""The replace shortcut: a target that is an input with one fixed piece of text replaced by another
(``"Ithaca, New York, USA"`` -> ``"Ithaca, NY, USA"``) is ``str.replace(input, a, b)``.

Enumeration reaches such a program only at its full size (seven nodes where ``a`` and ``b`` are
each two constants joined), and a grammar with fifty constants makes that level slow. But the
examples say what ``a`` and ``b`` can be: on every example where the input changes, ``a`` is a
stretch of the input around the change, first occurring there, and ``b`` what stands in its
place in the output; where the input stays as it is, ``a`` does not occur. The candidates are
intersected over the examples, and each is spelled as the cheapest concatenation of the
grammar's string constants (``b`` may be the empty string where the grammar has it). Exact: the
program found is right on every example. The search offers it like its other shortcuts' answers
(held back while a smaller program may turn up).
"""
from __future__ import annotations

from typing import Sequence

from synth.dsl.base import Const, Node, Var, node_size
from synth.search.grammar import Production, SearchGrammar

#: the SMT-LIB replace (first occurrence), the op this shortcut writes
REPLACE_OP = "str.replace"
#: candidate (a, b) pairs spelled per input at most, shortest first (a task where only one
#: example changes has one per way to widen the change)
MAX_PAIRS = 400
#: (common prefix + 1) x (common suffix + 1) of an input and its output beyond which the pairs are
#: not listed (each is a slice and a search of the input)
MAX_WORK = 20_000


def replace_pairs(v: str, t: str) -> set[tuple[str, str]]:
    """Every (a, b) with a non-empty and ``v.replace(a, b, 1) == t``, for v != t (none where
    there would be more than ``MAX_WORK`` to try: long strings that differ in little)."""
    n, m = len(v), len(t)
    p = 0
    while p < min(n, m) and v[p] == t[p]:
        p += 1
    s = 0  # the common suffix, which may overlap the common prefix
    while s < min(n, m) and v[n - 1 - s] == t[m - 1 - s]:
        s += 1
    if (p + 1) * (s + 1) > MAX_WORK:
        return set()
    out = set()
    for i in range(p + 1):
        for j in range(max(i + 1, n - s), n + 1):
            if m - (n - j) < i:
                continue  # the kept tail would overlap the kept head in t
            a = v[i:j]
            if v.find(a) == i:
                out.add((a, t[i:m - (n - j)]))
    return out


def spell(text: str, constants: Sequence[tuple[str, Node]], concat: Production | None) -> Node | None:
    """The cheapest concatenation of ``constants`` ((string, node) pairs) equal to ``text`` (one
    constant alone where there is no concatenation)."""
    if concat is None or not text:
        return next((n for c, n in constants if c == text), None)
    best: list[tuple[int, Node] | None] = [None] * (len(text) + 1)
    for i in range(len(text)):
        here = best[i]
        if i and here is None:
            continue
        for c, node in constants:
            if not c or not text.startswith(c, i):
                continue
            piece = node if here is None else concat.make((here[1], node))
            size = node_size(piece)
            k = i + len(c)
            if best[k] is None or size < best[k][0]:
                best[k] = (size, piece)
    return None if best[-1] is None else best[-1][1]


def replace_program(grammar: SearchGrammar, inputs: Sequence[dict], target: Sequence[str]) -> Node | None:
    """``str.replace(x, a, b)`` right on every example, for an input ``x`` of the start symbol and
    constants ``a``, ``b`` the grammar can spell; the smallest such program, or None."""
    start = grammar.start
    replace = next((p for p in grammar.productions if p.op == REPLACE_OP and p.result == start
                    and p.args == (start, start, start)), None)
    concat = next((p for p in grammar.productions if p.concat and p.result == start
                   and p.args == (start, start)), None)
    if replace is None or not all(type(t) is str for t in target):
        return None
    constants = sorted(((lf.node.value, lf.node) for lf in grammar.leaves
                        if lf.result == start and isinstance(lf.node, Const)
                        and type(lf.node.value) is str), key=lambda cn: (len(cn[0]), cn[0]))
    found: list[tuple[int, str, Node]] = []
    for lf in grammar.leaves:
        if lf.result != start or not isinstance(lf.node, Var):
            continue
        vals = [env.get(lf.node.name) for env in inputs]
        if not all(type(v) is str for v in vals):
            continue
        pairs = None
        for v, t in zip(vals, target):
            if v == t:
                continue
            if pairs is None:  # the first example that changes proposes, the others check
                pairs = replace_pairs(v, t)
            else:
                pairs = {(a, b) for a, b in pairs if v.replace(a, b, 1) == t}
            if not pairs:
                break
        if not pairs:
            continue
        spelled: dict[str, Node | None] = {}
        tried = 0
        for a, b in sorted(pairs, key=lambda ab: (len(ab[0]) + len(ab[1]), ab)):
            if any(v == t and a in v for v, t in zip(vals, target)):
                continue  # a would change an example that stays as it is
            tried += 1
            if tried > MAX_PAIRS:
                break
            for text in (a, b):
                if text not in spelled:
                    spelled[text] = spell(text, constants, concat)
            if spelled[a] is None or spelled[b] is None:
                continue
            node = replace.make((lf.node, spelled[a], spelled[b]))
            found.append((node_size(node), str(node), node))
    return min(found, key=lambda f: (f[0], f[1]))[2] if found else None
