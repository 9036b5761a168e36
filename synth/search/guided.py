"""Guided bottom-up search (BUSTLE): a learned model and two heuristics re-price each new value.

The plain search puts a value at the cost of the program that made it (its size). Here, after
each cost level is enumerated, its new values are scored in one batch: the guide's probability
that a value is a sub-expression of the solution, and how close the value is to the output,
decide how many cost units it is pushed up (0 for a likely part of the solution, up to about 10
for an unlikely one). A pushed value waits in a higher level of the bank and is only combined
into larger programs from then on, so the search reaches the promising deep programs sooner.

Reweighting (after BUSTLE, Odena et al. 2021): a model probability p > 0.6 adds 0, 0.4 < p <= 0.6
adds 1 and p <= 0.4 adds floor(10 (0.4 - p) + 2). For strings, a heuristic adds
1 + floor(3 * the largest normalised edit distance to the output), minus 2 if the value is a
substring of the output on every example, and never less than 0.

Every value is still kept and enumerated eventually, so a useless (constant) guide only delays
the search; it never makes a reachable program unreachable.

Re-priced levels can reach a large program before a small one whose parts the guide misjudged
(and larger programs generalize worse), so the strategy then gives a plain search a short,
size-bounded look for a strictly smaller program (``minimize``), as the plain search itself
holds back its shortcut solutions for a while.
"""
from __future__ import annotations

import os
import time
from functools import lru_cache
from typing import Any, Sequence

import numpy as np

from synth import deadline
from synth.dsl.base import Domain, ValueLimits, node_size
from synth.kernelmode import active
from synth.neural.heuristics import string_heuristic
from synth.neural.signatures import OutputContext, encode_values, io_signature, value_signatures
from synth.search import release
from synth.search.bottom_up import BottomUpSearch, SearchOutcome
from synth.search.budget import Budget
from synth.errors import InvalidTask
from synth.search.grammar import SearchGrammar
from synth.task import Task


def model_penalty(p: np.ndarray) -> np.ndarray:
    """BUSTLE's extra cost for a model probability."""
    return np.where(p > 0.6, 0, np.where(p > 0.4, 1, np.floor(10 * (0.4 - p) + 2))).astype(np.int64)


#: values scored in one batch (between two budget checks)
_SCORE_CHUNK = 8192
#: a value is scored on the task's first SCORE_EXAMPLES examples only: the guide was trained
#: on tasks of 2 to 5 examples (``synth.training.guide_data``), so signatures over more are outside
#: what it saw, and scoring is most of guided search's overhead on tasks with many examples
SCORE_EXAMPLES = 5


