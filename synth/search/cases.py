"""Solve by cases: when no single program fits every example, split the examples by a test and
solve each side on its own (EUSolver's divide and conquer, Alur et al. TACAS'17, with the whole
search, shortcuts included, on each side).

The bottom-up search's conditional shortcut pairs a test with two branch values it has already
enumerated; a branch it has not enumerated (``col1 ++ ", " ++ col2 ++ ", USA"``, size 13) stays
out of reach, although the concatenation decomposition finds it at once on the examples of its
side alone. Here the tests are the Boolean values the failed search enumerated (cheapest
first), each splitting the examples in two; each side is a task of its own, solved by the same
search with a share of what is left of the budget, and
the two answers become ``ite(test, then, else)``. A side already seen (the same examples) is
not solved twice. One level of splitting (two groups): deeper splits left each side too little
time to be worth it at the benchmarks' 10 s.
"""
from __future__ import annotations

import dataclasses
from dataclasses import replace
from typing import Any, Callable, Iterable

from synth.dsl.base import Node, node_size
from synth.search.budget import Budget, Clock
from synth.search.grammar import Production, SearchGrammar
from synth.task import Task

#: share of the budget (time and candidates) kept for solving by cases when the grammar has a
#: conditional at its start
CASES_SHARE = 0.3
#: splits tried at most (the cheapest tests first)
MAX_SPLITS = 16
#: a side gets at most this share of what is left when it starts
SIDE_SHARE = 0.5
#: first, every split's sides get this share of the whole budget each (a probe)
PROBE_SHARE = 0.02
#: tests read from the failed search, at most (its cheapest Boolean values)
MAX_TESTS = 5000
#: levels of splitting (1: two groups of examples; a side is searched with its whole share)
MAX_DEPTH = 1


def case_production(grammar: SearchGrammar, n_examples: int) -> Production | None:
    """The grammar's ``ite(test, then, else)`` at its start symbol with both branches of that
    symbol (so a side's answer can be a branch), where there are enough examples to split
    (each side needs two)."""
    if n_examples < 4:
        return None
    start = grammar.start
    for p in grammar.productions:
        if p.cond and p.result == start and len(p.args) == 3 and p.args[1] == p.args[2] == start:
            return p
    return None


def first_share(budget: Budget) -> Budget:
    """The budget of the search for one program, before solving by cases: all but
    ``CASES_SHARE`` of the time and of the candidates."""
    keep = 1 - CASES_SHARE
    return dataclasses.replace(
        budget, timeout=None if budget.timeout is None else budget.timeout * keep,
        max_candidates=None if budget.max_candidates is None else int(budget.max_candidates * keep))


def _splits(tests: Iterable[tuple[tuple, Node]], n: int) -> list[tuple[int, Node]]:
    """(examples where the test holds as a bit mask, test) for every enumerated test that puts
    at least two examples on each side, one per partition, cheapest test first, then the most
    even split."""
    full = (1 << n) - 1
    best: dict[int, tuple] = {}
    for vals, test in tests:
        if len(vals) != n or not all(type(v) is bool for v in vals):
            continue
        mask = sum(1 << i for i, v in enumerate(vals) if v)
        ones = bin(mask).count("1")
        if ones < 2 or n - ones < 2:
            continue
        key = min(mask, full ^ mask)
        rank = (node_size(test), -min(ones, n - ones))
        if key not in best or rank < best[key][0]:
            best[key] = (rank, mask, test)
    return [(mask, test) for _, mask, test in sorted(best.values(), key=lambda t: t[0])][:MAX_SPLITS]


def solve_by_cases(task: Task, grammar: SearchGrammar, budget: Budget, tests: Iterable[tuple[tuple, Node]],
                   solve_side: Callable[[Task, Budget, int], Any], depth: int = 1) -> Node | None:
    """An ``ite`` program right on every example of ``task``, from ``tests`` (a search's Boolean
    values and their programs, cheapest first) and sides solved by ``solve_side(subtask,
    budget, depth)`` (a ``SearchOutcome``); None when no split worked within ``budget``."""
    p = case_production(grammar, len(task.examples))
    if p is None or depth > MAX_DEPTH:
        return None
    n = len(task.examples)
    clock = Clock(budget)
    solved: dict[int, Node] = {}
    tried: dict[int, float] = {}  # side -> the largest share it failed with

    def side(mask: int, fraction: float) -> Node | None:
        if mask in solved:
            return solved[mask]
        if tried.get(mask, -1.0) >= fraction:
            return None
        left = budget.remaining(clock.elapsed(), clock.candidates)
        if left is None:
            return None
        base = budget if fraction < SIDE_SHARE else left  # a probe: a slice of the whole
        share = dataclasses.replace(
            left, timeout=None if left.timeout is None else min(left.timeout, base.timeout * fraction),
            max_candidates=None if left.max_candidates is None
            else min(left.max_candidates, int(base.max_candidates * fraction)))
        sub = replace(task, name=f"{task.name}[case]",
                      examples=[e for i, e in enumerate(task.examples) if mask >> i & 1], tests=[])
        out = solve_side(sub, share, depth)
        clock.candidates += out.candidates
        if out.status == "solved":
            solved[mask] = out.node
            return out.node
        tried[mask] = fraction
        return None

    full = (1 << n) - 1
    splits = _splits(tests, n)
    # first every split with a small probe per side (a side the search's shortcuts answer at
    # once is found whichever split it belongs to), then with a share of what is left
    for fraction in (PROBE_SHARE, SIDE_SHARE):
        for mask, test in splits:
            if clock.exceeded():
                return None
            then = side(mask, fraction)
            if then is None:
                continue
            other = side(full ^ mask, fraction)
            if other is not None:
                return p.make((test, then, other))
    return None
