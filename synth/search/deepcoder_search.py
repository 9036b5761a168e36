"""Search for DeepCoder programs: bottom-up over values, plus inverted last steps.

A DeepCoder program is straight-line code whose statements apply one op to the inputs and earlier
statements. The search

1. enumerates values bottom-up by the number of op applications (counted as a tree), keeping
   one program per distinct output tuple (one entry per value on all examples) and dropping
   every value ExeDec's range check rejects;
2. before that, inverts the target through the unary steps that have a unique inverse (Map by
   ``(+1) (-1) (*2) (*(-1)) (*3) (*4)``, Reverse, Scanl1 by ``(+) (-) (*)``), up to two steps, so a
   value that reaches one of those subgoals is a solution one or two statements early;
3. tries ``ZipWith`` as the last statement as soon as values arrive (every few new lists and
   after each part of a level), each value once: for ``g`` in ``(+) (-) (*)`` a value and the
   target determine the other argument, which is looked up among the values; for ``(max)`` and
   ``(min)`` both arguments are bounded by the target element by element, and bounded values
   are paired through bit masks of the positions where they equal it;
4. counts a two-argument op over a value and one of its own subprograms (``ZipWith g x1 x3``
   where x3 is computed from x1) as one statement more than that value, not as the sum of the
   two trees, so such shared programs are reached as early as their length says (these come
   right after a level's one-argument ops, before the other pairs).

The kernels run the lambdas as C-level callables, and a level's loops count candidates in
blocks.

The found tree becomes statements by merging equal subtrees, so a value used twice is computed
once. ``Statement``s use the domain's reference ops: the fast kernels below are only used inside
the search, and every program found is re-run with the reference interpreter.
"""
from __future__ import annotations

import operator
from itertools import accumulate, filterfalse
from typing import Any, Callable

from synth.dsl.base import Const, Domain, Var
from synth.dsl.deepcoder import Ref, Statement, program_node
from synth.dsl.deepcoder.ops import (FN1, FN2, LAMBDA_BY_TEXT, MAX_INT, MAX_VARIABLES, MIN_INT,
                                     PRED)
from synth.search import release
from synth.search.contract import BudgetExceeded, SearchOutcome
from synth.search.budget import Budget, Clock
from synth.task import Task

#: a search node: ("in", name) for an input, or (op, lambda text or None, child nodes...)
Node = tuple


def _ok_list(r: tuple):
    if r and (min(r) < MIN_INT or max(r) > MAX_INT):
        return None
    return r


def _ok_int(v):
    return v if MIN_INT <= v <= MAX_INT else None


# ----------------------------------------------------------------------- kernels on tuples
# Each kernel takes one example's argument values (lists as tuples) and returns the result or
# None, exactly like the checked reference op in synth.dsl.deepcoder.ops (``OPS[name].fn``; the
# lambdas' ``Lambda.python``): hand copies for speed, checked against the reference on random
# values by tests/test_search_op_copies.py (test_deepcoder_kernels_are_the_checked_reference_ops,
# test_every_deepcoder_op_and_lambda_has_a_kernel) and tests/test_deepcoder_search.py
# (test_kernels_agree_with_reference; the inverses below: test_inverses_are_exact,
# test_zip_inverses_are_exact). Change a kernel and its reference together.
# The lambdas run as C-level callables (``_C_FN1``...: ``(1).__add__`` is ``x + 1``, ``(2).__rfloordiv__``
# is ``x // 2``), so a kernel's loop over the elements runs inside ``map``/``filter``/``accumulate``
# without a Python frame per element; results that cannot leave the range skip the range check
# (an argument's elements are in range: ``x // k``, ``-x``, ``min``, ``max`` keep them there).

def _k_head(xs):
    return xs[0] if xs else None


def _k_last(xs):
    return xs[-1] if xs else None


def _k_min(xs):
    return min(xs) if xs else None


def _k_max(xs):
    return max(xs) if xs else None


def _k_sum(xs):
    return _ok_int(sum(xs))


def _k_reverse(xs):
    return xs[::-1]


def _k_sort(xs):
    return tuple(sorted(xs))


def _k_take(n, xs):
    return xs[:n]


def _k_drop(n, xs):
    return xs[n:]


def _k_access(n, xs):
    return xs[n] if 0 <= n < len(xs) else None