class GuidedSearch(BottomUpSearch):
    """``BottomUpSearch`` whose new values are re-priced per cost level by a guide.

    ``guide`` has ``io_bias(io_signature)`` and ``predict(bias, value_signatures)`` (see
    ``synth.neural.models``); ``heuristics`` turns BUSTLE's string heuristics on or off;
    ``score_examples`` (None: all) is how many of the first examples the scores read.
    """

    def __init__(self, domain: Domain, grammar: SearchGrammar, inputs: Sequence[dict],
                 target: Sequence[Any], guide, budget: Budget = Budget(),
                 limits: ValueLimits = ValueLimits(), heuristics: bool = True,
                 max_penalty: int | None = None, score_examples: int | None = SCORE_EXAMPLES,
                 **options: Any):
        super().__init__(domain, grammar, inputs, target, budget, limits, **options)
        self.guide = guide
        self.heuristics = heuristics
        self.max_penalty = max_penalty
        # values are scored on the first ``score_examples`` examples only (see SCORE_EXAMPLES)
        self.nscore = len(self.target) if score_examples is None else min(len(self.target), score_examples)
        inputs, target = self.inputs[:self.nscore], self.target[:self.nscore]
        self.output = OutputContext(target, inputs)
        self.io_bias = guide.io_bias(io_signature(inputs, target)) if guide is not None else None
        self.scored = 0
        self.moved = 0
        self.score_seconds = 0.0
        self._phantom = 0  # see _level

    # ------------------------------------------------------------------------------------
    def penalties(self, nt: str, values: list[tuple], encoded: Any = None) -> np.ndarray:
        """Extra cost of each of a batch of new values of nonterminal ``nt`` (given as tuples,
        or ``encoded`` as ``signatures.encode_values`` lays them out)."""
        type_ = self.grammar.nonterminals[nt]
        m = self.nscore
        if encoded is None:
            encoded = encode_values(type_, [v[:m] for v in values], m) if values else None
        if encoded is None:
            return np.zeros(0, np.int64)
        n = encoded[1].shape[0] // m if type_ == "String" else encoded.shape[0]
        extra = np.zeros(n, np.int64)
        if self.guide is not None:
            sigs = value_signatures(type_, None, self.output, encoded=encoded)
            extra += model_penalty(self.guide.predict(self.io_bias, sigs))
        if self.heuristics and type_ == "String" and self.output.is_string:
            codes, lens = encoded
            extra += active(string_heuristic)(codes, lens, self.output.codes, self.output.lens, m)
        if self.max_penalty is not None:
            np.minimum(extra, self.max_penalty, out=extra)
        return extra

    def _batch_penalties(self, nt: str, batch) -> np.ndarray:
        """Penalties of a batch of a level's entries (value tuples in this engine)."""
        return self.penalties(nt, list(batch))

    def _level_changed(self, nt: str, cost: int) -> None:
        """Hook: level ``cost`` of ``nt`` was re-priced."""

    def _level(self, cost: int) -> str | None:
        # values moved up from earlier levels already sit in bank[nt][cost]; only score new ones
        first_new = {nt: len(lv[cost]) if cost < len(lv) else 0 for nt, lv in self.bank.items()}
        before = self.nvalues
        stopped = super()._level(cost)
        if stopped or self.solution is not None:
            return stopped
        started = time.perf_counter()
        try:
            for nt, lv in self.bank.items():
                if cost >= len(lv) or len(lv[cost]) <= first_new[nt]:
                    continue
                new = lv[cost][first_new[nt]:]
                keep = list(lv[cost][:first_new[nt]])
                for a in range(0, len(new), _SCORE_CHUNK):
                    stop = self.clock.exceeded()
                    if stop:  # the search ends here; unscored values may stay where they are
                        keep.extend(new[a:])
                        lv[cost] = keep
                        self._level_changed(nt, cost)
                        return stop
                    batch = new[a:a + _SCORE_CHUNK]
                    extra = self._batch_penalties(nt, batch)
                    self.scored += len(batch)
                    # each value to level cost + its penalty, in batch order within a level
                    order = np.argsort(extra, kind="stable")
                    penalties, firsts = np.unique(extra[order], return_index=True)
                    bounds = list(firsts[1:]) + [len(order)]
                    for d, a0, a1 in zip(penalties.tolist(), firsts.tolist(), bounds):
                        items = [batch[i] for i in order[a0:a1].tolist()]
                        if d <= 0:
                            keep.extend(items)
                            continue
                        to = cost + d
                        while len(lv) <= to:
                            lv.append([])
                        lv[to].extend(items)
                        self._level_changed(nt, to)
                        self.moved += len(items)
                lv[cost] = keep
                self._level_changed(nt, cost)
        finally:
            self.score_seconds += time.perf_counter() - started
        # The plain loop ends the search as a closed space when a few levels in a row add no
        # value. Moved values still waiting above make a level count as non-empty.
        if self.nvalues == before and self._waiting_above(cost):
            self.nvalues += 1
            self._phantom += 1
        return self.clock.exceeded()

    def _waiting_above(self, cost: int) -> bool:
        return any(any(lv[c] for c in range(cost + 1, len(lv))) for lv in self.bank.values())

    # ------------------------------------------------------------------------------------
    def run(self) -> SearchOutcome:
        """The plain search, then: the values count without the bookkeeping above; the smaller
        of a direct and a shortcut solution (re-priced levels can reach a larger program
        first); and a search stopped by ``budget.max_size`` while values still waited above it
        is a spent budget (timeout, stopped_by max_size), not an exhausted space, since the
        levels are re-priced costs, not sizes."""
        out = super().run()
        out.values = self.nvalues - self._phantom
        if out.node is not None and self.pending is not None and self.pending_size < node_size(out.node):
            out.node = self.pending
        if out.status == "exhausted" and self.budget.max_size is not None \
                and self._waiting_above(self.budget.max_size):
            out.status, out.stopped_by = "timeout", "max_size"
        out.extra.update(scored=self.scored, moved=self.moved, score_seconds=round(self.score_seconds, 3))
        return out


@lru_cache(maxsize=1)
def _compiled_guided_class() -> type:
    """``GuidedSearch`` over the numba engine's value banks (defined once numba is imported)."""
    from synth.search.compiled import CompiledBottomUpSearch

    class CompiledGuidedSearch(GuidedSearch, CompiledBottomUpSearch):
        """The compiled engine enumerates and deduplicates; after each cost level the new
        values' ids are scored straight from the banks (no Python values are built) and the
        re-priced ids wait in higher levels, exactly as ``GuidedSearch`` moves values."""

        def _batch_penalties(self, nt: str, batch) -> np.ndarray:
            if self.engine != "compiled":
                return super()._batch_penalties(nt, batch)
            return self.penalties(nt, None, encoded=self.encoded_values(nt, batch, self.nscore))

        def _level_changed(self, nt: str, cost: int) -> None:
            if self.engine == "compiled":
                self._id_arrays.pop((nt, cost), None)

    return CompiledGuidedSearch


