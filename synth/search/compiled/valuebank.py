"""The value bank of one nonterminal, laid out for batch kernels.

Every kept value (a program's outputs on all E examples) lives in flat numpy arrays, in the order
it was found: sequences (strings as Unicode code points, integer lists) as one element array
(``int32``, or ``uint8`` where every string is ASCII) with ``int64`` offsets, scalars (ints,
bools) as an ``int64`` matrix. Beside each value the bank keeps the AST size of its program and
its provenance (production index and argument ids, or ``-1 - leaf index``), from which the
program is rebuilt only when needed. The hash table maps values' functional hashes to their ids
(open addressing, at most half full, one int64 per slot: a fingerprint and the id, from which a
growth moves the entry without the value's hash).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from synth.search.compiled import table as T
from synth.search.compiled.memory import RESERVED_BYTES, RESERVED_VALUES, can_reserve, give_back, reserve, zeros

MAX_ARITY = 4
#: elements every element array keeps past its capacity (``state[CAP_ELEMS]``): 32 bytes' worth
#: at least, so that the kernels may copy and load whole 64-bit words and 32-byte blocks at any
#: value's end unchecked
SLACK = 32
_EMPTY_I64 = np.zeros(1, np.int64)
_EMPTY_2D = np.zeros((1, 1), np.int64)


class ValueBank:
    """Values of one nonterminal. ``kind`` is ``table.SEQ`` or ``table.SCALAR``; ``E`` the number
    of examples; ``max_len`` the longest sequence a value may hold (the domain's cap minus one)."""

    #: grows by one whenever any bank replaces one of its arrays (a growth): whoever keeps a
    #: bank's arrays (the engine's per-production kernel arguments) knows when to read them anew
    replaced = 0

    def __init__(self, kind: int, E: int, max_len: int = 0, capacity: int = 1024,
                 dtype=np.int32):
        self.kind = kind
        self.dtype = np.dtype(dtype)
        self.E = E
        self.max_len = max_len
        self.state = np.zeros(T.STATE_LEN, np.int64)
        self.state[T.BEST] = 1 << 62
        tsize = 2 * capacity
        self.state[T.MASK] = tsize - 1
        self.table = zeros(tsize, np.int64)
        self.rec = np.zeros((T.REC_CAP + T.REC_SLACK, T.REC_COLS), np.int64)
        #: masks seen: the conditional shortcut's (bit 1: as a branch, bit 2: as a test), and
        #: the masks of kept values where they are 0/1 (bit 4, ``table.F_BOOL``)
        self.maskseen = np.zeros(1 << E if E <= T.MAX_BOOL_EXAMPLES else 1, np.uint8)
        self.lo = np.zeros(E, np.int64)
        self.hi = np.zeros(E, np.int64)
        # the value-indexed arrays: reserved big (address space only; pages are used as they
        # fill, so nothing is ever copied to grow) where the system allows, else grown by copying
        cap = RESERVED_VALUES if can_reserve() else capacity
        elems = (RESERVED_BYTES // self.dtype.itemsize if cap == RESERVED_VALUES
                 else max(capacity * E * 4, E * max_len + 16) + SLACK)
        alloc = reserve if cap == RESERVED_VALUES else zeros
        self.state[T.CAP_VALS] = cap
        self.vsize = alloc((cap,), np.int32)
        self.prov = alloc((cap, 1 + MAX_ARITY), np.int32)
        if kind == T.SEQ:
            self.of = alloc((cap * E + 1,), np.int64)
            self.el = alloc((elems,), self.dtype)
            self.ints = _EMPTY_2D
        else:
            self.of = _EMPTY_I64
            self.el = np.zeros(1, self.dtype)
            self.ints = alloc((cap, E), np.int64)
        self.state[T.CAP_ELEMS] = len(self.el) - SLACK

    def __del__(self):
        """Hand the arrays to the next bank (``memory``), saying how much of each was written:
        the kept values and the one being computed after them (at most ``max_len`` elements
        per example)."""
        try:
            n = int(self.state[T.N])
            rows = n + 2  # the kept values, the candidate at n, one spare
            give_back(self.table)
            for a in (self.vsize, self.prov, self.ints):
                give_back(a, rows * a.strides[0])
            if self.kind == T.SEQ:
                give_back(self.of, (rows * self.E + 1) * self.of.itemsize)
                used = int(self.of[n * self.E]) + 2 * self.E * (self.max_len + 1) + 64
                give_back(self.el, used * self.el.itemsize)
        except Exception:  # a half-built bank: its maps are simply not reused
            pass

    # ---------------------------------------------------------------------------------------
    @property
    def n(self) -> int:
        return int(self.state[T.N])

    def __len__(self) -> int:
        return self.n

    def room(self) -> bool:
        """Whether one more candidate fits without growing (what the kernels check too)."""
        s = self.state
        n = s[T.N]
        if n >= s[T.CAP_VALS] or 2 * (n + 1) > s[T.MASK] + 1 or s[T.NREC] >= T.REC_CAP:
            return False
        return self.kind != T.SEQ or self.of[n * self.E] + self.E * self.max_len <= s[T.CAP_ELEMS]

    def grow(self) -> None:
        """Enlarge whatever is full: value arrays and element array 2x, hash table 4x."""
        s = self.state
        n = int(s[T.N])
        E = self.E
        cap = int(s[T.CAP_VALS])
        if n + 1 >= cap:
            new = 2 * cap
            self.vsize = _resized(self.vsize, new)
            self.prov = _resized(self.prov, new)
            if self.kind == T.SEQ:
                self.of = _resized(self.of, new * E + 1)
            else:
                self.ints = _resized(self.ints, new)
            s[T.CAP_VALS] = new
        if 2 * (n + 2) > s[T.MASK] + 1:
            tsize = 4 * (int(s[T.MASK]) + 1)  # 4x: every growth moves all entries
            while 2 * (n + 2) > tsize:
                tsize *= 2
            old = self.table
            self.table = zeros(tsize, np.int64)
            s[T.MASK] = tsize - 1
            T.rehash(old, self.table, s[T.MASK])
            give_back(old)
        ValueBank.replaced += 1
        if self.kind == T.SEQ:
            need = int(self.of[n * E]) + E * self.max_len
            if need > s[T.CAP_ELEMS]:
                self.el = _resized(self.el, max(2 * len(self.el), need + 16 + SLACK))
                s[T.CAP_ELEMS] = len(self.el) - SLACK

    # ---------------------------------------------------------------------------------------
    def write(self, encoded: Sequence[Any]) -> None:
        """Put an encoded value (per example: an int, or an element array) at the free slot."""
        n = self.n
        E = self.E
        while True:
            if self.kind == T.SEQ:
                need = int(self.of[n * E]) + sum(len(x) for x in encoded)
                if n + 1 < self.state[T.CAP_VALS] and need <= self.state[T.CAP_ELEMS] and \
                        2 * (n + 1) <= self.state[T.MASK] + 1:
                    break
                if need > self.state[T.CAP_ELEMS]:
                    ValueBank.replaced += 1
                    self.el = _resized(self.el, max(2 * len(self.el), need + 16 + SLACK))
                    self.state[T.CAP_ELEMS] = len(self.el) - SLACK
                    continue
            elif self.room():
                break
            self.grow()
        if self.kind == T.SEQ:
            if self.dtype.itemsize == 1 and any(len(x) and int(np.max(x)) > 127 for x in encoded):
                raise ValueError("a non-ASCII value in a bank laid out for ASCII text")
            p = int(self.of[n * E])
            for e, x in enumerate(encoded):
                self.el[p:p + len(x)] = x
                p += len(x)
                self.of[n * E + e + 1] = p
        else:
            self.ints[n, :] = encoded

    def raw(self, v: int, e: int):
        """Example ``e`` of value ``v``: an int, or the element array of a sequence."""
        if self.kind == T.SEQ:
            b = v * self.E + e
            return self.el[self.of[b]:self.of[b + 1]]
        return int(self.ints[v, e])

    def take_records(self) -> np.ndarray:
        r = int(self.state[T.NREC])
        self.state[T.NREC] = 0
        return self.rec[:r].copy()

    def memory_bytes(self) -> int:
        return sum(a.nbytes for a in (self.el, self.of, self.ints, self.table,
                                      self.vsize, self.prov))


def _resized(a: np.ndarray, rows: int) -> np.ndarray:
    out = zeros((rows,) + a.shape[1:], a.dtype)
    m = min(rows, len(a))
    out[:m] = a[:m]
    give_back(a)
    return out


def target_bank(kind: int, encoded: Sequence[Any], dtype=np.int32) -> ValueBank:
    """A one-value bank holding the target outputs (``tel``/``tof`` or ``tints`` of the kernels)."""
    E = len(encoded)
    bank = ValueBank(kind, E, max_len=max((len(x) for x in encoded), default=0) if kind == T.SEQ else 0,
                     capacity=2, dtype=dtype)
    bank.write(encoded)
    return bank
