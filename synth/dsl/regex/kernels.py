"""Batch semantics of regexes on the infix closure of the examples (numba).

Search works on *signatures*: the set of infixes (substrings, ε included) of all example strings
that a regex accepts, as a bit set. The infix set is closed under splitting, so the signature of
``r s``, ``r|s``, ``r*``... is a function of the signatures of ``r`` and ``s`` alone; two regexes
with one signature behave alike inside every larger regex on these examples (observational
equivalence over infixes, as in Valizadeh & Berger's regex inference). A regex fits the task when
its signature holds every positive string and no negative one.

Bit ``w`` of a signature is word ``w >> 6``, bit ``w & 63``. ``off``/``su``/``sv`` list, for each
infix ``w`` (sorted by length, ε first), its splits ``w = u v`` (u from ε to w) as index pairs.
"""
from __future__ import annotations

import numpy as np
from numba import njit

# op codes of the values in a bank (also used by the search to rebuild ASTs); COUNT is the kind
# of an exact repeat r{n} (op REPEAT with lo == hi), which, unlike a range, may be starred
LEAF, CONCAT, UNION, STAR, PLUS, OPT, REPEAT, COUNT = 0, 1, 2, 3, 4, 5, 6, 7

_ONE = np.uint64(1)
_MIX1 = np.uint64(0x9E3779B97F4A7C15)
_MIX2 = np.uint64(0xBF58476D1CE4E5B9)
_MIX3 = np.uint64(0x94D049BB133111EB)


@njit(cache=True)
def _bit(sig, i):
    return (sig[i >> 6] >> np.uint64(i & 63)) & _ONE


@njit(cache=True)
def _set(sig, i):
    sig[i >> 6] |= _ONE << np.uint64(i & 63)


@njit(cache=True)
def concat_sig(a, b, off, su, sv, out):
    for t in range(out.shape[0]):
        out[t] = 0
    n = off.shape[0] - 1
    for w in range(n):
        for s in range(off[w], off[w + 1]):
            if _bit(a, su[s]) and _bit(b, sv[s]):
                _set(out, w)
                break


@njit(cache=True)
def union_sig(a, b, out):
    for t in range(out.shape[0]):
        out[t] = a[t] | b[t]


@njit(cache=True)
def star_sig(a, off, su, sv, out):
    """Closure, shortest infixes first: w is in r* if w = ε or w = u v, u ≠ ε in r, v in r*."""
    for t in range(out.shape[0]):
        out[t] = 0
    _set(out, 0)
    n = off.shape[0] - 1
    for w in range(1, n):
        for s in range(off[w] + 1, off[w + 1]):
            if _bit(a, su[s]) and _bit(out, sv[s]):
                _set(out, w)
                break


@njit(cache=True)
def opt_sig(a, out):
    for t in range(out.shape[0]):
        out[t] = a[t]
    _set(out, 0)


@njit(cache=True)
def repeat_sig(a, lo, hi, off, su, sv, out, tmp, tmp2):
    """a{lo,hi} = a^lo (a|ε)^(hi-lo); hi < 0: a^lo a*."""
    W = out.shape[0]
    # out = ε
    for t in range(W):
        out[t] = 0
    _set(out, 0)
    for _ in range(lo):
        concat_sig(out, a, off, su, sv, tmp)
        for t in range(W):
            out[t] = tmp[t]
    if hi < 0:
        star_sig(a, off, su, sv, tmp2)
        concat_sig(out, tmp2, off, su, sv, tmp)
        for t in range(W):
            out[t] = tmp[t]
    else:
        opt_sig(a, tmp2)
        for _ in range(hi - lo):
            concat_sig(out, tmp2, off, su, sv, tmp)
            for t in range(W):
                out[t] = tmp[t]


@njit(cache=True)
def sig_hash(sig):
    h = np.uint64(0x243F6A8885A308D3)
    for t in range(sig.shape[0]):
        x = sig[t] ^ h
        x = (x ^ (x >> np.uint64(30))) * _MIX2
        x = (x ^ (x >> np.uint64(27))) * _MIX3
        h = (x ^ (x >> np.uint64(31))) + _MIX1
    if h == 0:
        h = _ONE
    return h


@njit(cache=True)
def table_insert(table, h):
    """Insert hash ``h`` into an open-addressing set; False when it was there already."""
    mask = table.shape[0] - 1
    i = np.int64(h & np.uint64(mask))
    while True:
        cur = table[i]
        if cur == 0:
            table[i] = h
            return True
        if cur == h:
            return False
        i = (i + 1) & mask


@njit(cache=True)
def insert_sig(table, sig):
    return table_insert(table, sig_hash(sig))


@njit(cache=True)
def is_solution(sig, pos, neg):
    for k in range(pos.shape[0]):
        if not _bit(sig, pos[k]):
            return False
    for k in range(neg.shape[0]):
        if _bit(sig, neg[k]):
            return False
    return True


@njit(cache=True)
def _nonzero(sig):
    for t in range(sig.shape[0]):
        if sig[t] != 0:
            return True
    return False


