"""``CompiledBottomUpSearch``: ``BottomUpSearch`` with numba kernels on the hot path.

It is a subclass that replaces only how a cost level is enumerated (``_level``) and how leaves
enter the bank (``_leaves``); the level loop, the budgets and every shortcut's logic are the
parent's. Evaluation, functional hashing, deduplication and the shortcuts' per-value filters run
in compiled code, a whole block of argument tuples per call, over ``ValueBank`` arrays. The
kernels report the few values a shortcut must see as events, which are replayed through the
parent's methods in the order ``BottomUpSearch._add`` would have made them, with the candidate
count of that moment. So both engines enumerate in the same order, keep the same values, count
the same candidates and return the same program.

A production without a kernel is evaluated tuple by tuple with its reference function and feeds
the same banks. A grammar the banks cannot serve (unit rules, values the layout cannot hold)
is searched by the parent's own methods (``engine`` then says ``"python"`` and
``fallback_reason`` why).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from synth import deadline
from synth.dsl.base import ERROR, Domain, Node, ValueLimits, node_size
from synth.search import bottom_up as _B
from synth.search.bottom_up import BottomUpSearch, SearchOutcome, compositions
from synth.search.budget import Clock
from synth.search.compiled import protocol as Q
from synth.search.grammar import SearchGrammar

#: argument tuples per kernel call, in the Python engine's chunks (``BottomUpSearch.chunk``), so
#: that every budget check falls on the same candidate count in both engines
BLOCK_CHUNKS = 64


def kernels_for(domain: Domain):
    """The domain's kernel module (``synth.search.compiled.kernels.KERNELS``), or None (no
    kernels, or numba missing)."""
    from synth.search.compiled.kernels import kernel_module

    return kernel_module(domain.name)


def _kernel_of(domain: Domain, K, grammar: SearchGrammar, p) -> int | None:
    """The kernel code of a production: only a plain op application whose function is the op's
    reference function and whose nonterminal types are the op's signature."""
    op = domain.ops.get(p.op)
    # a production may wrap the reference function (``fn.reference``), e.g. to make values hashable
    if op is None or p.build is not None or op.fn is not getattr(p.fn, "reference", p.fn):
        return None
    types = grammar.nonterminals
    if tuple(types[a] for a in p.args) != tuple(op.arg_types) or types[p.result] != op.ret_type:
        return None
    return K.kernel_code(op)


def unsupported_reason(domain: Domain, grammar: SearchGrammar, limits: ValueLimits = ValueLimits(),
                       need_all_kernels: bool = False) -> str | None:
    """Why the compiled engine cannot search this grammar (None: it can). With
    ``need_all_kernels``, a production without a kernel is a reason too."""
    K = kernels_for(domain)
    if K is None:
        return f"domain {domain.name!r} has no compiled kernels (or numba is missing)"
    from synth.search.compiled.table import SCALAR, SEQ

    if grammar.units:
        return "the grammar has unit rules"
    types = grammar.nonterminals
    for nt, type_ in types.items():
        if type_ not in K.KINDS:
            return f"type {type_!r} has no compiled layout"
        if K.value_caps(type_, limits) is None:
            return f"the caps of type {type_!r} exceed the compiled layout"
    start = grammar.start
    for p in grammar.productions:
        if p.cost < 1 or len(p.args) > 4:
            return f"production {p.op} has cost {p.cost} or arity {len(p.args)}"
        if need_all_kernels and _kernel_of(domain, K, grammar, p) is None:
            return f"production {p.op} has no kernel"
        if p.concat and len(p.args) == 2 and (p.result == start or p.args[0] == p.args[1] == p.result):
            if p.result != start or p.args != (start, start) or K.KINDS.get(types[start]) != SEQ:
                return "a concatenation production over other nonterminals"
        if p.cond and p.result == start and len(p.args) == 3:
            test, then, else_ = p.args
            if types[then] != types[start] or types[else_] != types[start]:
                return "a conditional production whose branches are not of the start type"
            if K.KINDS.get(types[test]) != SCALAR or K.decode(types[test], 1) is not True:
                return "a conditional production whose test is not a bool"
    return None


class _Unsupported(Exception):
    pass


