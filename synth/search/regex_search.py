"""Regex synthesis from positive and negative strings: bottom-up enumeration by size over the
signatures of ``synth.dsl.regex.kernels`` (observational equivalence on the examples' infixes),
then a Z3 check of the answer and, when a second regex of the same size also fits, a Z3
distinguishing string (the question to ask the user).

Strategy ``regex-enum``. The answer is the smallest regex (in AST nodes, counting a literal string
of n characters as n) that fits; every reported answer has passed Z3's ``InRe`` on every example.
"""
from __future__ import annotations

import itertools
import time
from typing import Any, Sequence

import numpy as np

from synth.dsl.base import Apply, Const, Domain, Node
from synth.dsl.regex import kernels as K
from synth.dsl.regex.charclass import ALNUM, ALPHA, DIGIT, HEX, LOWER, SPACE, UPPER, WORD, CharClass
from synth.dsl.regex.syntax import lit
from synth.errors import InvalidTask
from synth.search.bottom_up import SearchOutcome
from synth.search.budget import Budget, Clock
from synth.task import Task

#: named classes tried as leaves, narrowest first (observational equivalence keeps the first)
NAMED_CLASSES = (DIGIT, LOWER, UPPER, HEX, ALPHA, ALNUM, WORD, SPACE)
#: exact repeat counts and {lo,hi} ranges tried as unary ops
RANGES = ((1, 2), (1, 3))
MAX_EXACT_REPEAT = 8
#: the class of exactly the positives' characters is a leaf only when it is this small
MAX_OWN_CLASS = 4
_PAIR_CHUNK = 1 << 15
#: share of the remaining time spent looking for a second answer after the first
RUNNER_UP_SHARE = 0.25


class InfixSpace:
    """The infixes of the example strings (ε first, shortest first) and their split tables."""

    def __init__(self, strings: Sequence[str]):
        infixes = {""}
        for s in strings:
            for i in range(len(s)):
                for j in range(i + 1, len(s) + 1):
                    infixes.add(s[i:j])
        self.infixes = sorted(infixes, key=lambda w: (len(w), w))
        self.index = {w: k for k, w in enumerate(self.infixes)}
        off, su, sv = [0], [], []
        for w in self.infixes:
            for k in range(len(w) + 1):
                su.append(self.index[w[:k]])
                sv.append(self.index[w[k:]])
            off.append(len(su))
        self.off = np.asarray(off, dtype=np.int64)
        self.su = np.asarray(su, dtype=np.int64)
        self.sv = np.asarray(sv, dtype=np.int64)
        self.words = (len(self.infixes) + 63) // 64

    def signature(self, accepts) -> np.ndarray:
        sig = np.zeros(self.words, dtype=np.uint64)
        for k, w in enumerate(self.infixes):
            if accepts(w):
                sig[k >> 6] |= np.uint64(1) << np.uint64(k & 63)
        return sig


class _Level:
    """The values first reached at one cost, and how each was built (chunks are joined lazily:
    a level is only read once it is complete)."""

    def __init__(self, W: int):
        self._sigs: list[np.ndarray] = []
        self._kinds: list[np.ndarray] = []
        self.how: list = []
        self.W = W

    def append(self, sigs, kinds, hows) -> int:
        base = len(self.how)
        self._sigs.append(sigs)
        self._kinds.append(kinds)
        self.how.extend(hows)
        return base

    def _join(self) -> None:
        if len(self._sigs) != 1:
            self._sigs = [np.concatenate(self._sigs) if self._sigs else np.zeros((0, self.W), np.uint64)]
            self._kinds = [np.concatenate(self._kinds) if self._kinds else np.zeros(0, np.int8)]

    @property
    def sigs(self) -> np.ndarray:
        self._join()
        return self._sigs[0]

    @property
    def kind(self) -> np.ndarray:
        self._join()
        return self._kinds[0]