#: Fn1 lambda text -> (a C-level callable computing it, whether its result may leave the range)
_C_FN1: dict[str, tuple[Callable, bool]] = {
    "(+1)": ((1).__add__, True), "(-1)": ((-1).__add__, True), "(*2)": ((2).__mul__, True),
    "(/2)": ((2).__rfloordiv__, False), "(*(-1))": (operator.neg, False),
    "(**2)": ((2).__rpow__, True), "(*3)": ((3).__mul__, True), "(/3)": ((3).__rfloordiv__, False),
    "(*4)": ((4).__mul__, True), "(/4)": ((4).__rfloordiv__, False),
}
#: Pred lambda text -> (a C-level callable, whether the predicate is its truth or its falsehood):
#: ``(0).__lt__(x)`` is ``x > 0``; ``(2).__rmod__(x)`` is ``x % 2``, true exactly when odd
_C_PRED: dict[str, tuple[Callable, bool]] = {
    "(>0)": ((0).__lt__, True), "(<0)": ((0).__gt__, True),
    "(%2==0)": ((2).__rmod__, False), "(%2==1)": ((2).__rmod__, True),
}
#: Fn2 lambda text -> (a C-level callable, whether its result may leave the range)
_C_FN2: dict[str, tuple[Callable, bool]] = {
    "(+)": (operator.add, True), "(-)": (operator.sub, True), "(*)": (operator.mul, True),
    "(min)": (min, False), "(max)": (max, False),
}


def _map_kernel(f):
    fn, check = _C_FN1[f.text]
    if not check:
        return lambda xs: tuple(map(fn, xs))

    def k(xs):
        r = tuple(map(fn, xs))
        return None if r and (min(r) < MIN_INT or max(r) > MAX_INT) else r
    return k


def _filter_kernel(p):
    fn, truth = _C_PRED[p.text]
    if truth:
        return lambda xs: tuple(filter(fn, xs))
    return lambda xs: tuple(filterfalse(fn, xs))


def _count_kernel(p):
    fn, truth = _C_PRED[p.text]
    if truth:
        return lambda xs: sum(map(fn, xs))  # bools or x % 2 (0 or 1): their sum counts
    return lambda xs: len(xs) - sum(map(fn, xs))


def _scanl1_kernel(g):
    fn, check = _C_FN2[g.text]
    if not check:
        return lambda xs: tuple(accumulate(xs, fn))

    def k(xs):
        # every running value is a result: one out of range fails the op (the reference stops
        # at it; a later value cannot bring it back)
        r = tuple(accumulate(xs, fn))
        return None if r and (min(r) < MIN_INT or max(r) > MAX_INT) else r
    return k


def _zip_kernel(g):
    fn, check = _C_FN2[g.text]
    if not check:
        return lambda xs, ys: tuple(map(fn, xs, ys))

    def k(xs, ys):
        r = tuple(map(fn, xs, ys))
        return None if r and (min(r) < MIN_INT or max(r) > MAX_INT) else r
    return k


#: unary kernels over one list: (op, lambda text or None, result type, kernel)
LIST_UNARY: list[tuple[str, str | None, str, Callable]] = [
    ("Head", None, "Int", _k_head), ("Last", None, "Int", _k_last),
    ("Minimum", None, "Int", _k_min), ("Maximum", None, "Int", _k_max),
    ("Sum", None, "Int", _k_sum), ("Reverse", None, "List", _k_reverse),
    ("Sort", None, "List", _k_sort),
]
LIST_UNARY += [("Map", f.text, "List", _map_kernel(f)) for f in FN1]
LIST_UNARY += [("Filter", p.text, "List", _filter_kernel(p)) for p in PRED]
LIST_UNARY += [("Count", p.text, "Int", _count_kernel(p)) for p in PRED]
LIST_UNARY += [("Scanl1", g.text, "List", _scanl1_kernel(g)) for g in FN2]
#: (Int, List) kernels
INT_LIST: list[tuple[str, str, Callable]] = [("Take", "List", _k_take), ("Drop", "List", _k_drop),
                                             ("Access", "Int", _k_access)]
#: ZipWith kernels: (lambda text, commutative, kernel)
ZIPS: list[tuple[str, bool, Callable]] = [(g.text, g.text in ("(+)", "(*)", "(min)", "(max)"),
                                           _zip_kernel(g)) for g in FN2]