def solve_guided(task: Task, domain: Domain, budget: Budget, grammar: SearchGrammar | None = None,
                 guide: Any = None, heuristics: bool = True, minimize: bool = True,
                 engine: str | None = None, max_penalty: int | None = None,
                 score_examples: int | None = SCORE_EXAMPLES, **options: Any) -> SearchOutcome:
    """The ``guided`` strategy: BUSTLE-style guided bottom-up search with the domain's shipped
    guide (or ``guide``). Loading the guide counts against the time budget. Without a guide
    for the domain, only the heuristics re-price values.

    With ``minimize``, a program the guided search finds is then challenged by a plain search
    for a strictly smaller one (sizes below it only, for as many candidates as the guided
    search used but at least ``_MINIMIZE_MIN``, within the budget): re-pricing reaches deep
    programs early but can reach a larger, worse-generalizing program before a small one whose
    parts the guide misjudged.
    """
    from synth.neural.models import shipped_guide
    from synth.search.enumerative import (AUTO_PYTHON_CANDIDATES, compiled_plain_class, engine_class,
                                          limits_for, task_grammar)

    started = time.perf_counter()
    if guide is None:
        guide = shipped_guide(domain.name)
    grammar = grammar or task_grammar(task, domain)
    inputs, target = [dict(e.inputs) for e in task.examples], [e.output for e in task.examples]
    limits = limits_for(task)
    first = _rest(budget, started, 0) or Budget(timeout=1e-3, max_size=budget.max_size)
    engine = engine or os.environ.get("SYNTH_ENGINE") or "auto"
    if engine not in ("auto", "compiled", "python"):
        raise InvalidTask(f"unknown search engine {engine!r}; choose auto, compiled or python")
    cls = engine_class(domain, grammar, limits, engine, GuidedSearch, _compiled_guided_class)
    out = None
    if cls is not GuidedSearch and engine == "auto":
        # as in solve_bottom_up: a short pure-Python start answers small tasks before the
        # compiled kernels would even have loaded; its result stands if it ended early
        quick = AUTO_PYTHON_CANDIDATES
        qb = Budget(timeout=first.timeout, max_candidates=min(quick, first.max_candidates or quick),
                    max_memory_mb=first.max_memory_mb, max_size=first.max_size)
        quick_search = GuidedSearch(domain, grammar, inputs, target, guide, qb, limits,
                                    heuristics=heuristics, max_penalty=max_penalty,
                                    score_examples=score_examples, **options)
        release.hold(quick_search)  # freed by the next solve, not inside this one's budget
        out = quick_search.run()
        if not (out.status in ("solved", "exhausted") and out.candidates < quick):
            used = out.candidates
            out = None
            first = _rest(budget, started, used)
            if first is None:
                spent = budget.max_candidates is not None and used >= budget.max_candidates
                return SearchOutcome(status="timeout", candidates=used, seconds=time.perf_counter() - started,
                                     stopped_by="candidates" if spent else "time")
    if out is None:
        search = cls(domain, grammar, inputs, target, guide, first, limits,
                     heuristics=heuristics, max_penalty=max_penalty,
                     score_examples=score_examples, **options)
        release.hold(search)
        out = search.run()
    out.seconds = time.perf_counter() - started
    if not minimize or out.status != "solved" or out.node is None:
        return out
    size = node_size(out.node)
    if size <= 2 or (budget.max_size is not None and size - 1 > budget.max_size):
        return out
    rest = _rest(budget, started, out.candidates)
    if rest is None:
        return out
    window = max(_MINIMIZE_MIN, int(_MINIMIZE_FACTOR * out.candidates))
    if rest.max_candidates is not None:
        window = min(window, rest.max_candidates)
    plain_budget = Budget(timeout=rest.timeout, max_candidates=window,
                          max_memory_mb=budget.max_memory_mb, max_size=size - 1)
    plain_cls = engine_class(domain, grammar, limits, engine, BottomUpSearch, compiled_plain_class)
    plain_search = plain_cls(domain, grammar, inputs, target, plain_budget, limits, **options)
    release.hold(plain_search)
    plain = plain_search.run()
    out.candidates += plain.candidates
    out.extra["minimize_candidates"] = plain.candidates
    if plain.status == "solved" and plain.node is not None and node_size(plain.node) < size:
        out.extra["minimized_from"] = size
        out.node = plain.node
    out.seconds = time.perf_counter() - started
    return out


#: the plain search that looks for a smaller program gets max(MIN, FACTOR * the guided search's
#: candidates) candidates (a count, not seconds, so that a budget gives the same program)
_MINIMIZE_MIN = 500_000
_MINIMIZE_FACTOR = 1.0


def _rest(budget: Budget, started: float, used_candidates: int) -> Budget | None:
    """What is left of ``budget`` after the time since ``started`` and ``used_candidates``
    (None when nothing is), within the whole solve's deadline (work before ``started`` counts)."""
    return budget.remaining(time.perf_counter() - started, used_candidates, min_seconds=0.0,
                            cap=deadline.remaining())
