"""The ``deductive`` strategy: top-down synthesis of spreadsheet text transformations, falling back
to the enumerative search for what it cannot express (arithmetic, conditionals it cannot split)."""
from __future__ import annotations

import time
from dataclasses import replace
from typing import Any, Callable

from synth import deadline
from synth.dsl.base import Domain, Program
from synth.search.bottom_up import SearchOutcome
from synth.search.budget import Budget
from synth.dsl.base import Const
from synth.search.deductive.atoms import AtomFinder
from synth.search.deductive.conditional import deduce_conditional
from synth.search.deductive.doubts import Doubts, unlikeness
from synth.search.deductive.graph import (Ranker, alternatives, cheapest_path, coherent, program_node,
                                          question)
from synth.search.deductive.scope import applies
from synth.task import Task

#: unlabeled rows (the rest of a column) consulted by the ranking, at most
MAX_UNLABELED = 40
#: share of the time budget the deductive search may use before the fallback gets the rest
DEDUCTIVE_SHARE = 0.8


def unlabeled_rows(task: Task) -> list[dict[str, Any]]:
    """The task's rows without outputs that have the examples' inputs (first ``MAX_UNLABELED``)."""
    names = set(task.examples[0].inputs)
    rows = []
    for r in getattr(task, "inputs", None) or ():
        if set(r) == names:
            rows.append(dict(r))
        if len(rows) >= MAX_UNLABELED:
            break
    return rows


def deduce(task: Task, domain: Domain, stop_at: float | None, max_candidates: int | None,
           top: int = 1, extra: dict | None = None):
    """The cheapest program the deductive search finds for the task (a node) or None, and the
    number of edges it tried: one concatenation of atoms if one fits every example, else a
    conditional over two groups of examples. With ``extra`` (a dict) and unlabeled rows, it
    also gets ``alternatives`` (up to ``top - 1`` other programs that fit, differing on some
    unlabeled row, cheapest first, each with its outputs there) and ``ask`` (the unlabeled row
    where the best few differ most, with their answers)."""
    tried = [0]
    top_level: list = []

    def expired() -> bool:
        return (stop_at is not None and time.perf_counter() >= stop_at) or deadline.expired()

    def tick(n: int) -> bool:
        return (max_candidates is not None and tried[0] + n >= max_candidates) or expired()

    def solve(examples, unlabeled):
        outputs = [e.output for e in examples]
        rows = [dict(e.inputs) for e in examples] + list(unlabeled)
        driver = max(range(len(outputs)), key=lambda e: (len(outputs[e]), -e))
        if outputs[driver] == "":
            return (Const("", "String"), 0.0) if all(o == "" for o in outputs) else None
        finder = AtomFinder(rows, outputs, driver, expired)
        ranker = Ranker(len(outputs), len(rows))
        path, n = cheapest_path(finder, outputs, ranker, tick)
        tried[0] += n
        if path is None:
            return None
        path = coherent(finder, outputs, ranker, path)
        top_level.append((finder, ranker, outputs, path))
        return program_node(path), sum(ranker.cost(a) for a in path)

    unlabeled = unlabeled_rows(task)
    found = solve(task.examples, unlabeled)
    if found is not None and extra is not None and unlabeled:
        _alternatives(domain, task, unlabeled, *top_level[0], max(top, 3), top, extra)
    if found is None and not expired():
        found = deduce_conditional(task.examples, unlabeled, solve, expired)
    if found is None:
        return None, tried[0]
    node = found[0]
    for e in task.examples:  # the reference semantics have the last word
        if domain.evaluate(node, e.inputs) != e.output:
            return None, tried[0]
    return node, tried[0]


