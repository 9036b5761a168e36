"""Regex synthesis from positive and negative strings: bottom-up enumeration by cost over the
signatures of ``synth.dsl.regex.kernels`` (observational equivalence on the examples' infixes),
then a choice among the fits, a Z3 check of the answer and, when a second regex also fits, a Z3
distinguishing string (the question to ask the user).

Strategy ``regex-enum``. Regexes are enumerated by ``RegexCosts`` (an AlphaRegex-like simplicity
order: concatenation cheap, union dear, a star cheaper than counted copies of a pattern, classes
no wider than the examples need). The fits up to ``RANK_SLACK`` above the cheapest are collected
and ordered by ``synth.search.regex_rank`` (cost, and how well each explains the positives among
the short strings, where the fits disagree); with ``runner_up=False`` the cheapest fit is the
answer. Every reported answer has passed Z3's ``InRe`` on every example. ``max_size`` bounds the
cost at ``max_size * RegexCosts.unit``.
"""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from synth.dsl.base import Apply, Const, Domain, Node
from synth.dsl.regex import kernels as K
from synth.dsl.regex.charclass import ALNUM, ALPHA, DIGIT, HEX, LOWER, SPACE, UPPER, WORD, CharClass
from synth.dsl.regex.syntax import lit
from synth.errors import InvalidTask
from synth.search.bottom_up import SearchOutcome
from synth.search.budget import DEFAULT_MAX_MEMORY_MB, Budget, Clock
from synth.task import RegexSpec, Task, TaskSpec

#: named classes tried as leaves, narrowest first (observational equivalence keeps the first)
NAMED_CLASSES = (DIGIT, LOWER, UPPER, HEX, ALPHA, ALNUM, WORD, SPACE)
#: exact repeat counts and {lo,hi} ranges tried as unary ops
RANGES = ((1, 2), (1, 3))
MAX_EXACT_REPEAT = 8
#: the class of exactly the positives' characters is a leaf only when it is this small
MAX_OWN_CLASS = 4
_PAIR_CHUNK = 1 << 15
#: split-table entries one kernel call may walk before the budget is asked again (a few tens of
#: milliseconds): with long examples a chunk holds fewer values
_CHUNK_WORK = 20_000_000
#: assumed kernel speed (entries a second) before one call has been timed, and how late past
#: the deadline a kernel call may be predicted to end and still be started
_INITIAL_RATE = 5e8
_LATE_SLACK = 0.1
#: after the first fit: the share of the remaining time spent enumerating the other fits that
#: cost at most RANK_SLACK more (at most MAX_FITS of them), to be ranked (``regex_rank``); the
#: rest is for the ranking and the Z3 checks, which take a few tenths of a second
RANK_SHARE = 0.75
RANK_SLACK = 8
MAX_FITS = 64


