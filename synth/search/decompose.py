"""Concatenation decomposition: find the target string as a concatenation of values already known.

Bottom-up search reaches a program of size n only after every smaller program; a target that is
several independent pieces glued together (``"N.F."`` = first initial, ".", second initial, ".")
needs far fewer candidates if the pieces are found separately. A value is *useful* if on every
example it is a substring of the target; a shortest-path search over per-example output
positions then strings useful values end to end (cheapest total size first), exactly and on all
examples at once.
"""
from __future__ import annotations

import heapq
import time
from typing import Sequence

from synth.dsl.base import Node, node_size, node_vars
from synth.search.grammar import Production


class ConcatDecomposer:
    """Collects useful values of a concatenation production's nonterminal and, on request,
    assembles the cheapest concatenation of them that equals the target on every example."""

    def __init__(self, production: Production, target: Sequence[str], max_useful: int = 200_000):
        self.production = production
        self.target = tuple(target)
        self.max_useful = max_useful
        #: useful values keyed by their string on the first example
        self.by_first: dict[str, list[tuple[tuple, Node, int]]] = {}
        self.count = 0
        self.dirty = False
        #: checks (of a piece against one example) the last ``solve`` made, and where the last
        #: one that ran out of them stopped (the caller then waits until it can allow twice as
        #: many, since a try starts afresh)
        self.checks = 0
        self.gave_up_at = 0

    def add(self, vals: tuple, node: Node) -> None:
        """Remember ``vals`` if it is a substring of the target on every example (and not empty
        on all of them).

        A piece that reads the inputs but comes out the same on every example (the text of
        ``LEN(x)`` where all inputs have one length, say) matches the target by coincidence and
        would not generalize; only input-free expressions may serve as constant pieces."""
        if self.count >= self.max_useful or not any(vals):
            return
        for v, t in zip(vals, self.target):
            if type(v) is not str or v not in t:
                return
        if len(vals) > 1 and vals.count(vals[0]) == len(vals) and node_vars(node):
            return
        self.by_first.setdefault(vals[0], []).append((vals, node, node_size(node)))
        self.count += 1
        self.dirty = True

    def solve(self, deadline: float | None = None, max_checks: int | None = None) -> Node | None:
        """The cheapest concatenation of at least two useful values equal to the target, if any.

        Cost of a concatenation = sum of the pieces' sizes + one node per concatenation. Gives
        up (None, and stays ``dirty`` to be tried again) at ``deadline`` (a
        ``time.perf_counter()`` value) or after about ``max_checks`` checks of a piece against
        one example."""
        self.dirty = False
        self.checks = 0
        checks = 0
        target = self.target
        t0 = target[0]
        start = (0,) * len(target)
        goal = tuple(len(t) for t in target)
        dist = {start: 0}
        back: dict[tuple, tuple[tuple, Node]] = {}
        heap = [(0, start)]
        pops = 0
        while heap:
            d, state = heapq.heappop(heap)
            pops += 1
            if deadline is not None and pops % 256 == 0 and time.perf_counter() >= deadline:
                self.dirty = True  # try again later
                self.checks = checks
                return None
            if state == goal:
                break
            if d > dist[state]:
                continue
            if max_checks is not None and checks > max_checks:
                self.dirty = True
                self.checks = self.gave_up_at = checks
                return None
            s0 = state[0]
            step = 0 if state == start else 1
            for end in range(s0, len(t0) + 1):
                pieces = self.by_first.get(t0[s0:end], ())
                checks += len(pieces) * len(target)
                for vals, node, size in pieces:
                    if not all(t.startswith(v, p) for v, t, p in zip(vals, target, state)):
                        continue
                    nxt = tuple(p + len(v) for v, p in zip(vals, state))
                    nd = d + size + step
                    if nd < dist.get(nxt, 1 << 60):
                        dist[nxt] = nd
                        back[nxt] = (state, node)
                        heapq.heappush(heap, (nd, nxt))
        self.checks = checks
        if goal not in back:
            return None
        pieces = []
        state = goal
        while state != start:
            state, node = back[state]
            pieces.append(node)
        if len(pieces) < 2:
            return None
        pieces.reverse()
        node = pieces[0]
        for piece in pieces[1:]:
            node = self.production.make((node, piece))
        return node