def worst_row(outs: tuple, examples_out: list, misplaced: Callable[[int], bool] | None = None,
              order: Callable[[int], Any] | None = None,
              constant: Callable[[int], Any] | None = None) -> int | None:
    """The unlabeled row the best program is most likely wrong on, from the first kind of doubt
    that some row has: it is undefined there; ``misplaced(row)`` says a piece of its output is
    cut from another place of the cell than on the examples (``Doubts.misplaced``); its output
    there has another shape than every example's (see ``graph.shape``) when the examples'
    outputs share one; the program reads no input, so every row is: ``constant`` is then
    given, a sort key of its own. Among the rows with that doubt, the first by ``order`` (a
    sort key of the row; default: its position), or by ``constant``. None when no row is in
    doubt."""
    from synth.search.deductive.graph import shape

    order = order or (lambda i: i)
    rows = range(len(outs))
    shapes = {shape(o) for o in examples_out}
    s0 = shapes.pop() if len(shapes) == 1 else None
    kinds = [lambda i: outs[i] is None, misplaced,
             (lambda i: shape(outs[i]) != s0) if s0 is not None else None]
    for doubt in kinds:
        if doubt is None:
            continue
        rows_in_doubt = [i for i in rows if doubt(i)]
        if rows_in_doubt:
            return min(rows_in_doubt, key=order)
    if constant is not None and rows:
        return min(rows, key=constant)
    return None


def _alternatives(domain, task, unlabeled, finder, ranker, outputs, path, k, top, extra) -> None:
    """Fill ``extra`` with the ``alternatives`` and the ``ask`` of ``deduce``."""
    found = alternatives(finder, outputs, ranker, path, k)
    alts = []
    for p, cost, beh in found[1:top]:
        node = program_node(p)
        if all(domain.evaluate(node, e.inputs) == e.output for e in task.examples):
            alts.append({"program": domain.format(node), "cost": round(cost, 3), "outputs": list(beh)})
    if top > 1:
        extra["alternatives"] = alts
        extra["cost"] = round(found[0][1], 3)
    doubts = Doubts(Program(program_node(path), domain), [(e.inputs, e.output) for e in task.examples])
    outs = found[0][2]
    # among rows with the same doubt, the one least like the examples' inputs: its answer shows
    # the most about how the program should generalize (then the earliest)
    example_inputs = [dict(e.inputs) for e in task.examples]
    cache: dict = {}

    def order(i: int):
        if i not in cache:
            cache[i] = (unlikeness(unlabeled[i], example_inputs), i)
        return cache[i]

    def any_format_first(i: int):  # for a constant: the rows least like the examples first,
        (fmt, widths), _ = order(i)  # another format before the examples' own
        return (-fmt, widths), i

    row = worst_row(outs, outputs, lambda i: doubts.misplaced(unlabeled[i], outs[i]), order,
                    None if doubts.reads_input else any_format_first)
    q = question(found, lambda i: order(i)[0])
    if row is not None:  # a row the best program is in doubt on comes first
        answers = [found[0][2][row]] + [f[2][row] for f in found[1:] if f[2][row] != found[0][2][row]][:2]
        extra["ask"] = {"input": unlabeled[row], "answers": answers}
    elif q is not None:
        row, answers = q
        extra["ask"] = {"input": unlabeled[row], "answers": answers}


def solve_deductive(task: Task, domain: Domain, budget: Budget, top: int = 1) -> SearchOutcome:
    """Top-down first (at most ``DEDUCTIVE_SHARE`` of the time). A program it finds is checked
    against the smaller programs of the enumerative search (Occam's razor across the two:
    ``LOWER(TRIM(s))`` beats a pair of token positions); with no program, the domain's
    enumerative search gets what is left of the budget. ``extra["engine"]`` says which found
    the program."""
    start = time.perf_counter()
    node, tried = None, 0
    found: dict = {}
    if applies(task):
        stop_at = None if budget.timeout is None else start + DEDUCTIVE_SHARE * budget.timeout
        node, tried = deduce(task, domain, stop_at, budget.max_candidates, top, found)
    if node is not None:
        smaller = occam_check(task, domain, budget, node, start)
        if smaller is not None:
            smaller.candidates += tried
            smaller.extra = {**smaller.extra, "engine": "bottom-up"}
            return smaller
        return SearchOutcome(status="solved", node=node, candidates=tried,
                             seconds=time.perf_counter() - start, extra={"engine": "deductive", **found})
    from synth.search import get_strategy
    name = fallback_strategy(task, domain)
    left = _left(budget, start, tried)
    if left is None:
        return SearchOutcome(status="timeout", candidates=tried, stopped_by="time",
                             seconds=time.perf_counter() - start, extra={"engine": "deductive"})
    out = get_strategy(name)(task, domain, left)
    out.candidates += tried
    out.extra = {**out.extra, "engine": name}
    return out


