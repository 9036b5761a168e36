"""Search on a few examples, check on all: counterexample-guided search over a task's examples.

A bottom-up search evaluates every candidate on every example, so a task with a hundred
examples (SyGuS's ``-long`` files) enumerates ten times slower than the same task with ten,
although a program that fits a well-spread tenth of the examples usually fits them all. So a
task with more than ``SUBSET_MIN`` distinct examples is searched on ``SUBSET_START`` of them,
spread evenly; the answer is run on every example, and where it is wrong, up to
``ADD_PER_ROUND`` of the examples it gets wrong join the subset and the search runs again with
what is left of the budget. The answer returned is right on every example. A subset with no
program (``exhausted``) means the whole task has none either.
"""
from __future__ import annotations

import dataclasses
from typing import Callable

from synth.dsl.base import ERROR, Domain
from synth.search.budget import Budget, Clock
from synth.search.contract import SearchOutcome
from synth.task import Task

#: tasks with more distinct examples than this are searched on a subset first
SUBSET_MIN = 16
#: examples in the first subset
SUBSET_START = 8
#: examples the answer got wrong added to the subset per round, at most
ADD_PER_ROUND = 4


def distinct_examples(task: Task) -> list[int]:
    """Indices of the task's examples, each distinct example once (a SyGuS ``-repeat`` file
    states each constraint several times)."""
    seen, out = set(), []
    for i, e in enumerate(task.examples):
        key = (tuple(sorted((k, repr(v)) for k, v in e.inputs.items())), repr(e.output))
        if key not in seen:
            seen.add(key)
            out.append(i)
    return out


def first_subset(indices: list[int], size: int = SUBSET_START) -> list[int]:
    """``size`` of ``indices``, evenly spread (the first and then every n/size-th)."""
    n = len(indices)
    return sorted({indices[(k * n) // size] for k in range(size)})


def solve_on_subsets(task: Task, domain: Domain, budget: Budget,
                     solve: Callable[[Task, Budget], SearchOutcome]) -> SearchOutcome | None:
    """``solve`` (a search on a task, within a budget) run on growing subsets of ``task``'s
    examples until its answer is right on all of them; None when the task has too few
    distinct examples for it to pay."""
    indices = distinct_examples(task)
    if len(indices) <= SUBSET_MIN:
        return None
    subset = first_subset(indices)
    clock = Clock(budget)
    candidates = 0
    rounds = 0
    while True:
        left = budget.remaining(clock.elapsed(), candidates)
        if left is None:
            return SearchOutcome(status="timeout", candidates=candidates, seconds=clock.elapsed(),
                                 stopped_by=clock.exceeded() or "time",
                                 extra={"examples_searched": len(subset), "rounds": rounds})
        sub = dataclasses.replace(task, name=f"{task.name}[subset]",
                                  examples=[task.examples[i] for i in subset], tests=[])
        out = solve(sub, left)
        rounds += 1
        candidates += out.candidates
        extra = {**out.extra, "examples_searched": len(subset), "rounds": rounds}
        if out.status != "solved" or out.node is None:
            return dataclasses.replace(out, candidates=candidates, seconds=clock.elapsed(), extra=extra)
        chosen = set(subset)
        wrong = [i for i in indices if i not in chosen
                 and not _right(domain, out.node, task.examples[i])]
        if not wrong:
            return dataclasses.replace(out, candidates=candidates, seconds=clock.elapsed(), extra=extra)
        subset = sorted(chosen.union(wrong[:ADD_PER_ROUND]))


def _right(domain: Domain, node, example) -> bool:
    got = domain.evaluate(node, example.inputs)
    return got is not ERROR and got == example.output
