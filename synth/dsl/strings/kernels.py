"""numba kernels of the strings ops: one call applies an op to a whole block of argument tuples.

``synth/dsl/strings/ops.py`` stays the single source of truth; every kernel here must agree with it
exactly (``tests/test_kernels_strings.py`` checks them on random Unicode values with hypothesis).
Strings are arrays of Unicode code points, so any character works. The one op whose reference
semantics needs Unicode tables is PROPER (``str.isalpha``, ``str.upper``): its kernel handles
ASCII strings and hands any other string back to Python (``DEFER``).

A kernel writes a string result straight into the result bank, capped at ``limit`` characters:
a longer result could never be kept (the strings cap) and is reported as ``TOOLONG``.
"""
from __future__ import annotations

import numpy as np

from synth.dsl.strings import ops as R
from synth.search.compiled import table as T
from synth.search.compiled.protocol import (DEFERRED, DONE, FULL, P_E, P_END, P_FLAGS, P_K, P_KIND,
                                             P_LIMIT, P_M, P_MAXABS, P_OP, P_POS, P_PROD, SOLVED)
from synth.search.compiled.jit import kernel

# op results besides a length >= 0 (SEQ ops) or a value (SCALAR ops)
ERR = -1
TOOLONG = -2
DEFER = -3

# semantics codes; ops with the same reference function share one
(S_CONCAT, S_LEFT, S_RIGHT, S_MID, S_REPLACE, S_SUBSTITUTE, S_SUBSTITUTE_NTH, S_TRIM, S_LOWER,
 S_UPPER, S_PROPER, S_REPT, S_TO_TEXT, S_IF, S_SUBSTR, S_AT, S_STR_REPLACE, S_FROM_INT) = range(18)
(I_ADD, I_SUB, I_NEG, I_MUL, I_FIND, I_FIND_FROM, I_LEN, I_INDEXOF, I_TO_INT, I_ITE, B_EQ_STR,
 B_EQ, B_GT, B_GTE, B_LE, B_LT, B_PREFIXOF, B_SUFFIXOF, B_CONTAINS, B_AND, B_OR, B_NOT) = range(100, 122)

#: reference function -> kernel code. An op has a kernel iff its ``fn`` is a key here.
KERNEL_OF = {
    R.concatenate: S_CONCAT, R.str_concat: S_CONCAT, R.left: S_LEFT, R.right: S_RIGHT,
    R.mid: S_MID, R.replace: S_REPLACE, R.substitute: S_SUBSTITUTE,
    R.substitute_nth: S_SUBSTITUTE_NTH, R.trim: S_TRIM, R.lower: S_LOWER, R.upper: S_UPPER,
    R.proper: S_PROPER, R.rept: S_REPT, R.to_text: S_TO_TEXT, R.str_substr: S_SUBSTR,
    R.str_at: S_AT, R.str_replace: S_STR_REPLACE, R.str_from_int: S_FROM_INT,
    R.add: I_ADD, R.int_add: I_ADD, R.minus: I_SUB, R.int_sub: I_SUB, R.int_neg: I_NEG,
    R.int_mul: I_MUL, R.find: I_FIND, R.find_from: I_FIND_FROM, R.length: I_LEN,
    R.str_len: I_LEN, R.str_indexof: I_INDEXOF, R.str_to_int: I_TO_INT,
    R.exact: B_EQ_STR, R.gt: B_GT, R.gt_: B_GT, R.gte: B_GTE, R.ge: B_GTE, R.le: B_LE,
    R.lt: B_LT, R.str_prefixof: B_PREFIXOF, R.str_suffixof: B_SUFFIXOF,
    R.str_contains: B_CONTAINS, R.and_: B_AND, R.or_: B_OR, R.not_: B_NOT,
}
#: ops whose reference function serves several signatures: the code depends on the result type
KERNEL_BY_TYPE = {
    (R.if_, "String"): S_IF, (R.ite, "String"): S_IF, (R.ite, "Int"): I_ITE, (R.ite, "Bool"): I_ITE,
    (R.eq, "String"): B_EQ_STR, (R.eq, "Int"): B_EQ, (R.eq, "Bool"): B_EQ,
}

#: value layout of each type of the domain
KINDS = {"String": T.SEQ, "Int": T.SCALAR, "Bool": T.SCALAR}