@dataclass(frozen=True)
class RegexCosts:
    """The price of each part of a regex; the search enumerates by the total (a simplicity order
    in the spirit of AlphaRegex's: concatenation is cheap, union dear, a star cheaper than a
    counted repeat, and a class costs more the wider it is than the examples need).

    A literal string of n characters costs what spelling it out does (n characters, n - 1
    concatenations). ``unit`` converts a size bound in AST nodes (``Budget.max_size``) to cost."""

    char: int = 4        # one literal character (and ε)
    own_class: int = 4   # the class of exactly the positives' characters, e.g. [01]
    named_class: int = 5  # \d, [a-z], \w... (the narrowest that fits is found first)
    any: int = 6         # .
    concat: int = 1
    union: int = 4
    star: int = 2
    plus: int = 3
    opt: int = 2
    compound_star: int = 2  # extra for a star or plus of anything but a leaf
    count: int = 3       # r{n} of a leaf: this, plus n
    unit: int = 4

    def count_price(self, n: int, arg: int) -> int:
        """What ``r{n}`` adds to the cost ``arg`` of r: a little for a repeated leaf (``\\d{5}``),
        as much as spelling the copies out for anything larger (``(1*0){2}`` costs what
        ``1*01*0`` does: counted copies of a pattern are no shortcut past the examples' lengths)."""
        if arg <= self.max_leaf:
            return self.count + n
        return (n - 1) * (arg + self.concat)

    def range_price(self, lo: int, hi: int, arg: int) -> int:
        """What ``r{lo,hi}`` adds to the cost ``arg`` of r: what spelling it out costs
        (``r{1,3}`` = ``r r? r?``), leaves included: a range drawn from the examples' lengths
        is no shortcut past them."""
        return (lo - 1) * arg + (hi - lo) * (arg + self.opt) + (hi - 1) * self.concat

    @property
    def max_leaf(self) -> int:
        return max(self.char, self.own_class, self.named_class, self.any)

    def literal(self, n: int) -> int:
        return n * self.char + max(0, n - 1) * self.concat

    def unary(self, op: int) -> int:
        return {K.STAR: self.star, K.PLUS: self.plus, K.OPT: self.opt}[op]

    def of(self, node: Node, own: CharClass | None = None) -> int:
        """The cost of a regex AST under these prices (the search's order); ``own`` is the class
        of exactly the positives' characters, when the search has it as a leaf."""
        if isinstance(node, Const):
            if node.type == "Lit":
                return self.literal(max(1, len(node.value)))
            if node.type == "Class":
                return self.any if node.value == CharClass.any() else \
                    self.own_class if node.value == own else self.named_class
            return self.char
        kids = [a for a in node.args if not (isinstance(a, Const) and a.type == "Int")]
        below = sum(self.of(a, own) for a in kids)
        op = node.op
        if op == "concat":
            return below + self.concat
        if op == "union":
            return below + self.union
        if op in ("star", "plus", "opt"):
            leaf = isinstance(kids[0], Const)
            return below + getattr(self, op) + (self.compound_star if op != "opt" and not leaf else 0)
        lo, hi = node.args[1].value, node.args[2].value
        return below + (self.count_price(lo, below) if lo == hi else self.range_price(lo, hi, below))


DEFAULT_COSTS = RegexCosts()


class SpaceTooLarge(Exception):
    """The infix space of the examples cannot be built within the budget; ``why`` is "time" or
    "memory" (its tables would not fit ``max_entries``)."""

    def __init__(self, why: str, detail: str):
        super().__init__(detail)
        self.why = why


#: most split-table entries an infix space may have (each costs 16 bytes, and every concatenation
#: of the search walks all of them)
MAX_SPLIT_ENTRIES = 20_000_000


