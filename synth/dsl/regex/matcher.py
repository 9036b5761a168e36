"""Concrete whole-string matching.

``matches`` runs the regex AST itself on the positions of the string (sets of positions as
Python integers used as bit sets, Thompson-style): its time grows polynomially with the string,
whatever the regex, where Python's backtracking ``re`` can take exponential time (``(a|aa)*``
against a long string of ``a``'s ending in ``b``). ``python_matches`` uses the printed Python
``re`` pattern (for checking the printer on short strings).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Iterable

from synth.dsl.base import Const, Node
from synth.dsl.regex.syntax import to_python_pattern


@lru_cache(maxsize=4096)
def compile_node(node: Node) -> re.Pattern:
    return re.compile(to_python_pattern(node))


def _bits(flags) -> int:
    """An integer with bit i set where the i-th flag is true (linear time)."""
    text = "".join("1" if f else "0" for f in flags)
    return int(text[::-1], 2) if text else 0


class PositionMatcher:
    """Matching of regex ASTs on one string ``s``: ``ends(node, starts)`` is the set of positions
    where a match of ``node`` that begins at a position of ``starts`` can end (bit ``i`` of an
    integer = position ``i``, 0 to ``len(s)``). Leaf masks are cached per matcher."""

    def __init__(self, s: str, check: Callable[[], None] | None = None):
        self.s = s
        self.n = len(s)
        self._masks: dict = {}
        self._check = check  # called now and then in long loops (may raise to stop)
        self._ticks = 0

    def _tick(self) -> None:
        if self._check is not None:
            self._ticks += 1
            if self._ticks & 255 == 0:
                self._check()

    def _mask(self, leaf: Const) -> int:
        """Positions where the leaf matches one character (class) or its literal text starts."""
        key = (leaf.type, leaf.value)
        m = self._masks.get(key)
        if m is not None:
            return m
        s = self.s
        if leaf.type == "Lit":
            lit_text = leaf.value
            if len(lit_text) == 1:
                m = _bits(c == lit_text for c in s)
            else:
                bitmap = bytearray(self.n // 8 + 1)
                i = s.find(lit_text)
                while i >= 0:
                    bitmap[i >> 3] |= 1 << (i & 7)
                    i = s.find(lit_text, i + 1)
                m = int.from_bytes(bitmap, "little")
        else:
            cc = leaf.value
            if cc.is_any:
                m = (1 << self.n) - 1
            else:
                m = _bits(c in cc for c in s)
        self._masks[key] = m
        return m

    def ends(self, node: Node, starts: int) -> int:
        if not starts:
            return 0
        if isinstance(node, Const):
            if node.type == "Empty":
                return 0
            if node.type == "Lit":
                if node.value == "":
                    return starts
                return (starts & self._mask(node)) << len(node.value)
            if node.type == "Class":
                return (starts & self._mask(node)) << 1
            raise ValueError(f"not a regex leaf: {node!r}")
        op = node.op
        args = node.args
        if op == "concat":
            return self.ends(args[1], self.ends(args[0], starts))
        if op == "union":
            return self.ends(args[0], starts) | self.ends(args[1], starts)
        if op == "star":
            return self._closure(args[0], starts)
        if op == "plus":
            return self._closure(args[0], self.ends(args[0], starts))
        if op == "opt":
            return starts | self.ends(args[0], starts)
        if op == "repeat":
            lo, hi = args[1].value, args[2].value
            cur = starts
            for _ in range(lo):
                self._tick()
                cur = self.ends(args[0], cur)
                if not cur:
                    return 0
            if hi < 0:
                return self._closure(args[0], cur)
            out = cur
            for _ in range(hi - lo):
                self._tick()
                cur = self.ends(args[0], cur)
                if not cur or not cur & ~out:
                    # nothing new: later rounds only reach what ``out`` reached already
                    out |= cur
                    break
                out |= cur
            return out
        raise ValueError(f"unknown regex op {op!r}")

    def _closure(self, node: Node, starts: int) -> int:
        """Positions reachable from ``starts`` by zero or more matches of ``node``."""
        if isinstance(node, Const) and (node.type == "Class" or
                                        (node.type == "Lit" and len(node.value) == 1)):
            # one character at a time: within each run of matching positions, everything from
            # the first start on (and the position after the run). Adding the starts to the
            # run mask carries from each start to the run's end: (A + G) ^ A marks the first
            # start's run and the position after it; | G adds later starts in the same run.
            a = self._mask(node)
            g = starts & a
            return starts | ((a + g) ^ a) | g
        reach = frontier = starts
        while frontier:
            self._tick()
            new = self.ends(node, frontier) & ~reach
            reach |= new
            frontier = new
        return reach

    def fullmatch(self, node: Node) -> bool:
        return bool(self.ends(node, 1) >> self.n & 1)


def matches(node: Node, s: str) -> bool:
    """Whether the regex accepts the whole string ``s``."""
    return PositionMatcher(s).fullmatch(node)


def python_matches(node: Node, s: str) -> bool:
    """The same question asked of Python's ``re`` with the printed pattern (may backtrack)."""
    return compile_node(node).fullmatch(s) is not None


def fits_examples(node: Node, positive: Iterable[str], negative: Iterable[str],
                  check: Callable[[], None] | None = None) -> bool:
    """Whether the regex accepts every positive and rejects every negative string."""
    return all(PositionMatcher(s, check).fullmatch(node) for s in positive) and \
        not any(PositionMatcher(s, check).fullmatch(node) for s in negative)