#: ints beyond this cannot be stored in the compiled bank (products must fit in int64)
MAX_INT = 1 << 31
_HUGE = 1 << 62  # stands for an integer too large for any cap (str.to_int of a long digit run)


def kernel_code(op) -> int | None:
    """The kernel code of a domain ``Op``, or None if it has none."""
    code = KERNEL_OF.get(op.fn)
    if code is None:
        first = op.arg_types[1] if op.fn in (R.if_, R.ite) else op.arg_types[0] if op.arg_types else None
        code = KERNEL_BY_TYPE.get((op.fn, first))
    return code


def encode(type_: str, value):
    """A Python value as the bank stores it (an int, or an int32 code-point array), or None when
    the compiled bank cannot hold it."""
    if type_ == "String":
        if type(value) is not str:
            return None
        return np.frombuffer(value.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int32)
    if type_ == "Bool":
        return int(value) if type(value) is bool else None
    if type_ == "Int":
        return int(value) if type(value) is int and -MAX_INT < value < MAX_INT else None
    return None


def decode(type_: str, raw):
    if type_ == "String":
        return np.asarray(raw, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    if type_ == "Bool":
        return bool(raw)
    return int(raw)


def value_caps(type_: str, limits) -> tuple[int, int] | None:
    """``StringsDomain.value_ok`` as caps: (longest string kept, bound on |int|; 0 = none), or
    None when the caps exceed what the compiled bank holds."""
    if type_ == "String":
        return limits.max_string_len - 1, 0
    if type_ == "Int":
        return (0, limits.max_abs_int) if limits.max_abs_int <= MAX_INT else None
    return 0, 0


# ------------------------------------------------------------------------------ string helpers
@kernel(inline=True)
def _copy(src, lo, hi, out, w, end):
    """Append src[lo:hi] to out at w; the new end, or -1 past ``end``."""
    n = hi - lo
    if w + n > end:
        return -1
    for j in range(n):
        out[w + j] = src[lo + j]
    return w + n


@kernel(inline=True)
def _find(h, hlo, hhi, nd, nlo, nhi, start):
    """Python's ``hay.find(needle, start)`` for start >= 0, as an offset from hlo (or -1)."""
    lh = hhi - hlo
    ln = nhi - nlo
    if start > lh:
        return -1
    for i in range(start, lh - ln + 1):
        ok = True
        for j in range(ln):
            if h[hlo + i + j] != nd[nlo + j]:
                ok = False
                break
        if ok:
            return i
    return -1


@kernel(inline=True)
def _same(a, alo, ahi, b, blo, bhi):
    if ahi - alo != bhi - blo:
        return False
    for j in range(ahi - alo):
        if a[alo + j] != b[blo + j]:
            return False
    return True


@kernel(inline=True)
def _digits(x, out, w, end):
    """Write str(x) (decimal, with a leading '-')."""
    if x < 0:
        if w + 1 > end:
            return -1
        out[w] = 45  # '-'
        w += 1
        x = -x
    nd = 1
    t = x
    while t >= 10:
        t //= 10
        nd += 1
    if w + nd > end:
        return -1
    for j in range(nd):
        out[w + nd - 1 - j] = 48 + x % 10
        x //= 10
    return w + nd


@kernel(inline=True)
def _replace_all(s, slo, shi, o, olo, ohi, r, rlo, rhi, out, w, end):
    """s.replace(old, new) for a non-empty old, non-overlapping from the left."""
    lo_ = ohi - olo
    i = slo
    while i <= shi - lo_:
        if _same(s, i, i + lo_, o, olo, ohi):
            w = _copy(r, rlo, rhi, out, w, end)
            if w < 0:
                return -1
            i += lo_
        else:
            if w + 1 > end:
                return -1
            out[w] = s[i]
            w += 1
            i += 1
    return _copy(s, i, shi, out, w, end)


@kernel(inline=True)
def _splice(s, slo, shi, i, j, r, rlo, rhi, out, w, end):
    """s[:i] + r + s[j:] (offsets from slo; j may exceed the length)."""
    w = _copy(s, slo, slo + i, out, w, end)
    if w < 0:
        return -1
    w = _copy(r, rlo, rhi, out, w, end)
    if w < 0:
        return -1
    if slo + j < shi:
        w = _copy(s, slo + j, shi, out, w, end)
    return w


# ------------------------------------------------------------------------------ op kernels
@kernel(inline=True)
def seq_op(op, E, e, v0, v1, v2, v3, el0, el1, el2, el3, of0, of1, of2, of3, in0, in1, in2, in3,
           out, w0, limit):
    """Example ``e`` of a string-valued op on argument values v0..v3: writes the result at
    ``out[w0:]`` and returns its length, or ERR, TOOLONG or DEFER."""
    end = w0 + limit
    # ops whose first argument is not a string
    if op == S_TO_TEXT or op == S_FROM_INT:
        x = in0[v0, e]
        if op == S_FROM_INT and x < 0:
            return 0
        w = _digits(x, out, w0, end)
        return TOOLONG if w < 0 else w - w0
    if op == S_IF:
        c = in0[v0, e] != 0
        b = of1 if c else of2
        v = v1 if c else v2
        w = _copy(el1 if c else el2, b[v * E + e], b[v * E + e + 1], out, w0, end)
        return TOOLONG if w < 0 else w - w0
    s = el0
    a = of0
    slo = a[v0 * E + e]
    shi = a[v0 * E + e + 1]
    ls = shi - slo
    w = 0
    if op == S_CONCAT:
        b = of1
        w = _copy(s, slo, shi, out, w0, end)
        if w >= 0:
            w = _copy(el1, b[v1 * E + e], b[v1 * E + e + 1], out, w, end)
    elif op == S_LEFT:
        n = in1[v1, e]
        if n < 0:
            return ERR
        w = _copy(s, slo, slo + min(n, ls), out, w0, end)
    elif op == S_RIGHT:
        n = in1[v1, e]
        if n < 0:
            return ERR
        w = _copy(s, shi - n if n < ls else slo, shi, out, w0, end)
    elif op == S_MID:
        start = in1[v1, e]
        n = in2[v2, e]
        if start <= 0 or n < 0:
            return ERR
        i = start - 1
        if i >= ls:
            return 0
        w = _copy(s, slo + i, slo + min(i + n, ls), out, w0, end)
    elif op == S_REPLACE:
        start = in1[v1, e]
        n = in2[v2, e]
        if start <= 0 or n < 0:
            return ERR
        i = min(start - 1, ls)
        r = of3
        w = _splice(s, slo, shi, i, i + n, el3, r[v3 * E + e], r[v3 * E + e + 1], out, w0, end)
    elif op == S_SUBSTITUTE or op == S_SUBSTITUTE_NTH:
        o = of1
        olo = o[v1 * E + e]
        ohi = o[v1 * E + e + 1]
        r = of2
        rlo = r[v2 * E + e]
        rhi = r[v2 * E + e + 1]
        occ = 0
        if op == S_SUBSTITUTE_NTH:
            occ = in3[v3, e]
            if occ < 0:
                return ERR
        if olo == ohi:
            w = _copy(s, slo, shi, out, w0, end)
        elif occ == 0:
            w = _replace_all(s, slo, shi, el1, olo, ohi, el2, rlo, rhi, out, w0, end)
        else:
            lo_ = ohi - olo
            i = _find(s, slo, shi, el1, olo, ohi, 0)
            for _ in range(occ - 1):
                if i < 0:
                    break
                i = _find(s, slo, shi, el1, olo, ohi, i + lo_)
            if i < 0:
                w = _copy(s, slo, shi, out, w0, end)
            else:
                w = _splice(s, slo, shi, i, i + lo_, el2, rlo, rhi, out, w0, end)
    elif op == S_TRIM:
        i = slo
        j = shi
        while i < j and s[i] <= 32:
            i += 1
        while j > i and s[j - 1] <= 32:
            j -= 1
        w = w0
        prev_space = False
        for p in range(i, j):
            c = s[p]
            if c == 32 and prev_space:
                continue
            if w + 1 > end:
                return TOOLONG
            out[w] = c
            w += 1
            prev_space = c == 32
    elif op == S_LOWER or op == S_UPPER or op == S_PROPER:
        if ls > limit:
            return TOOLONG
        if op == S_PROPER:
            for p in range(slo, shi):
                if s[p] > 127:
                    return DEFER
        prev_letter = False
        for p in range(ls):
            c = s[slo + p]
            upper = 65 <= c <= 90
            lower = 97 <= c <= 122
            if op == S_LOWER:
                if upper:
                    c += 32
            elif op == S_UPPER:
                if lower:
                    c -= 32
            else:
                if prev_letter and upper:
                    c += 32
                elif not prev_letter and lower:
                    c -= 32
                prev_letter = upper or lower
            out[w0 + p] = c
        w = w0 + ls
    elif op == S_REPT:
        k = in1[v1, e]
        if k < 0 or ls * k > 100:
            return ERR
        w = w0
        for _ in range(k):
            w = _copy(s, slo, shi, out, w, end)
            if w < 0:
                break
    elif op == S_SUBSTR:
        i = in1[v1, e]
        n = in2[v2, e]
        if i < 0 or i >= ls or n <= 0:
            return 0
        w = _copy(s, slo + i, slo + min(i + n, ls), out, w0, end)
    elif op == S_AT:
        i = in1[v1, e]
        if i < 0 or i >= ls:
            return 0
        w = _copy(s, slo + i, slo + i + 1, out, w0, end)
    elif op == S_STR_REPLACE:
        t = of1
        tlo = t[v1 * E + e]
        thi = t[v1 * E + e + 1]
        r = of2
        rlo = r[v2 * E + e]
        rhi = r[v2 * E + e + 1]
        if tlo == thi:
            w = _splice(s, slo, shi, 0, 0, el2, rlo, rhi, out, w0, end)
        else:
            i = _find(s, slo, shi, el1, tlo, thi, 0)
            if i < 0:
                w = _copy(s, slo, shi, out, w0, end)
            else:
                w = _splice(s, slo, shi, i, i + thi - tlo, el2, rlo, rhi, out, w0, end)
    else:
        return ERR
    if w < 0:
        return TOOLONG
    return w - w0


@kernel(inline=True)
def scalar_op(op, E, e, v0, v1, v2, v3, el0, el1, of0, of1, in0, in1, in2):
    """Example ``e`` of an int- or bool-valued op: (True, value) or (False, 0) on an error."""
    if op == I_ADD:
        return True, in0[v0, e] + in1[v1, e]
    if op == I_SUB:
        return True, in0[v0, e] - in1[v1, e]
    if op == I_NEG:
        return True, -in0[v0, e]
    if op == I_MUL:
        return True, in0[v0, e] * in1[v1, e]
    if op == I_ITE:
        return True, in1[v1, e] if in0[v0, e] != 0 else in2[v2, e]
    if op == B_EQ:
        return True, np.int64(in0[v0, e] == in1[v1, e])
    if op == B_GT:
        return True, np.int64(in0[v0, e] > in1[v1, e])
    if op == B_GTE:
        return True, np.int64(in0[v0, e] >= in1[v1, e])
    if op == B_LE:
        return True, np.int64(in0[v0, e] <= in1[v1, e])
    if op == B_LT:
        return True, np.int64(in0[v0, e] < in1[v1, e])
    if op == B_AND:
        return True, np.int64(in0[v0, e] != 0 and in1[v1, e] != 0)
    if op == B_OR:
        return True, np.int64(in0[v0, e] != 0 or in1[v1, e] != 0)
    if op == B_NOT:
        return True, np.int64(in0[v0, e] == 0)
    # ops over strings: argument 0 is a string
    s = el0
    a = of0
    slo = a[v0 * E + e]
    shi = a[v0 * E + e + 1]
    if op == I_LEN:
        return True, shi - slo
    if op == I_TO_INT:
        if slo == shi:
            return True, np.int64(-1)
        x = np.int64(0)
        for p in range(slo, shi):
            c = s[p]
            if c < 48 or c > 57:
                return True, np.int64(-1)
        for p in range(slo, shi):
            if x < _HUGE // 10:
                x = x * 10 + (s[p] - 48)
            else:
                x = _HUGE
        return True, x
    b = of1
    t = el1
    tlo = b[v1 * E + e]
    thi = b[v1 * E + e + 1]
    if op == I_FIND:  # FIND(needle, within)
        i = _find(t, tlo, thi, s, slo, shi, 0)
        return (False, np.int64(0)) if i < 0 else (True, np.int64(i + 1))
    if op == I_FIND_FROM:
        start = in2[v2, e]
        if start <= 0:
            return False, np.int64(0)
        i = _find(t, tlo, thi, s, slo, shi, start - 1)
        return (False, np.int64(0)) if i < 0 else (True, np.int64(i + 1))
    if op == I_INDEXOF:  # str.indexof(s, t, i)
        i = in2[v2, e]
        if i < 0 or i > shi - slo:
            return True, np.int64(-1)
        return True, np.int64(_find(s, slo, shi, t, tlo, thi, i))
    if op == B_EQ_STR:
        return True, np.int64(_same(s, slo, shi, t, tlo, thi))
    if op == B_PREFIXOF:  # str.prefixof(p, s): s starts with p
        lp = shi - slo
        return True, np.int64(thi - tlo >= lp and _same(s, slo, shi, t, tlo, tlo + lp))
    if op == B_SUFFIXOF:
        lp = shi - slo
        return True, np.int64(thi - tlo >= lp and _same(s, slo, shi, t, thi - lp, thi))
    if op == B_CONTAINS:  # str.contains(s, t): t in s
        return True, np.int64(_find(s, slo, shi, t, tlo, thi, 0) >= 0)
    return False, np.int64(0)


# ------------------------------------------------------------------------------ batch driver
@kernel
def run_block(P, ids, els, ofs, ints, sizes, el, of, rints, table, hashes, vsize, prov, state,
              tel, tof, tints, rec, lo, hi, maskseen):
    """Apply one op to argument tuples ``P_POS..P_END`` of the product of ``ids[0..k-1]``
    (itertools.product order), keeping each new value in the result bank.

    Returns (DONE, end), (FULL, p) when the bank must grow before tuple p, (DEFERRED, p) when
    tuple p must be evaluated in Python, or (SOLVED, p) when tuple p produced the target."""
    op = P[P_OP]
    k = P[P_K]
    E = P[P_E]
    kind = P[P_KIND]
    limit = P[P_LIMIT]
    maxabs = P[P_MAXABS]
    prod = P[P_PROD]
    flags = P[P_FLAGS]
    pos = P[P_POS]
    end = P[P_END]
    m0 = P[P_M]
    m1 = P[P_M + 1]
    m2 = P[P_M + 2]
    m3 = P[P_M + 3]
    # digits of pos, the last argument fastest
    rem = pos
    d3 = rem % m3
    rem //= m3
    d2 = rem % m2
    rem //= m2
    d1 = rem % m1
    rem //= m1
    d0 = rem % m0
    ids0, ids1, ids2, ids3 = ids
    el0, el1, el2, el3 = els
    of0, of1, of2, of3 = ofs
    in0, in1, in2, in3 = ints
    sz0, sz1, sz2, sz3 = sizes
    for p in range(pos, end):
        n = state[T.N]
        if n >= state[T.CAP_VALS] or 2 * (n + 1) > state[T.MASK] + 1 or state[T.NREC] >= T.REC_CAP \
                or (kind == T.SEQ and of[n * E] + E * limit > state[T.CAP_ELEMS]):
            return FULL, p
        v0 = ids0[d0]
        v1 = ids1[d1]
        v2 = ids2[d2]
        v3 = ids3[d3]
        ok = True
        if kind == T.SEQ:
            w = of[n * E]
            for e in range(E):
                r = seq_op(op, E, e, v0, v1, v2, v3, el0, el1, el2, el3, of0, of1, of2, of3, in0, in1,
                           in2, in3, el, w, limit)
                if r < 0:
                    if r == DEFER:
                        return DEFERRED, p
                    ok = False
                    break
                w += r
                of[n * E + e + 1] = w
        else:
            for e in range(E):
                good, x = scalar_op(op, E, e, v0, v1, v2, v3, el0, el1, of0, of1, in0, in1, in2)
                if not good or (maxabs > 0 and (x >= maxabs or x <= -maxabs)):
                    ok = False
                    break
                rints[n, e] = x
        if ok:
            size = 1 + sz0[v0]
            if k > 1:
                size += sz1[v1]
            if k > 2:
                size += sz2[v2]
            if k > 3:
                size += sz3[v3]
            vsize[n] = size
            status = T.commit_value(kind, E, el, of, rints, table, hashes, vsize, state, flags,
                                    tel, tof, tints, rec, lo, hi, maskseen, p)
            if status != T.DUP:
                prov[n, 0] = prod
                prov[n, 1] = v0
                prov[n, 2] = v1
                prov[n, 3] = v2
                prov[n, 4] = v3
                if status == T.SOLVED:
                    return SOLVED, p
        # next tuple
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
    return DONE, end