def _left(budget: Budget, start: float, tried: int, share: float = 1.0) -> Budget | None:
    """What is left of ``budget`` (``share`` of the time left), or None when nothing is."""
    left = budget
    if budget.timeout is not None:
        remaining = budget.timeout - (time.perf_counter() - start)
        ambient = deadline.remaining()
        if ambient is not None:
            remaining = min(remaining, ambient)
        if remaining <= 0.01:
            return None
        left = replace(budget, timeout=remaining * share)
    if budget.max_candidates is not None:
        if budget.max_candidates - tried <= 0:
            return None
        left = replace(left, max_candidates=budget.max_candidates - tried)
    return left


#: largest program the Occam check enumerates, and its share of the time left
OCCAM_MAX_SIZE = 7
OCCAM_SHARE = 0.5
#: arguments that are a regex or a format (not data copied from the outputs): op -> positions
_FORMAT_ARGS = {"TOKEN": (1,), "POS": (1, 2), "MATCHES": (1,), "DATETEXT": (1, 2, 3), "NUMTEXT": (1, 2)}


def _constants(node):
    """Each node of a program with whether it is a regex or format argument (not data)."""
    from synth.dsl.base import Apply

    stack = [(node, False)]
    while stack:
        n, is_format = stack.pop()
        yield n, is_format
        if isinstance(n, Apply):
            fmt = _FORMAT_ARGS.get(n.op, ())
            stack.extend((a, i in fmt) for i, a in enumerate(n.args))


def data_letters(node) -> int:
    """Letters and digits of a program's data constants (text the outputs hold)."""
    from synth.dsl.base import Const

    return sum(sum(c.isalnum() for c in n.value) for n, fmt in _constants(node)
               if isinstance(n, Const) and not fmt and isinstance(n.value, str))


def weight(node) -> int:
    """A program's size plus what makes it fit by coincidence: each letter or digit of a data
    constant (``data_letters``) and each integer constant other than -1, 0 and 1 (an absolute
    position or length)."""
    from synth.dsl.base import Const

    ints = sum(1 for n, fmt in _constants(node) if isinstance(n, Const) and not fmt
               and isinstance(n.value, int) and not isinstance(n.value, bool) and abs(n.value) > 1)
    return sum(1 for _ in _constants(node)) + data_letters(node) + ints


def occam_check(task: Task, domain: Domain, budget: Budget, node, start: float) -> SearchOutcome | None:
    """A program of the enumerative search that weighs less than ``node`` (see ``weight``), copies
    no more letters or digits from the outputs, and gives what ``node`` gives on every unlabeled
    row (where they differ, the rows decided ``node``), if one is found within
    ``OCCAM_SHARE`` of the time left; else None."""
    from synth.dsl.base import node_size
    from synth.search.enumerative import solve_bottom_up

    w = weight(node)
    limit = min(node_size(node) - 1, OCCAM_MAX_SIZE, w - 1)
    if limit < 1:
        return None
    left = _left(budget, start, 0, OCCAM_SHARE)
    if left is None:
        return None
    left = replace(left, max_size=limit)
    out = solve_bottom_up(task, domain, left)
    if out.status != "solved" or out.node is None or weight(out.node) >= w:
        return None
    if data_letters(out.node) > data_letters(node):
        return None  # text copied from the outputs ("A." for two names that start with A)
    for row in unlabeled_rows(task):
        # the deductive ranking read the unlabeled rows and the enumeration did not: where the
        # two programs differ on one, the rows' evidence stands
        if domain.evaluate(node, row) != domain.evaluate(out.node, row):
            return None
    return out


def fallback_strategy(task: Task, domain: Domain) -> str:
    """The enumerative strategy for what the deductive search cannot do (``auto``'s choice
    among the enumerative searches)."""
    from synth.search.auto import enumerative_strings_strategy

    return enumerative_strings_strategy(domain, task)