# --------------------------------------------------------------- unique inverses of one step

def _inv_map(f_inv):
    def inv(ys):
        out = []
        for y in ys:
            x = f_inv(y)
            if x is None or x < MIN_INT or x > MAX_INT:
                return None
            out.append(x)
        return tuple(out)
    return inv


def _exact_div(k):
    return lambda y: y // k if y % k == 0 else None


def _inv_scan_plus(ys):
    return _ok_list(tuple(y if i == 0 else y - ys[i - 1] for i, y in enumerate(ys)))


def _inv_scan_minus(ys):
    return _ok_list(tuple(y if i == 0 else ys[i - 1] - y for i, y in enumerate(ys)))


def _inv_scan_times(ys):
    out = []
    for i, y in enumerate(ys):
        if i == 0:
            out.append(y)
        elif ys[i - 1] == 0 or y % ys[i - 1]:
            return None  # 0 * x is 0 for every x: not unique
        else:
            out.append(y // ys[i - 1])
    return _ok_list(tuple(out))


#: (op, lambda, inverse on one example's list or None)
LIST_INVERSES: list[tuple[str, str | None, Callable]] = [
    ("Map", "(+1)", _inv_map(lambda y: y - 1)), ("Map", "(-1)", _inv_map(lambda y: y + 1)),
    ("Map", "(*2)", _inv_map(_exact_div(2))), ("Map", "(*(-1))", _inv_map(lambda y: -y)),
    ("Map", "(*3)", _inv_map(_exact_div(3))), ("Map", "(*4)", _inv_map(_exact_div(4))),
    ("Reverse", None, lambda ys: ys[::-1]),
    ("Scanl1", "(+)", _inv_scan_plus), ("Scanl1", "(-)", _inv_scan_minus),
    ("Scanl1", "(*)", _inv_scan_times),
]
#: ZipWith g xs ys = t  =>  ys = inverse(t, xs), when len(xs) == len(t)
ZIP_INVERSES: list[tuple[str, Callable]] = [
    ("(+)", lambda t, x: t - x), ("(-)", lambda t, x: x - t),
    ("(*)", lambda t, x: (t // x if t % x == 0 else None) if x != 0 else None),
]


#: ``ValueSearch`` tries ZipWith as the last statement after this many new list values (and
#: after each part of a level), so such a program is found soon after its arguments are
LAST_STEPS_EVERY = 64


class _Found(Exception):
    def __init__(self, node: Node):
        self.node = node


class ValueSearch:
    """One bottom-up search; ``inputs`` maps each input name to its values on the examples."""

    def __init__(self, inputs: dict[str, tuple], target: tuple, clock: Clock, max_level: int = 10,
                 ops: frozenset[str] | None = None):
        self.clock = clock
        ok = (lambda name: True) if ops is None else (lambda name: name in ops)
        #: the kernels and inverses of the allowed ops (all by default)
        self.list_unary = [k for k in LIST_UNARY if ok(k[0])]
        self.int_list = [k for k in INT_LIST if ok(k[0])]
        self.zips = ZIPS if ok("ZipWith") else []
        self.zip_inverses = ZIP_INVERSES if ok("ZipWith") else []
        self.list_inverses = [k for k in LIST_INVERSES if ok(k[0])]
        #: the one-list ops to an Int (``_int_last``): (op, lambda, kernel)
        self.int_unary = [(op, lam, fn) for op, lam, rtype, fn in self.list_unary if rtype == "Int"]
        #: ``_min_max``: (lambda, how an argument's elements compare with the target's)
        self.min_max = [("(max)", operator.le), ("(min)", operator.ge)] if ok("ZipWith") else []
        #: lambda -> the mask of every bounded value seen -> the first value with it
        self._bounded: dict[str, dict[int, tuple]] = {lam: {} for lam, _ in self.min_max}
        self._last_seen: list[int] = []  # per level, how many of its lists last_steps has seen
        self._unseen = 0  # lists added since
        self.target = target
        self.n = len(target)
        self.max_level = max_level
        self.ints: list[list[tuple]] = [[]]
        self.lists: list[list[tuple]] = [[]]
        self.node: dict[tuple, Node] = {}
        #: id of a kept node -> its value (to reuse a program's own subprograms)
        self.vals_of: dict[int, tuple] = {}
        self._ticks = 0
        #: subgoal value -> the ops (outermost last) that turn it into the target
        self.goals: dict[tuple, list[tuple[str, str | None]]] = {target: []}
        self.target_is_list = type(target[0]) is tuple
        self.level = 0
        self.inputs = inputs
        #: the example with the longest target list, and every list value on it (``_zip_last``
        #: and ``_min_max`` check a value there first: the longer, the fewer values pass)
        self._key = max(range(len(target)), key=lambda e: len(target[e])) if self.target_is_list else 0
        self._first0: set[tuple] = set()

    # -- bank ------------------------------------------------------------------------------
    def _tick(self) -> None:
        self._ticks += 1
        if self._ticks >= 512:
            self.clock.candidates += self._ticks
            self._ticks = 0
            if self.clock.exceeded():
                raise BudgetExceeded

    def _count(self, n: int) -> None:
        """``n`` candidates at once (``_tick`` n times, checking the clock once)."""
        self._ticks += n
        if self._ticks >= 512:
            self.clock.candidates += self._ticks
            self._ticks = 0
            if self.clock.exceeded():
                raise BudgetExceeded

    def _add(self, level: int, vals: tuple, node: Node, is_list: bool) -> None:
        if vals in self.node:
            return
        self.node[vals] = node
        self.vals_of[id(node)] = vals
        bank = self.lists if is_list else self.ints
        while len(bank) <= level:
            bank.append([])
        bank[level].append(vals)
        if is_list:
            self._first0.add(vals[self._key])
        chain = self.goals.get(vals)
        if chain is not None:
            for op, lam in chain:
                node = (op, lam, node)
            self._found(node)
        if is_list:  # every few new lists, try them as an argument of a last ZipWith
            self._unseen += 1
            if self._unseen >= LAST_STEPS_EVERY:
                self.last_steps()

    def _found(self, node: Node) -> None:
        """Stop with ``node`` unless its program needs more statements than the variable limit
        allows (then the search goes on for another one)."""
        if statement_count(node) <= self.max_level:
            raise _Found(node)

    # -- subgoals by inverting the last steps -------------------------------------------------
    def invert_target(self, depth: int = 2) -> None:
        if not self.target_is_list:
            return
        frontier = [self.target]
        for _ in range(depth):
            nxt = []
            for goal in frontier:
                for op, lam, inv in self.list_inverses:
                    pre = tuple(inv(ys) for ys in goal)
                    if any(p is None for p in pre) or pre in self.goals:
                        continue
                    self.goals[pre] = [(op, lam)] + self.goals[goal]
                    nxt.append(pre)
            frontier = nxt

    # -- one level -----------------------------------------------------------------------------
    def level_up(self) -> None:
        """Every value whose tree has exactly ``self.level + 1`` op applications."""
        k = self.level + 1
        add, count, node = self._add, self._count, self.node
        lists_prev = self.lists[k - 1] if k - 1 < len(self.lists) else []
        unary = [(op, lam, fn, rtype == "List") for op, lam, rtype, fn in self.list_unary]
        for vals in lists_prev:
            nd = node[vals]
            count(len(unary))
            for op, lam, fn, is_list in unary:
                out = tuple(map(fn, vals))
                if None in out or out in node:
                    continue
                add(k, out, (op, lam, nd), is_list)
        self.last_steps()
        # a two-argument op over a value and its own subprogram, before the other pairs: such
        # a value then keeps the program with fewer statements
        self.reuse(k)
        self.last_steps()
        int_list = [(op, fn, rtype == "List") for op, rtype, fn in self.int_list]
        every = [(lam, fn) for lam, _comm, fn in self.zips]
        ordered = [(lam, fn) for lam, comm, fn in self.zips if not comm]  # (x, y) and (y, x) differ
        # (Int, List) ops and ZipWith over every split of the remaining k - 1 applications
        for a in range(k):
            b = k - 1 - a
            ints_a = self.ints[a] if a < len(self.ints) else []
            lists_b = self.lists[b] if b < len(self.lists) else []
            for iv in ints_a:
                ind = node[iv]
                count(len(int_list) * len(lists_b))
                for lv in lists_b:
                    lnd = None
                    for op, fn, is_list in int_list:
                        out = tuple(map(fn, iv, lv))
                        if None in out or out in node:
                            continue
                        lnd = lnd or node[lv]
                        add(k, out, (op, None, ind, lnd), is_list)
            lists_a = self.lists[a] if a < len(self.lists) else []
            for i, xv in enumerate(lists_a):
                xnd = node[xv]
                # a commutative lambda over (x, y) is tried once: with x from the lower level,
                # or from the same level and not after y
                if a > b:
                    rows = ((lists_b, ordered),)
                elif a < b:
                    rows = ((lists_b, every),)
                else:
                    rows = ((lists_b[:i], ordered), (lists_b[i:], every))
                for ys, zips in rows:
                    count(len(ys) * len(zips))
                    for yv in ys:
                        for lam, fn in zips:
                            out = tuple(map(fn, xv, yv))
                            if None in out or out in node:
                                continue
                            add(k, out, ("ZipWith", lam, xnd, node[yv]), True)
            self.last_steps()
        self.level = k

    def reuse(self, k: int) -> None:
        """Two-argument ops whose arguments are a value of level ``k - 1`` and one of its own
        subprograms: the pair needs no new statements beyond that value's, so the result is a
        program of ``k`` statements (the tree count would say more)."""
        add, count, vals_of, node = self._add, self._count, self.vals_of, self.node
        zips = self.zips
        n_zip = sum(1 if comm else 2 for _lam, comm, _fn in zips)
        int_list = [(op, fn, rtype == "List") for op, rtype, fn in self.int_list]
        prev = [(v, True) for v in (self.lists[k - 1] if k - 1 < len(self.lists) else [])]
        prev += [(v, False) for v in (self.ints[k - 1] if k - 1 < len(self.ints) else [])]
        for bv, b_is_list in prev:
            bnd = node[bv]
            seen = set()
            stack = list(bnd[2:])
            while stack:
                sub = stack.pop()
                if sub[0] == "in" or id(sub) in seen:
                    continue
                seen.add(id(sub))
                stack.extend(sub[2:])
                av = vals_of[id(sub)]
                a_is_list = type(av[0]) is tuple
                if a_is_list and b_is_list:
                    count(n_zip)
                    for lam, comm, fn in zips:  # (sub, value), then (value, sub) unless commutative
                        out = tuple(map(fn, av, bv))
                        if None not in out and out not in node:
                            add(k, out, ("ZipWith", lam, sub, bnd), True)
                        if not comm:
                            out = tuple(map(fn, bv, av))
                            if None not in out and out not in node:
                                add(k, out, ("ZipWith", lam, bnd, sub), True)
                elif a_is_list != b_is_list:
                    iv, lv, inn, lnn = (bv, av, bnd, sub) if a_is_list else (av, bv, sub, bnd)
                    count(len(int_list))
                    for op, fn, is_list in int_list:
                        out = tuple(map(fn, iv, lv))
                        if None not in out and out not in node:
                            add(k, out, (op, None, inn, lnn), is_list)

    def last_steps(self) -> None:
        """ZipWith as the last statement, tried on the list values added since the last call
        (the level loop calls it after each part of a level, so a program ending in ZipWith is
        found as soon as both its arguments are known, not a level later):

        * by ``(+) (-) (*)``: the target and one argument determine the other, which is looked
          up, for a new value as the first argument and as the second (``_zip_last``);
        * by ``(max) (min)``: see ``_min_max``.

        For an Int target, instead the ops from a list to an int (Head, Last, Minimum,
        Maximum, Sum, Count) as the last statement, on each new list value (``_int_last``): a
        program whose last op reads one list is then found as soon as that list is known, not
        after the rest of its level."""
        lists, seen = self.lists, self._last_seen
        self._unseen = 0
        while len(seen) < len(lists):
            seen.append(0)
        for level, vals in enumerate(lists):
            if seen[level] == len(vals):
                continue
            new = vals[seen[level]:]
            seen[level] = len(vals)
            if self.target_is_list:
                self._zip_last(new)
                self._min_max(new)
            else:
                self._int_last(new)

    def _int_last(self, new: list[tuple]) -> None:
        """A one-list op giving the Int target on a new value: each op is checked on the first
        example (cheap) and then run on all."""
        t, node, tick = self.target, self.node, self._tick
        t0 = t[0]
        for v in new:
            tick()
            x = v[0]
            for op, lam, fn in self.int_unary:
                r = fn(x)
                if r is None or r != t0:
                    continue
                if tuple(map(fn, v)) == t:
                    self._found((op, lam, node[v]))

    def _zip_last(self, new: list[tuple]) -> None:
        """``ZipWith g x y = t`` for g in ``(+) (-) (*)`` with a new value as x or y (as long as
        t on every example): the other argument is computed element by element and looked up
        (a value out of range is never there). ``(+)`` and ``(*)`` are commutative, so one
        direction covers both: ``y = t - v`` and ``y = t / v``; ``(-)`` needs ``y = v - t``
        and ``x = t + v``. The other argument is first computed on one example (``_key``) and
        looked up among the list values there (``_first0``); only a hit is computed on all
        examples."""
        t, node, tick, first0 = self.target, self.node, self._tick, self._first0
        sub, add, mod, floordiv = operator.sub, operator.add, operator.mod, operator.floordiv
        lams = {lam for lam, _inv in self.zip_inverses}
        plus, minus, times = "(+)" in lams, "(-)" in lams, "(*)" in lams
        t0 = t[self._key]
        n0 = len(t0)
        for v in new:
            tick()
            x0 = v[self._key]
            if len(x0) != n0:
                continue
            tries = []  # (lambda, the op giving the other argument, whether v is the first)
            if plus and tuple(map(sub, t0, x0)) in first0:
                tries.append(("(+)", lambda ty, x: map(sub, ty, x), True))
            if minus:
                if tuple(map(sub, x0, t0)) in first0:
                    tries.append(("(-)", lambda ty, x: map(sub, x, ty), True))
                if tuple(map(add, t0, x0)) in first0:
                    tries.append(("(-)", lambda ty, y: map(add, ty, y), False))
            if times and 0 not in x0 and not any(map(mod, t0, x0)) and \
                    tuple(map(floordiv, t0, x0)) in first0:
                if not any(0 in x for x in v) and not any(any(map(mod, ty, x)) for ty, x in zip(t, v)):
                    tries.append(("(*)", lambda ty, x: map(floordiv, ty, x), True))
            if not tries or any(len(x) != len(ty) for x, ty in zip(v, t)):
                continue
            for lam, other, v_first in tries:
                wv = tuple([tuple(other(ty, x)) for ty, x in zip(t, v)])
                if wv in node:
                    xv, yv = (v, wv) if v_first else (wv, v)
                    self._found(("ZipWith", lam, node[xv], node[yv]))

    def _min_max(self, new: list[tuple]) -> None:
        """ZipWith by ``(max)`` or ``(min)`` as the last statement. Neither has an inverse, but
        both arguments of ``ZipWith (max) x y = t`` are at most t element by element and at
        least as long, on every example ("bounded"), and then the pair gives t exactly when at
        every position of t one of them equals it and, on every example, one of them is as long
        as t. So a bounded value is summed up by a bit mask (a bit per position of t where it
        equals t, a bit per example where it is as long), and two values fit when their masks
        cover every bit. Each new value is paired with the masks of all bounded values so far."""
        t = self.target
        tick, node = self._tick, self.node
        full = (1 << (sum(map(len, t)) + len(t))) - 1
        t0 = t[self._key]
        n0 = len(t0)
        for lam, cmp in self.min_max:
            masks = self._bounded[lam]
            for xv in new:
                tick()
                x0 = xv[self._key]
                if len(x0) < n0 or not all(map(cmp, x0, t0)):  # one example, quickly
                    continue
                mask, bit = 0, 1
                for x, ty in zip(xv, t):
                    n = len(ty)
                    if len(x) < n or not all(map(cmp, x, ty)):
                        break
                    if len(x) == n:
                        mask |= bit
                    bit <<= 1
                    for a, b in zip(x, ty):
                        if a == b:
                            mask |= bit
                        bit <<= 1
                else:
                    if mask in masks:
                        continue
                    need = full & ~mask
                    for m, yv in masks.items():
                        if m & need == need:
                            self._found(("ZipWith", lam, node[yv], node[xv]))
                    masks[mask] = xv

    def identity(self) -> Node | None:
        """A program for a target that is one of the inputs (a program needs a statement):
        one op that leaves it unchanged, or Reverse twice."""
        name = next(n for n, v in self.inputs.items() if v == self.target)
        arg = ("in", name)
        if self.target_is_list:
            for op, lam, _rtype, fn in self.list_unary:
                if tuple(map(fn, self.target)) == self.target:
                    return (op, lam, arg)
            reverse = [k for k in self.list_unary if k[0] == "Reverse"]
            return ("Reverse", None, ("Reverse", None, arg)) if reverse else None
        for lname, lv in self.inputs.items():
            if type(lv[0]) is tuple:
                for op, lam, _rtype, fn in self.list_unary:
                    if tuple(map(fn, lv)) == self.target:
                        return (op, lam, ("in", lname))
        return None

    def run(self) -> tuple[str, Node | None, str | None]:
        try:
            self.invert_target()
            if self.target in self.inputs.values():
                node = self.identity()
                return ("solved", node, None) if node else ("exhausted", None, None)
            for name, vals in self.inputs.items():
                self._add(0, vals, ("in", name), is_list=type(vals[0]) is tuple)
            last_nonempty = 0
            while self.level < self.max_level:
                if self.level > 2 * last_nonempty:
                    return "exhausted", None, None  # no op can reach a bigger tree
                before = len(self.node)
                self.level_up()
                if len(self.node) > before:
                    last_nonempty = self.level
                self.last_steps()
            return "exhausted", None, None
        except _Found as f:
            return "solved", f.node, None
        except BudgetExceeded:
            return "timeout", None, self.clock.exceeded() or "time"
        finally:
            self.clock.candidates += self._ticks
            self._ticks = 0


def statement_count(node: Node) -> int:
    """How many statements a search tree becomes (one per distinct subtree that is not an input)."""
    seen: set = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if n[0] == "in" or n in seen:
            continue
        seen.add(n)
        stack.extend(n[2:])
    return len(seen)


def to_program(node: Node, inputs: dict[str, str]) -> Any:
    """Statements computing a search tree, one per distinct subtree, in dependency order."""
    names: dict[Node, str] = {}
    types: dict[str, str] = dict(inputs)
    statements: list[Statement] = []
    used = set(inputs)
    counter = [len(inputs)]

    def fresh() -> str:
        while f"x{counter[0]}" in used:
            counter[0] += 1
        name = f"x{counter[0]}"
        used.add(name)
        return name

    def visit(n: Node) -> str:
        if n[0] == "in":
            return n[1]
        if n in names:
            return names[n]
        op, lam, *kids = n
        args = [visit(k) for k in kids]
        name = fresh()
        parts: list[Any] = []
        if lam is not None:
            parts.append(Const(LAMBDA_BY_TEXT[lam], LAMBDA_BY_TEXT[lam].kind))
        parts += [Ref(a, types[a]) for a in args]
        rtype = "Int" if op in ("Head", "Last", "Minimum", "Maximum", "Sum", "Count", "Access") else "List"
        types[name] = rtype
        statements.append(Statement(op, tuple(parts), name, rtype))
        names[n] = name
        return name

    visit(node)
    return program_node([Var(n, t) for n, t in inputs.items()], statements)


def solve_deepcoder(task: Task, domain: Domain, budget: Budget, **options: Any) -> SearchOutcome:
    """The ``deepcoder-bottom-up`` strategy."""
    domain.check_task(task)
    clock = Clock(budget)
    names = task.input_names
    inputs = {n: tuple(_freeze(e.inputs[n]) for e in task.examples) for n in names}
    target = tuple(_freeze(e.output) for e in task.examples)
    in_types = {n: domain.type_of(task.examples[0].inputs[n]) for n in names}
    ops = None if task.ops is None else frozenset(op.name for op in domain.resolve_ops(task.ops))
    search = ValueSearch(inputs, target, clock,
                         max_level=min(budget.max_size or 10, MAX_VARIABLES - len(names)), ops=ops)
    release.hold(search)  # freed by the next solve, not inside this one's budget
    status, node, stopped = search.run()
    program = None
    if node is not None:
        program = to_program(node, in_types)
    return SearchOutcome(status=status, node=program, candidates=clock.candidates,
                         values=len(search.node), max_size_explored=search.level,
                         seconds=clock.elapsed(), stopped_by=stopped,
                         extra={"level": search.level})


def _freeze(v):
    return tuple(v) if isinstance(v, list) else v