class InfixSpace:
    """The infixes of the example strings (ε first, shortest first) and their split tables.

    The space grows with the cube of the strings' length: ``clock`` (checked while it is built)
    and ``max_entries`` (of the split tables) bound the work, raising ``SpaceTooLarge``."""

    def __init__(self, strings: Sequence[str], clock: Clock | None = None,
                 max_entries: int | None = None):
        def out_of_time() -> None:
            if clock is not None and clock.exceeded() is not None:
                raise SpaceTooLarge("time", "out of time while listing the examples' infixes")

        limit = max_entries if max_entries is not None else MAX_SPLIT_ENTRIES
        too_many = SpaceTooLarge("memory", f"the examples have too many distinct infixes (their "
                                           f"split table would pass {limit:,} entries)")
        infixes = {""}
        entries = 1  # split entries of the infixes so far (w has len(w) + 1 splits)
        for s in strings:
            n = len(s)
            for i in range(n):
                out_of_time()
                # The set is closed under infixes (of the earlier strings, and of this one up to
                # position i), so the s[i:j] already in it are those with j <= some j0: find j0
                # by bisection and add the rest.
                lo, hi = i, n  # s[i:lo] is in the set; s[i:hi + 1] beyond the answer
                while lo < hi:
                    mid = (lo + hi + 1) // 2
                    if s[i:mid] in infixes:
                        lo = mid
                    else:
                        hi = mid - 1
                if lo == n:
                    continue
                a, b = lo - i + 1, n - i  # lengths of the new infixes
                entries += (a + b + 2) * (b - a + 1) // 2
                if entries > limit:
                    raise too_many
                infixes.update(s[i:j] for j in range(lo + 1, n + 1))
        out_of_time()
        # shortest first, then in code point order (sorting per length: no tuple keys)
        by_len: dict[int, list[str]] = {}
        for w in infixes:
            by_len.setdefault(len(w), []).append(w)
        del infixes
        self.infixes = []
        for m in sorted(by_len):
            self.infixes.extend(sorted(by_len[m]))
        del by_len
        out_of_time()
        self.index = index = {w: k for k, w in enumerate(self.infixes)}
        # Splits of w (length m), k = 0..m: su = ids of w[:k], sv = ids of w[k:]. Row by row
        # per length: su(w) = su(w[:-1]) + [w] and sv(w) = [w] + sv(w[1:]), so each length's
        # rows come from the previous length's by one gather (no slicing of long infixes).
        n_inf = len(self.infixes)
        lengths = np.fromiter((len(w) for w in self.infixes), dtype=np.int64, count=n_inf)
        counts = np.bincount(lengths) if n_inf else np.zeros(1, np.int64)
        self.off = np.zeros(n_inf + 1, dtype=np.int64)
        self.off[1:] = np.cumsum(lengths + 1)
        total = int(self.off[-1])
        self.su = np.empty(total, dtype=np.int64)
        self.sv = np.empty(total, dtype=np.int64)
        self.su[0] = self.sv[0] = 0  # ε = ε ε
        prev_su = prev_sv = np.zeros((1, 1), dtype=np.int64)
        first = 1  # id of the first infix of the current length
        for m in range(1, len(counts)):
            out_of_time()
            c = int(counts[m])
            ids = np.arange(first, first + c, dtype=np.int64)
            words = self.infixes[first:first + c]
            base = first - int(counts[m - 1])  # id of the first infix of length m - 1
            pre = np.fromiter((index[w[:-1]] for w in words), dtype=np.int64, count=c) - base
            suf = np.fromiter((index[w[1:]] for w in words), dtype=np.int64, count=c) - base
            cur_su = np.concatenate([prev_su[pre], ids[:, None]], axis=1)
            cur_sv = np.concatenate([ids[:, None], prev_sv[suf]], axis=1)
            start = int(self.off[first])
            self.su[start:start + c * (m + 1)] = cur_su.reshape(-1)
            self.sv[start:start + c * (m + 1)] = cur_sv.reshape(-1)
            prev_su, prev_sv = cur_su, cur_sv
            first += c
        self.words = (len(self.infixes) + 63) // 64

    def signature(self, accepts) -> np.ndarray:
        sig = np.zeros(self.words, dtype=np.uint64)
        for k, w in enumerate(self.infixes):
            if accepts(w):
                sig[k >> 6] |= np.uint64(1) << np.uint64(k & 63)
        return sig

    def leaf_signature(self, node: Const) -> np.ndarray:
        """The signature of a leaf (a literal: the one infix equal to it; a class: the
        one-character infixes inside it), without walking the whole space."""
        sig = np.zeros(self.words, dtype=np.uint64)
        if node.type == "Lit":
            hits = [self.index[node.value]] if node.value in self.index else []
        elif node.type == "Class":
            hits = []
            for k in range(1, len(self.infixes)):
                w = self.infixes[k]
                if len(w) != 1:
                    break
                if w in node.value:
                    hits.append(k)
        else:
            hits = []
        for k in hits:
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


def leaf_nodes(positive: Sequence[str], costs: RegexCosts = DEFAULT_COSTS) -> list[tuple[Node, int]]:
    """Leaves and their costs: the characters of the positives, the named classes that meet
    them, the class of exactly their characters, ``.``, and literal strings shared by several
    positives (at the cost of spelling them out: a shortcut, not a discount)."""
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
    out: list[tuple[Node, int]] = [(lit(c), costs.char) for c in sorted(keep)]
    if 2 <= len(chars) <= MAX_OWN_CLASS:  # e.g. [01] for binary strings; wider ones overfit
        out.append((Const(CharClass.of(chars), "Class"), costs.own_class))
    for ranges in NAMED_CLASSES:
        cc = CharClass(ranges)
        if any(c in cc for c in chars):
            out.append((Const(cc, "Class"), costs.named_class))
    out.append((Const(CharClass.any(), "Class"), costs.any))
    out.extend((lit(s), costs.literal(len(s))) for s in common_substrings(positive))
    if "" in positive:  # ε: the answer when every positive is empty (no other leaf gives it)
        out.append((lit(""), costs.char))
    return sorted(out, key=lambda nc: nc[1])  # stable: the narrowest class first at one cost


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


