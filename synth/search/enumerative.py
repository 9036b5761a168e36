"""The plain bottom-up strategy for example-based domains: the domain's ops as a grammar, BUSTLE's
constants, observational equivalence, and the value caps."""
from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import replace
from typing import Any, Callable

from synth import deadline
from synth.dsl.base import Domain, ValueLimits
from synth.errors import InvalidTask
from synth.search.bottom_up import BottomUpSearch, SearchOutcome
from synth.search import release
from synth.search.budget import Budget
from synth.search.grammar import SearchGrammar, grammar_from_ops
from synth.task import Task


def limits_for(task: Task) -> ValueLimits:
    """BUSTLE's caps (strings < 99 chars, |ints| < 100), widened when the examples hold bigger
    values so that a task's own output is never out of reach."""
    longest, biggest, longest_list = 0, 0, 0
    for ex in task.examples:
        for v in (*ex.inputs.values(), ex.output):
            if isinstance(v, str):
                longest = max(longest, len(v))
            elif isinstance(v, bool):
                pass
            elif isinstance(v, int):
                biggest = max(biggest, abs(v))
            elif isinstance(v, list):
                longest_list = max(longest_list, len(v))
    return ValueLimits(max_string_len=max(99, longest + 1), max_abs_int=max(100, biggest + 1),
                       max_list_len=max(20, longest_list))


def default_grammar(task: Task, domain: Domain) -> SearchGrammar:
    ops = domain.resolve_ops(task.ops)
    first = task.examples[0]
    inputs = {k: domain.type_of(v) for k, v in first.inputs.items()}
    constants = domain.constants(task.examples, task.constants)
    return grammar_from_ops(domain, ops, inputs, constants, domain.type_of(first.output))


def task_grammar(task: Task, domain: Domain) -> SearchGrammar:
    """The grammar a task is searched in: its own (a SyGuS ``synth-fun`` grammar, kept in
    its ``GrammarSpec``) or the domain's ops over its inputs and constants."""
    from synth.search.sygus_grammar import sygus_task_grammar

    grammar = sygus_task_grammar(task, domain)
    return grammar if grammar is not None else default_grammar(task, domain)


#: ``engine="auto"`` first gives the pure-Python engine this many candidates: a task it solves
#: within them is done before the compiled kernels would even have loaded (about a second)
AUTO_PYTHON_CANDIDATES = 50_000


def solve_bottom_up(task: Task, domain: Domain, budget: Budget, grammar: SearchGrammar | None = None,
                    engine: str | None = None, **options: Any) -> SearchOutcome:
    """``engine``: "python" (``BottomUpSearch``), "compiled" (``CompiledBottomUpSearch``: numba
    kernels, Python for any production without one), or "auto" (default: ``$SYNTH_ENGINE``, else
    "auto"): the compiled engine when numba imports and every production has a kernel, after a
    short pure-Python start (``AUTO_PYTHON_CANDIDATES``) that answers small tasks without loading
    the kernels. All three return the same program for the same budget.

    Where the grammar has an ``ite`` at its start symbol, the search keeps ``cases.CASES_SHARE``
    of the budget to solve by cases (``synth.search.cases``) if it finds no single program. A
    task with many examples is searched on a subset of them first (``synth.search.subsets``).
    Both need a limited budget (time or candidates) and no size bound."""
    given = grammar
    engine = engine or os.environ.get("SYNTH_ENGINE") or "auto"
    if engine not in ("auto", "compiled", "python"):
        raise InvalidTask(f"unknown search engine {engine!r}; choose auto, compiled or python")
    if _may_rearrange(budget):
        from synth.search import subsets

        def on_subset(sub: Task, left: Budget) -> SearchOutcome:
            # the subset's own grammar: its constants are mined from its examples alone (a
            # SyGuS file's grammar is the same for every subset)
            return _solve_bottom_up(sub, domain, left, given or task_grammar(sub, domain), engine, 1,
                                    options)

        out = subsets.solve_on_subsets(task, domain, budget, on_subset)
        if out is not None:
            return out
    return _solve_bottom_up(task, domain, budget, given or task_grammar(task, domain), engine, 1, options)


def _may_rearrange(budget: Budget) -> bool:
    """Whether the search may split its work (subsets of the examples, cases): only within a
    limit (time or candidates) to share, and with no size bound, which an ite or a later
    round's answer could break."""
    return budget.max_size is None and (budget.timeout is not None or budget.max_candidates is not None)


