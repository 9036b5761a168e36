"""The bookkeeping every domain's ``run_block`` does around its ops, as inline numba helpers.

A kernel walks the argument tuples of a block in ``itertools.product`` order (the last argument
fastest), checks that the result bank has room, evaluates one op, and then keeps the result
unless it equals one of its arguments: size, ``table.commit_value``, provenance. Only the op
evaluation differs between domains; this module holds the rest, once.
"""
from __future__ import annotations

import numpy as np

from synth.search.compiled import table as T
from synth.search.compiled.jit import kernel
from synth.search.compiled.protocol import (OP_COMMIT, P_E, P_END, P_FLAGS, P_K, P_KIND, P_LIMIT,
                                             P_M, P_MAXABS, P_OP, P_POS, P_PROD, P_SAME)


@kernel(inline=True)
def block_params(P):
    """``run_block``'s parameter slots: (op, k, E, kind, limit, maxabs, prod, flags, same, pos,
    end, m0, m1, m2, m3); a commit (``OP_COMMIT``) is the one tuple at ``pos`` of a 1x1x1x1 product."""
    op = P[P_OP]
    pos = P[P_POS]
    if op == OP_COMMIT:
        return op, P[P_K], P[P_E], P[P_KIND], P[P_LIMIT], P[P_MAXABS], P[P_PROD], P[P_FLAGS], \
            P[P_SAME], pos, pos + 1, 1, 1, 1, 1
    return op, P[P_K], P[P_E], P[P_KIND], P[P_LIMIT], P[P_MAXABS], P[P_PROD], P[P_FLAGS], \
        P[P_SAME], pos, P[P_END], P[P_M], P[P_M + 1], P[P_M + 2], P[P_M + 3]


@kernel(inline=True)
def tuple_digits(pos, m0, m1, m2, m3):
    """The argument indices (d0, d1, d2, d3) of tuple ``pos`` of an m0 x m1 x m2 x m3 product."""
    rem = pos
    d3 = rem % m3
    rem //= m3
    d2 = rem % m2
    rem //= m2
    d1 = rem % m1
    rem //= m1
    return rem % m0, d1, d2, d3


@kernel(inline=True)
def next_digits(d0, d1, d2, d3, m1, m2, m3):
    """The argument indices of the tuple after (d0, d1, d2, d3)."""
    d3 += 1
    if d3 == m3:
        d3 = 0
        d2 += 1
        if d2 == m2:
            d2 = 0
            d1 += 1
            if d1 == m1:
                d1 = 0
                d0 += 1
    return d0, d1, d2, d3


@kernel(inline=True)
def slot_full(E, of, state, limit, m):
    """``bank_full`` of a SEQ bank for a candidate written at slot ``m``: the free slot, or the
    one after it while the candidate at the free slot awaits its commit (``of[m * E]`` is then
    that candidate's end, and the table must have room for both)."""
    return (m >= state[T.CAP_VALS] or 2 * (m + 1) > state[T.MASK] + 1 or state[T.NREC] >= T.REC_CAP
            or of[np.uint64(m * E)] + E * limit > state[T.CAP_ELEMS])


@kernel(inline=True)
def bank_full(kind, E, of, state, limit):
    """Whether the result bank must grow before one more candidate can be written at its free
    slot (value arrays, hash table at most half full, shortcut records, elements)."""
    n = state[T.N]
    return (n >= state[T.CAP_VALS] or 2 * (n + 1) > state[T.MASK] + 1 or state[T.NREC] >= T.REC_CAP
            or (kind == T.SEQ and of[np.uint64(n * E)] + E * limit > state[T.CAP_ELEMS]))


@kernel(inline=True)
def equals_an_argument(kind, E, el, of, rints, n, same, v0, v1, v2, v3):
    """Whether candidate ``n`` equals an argument of its own nonterminal (bit i of ``same``):
    such an argument is a kept value, so the candidate is a duplicate found without hashing."""
    if same & 1 and T.values_equal(kind, E, el, of, rints, n, v0):
        return True
    if same & 2 and T.values_equal(kind, E, el, of, rints, n, v1):
        return True
    if same & 4 and T.values_equal(kind, E, el, of, rints, n, v2):
        return True
    return same & 8 != 0 and T.values_equal(kind, E, el, of, rints, n, v3)


@kernel(inline=True)
def program_size(k, sz0, sz1, sz2, sz3, v0, v1, v2, v3):
    """1 + the sizes of the first ``k`` arguments' programs (unsigned indices)."""
    size = 1 + sz0[np.uint64(v0)]
    if k > 1:
        size += sz1[np.uint64(v1)]
    if k > 2:
        size += sz2[np.uint64(v2)]
    if k > 3:
        size += sz3[np.uint64(v3)]
    return size


@kernel(inline=True)
def skip_run(p, d0, d1, d2, d3, m1, m2, m3):
    """Tuple position and digits after the run of tuples that share the first two arguments
    (d0, d1) with tuple p: a kernel skips a run that can give nothing new."""
    p += m2 * m3 - (d2 * m3 + d3)
    d1 += 1
    if d1 == m1:
        d1 = 0
        d0 += 1
    return p, d0, d1, 0, 0


@kernel(inline=True)
def keep_value(k, kind, E, el, of, rints, table, vsize, prov, state, flags, tel, tof, tints,
               rec, lo, hi, maskseen, p, prod, sz0, sz1, sz2, sz3, v0, v1, v2, v3):
    """Keep the candidate at the free slot (defined, within the caps, not one of its arguments)
    unless an equal value is kept: ``table.commit_value``, with its program's size written
    before (the concatenation shortcut reads it there) and after, and its provenance when it
    is new. Returns commit_value's status."""
    n = np.uint64(state[T.N])
    if flags & T.F_CONCAT:
        vsize[n] = program_size(k, sz0, sz1, sz2, sz3, v0, v1, v2, v3)
    status = T.commit_value(kind, E, el, of, rints, table, vsize, state, flags,
                            tel, tof, tints, rec, lo, hi, maskseen, p)
    if status != T.DUP:
        vsize[n] = program_size(k, sz0, sz1, sz2, sz3, v0, v1, v2, v3)
        set_provenance(prov, n, prod, v0, v1, v2, v3)
    return status


@kernel(inline=True)
def keep_hashed(h, k, kind, E, el, of, rints, table, vsize, prov, state, flags, tel, tof, tints,
                rec, lo, hi, maskseen, p, prod, sz0, sz1, sz2, sz3, v0, v1, v2, v3):
    """``keep_value`` of a candidate whose hash ``h`` is known (``table.commit_hashed``)."""
    n = np.uint64(state[T.N])
    if flags & T.F_CONCAT:
        vsize[n] = program_size(k, sz0, sz1, sz2, sz3, v0, v1, v2, v3)
    status = T.commit_hashed(h, kind, E, el, of, rints, table, vsize, state, flags,
                             tel, tof, tints, rec, lo, hi, maskseen, p)
    if status != T.DUP:
        vsize[n] = program_size(k, sz0, sz1, sz2, sz3, v0, v1, v2, v3)
        set_provenance(prov, n, prod, v0, v1, v2, v3)
    return status


@kernel(inline=True)
def set_provenance(prov, n, prod, v0, v1, v2, v3):
    """Record how value ``n`` was made: the production and its argument ids (an unsigned row:
    no negative-index wraparound code)."""
    u = np.uint64(n)
    prov[u, 0] = prod
    prov[u, 1] = v0
    prov[u, 2] = v1
    prov[u, 3] = v2
    prov[u, 4] = v3