#: repeats apply to values of at most this cost (``\d{4}``, ``(\.\d{1,3}){3}``), in AST nodes
#: (times ``RegexCosts.unit``)
MAX_REPEAT_ARG_COST = 4


class RegexEnumerator:
    """Bottom-up enumeration of regex signatures by cost, with a hash set for equivalence."""

    def __init__(self, positive: Sequence[str], negative: Sequence[str], clock: Clock,
                 max_values: int, costs: RegexCosts = DEFAULT_COSTS):
        self.positive, self.negative = list(positive), list(negative)
        mem = clock.budget.max_memory_mb
        # the split tables (16 bytes an entry) may take a quarter of the memory budget
        max_entries = MAX_SPLIT_ENTRIES if mem is None else \
            max(1, min(MAX_SPLIT_ENTRIES, int(mem * 2**20 / 4 / 16)))
        self.space = InfixSpace(self.positive + self.negative, clock, max_entries)  # may raise SpaceTooLarge
        sp = self.space
        self.pos = np.asarray([sp.index[s] for s in self.positive], dtype=np.int64)
        self.neg = np.asarray([sp.index[s] for s in self.negative], dtype=np.int64)
        self.clock = clock
        self.max_values = max_values
        self.table = np.zeros(1 << 16, dtype=np.uint64)
        self.count = 0
        self.levels: dict[int, _Level] = {}
        self.costs = costs
        self.leaves = leaf_nodes(self.positive, costs)
        self.unary = [K.STAR, K.PLUS, K.OPT]
        counts, spreads = repeat_counts(self.positive)
        self.counts = np.asarray(counts, dtype=np.int64)
        self.ranges = np.asarray(spreads, dtype=np.int64).reshape(-1, 2)
        self.solutions: list[tuple[int, int]] = []  # (cost, index)
        self.max_cost_done = 0
        self.stopped_by: str | None = None
        #: split-table entries the kernels walk per second (an upper bound of their work per
        #: call over its time), measured as they run: a call that would end past the deadline
        #: is not started
        self.rates: dict[str, float] = {}

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

    def _affordable(self, kind: str, work: float) -> bool:
        """Whether a kernel call of ``kind`` walking up to ``work`` entries can end by the
        deadline (``_LATE_SLACK`` past it at most); stops the search with "time" when not."""
        if self.clock.deadline is None:
            return True
        rate = self.rates.get(kind, _INITIAL_RATE)
        if time.perf_counter() + work / rate <= self.clock.deadline + _LATE_SLACK:
            return True
        self.stopped_by = "time"
        return False

    def _timed(self, kind: str, work: float, started: float) -> None:
        """Record a kernel call's speed (per kind: their real share of the bound differs)."""
        took = time.perf_counter() - started
        if work >= 1e6 and took > 1e-3:
            measured = work / took
            old = self.rates.get(kind)
            self.rates[kind] = measured if old is None else min(measured, 0.5 * (old + measured))

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
        splits = max(1, sp.su.shape[0])
        # leaves
        for node, c in self.leaves:
            if c != cost:
                continue
            sig = sp.leaf_signature(node)
            self._reserve(1)
            if sig.any() and K.insert_sig(self.table, sig):
                sol = np.asarray([K.is_solution(sig, self.pos, self.neg)])
                self._store(cost, sig[None, :], np.asarray([K.LEAF], dtype=np.int8), [node], sol)
        if stop_at_solution and len(self.solutions) >= want:
            return True
        # unary ops of the values that cost what the op leaves (a star or plus of a compound
        # regex costs ``compound_star`` more than one of a leaf)
        for op in self.unary:
            extra = self.costs.compound_star if op != K.OPT else 0
            for below, leaves_only in ((cost - self.costs.unary(op), True),
                                       (cost - self.costs.unary(op) - extra, False)):
                prev = self.levels.get(below)
                if prev is None or not prev.sigs.shape[0]:
                    continue
                if extra == 0:
                    if not leaves_only:
                        continue  # one pass takes every row
                    rows_of = None
                else:
                    rows_of = np.flatnonzero((prev.kind == K.LEAF) == leaves_only)
                    if not rows_of.size:
                        continue
                sigs = prev.sigs if rows_of is None else prev.sigs[rows_of]
                kinds = prev.kind if rows_of is None else prev.kind[rows_of]
                n = sigs.shape[0]
                step = max(1, min(n, _CHUNK_WORK // (2 * splits)))  # r+ walks the splits twice
                start = 0
                while start < n:
                    if self._out_of_budget():
                        return False
                    stop = min(n, start + step)
                    rows = stop - start
                    work = rows * 2.0 * splits
                    if not self._affordable("unary", work):
                        return False
                    self._reserve(rows)
                    out = np.empty((rows, W), dtype=np.uint64)
                    out_i = np.empty(rows, dtype=np.int64)
                    out_sol = np.empty(rows, dtype=np.bool_)
                    t0 = time.perf_counter()
                    kept = K.expand_unary(op, 0, 0, sigs[start:stop], kinds[start:stop],
                                          sp.off, sp.su, sp.sv, self.table, self.pos, self.neg,
                                          out, out_i, out_sol)
                    self._timed("unary", work, t0)
                    self.clock.candidates += rows
                    if kept:
                        src = out_i[:kept] + start
                        if rows_of is not None:
                            src = rows_of[src]
                        hows = [(op, 0, 0, (below, int(i)), None) for i in src]
                        self._store(cost, out[:kept].copy(), np.full(kept, op, dtype=np.int8), hows,
                                    out_sol[:kept])
                    start = stop
                    if stop_at_solution and len(self.solutions) >= want:
                        return True
        # binary ops: cost = price of the op + c1 + c2
        for c1 in range(1, cost - 1):
            for op in (K.CONCAT, K.UNION):
                c2 = cost - (self.costs.concat if op == K.CONCAT else self.costs.union) - c1
                A, B = self.levels.get(c1), self.levels.get(c2)
                if A is None or B is None or not A.sigs.shape[0] or not B.sigs.shape[0]:
                    continue
                if op == K.UNION and c1 > c2:
                    continue  # union is commutative: one order is enough
                same = op == K.UNION and c1 == c2
                total = A.sigs.shape[0] * B.sigs.shape[0]
                p = 0
                while p < total:
                    if self._out_of_budget():
                        return False
                    chunk = _PAIR_CHUNK if op == K.UNION else max(1, min(_PAIR_CHUNK, _CHUNK_WORK // splits))
                    stop = min(total, p + chunk)
                    cap = stop - p
                    kind = "union" if op == K.UNION else "concat"
                    work = float(cap) * (W if op == K.UNION else splits)
                    if not self._affordable(kind, work):
                        return False
                    self._reserve(cap)
                    out = np.empty((cap, W), dtype=np.uint64)
                    out_i = np.empty(cap, dtype=np.int64)
                    out_j = np.empty(cap, dtype=np.int64)
                    out_sol = np.empty(cap, dtype=np.bool_)
                    t0 = time.perf_counter()
                    kept, nxt = K.expand_binary(op, A.sigs, A.kind, B.sigs, B.kind, same, p, stop,
                                                sp.off, sp.su, sp.sv, self.table, self.pos, self.neg,
                                                out, out_i, out_j, out_sol)
                    self._timed(kind, work, t0)
                    self.clock.candidates += nxt - p
                    p = nxt
                    if kept:
                        hows = [(op, 0, 0, (c1, int(i)), (c2, int(j)))
                                for i, j in zip(out_i[:kept], out_j[:kept])]
                        self._store(cost, out[:kept].copy(), np.full(kept, op, dtype=np.int8),
                                    hows, out_sol[:kept])
                    if stop_at_solution and len(self.solutions) >= want:
                        return True
        # counted repeats r{n} and ranges r{lo,hi}, each at its own price (after the binary
        # ops: at one cost, r r is kept before r{2}, and r r may be starred)
        no_counts = np.zeros(0, dtype=np.int64)
        no_ranges = np.zeros((0, 2), dtype=np.int64)
        top = min(cost - 1, MAX_REPEAT_ARG_COST * self.costs.unit)
        jobs = [(b, np.asarray([c], dtype=np.int64), no_ranges) for b in range(1, top + 1)
                for c in self.counts if b + self.costs.count_price(int(c), b) == cost]
        jobs += [(b, no_counts, np.asarray([[lo, hi]], dtype=np.int64)) for b in range(1, top + 1)
                 for lo, hi in self.ranges if b + self.costs.range_price(int(lo), int(hi), b) == cost]
        for below, counts, ranges in jobs:
            prev = self.levels.get(below)
            if prev is not None and prev.sigs.shape[0] and \
                    below <= MAX_REPEAT_ARG_COST * self.costs.unit and (counts.size or ranges.size):
                n = prev.sigs.shape[0]
                per = counts.size + ranges.shape[0]
                maxn = max(int(counts.max()) if counts.size else 0,
                           int(ranges[:, 1].max()) if ranges.size else 0)
                per_row = splits * (2 * maxn + per)  # powers, optional powers, each count
                start = 0
                while start < n:
                    if self._out_of_budget():
                        return False
                    rows = min(n - start, max(1, _PAIR_CHUNK // per), max(1, _CHUNK_WORK // per_row))
                    cap = rows * per
                    work = float(rows) * per_row
                    if not self._affordable("repeat", work):
                        return False
                    self._reserve(cap)
                    out = np.empty((cap, W), dtype=np.uint64)
                    out_i = np.empty(cap, dtype=np.int64)
                    out_lo = np.empty(cap, dtype=np.int64)
                    out_hi = np.empty(cap, dtype=np.int64)
                    out_sol = np.empty(cap, dtype=np.bool_)
                    t0 = time.perf_counter()
                    kept, done = K.expand_repeats(prev.sigs[start:start + rows], prev.kind[start:start + rows],
                                                  counts, ranges, sp.off, sp.su, sp.sv,
                                                  self.table, self.pos, self.neg, out, out_i,
                                                  out_lo, out_hi, out_sol)
                    self._timed("repeat", work, t0)
                    self.clock.candidates += done * per
                    if kept:
                        hows = [(K.REPEAT, int(lo), int(hi), (below, start + int(i)), None)
                                for i, lo, hi in zip(out_i[:kept], out_lo[:kept], out_hi[:kept])]
                        rkind = K.COUNT if counts.size else K.REPEAT
                        self._store(cost, out[:kept].copy(), np.full(kept, rkind, dtype=np.int8),
                                    hows, out_sol[:kept])
                    start += done
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
    """The distinct positive and negative strings of a regex task (its ``RegexSpec``, checked
    when built; a spec of another kind is read as a regex task's, which names what is wrong)."""
    spec = task.spec
    if not isinstance(spec, RegexSpec):  # a malformed dict, or another kind of task
        spec = RegexSpec.from_fields(spec.to_dict() if isinstance(spec, TaskSpec) else spec,
                                     f"task {task.name!r}: ")
    return list(dict.fromkeys(spec.positive)), list(dict.fromkeys(spec.negative))


class _OutOfTime(Exception):
    pass


def simple_candidates(positive: Sequence[str], clock: Clock, fits) -> Node | None:
    """For examples whose infix space is too large to enumerate: the first of ``L``, ``L+`` and
    ``L*`` over the leaves (characters, classes, ``.``) that ``fits`` (the examples), or None."""
    chars = set("".join(positive))
    leaves = [node for node, _ in leaf_nodes(positive) if not (node.type == "Lit" and len(node.value) != 1)]
    for make in (lambda x: x, lambda x: Apply("plus", (x,)), lambda x: Apply("star", (x,))):
        for leaf in leaves:
            if clock.exceeded() is not None:
                return None
            if leaf.type == "Lit" and any(c != leaf.value for c in chars):
                continue  # a one-character literal cannot cover other characters
            node = make(leaf)
            if fits(node):
                return node
    return None


#: the ranked fits a search hands back (``extra["ranked_fits"]``) for ``solve(top=K)``
MAX_RANKED_SHOWN = 16


def solve_regex(task: Task, domain: Domain, budget: Budget, max_values: int | None = None,
                z3_timeout_ms: int = 5000, runner_up: bool = True, use_fields: bool = True,
                **options: Any) -> SearchOutcome:
    """Strategy ``regex-enum``: a regex that accepts every positive and rejects every negative
    string, verified with Z3. Delimited strings (dates, addresses...) are generalized field by
    field (``synth.search.regex_fields``); otherwise the smallest regex is enumerated. When a
    second fitting regex turns up, Z3 gives a string on which the two disagree.

    Every answer is matched against every example again (``synth.dsl.regex.matcher``, which
    walks the regex itself) before Z3 checks it; all work, the Z3 checks included, stays within
    the time budget."""
    from synth.dsl.regex.matcher import fits_examples
    from synth.dsl.regex.syntax import format_regex, to_python_pattern
    from synth.verify.regex import check_examples, distinguishing_string

    started = time.perf_counter()
    positive, negative = regex_examples(task)
    clock = Clock(budget)
    reference = task.spec.solution
    ref_node = None
    if isinstance(reference, str):  # read before searching: a bad one is a bad task
        from synth.dsl.regex.syntax import parse_regex
        from synth.errors import ProgramSyntaxError

        try:
            ref_node = parse_regex(reference)
        except ProgramSyntaxError as e:
            raise InvalidTask(f"task {task.name!r}: 'solution' is not a regex: {e}") from None

    def out_of_time() -> None:
        if clock.deadline is not None and time.perf_counter() >= clock.deadline:
            raise _OutOfTime()

    def fits(node: Node) -> bool:
        return fits_examples(node, positive, negative, out_of_time)

    rejected = 0  # answers of the search that the re-check turned down (a bug if ever > 0)
    # 1. strings made of delimited fields: generalize field by field
    from synth.search.regex_fields import delimited_candidates

    en = None
    other = None
    node = None
    method = ""
    outcome = SearchOutcome(status="timeout", candidates=0)
    try:
        fielded = [] if not use_fields else delimited_candidates(positive, negative, limit=2,
                                                                  clock=clock)
        good = [f for f in fielded if fits(f)]
        rejected += len(fielded) - len(good)
        if good:
            node = good[0]
            other = good[1] if len(good) > 1 else None
            outcome = SearchOutcome(status="solved", candidates=clock.candidates)
            method = "delimited fields"
        else:
            # 2. bottom-up enumeration by size
            try:
                en = RegexEnumerator(positive, negative, clock, max_values or 0)
            except SpaceTooLarge as e:
                # too long to enumerate: the simplest forms only
                node = simple_candidates(positive, clock, fits)
                if node is None:
                    return SearchOutcome(status="timeout", candidates=clock.candidates,
                                         stopped_by=e.why, seconds=time.perf_counter() - started,
                                         extra={"error": f"{e}; no simple regex (a class, c+ or c*) fits"}
                                         if e.why == "memory" else {})
                outcome = SearchOutcome(status="solved", candidates=clock.candidates)
                method = "simple forms (the examples are too long to enumerate)"
            else:
                if max_values is None:  # the bank may take 40 % of the memory budget
                    mem = budget.max_memory_mb or DEFAULT_MAX_MEMORY_MB
                    en.max_values = int(min(20_000_000, mem * 0.4 * 2**20 / (en.space.words * 8 + 80)))
                max_cost = (budget.max_size or 60) * en.costs.unit
                found: tuple[int, int] | None = None
                checked = 0
                cost = 0
                finished = True
                while found is None and cost < max_cost:
                    cost += 1
                    if not en.run_level(cost, stop_at_solution=True):
                        finished = False
                        break
                    # re-check the new solutions on the examples themselves
                    while found is None and checked < len(en.solutions):
                        cand = en.solutions[checked]
                        if fits(en.node(*cand)):
                            found = cand
                        else:
                            rejected += 1
                            en.solutions.pop(checked)
                            continue
                        checked += 1
                    if found is None and en.max_cost_done < cost:
                        # the level stopped at a solution the re-check turned down: run it on
                        # (values already made are in the table and are not made again)
                        cost -= 1
                outcome = SearchOutcome(status="timeout" if not finished else "exhausted",
                                        candidates=clock.candidates, values=en.count,
                                        max_size_explored=en.max_cost_done, stopped_by=en.stopped_by)
                if found is None:
                    outcome.seconds = time.perf_counter() - started
                    if rejected:
                        outcome.extra["rejected_answers"] = rejected
                    return outcome
                node = en.node(*found)
                method = "enumeration"
    except _OutOfTime:
        return SearchOutcome(status="timeout", candidates=clock.candidates, stopped_by="time",
                             values=en.count if en is not None else 0,
                             max_size_explored=en.max_cost_done if en is not None else 0,
                             seconds=time.perf_counter() - started)
    extra: dict[str, Any] = {"also": {"python re": to_python_pattern(node)}, "method": method}
    if rejected:
        extra["rejected_answers"] = rejected
    # the other fits up to RANK_SLACK above the first one's cost: the answer is the one the
    # ranking (synth.search.regex_rank: cost, and how well each explains the positives among
    # the short strings) puts first, the runner-up gives the distinguishing question
    if runner_up and method == "enumeration":
        from synth.search.regex_rank import rank_fits

        remaining = clock.time_left()
        share = 5.0 if remaining is None else max(0.0, remaining * RANK_SHARE)
        pool: list[tuple[int, Node]] = [(found[0], node)]
        if share > 0.05:
            sub = Clock(Budget(timeout=share, max_candidates=budget.max_candidates,
                               max_memory_mb=budget.max_memory_mb))
            sub.candidates = clock.candidates
            en.clock = sub
            for c in range(found[0], found[0] + RANK_SLACK + 1):
                if not en.run_level(c, stop_at_solution=True, want=MAX_FITS) or \
                        len(en.solutions) >= MAX_FITS:
                    break
            clock.candidates = sub.candidates
            order = sorted(range(len(en.solutions)), key=lambda k: (en.solutions[k][0], k))
            try:
                for k in order:
                    cand = en.solutions[k]
                    if cand == found or cand[0] > found[0] + RANK_SLACK:
                        continue
                    n = en.node(*cand)
                    if fits(n):
                        pool.append((cand[0], n))
                    else:
                        rejected += 1
            except _OutOfTime:
                pass
        if len(pool) > 1 and (clock.deadline is None or time.perf_counter() < clock.deadline):
            ranked = rank_fits(pool, positive, negative, InfixSpace)
            if ranked[0] != 0:
                extra["also"]["cheapest fit"] = format_regex(node)
            node = pool[ranked[0]][1]
            other = pool[ranked[1]][1]
            extra["also"]["python re"] = to_python_pattern(node)
            extra["ranked_fits"] = [format_regex(pool[i][1]) for i in ranked[:MAX_RANKED_SHOWN]]
        extra["fits_ranked"] = len(pool)
    deadline = clock.deadline
    verdict = check_examples(node, positive, negative, z3_timeout_ms, deadline=deadline)
    extra["verified"] = verdict.status
    extra["verification"] = verdict.detail
    if other is not None:
        diff = distinguishing_string(node, other, z3_timeout_ms, deadline=deadline)
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
    if ref_node is not None:  # on request: is the answer the task's own solution?
        from synth.verify.regex import equivalent

        eq = equivalent(node, ref_node, z3_timeout_ms, deadline=deadline)  # all strings, not just printable
        if eq.refuted:
            shown = distinguishing_string(node, ref_node, z3_timeout_ms, deadline=deadline)
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
    else:  # Z3 and the matcher disagree on an example
        outcome.status = "error"
        extra["error"] = f"Z3 refutes the answer: {verdict.detail}"
    return outcome
