"""Token tables of the cells of one column and the position expressions that name a place in a cell.

A position expression is ``POS(cell, before, after, k)`` of the strings DSL (``synth.dsl.strings.
tokens.pos``): the k-th place where a match of ``before`` ends and one of ``after`` starts. The
tables here compute the same thing for many expressions and rows at once; the search checks
its final program with the reference op, so the two must agree (tests/test_deductive.py).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property

#: token classes and their cost in a position expression (cheaper: more general)
CLASS_TOKENS: tuple[tuple[str, float], ...] = (
    (r"[0-9]+", 1.0),           # a number
    (r"[^\W\d_]+", 1.0),        # a word (letters of any script)
    (r"[A-Z][a-z]+", 1.4),      # a capitalised word
    (r"[A-Z]+", 1.7),           # capitals
    (r"[a-z]+", 1.7),           # lower-case letters
    (r"[^\W_]+", 1.3),          # letters and digits
    (r"\s+", 1.1),              # white space
    (r"[^\s]+", 1.6),           # anything but white space
)
#: a punctuation character as a token costs this much
LITERAL_COST = 0.9
#: cost of the k-th occurrence beyond the first (from either end)
K_COST = 0.25
#: cost of an absolute position (the k-th character) other than the very start or end
ABSOLUTE_COST = 4.0


_SEPARATOR = re.compile(r"[^\w]*[^\w\s][^\w]*")


def literal_tokens(texts) -> list[str]:
    """Every punctuation character of ``texts`` as a token (a regex matching it), then every
    longer run of punctuation and spaces that occurs in all of them ("; ", " - ", "), ")."""
    chars = sorted({c for t in texts for c in t if not c.isalnum() and not c.isspace()})
    runs = None
    for t in texts:
        found = {r for r in _SEPARATOR.findall(t) if len(r) > 1}
        runs = found if runs is None else runs & found
    return [re.escape(c) for c in chars] + [re.escape(r) for r in sorted(runs or ())]


def token_cost(tok: str) -> float:
    if tok == "":
        return 0.0
    for t, c in CLASS_TOKENS:
        if t == tok:
            return c
    return LITERAL_COST


@dataclass(frozen=True)
class PosExpr:
    """``POS(cell, before, after, k)``."""

    before: str
    after: str
    k: int

    @cached_property
    def cost(self) -> float:
        if self.before == "" and self.after == "":
            return 0.0 if self.k in (1, -1) else ABSOLUTE_COST + 0.05 * abs(self.k)
        return token_cost(self.before) + token_cost(self.after) + K_COST * (abs(self.k) - 1)


class Cell:
    """One cell's text with its token matches, computed on first use."""

    __slots__ = ("text", "_spans", "_cuts", "_ends", "_starts")

    def __init__(self, text: str):
        self.text = text
        self._spans: dict[str, list[tuple[int, int]]] = {}
        self._cuts: dict[tuple[str, str], list[int]] = {}
        self._ends: dict[str, frozenset] = {}
        self._starts: dict[str, frozenset] = {}

    def spans(self, tok: str) -> list[tuple[int, int]]:
        s = self._spans.get(tok)
        if s is None:
            s = [m.span() for m in re.finditer(tok, self.text) if m.end() > m.start()]
            self._spans[tok] = s
        return s

    def ends(self, tok: str) -> frozenset:
        e = self._ends.get(tok)
        if e is None:
            e = self._ends[tok] = frozenset(b for _, b in self.spans(tok))
        return e

    def starts(self, tok: str) -> frozenset:
        s = self._starts.get(tok)
        if s is None:
            s = self._starts[tok] = frozenset(a for a, _ in self.spans(tok))
        return s

    def cuts(self, before: str, after: str) -> list[int]:
        key = (before, after)
        c = self._cuts.get(key)
        if c is None:
            if before == "" and after == "":
                c = list(range(len(self.text) + 1))
            elif before == "":
                c = sorted(self.starts(after))
            elif after == "":
                c = sorted(self.ends(before))
            else:
                c = sorted(self.ends(before) & self.starts(after))
            self._cuts[key] = c
        return c

    def eval(self, p: PosExpr) -> int | None:
        """The 0-based cut ``p`` names here (the DSL's POS minus 1), or None."""
        c = self.cuts(p.before, p.after)
        k = p.k
        if k > 0:
            return c[k - 1] if k <= len(c) else None
        return c[k] if -k <= len(c) else None

    def exprs_at(self, t: int, tokens: list[str]) -> list[PosExpr]:
        """Every position expression over ``tokens`` that names cut ``t`` of this cell."""
        befores = [""] + [tok for tok in tokens if t in self.ends(tok)]
        afters = [""] + [tok for tok in tokens if t in self.starts(tok)]
        out = []
        for b in befores:
            for a in afters:
                c = self.cuts(b, a)
                i = bisect_left(c, t)
                if i < len(c) and c[i] == t:
                    out.append(PosExpr(b, a, i + 1))
                    out.append(PosExpr(b, a, i - len(c)))
        return out


class Column:
    """The cells of one input column over all rows (the examples first, then unlabeled rows),
    with its tokens and the position expressions grouped by what they name on every row."""

    def __init__(self, name: str, texts: list[str], n_examples: int):
        self.name = name
        self.cells = [Cell(t) for t in texts]
        self.n_examples = n_examples
        self.tokens = [t for t, _ in CLASS_TOKENS] + literal_tokens(texts[:n_examples])
        self._groups: dict[tuple[int, int], list[tuple[tuple, list[PosExpr]]]] = {}

    def groups_at(self, row: int, t: int) -> list[tuple[tuple, list[PosExpr]]]:
        """The position expressions naming cut ``t`` of row ``row``, grouped by the cut they name on
        every row (a tuple, None where undefined), each group's expressions cheapest first."""
        key = (row, t)
        g = self._groups.get(key)
        if g is None:
            by_vec: dict[tuple, list[PosExpr]] = {}
            for p in self.cells[row].exprs_at(t, self.tokens):
                vec = tuple(c.eval(p) for c in self.cells)
                by_vec.setdefault(vec, []).append(p)
            g = []
            for vec, exprs in by_vec.items():
                exprs.sort(key=lambda p: (p.cost, p.before, p.after, p.k))
                g.append((vec, exprs))
            g.sort(key=lambda ve: ve[1][0].cost)
            self._groups[key] = g
        return g