def _solve_bottom_up(task: Task, domain: Domain, budget: Budget, grammar: SearchGrammar,
                     engine: str, depth: int, options: dict) -> SearchOutcome:
    """``solve_bottom_up`` at a level of solving by cases (1: the task itself)."""
    from synth.search import cases

    split = cases.case_production(grammar, len(task.examples)) \
        if _may_rearrange(budget) and depth <= cases.MAX_DEPTH else None
    if split is None:
        return _search(task, domain, budget, grammar, engine, options)[0]
    started = time.perf_counter()
    out, search = _search(task, domain, cases.first_share(budget), grammar, engine, options)
    if out.status != "timeout" or search is None or out.stopped_by not in ("time", "candidates"):
        return out
    rest = budget.remaining(time.perf_counter() - started, out.candidates, cap=deadline.remaining())
    if rest is None:
        return out
    side_candidates = 0

    def solve_side(sub: Task, side_budget: Budget, level: int) -> SearchOutcome:
        nonlocal side_candidates
        got = _solve_bottom_up(sub, domain, side_budget, grammar, engine, level + 1, options)
        side_candidates += got.candidates
        return got

    tests = search.values_of(split.args[0], cases.MAX_TESTS)
    node = cases.solve_by_cases(task, grammar, rest, tests, solve_side, depth)
    seconds = time.perf_counter() - started
    if node is None:
        return dataclasses.replace(out, seconds=seconds, candidates=out.candidates + side_candidates)
    return SearchOutcome(status="solved", node=node, candidates=out.candidates + side_candidates,
                         values=out.values, seconds=seconds, extra={**out.extra, "cases": True})


def _search(task: Task, domain: Domain, budget: Budget, grammar: SearchGrammar, engine: str,
            options: dict) -> tuple[SearchOutcome, Any]:
    """One bottom-up search (see ``solve_bottom_up``): its outcome and the search object that
    ran last (None where none did)."""
    limits = limits_for(task)
    inputs = [dict(e.inputs) for e in task.examples]
    target = [e.output for e in task.examples]
    cls = engine_class(domain, grammar, limits, engine, BottomUpSearch, compiled_plain_class)
    if engine == "auto" and cls is not BottomUpSearch:
        quick = AUTO_PYTHON_CANDIDATES
        if budget.max_candidates is not None and budget.max_candidates <= quick:
            small = BottomUpSearch(domain, grammar, inputs, target, budget, limits, **options)
            return small.run(), small
        start = time.perf_counter()
        quick_search = BottomUpSearch(domain, grammar, inputs, target, replace(budget, max_candidates=quick),
                                      limits, **options)
        release.hold(quick_search)
        out = quick_search.run()
        # a result reached before the quick budget ran out is the full search's result too
        if out.status in ("solved", "exhausted") and out.candidates < quick:
            return out, quick_search
        if budget.timeout is not None:
            # the time left, within the whole solve's deadline; the candidates stay whole
            rest = budget.remaining(time.perf_counter() - start, min_seconds=0.0, cap=deadline.remaining())
            if rest is None:
                return out, quick_search
            budget = rest
    search = cls(domain, grammar, inputs, target, budget, limits, **options)
    release.hold(search)  # freed by the next solve, not inside this one's budget
    return search.run(), search


def compiled_plain_class() -> type:
    """The compiled plain engine (imports numba)."""
    from synth.search.compiled import CompiledBottomUpSearch
    return CompiledBottomUpSearch


def engine_class(domain: Domain, grammar: SearchGrammar, limits: ValueLimits, engine: str,
                 python_cls: type, compiled: Callable[[], type]) -> type:
    """The search class an ``engine`` choice means: ``python_cls``, or ``compiled()`` when numba
    imports and, for "auto", every production has a kernel ("compiled" without numba raises
    the ImportError). While the kernels are not yet compiled on this machine (see
    ``compiled.warmup``), "auto" and "python" run the pure-Python engine and the numba
    functions they share (the guide's) as plain Python, and "auto" starts the compilation in
    the background, so that no search waits for it."""
    from synth import kernelmode

    try:
        from synth.search import compiled as C
        from synth.search.compiled import warmup
    except ImportError:  # numba missing
        if engine == "compiled":
            raise
        return python_cls
    cold = engine != "compiled" and warmup.cacheable() and not warmup.ready(domain.name)
    kernelmode.set_pure_python(cold)
    if engine == "python":
        return python_cls
    if cold:
        warmup.start_background(domain.name)
        return python_cls
    if engine == "compiled" or C.unsupported_reason(domain, grammar, limits, need_all_kernels=True) is None:
        return compiled()
    return python_cls
