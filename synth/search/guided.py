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
"""
from __future__ import annotations

import time
from typing import Any, Sequence

import numba
import numpy as np

from synth.dsl.base import Domain, ValueLimits
from synth.neural.signatures import OutputContext, encode_strings, io_signature, value_signatures
from synth.search.bottom_up import BottomUpSearch, SearchOutcome
from synth.search.budget import Budget
from synth.search.grammar import SearchGrammar
from synth.task import Task


def model_penalty(p: np.ndarray) -> np.ndarray:
    """BUSTLE's extra cost for a model probability."""
    return np.where(p > 0.6, 0, np.where(p > 0.4, 1, np.floor(10 * (0.4 - p) + 2))).astype(np.int64)


@numba.njit(cache=True)
def _levenshtein(a, na, b, nb, row):
    for j in range(nb + 1):
        row[j] = j
    for i in range(1, na + 1):
        prev = row[0]
        row[0] = i
        ai = a[i - 1]
        for j in range(1, nb + 1):
            cur = row[j]
            cost = 0 if ai == b[j - 1] else 1
            v = prev + cost
            if row[j] + 1 < v:
                v = row[j] + 1
            if row[j - 1] + 1 < v:
                v = row[j - 1] + 1
            row[j] = v
            prev = cur
    return row[nb]


@numba.njit(cache=True)
def string_heuristic(codes, lens, out_codes, out_lens, nex):
    """BUSTLE's heuristic extra cost of string values (rows ``v * nex + e``): 1 + floor(3 * the
    largest normalised edit distance 2 lev / (|x| + |y| + lev)), minus 2 if the value occurs in
    the output on every example; at least 0."""
    n = codes.shape[0] // nex
    out = np.zeros(n, np.int64)
    row = np.zeros(out_codes.shape[1] + 1, np.int64)
    for v in range(n):
        worst = 0.0
        inside = True
        for e in range(nex):
            r = v * nex + e
            s = codes[r]
            ns = lens[r]
            o = out_codes[e]
            no = out_lens[e]
            lev = _levenshtein(s, ns, o, no, row)
            total = ns + no + lev
            d = 0.0 if total == 0 else 2.0 * lev / total
            if d > worst:
                worst = d
            if inside:
                found = ns == 0
                for i in range(no - ns + 1):
                    ok = True
                    for j in range(ns):
                        if o[i + j] != s[j]:
                            ok = False
                            break
                    if ok:
                        found = True
                        break
                inside = found
        h = 1 + int(np.floor(3.0 * worst))
        if inside:
            h -= 2
        out[v] = h if h > 0 else 0
    return out