def leaf_nodes(positive: Sequence[str]) -> list[tuple[Node, int]]:
    """Leaves and their costs: the characters of the positives, the named classes that meet
    them, the class of exactly their characters, ``.``, and literal strings shared by several
    positives (cost = length, cheaper than spelling them out)."""
    chars: dict[str, int] = {}
    for s in positive:
        for c in set(s):
            chars[c] = chars.get(c, 0) + 1
    alnum = [c for c in chars if c.isalnum()]
    keep = [c for c in chars if not c.isalnum()]
    if len(alnum) <= 10:
        keep += alnum
    else:
        keep += [c for c in alnum if chars[c] * 2 >= len(positive)]
    out: list[tuple[Node, int]] = [(lit(c), 1) for c in sorted(keep)]
    if 2 <= len(chars) <= MAX_OWN_CLASS:  # e.g. [01] for binary strings; wider ones overfit
        out.append((Const(CharClass.of(chars), "Class"), 1))
    for ranges in NAMED_CLASSES:
        cc = CharClass(ranges)
        if any(c in cc for c in chars):
            out.append((Const(cc, "Class"), 1))
    out.append((Const(CharClass.any(), "Class"), 1))
    out.extend((lit(s), len(s)) for s in common_substrings(positive))
    return out


def common_substrings(positive: Sequence[str], limit: int = 8) -> list[str]:
    """Substrings (2 to 12 characters) found in at least two positives and half of them, longest
    first among those of equal support; a substring inside a kept one of equal support is left out."""
    need = max(2, (len(positive) + 1) // 2)
    support: dict[str, int] = {}
    for s in positive:
        subs = {s[i:j] for i in range(len(s)) for j in range(i + 2, min(len(s), i + 12) + 1)}
        for t in subs:
            support[t] = support.get(t, 0) + 1
    cands = sorted((t for t, n in support.items() if n >= need), key=lambda t: (-support[t], -len(t), t))
    kept: list[str] = []
    for t in cands:
        if any(t in k and support[k] == support[t] for k in kept):
            continue
        kept.append(t)
        if len(kept) >= limit:
            break
    return kept


def _run_lengths(s: str, inside) -> list[int]:
    runs, n = [], 0
    for ch in s:
        if inside(ch):
            n += 1
        elif n:
            runs.append(n)
            n = 0
    if n:
        runs.append(n)
    return runs


def repeat_counts(positive: Sequence[str]) -> tuple[list[int], list[tuple[int, int]]]:
    """Counts for ``r{n}`` and ranges for ``r{lo,hi}``: 2, 3 and the lengths of the runs of one
    character or of one named class in the positives; the spread (shortest, longest) of each
    class's runs, and {1,2}, {1,3}."""
    counts = {2, 3}
    spreads: set = set(RANGES)
    for s in positive:
        for _, group in itertools.groupby(s):
            n = len(list(group))
            if 2 <= n <= MAX_EXACT_REPEAT:
                counts.add(n)
    for ranges in NAMED_CLASSES:
        cc = CharClass(ranges)
        runs = [n for s in positive for n in _run_lengths(s, cc.__contains__)]
        counts.update(n for n in runs if 2 <= n <= MAX_EXACT_REPEAT)
        if runs and min(runs) < max(runs) <= MAX_EXACT_REPEAT:
            spreads.add((min(runs), max(runs)))
    return sorted(counts), sorted(spreads)


#: repeats apply to values of at most this cost (``\d{4}``, ``(\.\d{1,3}){3}``)
MAX_REPEAT_ARG_COST = 4


class RegexEnumerator:
    """Bottom-up enumeration of regex signatures by cost, with a hash set for equivalence."""

    def __init__(self, positive: Sequence[str], negative: Sequence[str], clock: Clock,
                 max_values: int):
        self.positive, self.negative = list(positive), list(negative)
        self.space = InfixSpace(self.positive + self.negative)
        sp = self.space
        self.pos = np.asarray([sp.index[s] for s in self.positive], dtype=np.int64)
        self.neg = np.asarray([sp.index[s] for s in self.negative], dtype=np.int64)
        self.clock = clock
        self.max_values = max_values
        self.table = np.zeros(1 << 16, dtype=np.uint64)
        self.count = 0
        self.levels: dict[int, _Level] = {}
        self.leaves = leaf_nodes(self.positive)
        self.unary = [K.STAR, K.PLUS, K.OPT]
        counts, spreads = repeat_counts(self.positive)
        self.counts = np.asarray(counts, dtype=np.int64)
        self.ranges = np.asarray(spreads, dtype=np.int64).reshape(-1, 2)
        self.solutions: list[tuple[int, int]] = []  # (cost, index)
        self.max_cost_done = 0
        self.stopped_by: str | None = None

    # -- bookkeeping ------------------------------------------------------------------------
    def _reserve(self, n: int) -> None:
        if (self.count + n) * 2 > self.table.shape[0]:
            size = self.table.shape[0]
            while (self.count + n) * 2 > size:
                size *= 2
            new = np.zeros(size, dtype=np.uint64)
            K.rehash(self.table, new)
            self.table = new

    def _store(self, cost: int, sigs, kinds, hows, sols) -> None:
        lv = self.levels.get(cost)
        if lv is None:
            lv = self.levels[cost] = _Level(self.space.words)
        base = lv.append(sigs, kinds, hows)
        self.count += len(hows)
        for k in np.flatnonzero(sols):
            self.solutions.append((cost, base + int(k)))

    def node(self, cost: int, index: int) -> Node:
        how = self.levels[cost].how[index]
        if not isinstance(how, tuple):
            return how
        op, lo, hi, left, right = how
        a = self.node(*left)
        if op == K.CONCAT:
            return Apply("concat", (a, self.node(*right)))
        if op == K.UNION:
            return Apply("union", (a, self.node(*right)))
        if op == K.STAR:
            return Apply("star", (a,))
        if op == K.PLUS:
            return Apply("plus", (a,))
        if op == K.OPT:
            return Apply("opt", (a,))
        return Apply("repeat", (a, Const(lo, "Int"), Const(hi, "Int")))

    def _out_of_budget(self) -> bool:
        why = self.clock.exceeded()
        if why is None and self.count >= self.max_values:
            why = "memory"
        if why is not None:
            self.stopped_by = why
            return True
        return False

    # -- one cost level ---------------------------------------------------------------------
    def run_level(self, cost: int, stop_at_solution: bool, want: int = 1) -> bool:
        """Enumerate every value of this cost (or until ``want`` solutions are known, with
        ``stop_at_solution``). Returns False when a budget ran out first."""
        W = self.space.words
        sp = self.space
        # leaves
        for node, c in self.leaves:
            if c != cost:
                continue
            sig = sp.signature(lambda w, n=node: _leaf_accepts(n, w))
            self._reserve(1)
            if sig.any() and K.insert_sig(self.table, sig):
                sol = np.asarray([K.is_solution(sig, self.pos, self.neg)])
                self._store(cost, sig[None, :], np.asarray([K.LEAF], dtype=np.int8), [node], sol)
        if stop_at_solution and len(self.solutions) >= want:
            return True
        # unary ops of cost-1 values
        prev = self.levels.get(cost - 1)
        if prev is not None and prev.sigs.shape[0]:
            for op in self.unary:
                if self._out_of_budget():
                    return False
                n = prev.sigs.shape[0]
                self._reserve(n)
                out = np.empty((n, W), dtype=np.uint64)
                out_i = np.empty(n, dtype=np.int64)
                out_sol = np.empty(n, dtype=np.bool_)
                kept = K.expand_unary(op, 0, 0, prev.sigs, prev.kind, sp.off, sp.su, sp.sv,
                                      self.table, self.pos, self.neg, out, out_i, out_sol)
                self.clock.candidates += n
                if kept:
                    hows = [(op, 0, 0, (cost - 1, int(i)), None) for i in out_i[:kept]]
                    self._store(cost, out[:kept].copy(), np.full(kept, op, dtype=np.int8), hows,
                                out_sol[:kept])
                if stop_at_solution and len(self.solutions) >= want:
                    return True
            if cost - 1 <= MAX_REPEAT_ARG_COST and (self.counts.size or self.ranges.size):
                n = prev.sigs.shape[0]
                per = self.counts.size + self.ranges.shape[0]
                start = 0
                while start < n:
                    if self._out_of_budget():
                        return False
                    rows = min(n - start, max(1, _PAIR_CHUNK // per))
                    cap = rows * per
                    self._reserve(cap)
                    out = np.empty((cap, W), dtype=np.uint64)
                    out_i = np.empty(cap, dtype=np.int64)
                    out_lo = np.empty(cap, dtype=np.int64)
                    out_hi = np.empty(cap, dtype=np.int64)
                    out_sol = np.empty(cap, dtype=np.bool_)
                    kept, done = K.expand_repeats(prev.sigs[start:start + rows], prev.kind[start:start + rows],
                                                  self.counts, self.ranges, sp.off, sp.su, sp.sv,
                                                  self.table, self.pos, self.neg, out, out_i,
                                                  out_lo, out_hi, out_sol)
                    self.clock.candidates += done * per
                    if kept:
                        hows = [(K.REPEAT, int(lo), int(hi), (cost - 1, start + int(i)), None)
                                for i, lo, hi in zip(out_i[:kept], out_lo[:kept], out_hi[:kept])]
                        self._store(cost, out[:kept].copy(), np.full(kept, K.REPEAT, dtype=np.int8),
                                    hows, out_sol[:kept])
                    start += done
                    if stop_at_solution and len(self.solutions) >= want:
                        return True
        # binary ops: cost = 1 + c1 + c2
        for c1 in range(1, cost - 1):
            c2 = cost - 1 - c1
            A, B = self.levels.get(c1), self.levels.get(c2)
            if A is None or B is None or not A.sigs.shape[0] or not B.sigs.shape[0]:
                continue
            for op in (K.CONCAT, K.UNION):
                if op == K.UNION and c1 > c2:
                    continue  # union is commutative: one order is enough
                same = op == K.UNION and c1 == c2
                total = A.sigs.shape[0] * B.sigs.shape[0]
                p = 0
                while p < total:
                    if self._out_of_budget():
                        return False
                    stop = min(total, p + _PAIR_CHUNK)
                    cap = stop - p
                    self._reserve(cap)
                    out = np.empty((cap, W), dtype=np.uint64)
                    out_i = np.empty(cap, dtype=np.int64)
                    out_j = np.empty(cap, dtype=np.int64)
                    out_sol = np.empty(cap, dtype=np.bool_)
                    kept, nxt = K.expand_binary(op, A.sigs, A.kind, B.sigs, B.kind, same, p, stop,
                                                sp.off, sp.su, sp.sv, self.table, self.pos, self.neg,
                                                out, out_i, out_j, out_sol)
                    self.clock.candidates += nxt - p
                    p = nxt
                    if kept:
                        hows = [(op, 0, 0, (c1, int(i)), (c2, int(j)))
                                for i, j in zip(out_i[:kept], out_j[:kept])]
                        self._store(cost, out[:kept].copy(), np.full(kept, op, dtype=np.int8),
                                    hows, out_sol[:kept])
                    if stop_at_solution and len(self.solutions) >= want:
                        return True
        self.max_cost_done = cost
        return True


def _leaf_accepts(node: Const, w: str) -> bool:
    if node.type == "Lit":
        return w == node.value
    return len(w) == 1 and w in node.value


# ------------------------------------------------------------------------------- strategy
def regex_examples(task: Task) -> tuple[list[str], list[str]]:
    spec = task.spec
    pos, neg = spec.get("positive"), spec.get("negative", [])
    if not isinstance(pos, list) or not isinstance(neg, list):
        raise InvalidTask(f"task {task.name!r}: a regex task needs 'positive' and 'negative' lists")
    return list(dict.fromkeys(pos)), list(dict.fromkeys(neg))


def solve_regex(task: Task, domain: Domain, budget: Budget, max_values: int | None = None,
                z3_timeout_ms: int = 5000, runner_up: bool = True, use_fields: bool = True,
                **options: Any) -> SearchOutcome:
    """Strategy ``regex-enum``: a regex that accepts every positive and rejects every negative
    string, verified with Z3. Delimited strings (dates, addresses...) are generalized field by
    field (``synth.search.regex_fields``); otherwise the smallest regex is enumerated. When a
    second fitting regex turns up, Z3 gives a string on which the two disagree."""
    from synth.dsl.regex.matcher import fits_examples
    from synth.dsl.regex.syntax import format_regex, to_python_pattern
    from synth.verify.regex import check_examples, distinguishing_string

    started = time.perf_counter()
    positive, negative = regex_examples(task)
    clock = Clock(budget)
    # 1. strings made of delimited fields: generalize field by field
    from synth.search.regex_fields import delimited_candidates

    fielded = [] if not use_fields else delimited_candidates(positive, negative, limit=2)
    en = None
    other = None
    if fielded:
        node = fielded[0]
        other = fielded[1] if len(fielded) > 1 else None
        outcome = SearchOutcome(status="solved", candidates=clock.candidates)
        method = "delimited fields"
    else:
        # 2. bottom-up enumeration by size
        en = RegexEnumerator(positive, negative, clock, max_values or 0)
        if max_values is None:  # the bank may take 40 % of the memory budget
            mem = budget.max_memory_mb or 4096.0
            en.max_values = int(min(20_000_000, mem * 0.4 * 2**20 / (en.space.words * 8 + 80)))
        max_cost = budget.max_size or 60
        found: tuple[int, int] | None = None
        cost = 0
        finished = True
        while found is None and cost < max_cost:
            cost += 1
            if not en.run_level(cost, stop_at_solution=True):
                finished = False
                break
            if en.solutions:
                found = en.solutions[0]
        outcome = SearchOutcome(status="timeout" if not finished else "exhausted",
                                candidates=clock.candidates, values=en.count,
                                max_size_explored=en.max_cost_done, stopped_by=en.stopped_by)
        if found is None:
            outcome.seconds = time.perf_counter() - started
            return outcome
        node = en.node(*found)
        method = "enumeration"
    if not fits_examples(node, positive, negative):  # kernels and re disagree: a bug
        raise RuntimeError(f"regex search found {format_regex(node)!r}, which does not fit the "
                           f"examples under Python re")
    extra: dict[str, Any] = {"also": {"python re": to_python_pattern(node)}, "method": method}
    # a second answer of the same cost, for a distinguishing question
    if runner_up and method == "enumeration":
        remaining = None if clock.deadline is None else clock.deadline - time.perf_counter()
        share = 2.0 if remaining is None else max(0.0, remaining * RUNNER_UP_SHARE)
        if share > 0.05:
            sub = Clock(Budget(timeout=share, max_memory_mb=budget.max_memory_mb))
            sub.candidates = clock.candidates
            en.clock = sub
            if en.run_level(found[0], stop_at_solution=True, want=2) and len(en.solutions) < 2:
                en.run_level(found[0] + 1, stop_at_solution=True, want=2)  # one size up
            clock.candidates = sub.candidates
            others = [s for s in en.solutions if s != found]
            if others:
                other = en.node(*others[0])
    verdict = check_examples(node, positive, negative, z3_timeout_ms)
    extra["verified"] = verdict.status
    extra["verification"] = verdict.detail
    if other is not None:
        diff = distinguishing_string(node, other, z3_timeout_ms)
        if diff.refuted:
            w = diff.counterexample
            extra["also"]["other fit"] = format_regex(other)
            extra["also"]["ask about"] = (f"{w!r}: accepted by "
                                          f"{'the answer' if diff.extra['accepted_by'] == 'first' else 'the other fit'}"
                                          f", rejected by the "
                                          f"{'other fit' if diff.extra['accepted_by'] == 'first' else 'answer'}")
            extra["distinguishing"] = {"other": format_regex(other), "string": w,
                                       "accepted_by": "answer" if diff.extra["accepted_by"] == "first"
                                       else "other"}
    reference = task.spec.get("solution")
    if isinstance(reference, str):  # on request: is the answer the task's own solution?
        from synth.dsl.regex.syntax import parse_regex
        from synth.verify.regex import equivalent

        ref_node = parse_regex(reference)
        eq = equivalent(node, ref_node, z3_timeout_ms)  # over all strings, not just printable
        if eq.refuted:
            shown = distinguishing_string(node, ref_node, z3_timeout_ms)
            eq = shown if shown.refuted else eq
        extra["equivalent_to_solution"] = eq.status
        extra["also"]["task's solution"] = (
            f"{reference} (same language, proved by Z3)" if eq.proved else
            f"{reference} (differs on {eq.counterexample!r})" if eq.refuted else
            f"{reference} (Z3 could not decide equivalence)")
    outcome.node = node
    outcome.candidates = clock.candidates
    outcome.values = en.count if en is not None else 0
    outcome.extra = extra
    outcome.seconds = time.perf_counter() - started
    if verdict.proved:
        outcome.status = "solved"
    elif verdict.unknown:
        outcome.status = "unproven"
    else:  # Z3 and Python's re disagree on an example
        outcome.status = "error"
        extra["error"] = f"Z3 refutes the answer: {verdict.detail}"
    return outcome