@njit(cache=True)
def expand_binary(op, A, kindA, B, kindB, same, start, stop, off, su, sv, table, pos, neg,
                  out, out_i, out_j, out_sol):
    """Combine pairs ``p in [start, stop)`` (``i = p // len(B)``, ``j = p % len(B)``) with ``op``
    (CONCAT or UNION), keep the new signatures in ``out``. Returns (kept, next p).

    Only right-nested forms are built (the left argument of a concat is no concat, of a union no
    union): every regex has such a form of the same size. For a union of one bank with itself
    (``same``) only ``i < j`` is tried. Stops early when ``out`` is full."""
    nB = B.shape[0]
    cap = out.shape[0]
    kept = 0
    tmp = np.empty(A.shape[1], dtype=np.uint64)
    p = start
    while p < stop:
        if kept >= cap:
            break
        i = p // nB
        j = p - i * nB
        p += 1
        if op == CONCAT:
            if kindA[i] == CONCAT:
                continue
            concat_sig(A[i], B[j], off, su, sv, tmp)
        else:
            if kindA[i] == UNION or (same and j <= i):
                continue
            union_sig(A[i], B[j], tmp)
        if not _nonzero(tmp):
            continue
        if table_insert(table, sig_hash(tmp)):
            for t in range(tmp.shape[0]):
                out[kept, t] = tmp[t]
            out_i[kept] = i
            out_j[kept] = j
            out_sol[kept] = is_solution(tmp, pos, neg)
            kept += 1
    return kept, p


@njit(cache=True)
def expand_unary(op, lo, hi, A, kindA, off, su, sv, table, pos, neg, out, out_i, out_sol):
    """Apply STAR, PLUS or OPT to every value of ``A``; skips forms that are redundant whatever
    the argument (``(r*)*``, ``(r?)?``, ``(r*)+``...) and, as a bias against length-counting
    overfits, stars and pluses of repeat ranges (``(r{2,5})*``); an exact count may be starred
    (``([01]{3})*``: lengths divisible by 3)."""
    W = A.shape[1]
    tmp = np.empty(W, dtype=np.uint64)
    t1 = np.empty(W, dtype=np.uint64)
    t2 = np.empty(W, dtype=np.uint64)
    kept = 0
    for i in range(A.shape[0]):
        k = kindA[i]
        if op == STAR:
            if k == STAR or k == PLUS or k == OPT or k == REPEAT:
                continue
            star_sig(A[i], off, su, sv, tmp)
        elif op == PLUS:
            if k == STAR or k == PLUS or k == OPT or k == REPEAT:
                continue
            star_sig(A[i], off, su, sv, t1)  # r+ = r r*
            concat_sig(A[i], t1, off, su, sv, tmp)
        else:
            if k == STAR or k == OPT:
                continue
            opt_sig(A[i], tmp)
        if not _nonzero(tmp):
            continue
        if table_insert(table, sig_hash(tmp)):
            for t in range(W):
                out[kept, t] = tmp[t]
            out_i[kept] = i
            out_sol[kept] = is_solution(tmp, pos, neg)
            kept += 1
    return kept


@njit(cache=True)
def expand_repeats(A, kindA, counts, ranges, off, su, sv, table, pos, neg, out, out_i, out_lo,
                   out_hi, out_sol):
    """``r{n}`` for every n in ``counts`` and ``r{lo,hi}`` for every row of ``ranges``, for each
    value r of ``A`` that is a leaf or a concatenation (counting a union, star or repeat is left
    out: it mostly fits example lengths by accident). Powers are built incrementally."""
    W = A.shape[1]
    maxn = 0
    for c in counts:
        maxn = max(maxn, c)
    for r in range(ranges.shape[0]):
        maxn = max(maxn, ranges[r, 1])
    powers = np.empty((maxn + 1, W), dtype=np.uint64)
    optp = np.empty((maxn + 1, W), dtype=np.uint64)
    tmp = np.empty(W, dtype=np.uint64)
    cap = out.shape[0]
    kept = 0
    for i in range(A.shape[0]):
        k = kindA[i]
        if k != LEAF and k != CONCAT:
            continue
        if kept + counts.shape[0] + ranges.shape[0] > cap:
            return kept, i
        for t in range(W):
            powers[0, t] = 0
            optp[0, t] = 0
        _set(powers[0], 0)
        _set(optp[0], 0)
        for n in range(1, maxn + 1):
            concat_sig(powers[n - 1], A[i], off, su, sv, powers[n])
        opt_sig(A[i], tmp)
        for n in range(1, maxn + 1):
            concat_sig(optp[n - 1], tmp, off, su, sv, optp[n])
        for c in counts:
            sig = powers[c]
            if not _nonzero(sig):
                continue
            if table_insert(table, sig_hash(sig)):
                for t in range(W):
                    out[kept, t] = sig[t]
                out_i[kept] = i
                out_lo[kept] = c
                out_hi[kept] = c
                out_sol[kept] = is_solution(sig, pos, neg)
                kept += 1
        for r in range(ranges.shape[0]):
            lo, hi = ranges[r, 0], ranges[r, 1]
            concat_sig(powers[lo], optp[hi - lo], off, su, sv, tmp)
            if not _nonzero(tmp):
                continue
            if table_insert(table, sig_hash(tmp)):
                for t in range(W):
                    out[kept, t] = tmp[t]
                out_i[kept] = i
                out_lo[kept] = lo
                out_hi[kept] = hi
                out_sol[kept] = is_solution(tmp, pos, neg)
                kept += 1
    return kept, A.shape[0]


@njit(cache=True)
def rehash(old, new):
    for i in range(old.shape[0]):
        if old[i] != 0:
            table_insert(new, old[i])