class GuidedSearch(BottomUpSearch):
    """``BottomUpSearch`` whose new values are re-priced per cost level by a guide.

    ``guide`` has ``io_bias(io_signature)`` and ``predict(bias, value_signatures)`` (see
    ``synth.neural.models``); ``heuristics`` turns BUSTLE's string heuristics on or off.
    """

    def __init__(self, domain: Domain, grammar: SearchGrammar, inputs: Sequence[dict],
                 target: Sequence[Any], guide, budget: Budget = Budget(),
                 limits: ValueLimits = ValueLimits(), heuristics: bool = True,
                 max_penalty: int | None = None, **options: Any):
        super().__init__(domain, grammar, inputs, target, budget, limits, **options)
        self.guide = guide
        self.heuristics = heuristics
        self.max_penalty = max_penalty
        self.output = OutputContext(self.target)
        self.io_bias = guide.io_bias(io_signature(self.inputs, self.target)) if guide is not None else None
        self.scored = 0
        self.moved = 0
        self.score_seconds = 0.0

    # ------------------------------------------------------------------------------------
    def penalties(self, nt: str, values: list[tuple]) -> np.ndarray:
        """Extra cost of each of a batch of new values of nonterminal ``nt``."""
        type_ = self.grammar.nonterminals[nt]
        extra = np.zeros(len(values), np.int64)
        if self.guide is not None:
            sigs = value_signatures(type_, values, self.output)
            extra += model_penalty(self.guide.predict(self.io_bias, sigs))
        if self.heuristics and type_ == "String" and self.output.is_string:
            codes, lens = encode_strings([s for v in values for s in v])
            extra += string_heuristic(codes, lens, self.output.codes, self.output.lens, len(self.target))
        if self.max_penalty is not None:
            np.minimum(extra, self.max_penalty, out=extra)
        return extra

    def _level(self, cost: int) -> str | None:
        # values moved up from earlier levels already sit in bank[nt][cost]; only score new ones
        first_new = {nt: len(lv[cost]) if cost < len(lv) else 0 for nt, lv in self.bank.items()}
        stopped = super()._level(cost)
        if stopped or self.solution is not None:
            return stopped
        started = time.perf_counter()
        for nt, lv in self.bank.items():
            if cost >= len(lv) or len(lv[cost]) <= first_new[nt]:
                continue
            new = lv[cost][first_new[nt]:]
            extra = self.penalties(nt, new)
            self.scored += len(new)
            keep = lv[cost][:first_new[nt]]
            for vals, d in zip(new, extra.tolist()):
                if d <= 0:
                    keep.append(vals)
                    continue
                to = cost + d
                while len(lv) <= to:
                    lv.append([])
                lv[to].append(vals)
                self.moved += 1
            lv[cost] = keep
        self.score_seconds += time.perf_counter() - started
        return self.clock.exceeded()

    # ------------------------------------------------------------------------------------
    def run(self) -> SearchOutcome:
        """The plain search's loop, except that the space is closed only when no bank level at
        or above the current cost holds values (moved values wait up there)."""
        clock = self.clock
        g = self.grammar
        max_size = self.budget.max_size or 10**6
        max_arity = max((len(p.args) for p in g.productions), default=0)
        max_pcost = max((p.cost for p in g.productions), default=1)
        self._leaves()
        explored = max((lf.cost for lf in g.leaves), default=0)
        stopped = None
        cost = explored
        while self.solution is None:
            cost += 1
            if self.pending is not None and cost >= self.pending_size:
                self.solution = self.pending  # nothing cheaper exists
                break
            if cost > max_size:
                break
            last_nonempty = max((c for lv in self.bank.values() for c, l in enumerate(lv) if l), default=0)
            if cost > max_pcost + max_arity * last_nonempty:
                break  # no production can reach this cost from the values that exist: closed
            stopped = self._level(cost)
            if stopped or self.solution is not None:
                break
            explored = cost
        if self.solution is None and self.pending is not None:
            self.solution, stopped = self.pending, None
        if self.solution is not None:
            status = "solved"
        elif stopped:
            status = "timeout"
        else:
            status = "exhausted"
        return SearchOutcome(status=status, node=self.solution, candidates=clock.candidates,
                             values=self.nvalues, max_size_explored=explored,
                             seconds=clock.elapsed(), stopped_by=stopped,
                             extra={"scored": self.scored, "moved": self.moved,
                                    "score_seconds": round(self.score_seconds, 3)})


def solve_guided(task: Task, domain: Domain, budget: Budget, grammar: SearchGrammar | None = None,
                 guide: Any = None, heuristics: bool = True, **options: Any) -> SearchOutcome:
    """The ``guided`` strategy: BUSTLE-style guided bottom-up search with the domain's shipped
    guide (or ``guide``). Loading the guide counts against the time budget. Without a guide
    for the domain, only the heuristics re-price values."""
    from synth.neural.models import shipped_guide
    from synth.search.enumerative import limits_for, task_grammar

    started = time.perf_counter()
    if guide is None:
        guide = shipped_guide(domain.name)
    if budget.timeout is not None:
        left = max(budget.timeout - (time.perf_counter() - started), 1e-3)
        budget = Budget(timeout=left, max_candidates=budget.max_candidates,
                        max_memory_mb=budget.max_memory_mb, max_size=budget.max_size)
    grammar = grammar or task_grammar(task, domain)
    search = GuidedSearch(domain, grammar, [dict(e.inputs) for e in task.examples],
                          [e.output for e in task.examples], guide, budget, limits_for(task),
                          heuristics=heuristics, **options)
    return search.run()