_DONE = 0
_SOLVED = 2
_OUT_OF_TIME = 3  # a full bank whose growth would end past the deadline
#: values a bank has room for before its hash table first grows (and its arrays, where address
#: space cannot be reserved)
_FIRST_CAPACITY = 1 << 17


class CompiledBottomUpSearch(BottomUpSearch):
    """Same constructor and ``run() -> SearchOutcome`` contract as ``BottomUpSearch``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.engine = "python"
        self.fallback_reason = unsupported_reason(self.domain, self.grammar, self.limits)
        self.kernels_were_compiled = False
        self._grow_rate: float | None = None  # seconds per value of the last bank growth
        if self.fallback_reason is None:
            try:
                self._setup()
                self.engine = "compiled"
            except _Unsupported as e:
                self.fallback_reason = str(e)
        if self.kernels_were_compiled:
            # a first compilation (tens of seconds, once; only with engine="compiled", as
            # "auto" compiles in the background) is not search time; loading the compiled
            # kernels (about a second) is: the parent's clock has been running
            deadline.postpone(self._compile_seconds)
            self.clock = Clock(self.budget)

    # ------------------------------------------------------------------------------------
    def _setup(self) -> None:
        from synth.search.compiled import memory, warmup
        from synth.search.compiled import table as T
        from synth.search.compiled.valuebank import ValueBank, target_bank

        g, D = self.grammar, self.domain
        K = kernels_for(D)
        self.K, self.T = K, T
        E = len(self.inputs)
        self.E = E
        self.nts = list(g.nonterminals)
        start = g.start
        if any(nt != start for nt in self._decomposers):
            raise _Unsupported("the concatenation decomposition runs on another nonterminal")
        start_type = g.nonterminals[start]
        enc = [K.encode(start_type, v) for v in self.target]
        if any(x is None for x in enc):
            raise _Unsupported("the target outputs do not fit the start nonterminal's layout")
        self._leaf_vals = []
        for leaf in g.leaves:
            if deadline.expired():  # thousands of leaves on thousands of examples take seconds
                raise _Unsupported("the time budget ran out while the leaves were encoded")
            vals = self.leaf_values(leaf.node)
            if ERROR not in vals:
                t = g.nonterminals[leaf.result]
                if any(K.encode(t, v) is None for v in vals):
                    raise _Unsupported(f"leaf {leaf.node} has values the compiled layout cannot hold")
            self._leaf_vals.append(vals)
        # the sequence element type: the domain's narrowest that holds every leaf and target
        seq_values = [v for leaf, vals in zip(g.leaves, self._leaf_vals) if ERROR not in vals
                      and K.KINDS[g.nonterminals[leaf.result]] == T.SEQ for v in vals]
        if K.KINDS[start_type] == T.SEQ:
            seq_values += list(self.target)
        dtype = K.element_dtype(seq_values)
        self.dtype = dtype
        spent = warmup.ensure_kernels(K, dtype)  # 0 when this process has them already
        self.kernels_were_compiled = spent > 0 and not warmup.was_warm.get(f"{K.__name__}:{np.dtype(dtype).name}", True)
        self._compile_seconds = spent if self.kernels_were_compiled else 0.0
        self.kinds = {nt: K.KINDS[t] for nt, t in g.nonterminals.items()}
        self.caps = {nt: K.value_caps(t, self.limits) for nt, t in g.nonterminals.items()}
        if self.budget.max_memory_mb is not None:  # earlier searches' memory, kept for reuse
            memory.trim(self.budget.max_memory_mb * 2**20 / 4)
        self.banks = {nt: ValueBank(self.kinds[nt], E, max_len=self.caps[nt][0], capacity=_FIRST_CAPACITY,
                                    dtype=dtype) for nt in self.nts}
        self.tbank = target_bank(self.kinds[start], enc, dtype=dtype)
        self.codes = [_kernel_of(D, K, g, p) for p in g.productions]
        self.flags = {}
        for nt in self.nts:
            f = 0
            if nt == start:
                f |= T.F_START | (T.F_CONCAT if self._concats else 0)
            if nt in self._decomposers:
                f |= T.F_USEFUL
            if nt in self._branch_masks:
                f |= T.F_BRANCH
            if nt in self._test_masks:
                f |= T.F_TEST
            if g.nonterminals[nt] in getattr(K, "BOOLEAN_TYPES", ()) and E <= T.MAX_BOOL_EXAMPLES:
                f |= T.F_BOOL
            self.flags[nt] = f
        # bank[nt][cost]: ids of the values first reached at that cost (a list for leaves, a
        # range for enumerated levels); BottomUpSearch.run reads which levels are non-empty
        self.bank = {nt: [[]] for nt in self.nts}
        self._id_arrays: dict[tuple[str, int], np.ndarray] = {}
        self._gatherer = None  # see encoded_values
        self._nodes: dict[str, dict[int, Node]] = {nt: {} for nt in self.nts}
        self._py_values: dict[str, dict[int, tuple]] = {nt: {} for nt in self.nts}
        self._block_cache: dict[int, tuple] = {}  # see _block_args
        self._VB = ValueBank
        self._P_commit = np.zeros(16, np.int64)
        self._dummy_ids = np.zeros(1, np.int64)
        self._dummy_el = np.zeros(1, dtype)
        self._dummy_of = np.zeros(2, np.int64)
        self._dummy_ints = np.zeros((1, 1), np.int64)
        self._dummy_sizes = np.zeros(1, np.int32)

    # ------------------------------------------------------------------------------------
    def run(self) -> SearchOutcome:
        out = super().run()
        out.extra["engine"] = self.engine
        return out

    def node(self, nt: str, v: int) -> Node:
        """The program of value ``v`` of ``nt``, rebuilt from provenance."""
        memo = self._nodes[nt]
        got = memo.get(v)
        if got is not None:
            return got
        row = self.banks[nt].prov[v]
        pi = int(row[0])
        if pi < 0:
            node = self.grammar.leaves[-1 - pi].node
        else:
            p = self.grammar.productions[pi]
            node = p.make([self.node(a, int(row[1 + i])) for i, a in enumerate(p.args)])
        memo[v] = node
        return node

    def value(self, nt: str, v: int) -> tuple:
        """Value ``v`` of ``nt`` as a Python tuple (one entry per example)."""
        cache = self._py_values[nt]
        got = cache.get(v)
        if got is None:
            bank = self.banks[nt]
            t = self.grammar.nonterminals[nt]
            got = cache[v] = tuple(self.K.decode(t, bank.raw(v, e)) for e in range(self.E))
        return got

    def values_of(self, nt: str, limit: int | None = None) -> list[tuple[tuple, Node]]:
        if self.engine != "compiled":
            return super().values_of(nt, limit)
        out = []
        for ids in self.bank.get(nt, ()):
            for v in ids:
                out.append((self.value(nt, int(v)), self.node(nt, int(v))))
                if limit is not None and len(out) >= limit:
                    return out
        return out

    def bank_values(self) -> dict[str, list[list[tuple]]]:
        """The kept values as ``BottomUpSearch.bank`` holds them: per nonterminal, per cost."""
        if self.engine != "compiled":
            return self.bank
        out = {}
        for nt in self.nts:
            levels = [[self.value(nt, int(v)) for v in ids] for ids in self.bank[nt]]
            out[nt] = levels
        return out

    def encoded_values(self, nt: str, ids, examples: int | None = None) -> Any:
        """Values ``ids`` of ``nt`` on the first ``examples`` examples (None: all) as
        ``synth.neural.signatures.encode_values`` lays them out (strings: code points padded per
        (value, example) row, and lengths; scalars: an (n, examples) matrix), read straight
        from the bank without building Python values."""
        bank = self.banks[nt]
        E = self.E
        m = E if examples is None else min(E, examples)
        ids = np.asarray(ids, dtype=np.int64)
        if bank.kind != self.T.SEQ:
            return bank.ints[ids, :m]
        if self._gatherer is None:
            from synth.neural.signatures import StringGatherer
            self._gatherer = StringGatherer()
        return self._gatherer.gather(bank.of, bank.el, ids, E, m)

    def _ids(self, nt: str, cost: int) -> np.ndarray:
        key = (nt, cost)
        a = self._id_arrays.get(key)
        if a is None:
            ids = self.bank[nt][cost]
            # a level enumerated in one go is a range: np.arange, not an element-by-element copy
            a = np.arange(ids.start, ids.stop, ids.step, dtype=np.int64) if isinstance(ids, range) \
                else np.asarray(ids, dtype=np.int64)
            self._id_arrays[key] = a
        return a

    # ------------------------------------------------------------------------------------
    def _replay(self, nt: str, first: int, base: int, N: int) -> None:
        """After values of ``nt`` were kept from id ``first`` on: the value hook, and the
        shortcut events the kernel recorded, replayed through BottomUpSearch's methods with the
        candidate count of their moment (``base``: before the composition, ``N``: its size)."""
        bank = self.banks[nt]
        self.nvalues += bank.n - first
        if self.value_hook is not None:
            for v in range(first, bank.n):
                self.value_hook(nt, self.value(nt, v), self.node(nt, v))
        if not bank.state[self.T.NREC]:
            return
        T = self.T
        clock = self.clock
        now = clock.candidates
        try:
            for kind, v, other, side, _, pos in bank.take_records().tolist():
                # BottomUpSearch counts a chunk before evaluating it
                clock.candidates = base + min(N, (pos // self.chunk + 1) * self.chunk) if pos >= 0 else base
                node = self.node(nt, v)
                if kind == T.EV_CONCAT:
                    other_node = self.node(nt, other)
                    for p in self._concats:
                        self._offer(p.make((node, other_node) if side == 0 else (other_node, node)))
                elif kind == T.EV_USEFUL:
                    self._decomposers[nt].add(self.value(nt, v), node)
                elif kind == T.EV_BRANCH:
                    self._try_cond_branch(nt, self.value(nt, v), node)
                else:
                    self._try_cond_test(nt, self.value(nt, v), node)
        finally:
            clock.candidates = now

    def _commit_python(self, nt: str, vals: tuple, size: int, prov: Sequence[int], check_ok: bool,
                       pos: int = -1, base: int = 0, N: int = 0) -> int:
        """Keep a value computed in Python (a leaf, or a tuple without a kernel): DUP, NEW or
        SOLVED."""
        T = self.T
        if ERROR in vals:
            return T.DUP
        t = self.grammar.nonterminals[nt]
        if check_ok and not self.domain.value_ok(t, vals, self.limits):
            return T.DUP
        enc = [self.K.encode(t, x) for x in vals]
        if any(x is None for x in enc):  # cannot happen for values within the caps
            raise RuntimeError(f"value {vals!r} does not fit the compiled layout of {t}")
        bank = self.banks[nt]
        first = bank.n
        bank.write(enc)
        bank.vsize[first] = size
        status = self._commit_slot(nt, pos)
        if status != T.DUP:
            bank.prov[first, :] = 0
            bank.prov[first, :len(prov)] = prov
            if status == T.SOLVED:
                self.solution = self.node(nt, first)
            self._replay(nt, first, base, N)
        return status

    def _commit_slot(self, nt: str, pos: int) -> int:
        """``table.commit_value`` (through the kernel module's ``run_block``) on the value
        written at the free slot of ``nt``'s bank: DUP, NEW or SOLVED."""
        bank, t, P = self.banks[nt], self.tbank, self._P_commit  # not a block's: one may be under way
        P[Q.P_OP] = Q.OP_COMMIT
        P[Q.P_E] = self.E
        P[Q.P_KIND] = bank.kind
        P[Q.P_FLAGS] = self.flags[nt]
        P[Q.P_POS] = pos
        d = self._dummy_ids
        status, _ = self.K.run_block(P, (d, d, d, d), (bank.el,) * 4, (bank.of,) * 4, (bank.ints,) * 4,
                                     (bank.vsize,) * 4, bank.el, bank.of, bank.ints, bank.table,
                                     bank.vsize, bank.prov, bank.state, t.el, t.of,
                                     t.ints, bank.rec, bank.lo, bank.hi, bank.maskseen)
        return int(status)

    def _leaves(self) -> None:
        if self.engine != "compiled":
            return super()._leaves()
        T = self.T
        for i, (leaf, vals) in enumerate(zip(self.grammar.leaves, self._leaf_vals)):
            v = self.banks[leaf.result].n
            status = self._commit_python(leaf.result, vals, node_size(leaf.node), [-1 - i], False)
            if status != T.DUP:
                level = self.bank[leaf.result]
                while len(level) <= leaf.cost:
                    level.append([])
                level[leaf.cost].append(v)
            if status == T.SOLVED:
                return

    # ------------------------------------------------------------------------------------
    def _level(self, cost: int) -> str | None:
        if self.engine != "compiled":
            return super()._level(cost)
        firsts = {nt: b.n for nt, b in self.banks.items()}
        try:
            for pi, prod in enumerate(self.grammar.productions):
                rest = cost - prod.cost
                k = len(prod.args)
                if rest < k or k == 0:
                    continue
                levels = [self.bank[a] for a in prod.args]
                allowed = [[bool(lv[c]) if c < len(lv) else False for c in range(rest + 1)] for lv in levels]
                for split in compositions(rest, k, allowed):
                    lists = [self._ids(a, c) for a, c in zip(prod.args, split)]
                    stop = self._split(pi, prod, lists)
                    if stop or self.solution is not None:
                        return stop
            return None
        finally:
            for nt, b in self.banks.items():
                if b.n > firsts[nt]:
                    level = self.bank[nt]
                    while len(level) <= cost:
                        level.append([])
                    new = range(firsts[nt], b.n)
                    # entries already there (a leaf of this cost, a value a guide re-priced) stay
                    level[cost] = new if not level[cost] else list(level[cost]) + list(new)
                    self._id_arrays.pop((nt, cost), None)

    def _split(self, pi: int, prod, lists: list[np.ndarray]) -> str | None:
        """Every argument tuple of one composition, block by block; the budget that ran out
        (or "pending"), if any. A block ends at the first chunk end where the Python engine's
        checks (candidate budget, decomposition, pending deadline) would fire, and the checks
        then run as they do there."""
        clock = self.clock
        N = 1
        for l in lists:
            N *= len(l)
        base = clock.candidates
        max_c = self.budget.max_candidates
        code = self.codes[pi]
        C = self.chunk
        pos = 0
        while pos < N:
            end = pos + BLOCK_CHUNKS * C
            if max_c is not None:  # the first chunk end where candidates >= max_c
                end = min(end, -(-(max_c - base) // C) * C)
            if self._decomposers:  # ... where candidates - last > _DECOMPOSE_EVERY
                end = min(end, ((self._last_decompose + _B._DECOMPOSE_EVERY - base) // C + 1) * C)
            if self.pending is not None and self.pending_deadline >= base + pos:
                # ... where candidates > pending deadline (once past it, the pending answer
                # waits for the time share, ``_pending_time_spent``, checked at each block end)
                end = min(end, ((self.pending_deadline - base) // C + 1) * C)
            end = min(N, max(end, pos + 1))
            if code is None:
                status, p = self._python_block(pi, prod, lists, pos, end, base, N)
            else:
                status, p = self._kernel_block(pi, prod, code, lists, pos, end, base, N)
            if status == _SOLVED:
                clock.candidates = base + min(N, (p // C + 1) * C)
                return None
            if status == _OUT_OF_TIME:
                clock.candidates = base + p
                return "time"
            clock.candidates = base + end
            pos = end
            if end % C and end != N:
                continue  # not a chunk end (cannot happen: the caps above are chunk ends)
            stop = clock.exceeded()
            if stop:
                return stop
            if self._decomposers and clock.candidates - self._last_decompose > _B._DECOMPOSE_EVERY:
                self._decompose()
            if self.pending is not None and clock.candidates > self.pending_deadline \
                    and self._pending_time_spent():
                return "pending"
        return None

    def _grow(self, bank) -> bool:
        """Grow a full bank, unless the last growth's speed says this one (it moves every
        hash-table entry to a table four times larger) would end past the deadline."""
        import time

        deadline_at = self.clock.deadline
        n = max(1, bank.n)
        # a large growth is slower per value than a small one (fresh pages, cache misses): 4x
        if deadline_at is not None and self._grow_rate is not None \
                and time.perf_counter() + 4 * self._grow_rate * n > deadline_at:
            return False
        t0 = time.perf_counter()
        bank.grow()
        rate = (time.perf_counter() - t0) / n
        self._grow_rate = rate if self._grow_rate is None else max(rate, self._grow_rate)
        return True

    def _block_args(self, pi: int, prod, code: int):
        """``run_block``'s parameter array for production ``pi`` (its fixed slots filled) and its
        argument banks' arrays, four of each (unused slots: dummies). Built once per production
        and rebuilt only after a bank replaced an array (``ValueBank.replaced``): a search runs
        a block per composition, thousands, and building these took more time than small blocks."""
        hit = self._block_cache.get(pi)
        if hit is not None and hit[0] == self._VB.replaced:
            return hit[1], hit[2]
        nt = prod.result
        k = len(prod.args)
        P = hit[1] if hit is not None else np.zeros(16, np.int64)
        P[Q.P_OP] = code
        P[Q.P_K] = k
        P[Q.P_E] = self.E
        P[Q.P_KIND] = self.banks[nt].kind
        P[Q.P_LIMIT], P[Q.P_MAXABS] = self.caps[nt]
        P[Q.P_PROD] = pi
        P[Q.P_FLAGS] = self.flags[nt]
        P[Q.P_SAME] = sum(1 << i for i, a in enumerate(prod.args) if a == nt)
        argb = [self.banks[a] for a in prod.args]
        arrays = (tuple(argb[i].el if i < k else self._dummy_el for i in range(4)),
                  tuple(argb[i].of if i < k else self._dummy_of for i in range(4)),
                  tuple(argb[i].ints if i < k else self._dummy_ints for i in range(4)),
                  tuple(argb[i].vsize if i < k else self._dummy_sizes for i in range(4)))
        self._block_cache[pi] = (self._VB.replaced, P, arrays)
        return P, arrays

    def _kernel_block(self, pi: int, prod, code: int, lists, pos: int, end: int, base: int, N: int):
        K = self.K
        nt = prod.result
        bank = self.banks[nt]
        k = len(lists)
        t = self.tbank
        dummy = self._dummy_ids
        ids = (lists[0], lists[1] if k > 1 else dummy, lists[2] if k > 2 else dummy,
               lists[3] if k > 3 else dummy)
        while True:
            P, (els, ofs, ints, sizes) = self._block_args(pi, prod, code)
            P[Q.P_M] = len(ids[0])
            P[Q.P_M + 1] = len(ids[1])
            P[Q.P_M + 2] = len(ids[2])
            P[Q.P_M + 3] = len(ids[3])
            P[Q.P_POS] = pos
            P[Q.P_END] = end
            first = bank.n
            status, p = K.run_block(P, ids, els, ofs, ints, sizes, bank.el, bank.of, bank.ints,
                                    bank.table, bank.vsize, bank.prov, bank.state,
                                    t.el, t.of, t.ints, bank.rec, bank.lo, bank.hi, bank.maskseen)
            if status == Q.SOLVED:
                self.solution = self.node(nt, bank.n - 1)
            if bank.n > first or bank.state[self.T.NREC]:
                self._replay(nt, first, base, N)
            if status == Q.SOLVED:
                return _SOLVED, p
            if status == Q.DONE:
                return _DONE, end
            if status == Q.FULL:
                if not self._grow(bank):
                    return _OUT_OF_TIME, p
                pos = p
                continue
            # DEFERRED: this one tuple with the reference semantics
            st, _ = self._python_block(pi, prod, lists, p, p + 1, base, N)
            if st == _SOLVED:
                return _SOLVED, p
            pos = p + 1
            if pos >= end:
                return _DONE, end

    def _python_block(self, pi: int, prod, lists, pos: int, end: int, base: int, N: int):
        """Tuples ``pos..end`` evaluated with the reference function (no kernel)."""
        T = self.T
        fn = prod.fn
        ms = [len(l) for l in lists]
        nt = prod.result
        for p in range(pos, end):
            rem = p
            ids = [0] * len(lists)
            for i in range(len(lists) - 1, -1, -1):
                ids[i] = int(lists[i][rem % ms[i]])
                rem //= ms[i]
            args = [self.value(a, v) for a, v in zip(prod.args, ids)]
            out = tuple(map(fn, *args))
            if prod.build is None:
                size = 1 + sum(int(self.banks[a].vsize[v]) for a, v in zip(prod.args, ids))
            else:
                size = node_size(prod.make([self.node(a, v) for a, v in zip(prod.args, ids)]))
            status = self._commit_python(nt, out, size, [pi, *ids], True, p, base, N)
            if status == T.SOLVED:
                return _SOLVED, p
        return _DONE, end
