"""numba kernels of the strings ops: one call applies an op to a whole block of argument tuples.

``synth/dsl/strings/ops.py`` stays the single source of truth; every kernel here must agree with it
exactly (``tests/test_kernels_strings.py`` checks them on random Unicode values with hypothesis).
Strings are arrays of Unicode code points, so any character works. The ops whose reference
semantics need Unicode tables are PROPER, UPPER and LOWER (``str.isalpha``, ``str.upper``,
``str.lower``): their kernels handle ASCII strings and hand any other string back to Python
(``DEFER``). A search whose strings are
all ASCII stores one byte per character (every op maps ASCII to ASCII).

A kernel writes a string result straight into the result bank, capped at ``limit`` characters:
a longer result could never be kept (the strings cap) and is reported as ``TOOLONG``.
"""
from __future__ import annotations

import numpy as np

from synth.dsl.strings import ops as R
from synth.search.compiled import blocks as B
from synth.search.compiled import table as T
from synth.search.compiled.protocol import DEFERRED, DONE, FULL, OP_COMMIT, SOLVED
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
#: the types whose values are 0 or 1 on every example (``table.F_BOOL``)
BOOLEAN_TYPES = ("Bool",)

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


def element_dtype(strings) -> np.dtype:
    """``uint8`` when every string is ASCII (every op keeps text ASCII, so the whole search
    does), else ``int32`` (any code point)."""
    return np.dtype(np.uint8) if all(s.isascii() for s in strings) else np.dtype(np.int32)


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
_U1, _U2, _U3, _U8 = np.uint64(1), np.uint64(2), np.uint64(3), np.uint64(8)
_LOW_BITS = np.uint64(0x0101010101010101)
_HIGH_BITS = np.uint64(0x8080808080808080)
_LOW_7 = np.uint64(0x7F7F7F7F7F7F7F7F)
# added to each 7-bit byte: its high bit is then set iff the byte is >= a letter range's start
# (or > its end)
_LOWER_A = np.uint64(0x80 - ord("a")) * _LOW_BITS
_LOWER_Z = np.uint64(0x80 - ord("z") - 1) * _LOW_BITS
_UPPER_A = np.uint64(0x80 - ord("A")) * _LOW_BITS
_UPPER_Z = np.uint64(0x80 - ord("Z") - 1) * _LOW_BITS
_SPACES = np.uint64(ord(" ")) * _LOW_BITS
_ALL_BITS = np.uint64(0xFFFFFFFFFFFFFFFF)


@kernel(inline=True)
def _find(h, hlo, hhi, nd, nlo, nhi, start):
    """Python's ``hay.find(needle, start)`` for start >= 0, as an offset from hlo (or -1).

    In the one-byte layout the needle's first character is looked for eight characters at a
    time (a 64-bit word compared bytewise: the lowest zero byte of word ^ pattern is the first
    match), and a candidate position is confirmed a word at a time. Both read up to a word past
    the hay's and the needle's ends: they are bank element arrays, which keep a word to spare
    (``valuebank.SLACK``)."""
    lh = hhi - hlo
    ln = nhi - nlo
    if start > lh:
        return -1
    if ln == 0:
        return start
    if ln > lh - start:
        return -1
    first = nd[nlo]
    base = np.uint64(hlo)  # unsigned indices: no negative-index wraparound code
    nb = np.uint64(nlo)
    last = np.uint64(lh - ln)  # the last position the needle can start at
    i = np.uint64(start)
    if T.per_word(h) == 8:  # one byte per character (a constant of the array type)
        pattern = np.uint64(first) * _LOW_BITS
        un = np.uint64(ln)
        while i <= last:
            x = T.load_u64(h, base + i) ^ pattern
            hits = (x - _LOW_BITS) & ~x & _HIGH_BITS
            if hits == 0:
                i += _U8
                continue
            i += T.trailing_zeros(hits) >> _U3
            if i > last:
                return -1
            # the rest of the needle, from its second character on (the scan matched the
            # first): ``_same``'s masked word compare, written out here; calling ``_same``
            # cost 347.2 instructions per candidate against 340.6 (throughput.py, callgrind)
            same = True
            j = _U1
            while j < un:
                x = T.load_u64(h, base + i + j) ^ T.load_u64(nd, nb + j)
                if un - j < _U8:  # the needle's last partial word: the bytes past it masked off
                    x &= (_U1 << ((un - j) << _U3)) - _U1
                if x != 0:
                    same = False
                    break
                j += _U8
            if same:
                return np.int64(i)
            i += _U1
        return -1
    while i <= last:
        if h[base + i] == first:
            ok = True
            for j in range(np.uint64(1), np.uint64(ln)):
                if h[base + i + j] != nd[nb + j]:
                    ok = False
                    break
            if ok:
                return np.int64(i)
        i += _U1
    return -1


@kernel(inline=True)
def _letter_masks(x):
    """The high bit of each byte of ``x`` (eight ASCII characters) that is an upper-case letter,
    and of each that is a lower-case one."""
    t7 = x & _LOW_7
    upper = (t7 + _UPPER_A) & ~(t7 + _UPPER_Z) & ~x & _HIGH_BITS
    lower = (t7 + _LOWER_A) & ~(t7 + _LOWER_Z) & ~x & _HIGH_BITS
    return upper, lower


@kernel(inline=True)
def _proper_flips(x, carry):
    """PROPER on eight ASCII characters: the high bit of each byte to lower-case (a capital
    after a letter) and of each to upper-case (a small letter after a non-letter); ``carry``:
    whether the character before the word is a letter (its bit 7). Also the next carry."""
    upper, lower = _letter_masks(x)
    letters = upper | lower
    after_letter = (letters << _U8) | carry
    return upper & after_letter, lower & ~after_letter, letters >> np.uint64(56)


@kernel(inline=True)
def _unchanged(op, s, lo, hi):
    """Whether TRIM, LOWER, UPPER or PROPER leaves s[lo:hi] as it is (one byte per character:
    eight characters a word, the bytes past hi masked off; s is a bank element array, which
    keeps a word to spare). Then the result is the argument itself, written only if needed."""
    m = np.uint64(hi - lo)
    if m == 0:
        return True
    b = np.uint64(lo)
    if op == S_TRIM and (s[b] <= 32 or s[b + m - _U1] <= 32):
        return False
    carry = np.uint64(0)
    q = np.uint64(0)
    while q < m:
        x = T.load_u64(s, b + q)
        keep = _ALL_BITS if m - q >= _U8 else (_U1 << ((m - q) << _U3)) - _U1
        if op == S_TRIM:  # two spaces in a row
            t = x ^ _SPACES
            space = ~(((t & _LOW_7) + _LOW_7) | t | _LOW_7)  # exact: bytes equal to ' '
            bad = space & ((space << _U8) | carry)
            carry = space >> np.uint64(56)
        elif op == S_PROPER:
            down, up, carry = _proper_flips(x, carry)
            bad = down | up
        else:
            upper, lower = _letter_masks(x)
            bad = upper if op == S_LOWER else lower
        if bad & keep & _HIGH_BITS != 0:
            return False
        q += _U8
    return True


@kernel(inline=True)
def _same(a, alo, ahi, b, blo, bhi):
    """Whether a[alo:ahi] equals b[blo:bhi], a 64-bit word at a time (the last partial word's
    elements past the ends masked off: bank arrays keep a word to spare, ``valuebank.SLACK``)."""
    if ahi - alo != bhi - blo:
        return False
    m = np.uint64(ahi - alo)
    pa = np.uint64(alo)
    pb = np.uint64(blo)
    wd = T.per_word(a)
    bits = np.uint64(64) // wd
    j = np.uint64(0)
    while j < m:
        x = T.load_u64(a, pa + j) ^ T.load_u64(b, pb + j)
        if m - j < wd:
            x &= (_U1 << ((m - j) * bits)) - _U1
        if x != 0:
            return False
        j += wd
    return True


@kernel(inline=True)
def _pick(i, a0, a1, a2, a3):
    """Argument array ``i`` (the element arrays of up to four arguments)."""
    if i == 0:
        return a0
    if i == 1:
        return a1
    if i == 2:
        return a2
    return a3


@kernel(inline=True)
def _copy_segment(out, w, a, lo, hi, a0, a1, a2, a3):
    """Copy elements lo..hi of argument ``a``'s element array to out[w:], 32 bytes at a time;
    the new end (uint64 indices throughout: no negative-index wraparound code).

    Every array here is a bank's element array, which keeps 32 bytes to spare past its capacity
    (``valuebank.SLACK``), and a segment lies within the capacity (a kept value, or the result
    being written, which ``blocks.bank_full`` kept within it): so no bound is checked."""
    m = np.uint64(hi - lo)
    d = np.uint64(w)
    src = _pick(a, a0, a1, a2, a3)
    s = np.uint64(lo)
    wd = T.per_32(out)
    # the first 32 bytes unconditionally (most segments fit; an empty one writes 32 bytes of
    # free space past the result, which the next segment or value overwrites)
    T.copy_32(out, d, src, s)
    j = wd
    while j < m:
        T.copy_32(out, d + j, src, s + j)
        j += wd
    return d + m


@kernel(inline=True)
def _catch_up(a, upto, E, v0, v1, v2, v3, el0, el1, el2, el3, of0, of1, of2, of3, el, of, n, limit):
    """Write examples ``0..upto-1`` of argument ``a``'s value as the result's (they were left
    unwritten while every example was that argument unchanged); the write position after
    them, or -1 if one is longer than ``limit``."""
    src = _pick(a, el0, el1, el2, el3)
    so = _pick(a, of0, of1, of2, of3)
    v = v0 if a == 0 else v1 if a == 1 else v2 if a == 2 else v3
    w = of[n * E]
    for e in range(upto):
        lo = so[v * E + e]
        m = so[v * E + e + 1] - lo
        if m > limit:
            return -1
        for j in range(m):
            el[w + j] = src[lo + j]
        w += m
        of[np.uint64(n * E + e + 1)] = w
    return w



@kernel(inline=True)
def _move_down(E, el, of, n):
    """Move the candidate at slot ``n + 1`` to slot ``n`` (its elements forward, 32 bytes a step:
    each step loads before it stores, and the target lies before the source; its offsets
    shifted): the candidate at slot ``n`` was a duplicate."""
    uE = np.uint64(E)
    src = np.uint64(of[(np.uint64(n) + _U1) * uE])
    dst = np.uint64(of[np.uint64(n) * uE])
    m = np.uint64(of[(np.uint64(n) + np.uint64(2)) * uE]) - src
    wd = T.per_32(el)
    j = np.uint64(0)
    while j < m:
        T.copy_32(el, dst + j, el, src + j)
        j += wd
    base = np.uint64(n) * uE
    for e in range(_U1, uE + _U1):
        of[base + e] = of[base + uE + e] - (src - dst)


@kernel
def _concat_block(E, limit, same, flags, prod, kind, pos, end, m1, d0, d1, v2, v3, ids0, ids1,
                  el0, el1, of0, of1, sz0, sz1, el, of, rints, table, vsize, prov, state,
                  tel, tof, tints, rec, lo, hi, maskseen):
    """``run_block`` for CONCAT (binary, the most frequent op producing new values) in a loop of
    its own: in the one loop over every op, the values that any op's branch keeps across
    tuples live through all of them, and the compiled loop spends its instructions moving them
    between registers and the stack. Same tuples, same values, same order.

    Software-pipelined by one candidate: a candidate is written and hashed, its hash table slot
    prefetched, and only then is the candidate before it committed (its slot, prefetched one
    candidate earlier, is in cache by now: a table much larger than the caches is read at
    random, and the commit's branches on that read otherwise stall the CPU). A candidate is
    written after the one awaiting its commit, and moved down if that one was a duplicate."""
    uE = np.uint64(E)
    um = np.uint64(state[T.MASK])  # the table is not replaced within a block
    p = pos
    pend = False  # a candidate awaits its commit at the free slot
    pp, ph, pv0, pv1 = pos, np.int64(0), 0, 0  # its tuple position, hash and arguments
    while True:
        n = state[T.N]
        slot = n + 1 if pend else n
        last = p >= end
        full = not last and B.slot_full(E, of, state, limit, slot)
        ok = not last and not full
        if ok:
            v0 = ids0[np.uint64(d0)]
            v1 = ids1[np.uint64(d1)]
            # unsigned indices throughout (no negative-index wraparound code)
            a0 = np.uint64(v0) * uE
            b0 = np.uint64(v1) * uE
            r0 = np.uint64(slot) * uE + _U1
            w = np.uint64(of[r0 - _U1])
            alo = of0[a0]
            blo = of1[b0]
            # a ++ b is b exactly when a is empty on every example (its total length is 0), and
            # a when b is: equal to an argument of the result's nonterminal, a kept value
            if (same & 1 and of1[b0 + uE] == blo) or (same & 2 and of0[a0 + uE] == alo):
                ok = False
            else:
                for e in range(uE):
                    ahi = of0[a0 + e + _U1]
                    bhi = of1[b0 + e + _U1]
                    if (ahi - alo) + (bhi - blo) > limit:
                        ok = False
                        break
                    w = _copy_segment(el, w, 0, alo, ahi, el0, el1, el0, el1)
                    w = _copy_segment(el, w, 1, blo, bhi, el0, el1, el0, el1)
                    of[r0 + e] = w
                    alo = ahi
                    blo = bhi
            if ok:
                h = T.hash_value(kind, E, el, of, rints, slot)
                T.prefetch(table, T._home(h, um))
        if pend:  # commit the candidate before this one (one copy of the commit: compile time)
            pend = False
            if state[T.NREC] >= T.REC_CAP:  # (the previous commit's records, or the full slot's
                return FULL, pp             # reason): the engine drains them, then redoes pp on
            status = B.keep_hashed(ph, 2, kind, E, el, of, rints, table, vsize, prov, state, flags,
                                   tel, tof, tints, rec, lo, hi, maskseen, pp, prod, sz0, sz1,
                                   sz0, sz1, pv0, pv1, v2, v3)
            if status == T.SOLVED:
                return SOLVED, pp
            if ok and status == T.DUP:
                _move_down(E, el, of, n)
            if full:  # there may be room now
                continue
        if last:
            return DONE, end
        if full:
            return FULL, p
        if ok:
            pend = True
            pp, ph, pv0, pv1 = p, h, v0, v1
        p += 1
        d1 += 1
        if d1 == m1:
            d1 = 0
            d0 += 1


@kernel
def _substitute_block(op, k, E, limit, same, flags, prod, kind, pos, end, m1, m2, m3, d0, d1, d2,
                      d3, ids0, ids1, ids2, ids3, el0, el1, el2, of0, of1, of2, in3, sz0, sz1,
                      sz2, sz3, el, of, rints, table, vsize, prov, state, tel, tof, tints, rec,
                      lo, hi, maskseen):
    """``run_block`` for SUBSTITUTE(s, old, new[, occurrence]) in a loop of its own (see
    ``_concat_block``). Tuples sharing (s, old) come in a run (new and the occurrence vary
    fastest): where old first occurs in s on each example is found once per run, and a run
    where old occurs on no example is skipped when s is of the result's nonterminal (every
    tuple gives s back, a kept value). Same tuples, same values, same order."""
    uE = np.uint64(E)
    # per example: where old first occurs in s (-1: nowhere). The bank's range scratch (kernels
    # allocate nothing), which commit_value writes only in the concatenation shortcut: refound
    # after a value is kept with the shortcut on (positions left there would be copied from)
    first = hi
    stale = False
    fits = not B.bank_full(kind, E, of, state, limit)
    p = pos
    while p < end:
        if (d2 == 0 and d3 == 0) or p == pos or stale:  # a new (s, old) run
            stale = False
            a0 = np.uint64(ids0[np.uint64(d0)]) * uE
            a1 = np.uint64(ids1[np.uint64(d1)]) * uE
            absent = True
            for e in range(uE):
                olo, ohi = of1[a1 + e], of1[a1 + e + _U1]
                at = _find(el0, of0[a0 + e], of0[a0 + e + _U1], el1, olo, ohi, 0) if ohi > olo else -1
                first[e] = at
                if at >= 0:
                    absent = False
            if absent and same & 1 and (d2 == 0 and d3 == 0 or p == pos):  # skip to the next (s, old)
                p, d0, d1, d2, d3 = B.skip_run(p, d0, d1, d2, d3, m1, m2, m3)
                continue
        if not fits:
            return FULL, p
        n = state[T.N]
        v0 = ids0[np.uint64(d0)]
        v1 = ids1[np.uint64(d1)]
        v2 = ids2[np.uint64(d2)]
        v3 = ids3[np.uint64(d3)]
        ok = True
        a0 = np.uint64(v0) * uE
        a1 = np.uint64(v1) * uE
        a2 = np.uint64(v2) * uE
        u3 = np.uint64(v3)
        r0 = np.uint64(n) * uE + _U1
        w = np.uint64(of[r0 - _U1])
        changed = False  # whether some example's result differs from s
        slo = of0[a0]
        olo = of1[a1]
        rlo = of2[a2]
        for e in range(uE):
            shi = of0[a0 + e + _U1]
            ohi = of1[a1 + e + _U1]
            rhi = of2[a2 + e + _U1]
            occ = in3[u3, e] if op == S_SUBSTITUTE_NTH else 0
            if occ < 0:
                ok = False
                break
            at = first[e]
            stop = w + np.uint64(limit)
            done = 0  # elements of s written (or replaced) so far
            seen = 0  # occurrences found so far
            while at >= 0:
                seen += 1
                if occ == 0 or seen == occ:
                    changed = True
                    if w + np.uint64(at - done + (rhi - rlo)) > stop:
                        ok = False
                        break
                    w = _copy_segment(el, w, 0, slo + done, slo + at, el0, el1, el2, el2)
                    w = _copy_segment(el, w, 2, rlo, rhi, el0, el1, el2, el2)
                    done = at + (ohi - olo)
                    if seen == occ:
                        break
                at = _find(el0, slo, shi, el1, olo, ohi, at + (ohi - olo))
            if not ok or w + np.uint64(shi - slo - done) > stop:
                ok = False
                break
            w = _copy_segment(el, w, 0, slo + done, shi, el0, el1, el2, el2)
            of[r0 + e] = w
            slo = shi
            olo = ohi
            rlo = rhi
        if ok and not changed and same & 1:
            ok = False  # s unchanged on every example: a kept value
        if ok and same & 1 != same and B.equals_an_argument(kind, E, el, of, rints, n, same & ~1,
                                                            v0, v1, v2, v3):
            ok = False
        if ok:
            status = B.keep_value(k, kind, E, el, of, rints, table, vsize, prov, state, flags, tel,
                                  tof, tints, rec, lo, hi, maskseen, p, prod, sz0, sz1, sz2, sz3,
                                  v0, v1, v2, v3)
            if status == T.SOLVED:
                return SOLVED, p
            if status != T.DUP:
                fits = not B.bank_full(kind, E, of, state, limit)
                stale = flags & T.F_CONCAT != 0  # the concatenation shortcut writes ``hi``
        p += 1
        d0, d1, d2, d3 = B.next_digits(d0, d1, d2, d3, m1, m2, m3)
    return DONE, end


@kernel
def _scalar_block(op, k, E, maxabs, same, flags, prod, kind, pos, end, m1, m2, m3, d0, d1, d2,
                  d3, ids0, ids1, ids2, ids3, el0, el1, el2, el3, of0, of1, of2, of3, in0, in1,
                  in2, in3, sz0, sz1, sz2, sz3, el, of, rints, table, vsize, prov, state, tel,
                  tof, tints, rec, lo, hi, maskseen):
    """``run_block`` for the ops with an Int or Bool result, in a loop of their own (see
    ``_concat_block``). FIND(needle, within, start) skips the run of tuples sharing (needle,
    within) when the needle is absent on some example (every start then gives an error).
    Same tuples, same values, same order."""
    fits = not B.bank_full(kind, E, of, state, 0)
    p = pos
    while p < end:
        if op == I_FIND_FROM and ((d2 == 0 and d3 == 0) or p == pos):
            v0 = ids0[np.uint64(d0)]
            v1 = ids1[np.uint64(d1)]
            absent = False
            for e in range(E):
                nlo, nhi = of0[np.uint64(v0 * E + e)], of0[np.uint64(v0 * E + e + 1)]
                if nlo != nhi and _find(el1, of1[np.uint64(v1 * E + e)], of1[np.uint64(v1 * E + e + 1)],
                                        el0, nlo, nhi, 0) < 0:
                    absent = True
                    break
            if absent:  # skip to the next (needle, within)
                p, d0, d1, d2, d3 = B.skip_run(p, d0, d1, d2, d3, m1, m2, m3)
                continue
        if not fits:
            return FULL, p
        n = state[T.N]
        v0 = ids0[np.uint64(d0)]
        v1 = ids1[np.uint64(d1)]
        v2 = ids2[np.uint64(d2)]
        v3 = ids3[np.uint64(d3)]
        ok = True
        if op == I_FIND:
            # FIND(needle, within): one search per example, its own loop (the generic one tests
            # the op per example), unsigned indices
            uE = np.uint64(E)
            a0 = np.uint64(v0) * uE
            b0 = np.uint64(v1) * uE
            un = np.uint64(n)
            nlo = of0[a0]
            hlo = of1[b0]
            for e in range(uE):
                nhi = of0[a0 + e + _U1]
                hhi = of1[b0 + e + _U1]
                x = _find(el1, hlo, hhi, el0, nlo, nhi, 0) + 1
                if x == 0 or (maxabs > 0 and x >= maxabs):
                    ok = False
                    break
                rints[un, e] = x
                nlo = nhi
                hlo = hhi
        elif op == B_EQ_STR:
            # EXACT / = on strings: one word compare per example, its own loop (the generic one
            # tests the op per example), unsigned indices; a Bool is never out of the caps
            uE = np.uint64(E)
            a0 = np.uint64(v0) * uE
            b0 = np.uint64(v1) * uE
            un = np.uint64(n)
            slo = of0[a0]
            tlo = of1[b0]
            for e in range(uE):
                shi = of0[a0 + e + _U1]
                thi = of1[b0 + e + _U1]
                rints[un, e] = np.int64(_same(el0, slo, shi, el1, tlo, thi))
                slo = shi
                tlo = thi
        else:
            for e in range(E):
                # --- an int- or bool-valued op on example e: x, or good = False on an error
                good = True
                x = np.int64(0)
                if op == I_ADD:
                    x = in0[np.uint64(v0), np.uint64(e)] + in1[np.uint64(v1), np.uint64(e)]
                elif op == I_SUB:
                    x = in0[np.uint64(v0), np.uint64(e)] - in1[np.uint64(v1), np.uint64(e)]
                elif op == I_NEG:
                    x = -in0[np.uint64(v0), np.uint64(e)]
                elif op == I_MUL:
                    x = in0[np.uint64(v0), np.uint64(e)] * in1[np.uint64(v1), np.uint64(e)]
                elif op == I_ITE:
                    x = in1[np.uint64(v1), np.uint64(e)] if in0[np.uint64(v0), np.uint64(e)] != 0 else in2[np.uint64(v2), np.uint64(e)]
                elif op == B_EQ:
                    x = np.int64(in0[np.uint64(v0), np.uint64(e)] == in1[np.uint64(v1), np.uint64(e)])
                elif op == B_GT:
                    x = np.int64(in0[np.uint64(v0), np.uint64(e)] > in1[np.uint64(v1), np.uint64(e)])
                elif op == B_GTE:
                    x = np.int64(in0[np.uint64(v0), np.uint64(e)] >= in1[np.uint64(v1), np.uint64(e)])
                elif op == B_LE:
                    x = np.int64(in0[np.uint64(v0), np.uint64(e)] <= in1[np.uint64(v1), np.uint64(e)])
                elif op == B_LT:
                    x = np.int64(in0[np.uint64(v0), np.uint64(e)] < in1[np.uint64(v1), np.uint64(e)])
                elif op == B_AND:
                    x = np.int64(in0[np.uint64(v0), np.uint64(e)] != 0 and in1[np.uint64(v1), np.uint64(e)] != 0)
                elif op == B_OR:
                    x = np.int64(in0[np.uint64(v0), np.uint64(e)] != 0 or in1[np.uint64(v1), np.uint64(e)] != 0)
                elif op == B_NOT:
                    x = np.int64(in0[np.uint64(v0), np.uint64(e)] == 0)
                else:  # ops over strings: argument 0 is a string
                    slo = of0[np.uint64(v0 * E + e)]
                    shi = of0[np.uint64(v0 * E + e + 1)]
                    if op == I_LEN:
                        x = shi - slo
                    elif op == I_TO_INT:
                        x = -1
                        if slo < shi:
                            x = 0
                            for q in range(slo, shi):
                                c = el0[q]
                                if c < 48 or c > 57:
                                    x = -1
                                    break
                                x = x * 10 + (c - 48) if x < _HUGE // 10 else _HUGE
                    else:
                        tlo = of1[np.uint64(v1 * E + e)]
                        thi = of1[np.uint64(v1 * E + e + 1)]
                        if op == B_EQ_STR:
                            x = np.int64(_same(el0, slo, shi, el1, tlo, thi))
                        elif op == B_PREFIXOF:  # str.prefixof(p, s): s starts with p
                            lp = shi - slo
                            x = np.int64(thi - tlo >= lp and _same(el0, slo, shi, el1, tlo, tlo + lp))
                        elif op == B_SUFFIXOF:
                            lp = shi - slo
                            x = np.int64(thi - tlo >= lp and _same(el0, slo, shi, el1, thi - lp, thi))
                        else:  # the find family: one search, hay.find(needle, start)
                            start = np.int64(0)
                            if op == I_FIND or op == I_FIND_FROM:  # FIND(needle, within[, start])
                                hay, hlo, hhi, nd_, nlo, nhi = el1, tlo, thi, el0, slo, shi
                                if op == I_FIND_FROM:
                                    start = in2[np.uint64(v2), np.uint64(e)] - 1
                                    if start < 0:
                                        good = False
                            else:  # str.indexof(s, t, i), str.contains(s, t): t in s
                                hay, hlo, hhi, nd_, nlo, nhi = el0, slo, shi, el1, tlo, thi
                                if op == I_INDEXOF:
                                    start = in2[np.uint64(v2), np.uint64(e)]
                                    if start < 0 or start > shi - slo:
                                        start = -1
                                elif op != B_CONTAINS:
                                    good = False
                            if good:
                                i = _find(hay, hlo, hhi, nd_, nlo, nhi, start) if start >= 0 else -1
                                if op == I_FIND or op == I_FIND_FROM:
                                    good = i >= 0
                                    x = i + 1
                                elif op == I_INDEXOF:
                                    x = i
                                else:
                                    x = np.int64(i >= 0)
                if not good or (maxabs > 0 and (x >= maxabs or x <= -maxabs)):
                    ok = False
                    break
                rints[np.uint64(n), np.uint64(e)] = x
        if ok and same != 0 and B.equals_an_argument(kind, E, el, of, rints, n, same, v0, v1, v2, v3):
            ok = False
        if ok:
            status = B.keep_value(k, kind, E, el, of, rints, table, vsize, prov, state, flags, tel,
                                  tof, tints, rec, lo, hi, maskseen, p, prod, sz0, sz1, sz2, sz3,
                                  v0, v1, v2, v3)
            if status == T.SOLVED:
                return SOLVED, p
            if status != T.DUP:
                fits = not B.bank_full(kind, E, of, state, 0)
        p += 1
        if k == 2:  # the most frequent arity: d2 and d3 stay 0
            d1 += 1
            if d1 == m1:
                d1 = 0
                d0 += 1
        else:
            d0, d1, d2, d3 = B.next_digits(d0, d1, d2, d3, m1, m2, m3)
    return DONE, end


@kernel
def _piece_block(op, k, E, limit, same, flags, prod, kind, pos, end, m1, m2, m3, d0, d1, d2, d3,
                 ids0, ids1, ids2, ids3, el0, el1, el2, el3, of0, of1, of2, of3, in1, in2, sz0,
                 sz1, sz2, sz3, el, of, rints, table, vsize, prov, state, tel, tof, tints, rec,
                 lo, hi, maskseen):
    """``run_block`` for LEFT, RIGHT, MID, str.substr (a piece of s) and REPLACE (s's head, t,
    s's tail) in a loop of their own (see ``_concat_block``). Same tuples, same values, same
    order."""
    fits = not B.bank_full(kind, E, of, state, limit)
    p = pos
    while p < end:
        if not fits:
            return FULL, p
        n = state[T.N]
        v0 = ids0[np.uint64(d0)]
        v1 = ids1[np.uint64(d1)]
        v2 = ids2[np.uint64(d2)]
        v3 = ids3[np.uint64(d3)]
        ok = True
        if op == S_LEFT or op == S_RIGHT or op == S_MID or op == S_SUBSTR:
            # a piece of argument 0 per example: its own loop (the generic one's bookkeeping
            # for up to three segments costs more than the piece), unsigned indices
            uE = np.uint64(E)
            a0 = np.uint64(v0) * uE
            r0 = np.uint64(n) * uE + _U1
            u1 = np.uint64(v1)
            u2 = np.uint64(v2)
            if (op == S_LEFT or op == S_RIGHT) and same & 1:
                # argument 0 unchanged on every example: a kept value, decided unwritten
                whole = True
                for e in range(uE):
                    if in1[u1, e] < of0[a0 + e + _U1] - of0[a0 + e]:
                        whole = False
                        break
                if whole:
                    ok = False
            if ok:
                w = np.uint64(of[r0 - _U1])
                slo = of0[a0]
                for e in range(uE):
                    shi = of0[a0 + e + _U1]
                    ls = shi - slo
                    plo = slo
                    phi = shi
                    if op == S_LEFT or op == S_RIGHT:
                        nn = in1[u1, e]
                        if nn < 0:
                            ok = False
                            break
                        if nn < ls:
                            if op == S_LEFT:
                                phi = slo + nn
                            else:
                                plo = shi - nn
                    else:
                        i = in1[u1, e]
                        nn = in2[u2, e]
                        if op == S_MID:
                            if i <= 0 or nn < 0:
                                ok = False
                                break
                            i -= 1
                            empty = i >= ls
                        else:  # str.substr(s, i, n): "" outside the string
                            empty = i < 0 or i >= ls or nn <= 0
                        if empty:
                            phi = slo
                        else:
                            plo = slo + i
                            phi = slo + min(i + nn, ls)
                    if phi - plo > limit:
                        ok = False
                        break
                    w = _copy_segment(el, w, 0, plo, phi, el0, el1, el2, el3)
                    of[r0 + e] = w
                    slo = shi
        else:  # REPLACE
            # REPLACE(s, i, n, t): s's head, t, s's tail per example: its own loop
            uE = np.uint64(E)
            a0 = np.uint64(v0) * uE
            a3 = np.uint64(v3) * uE
            r0 = np.uint64(n) * uE + _U1
            u1 = np.uint64(v1)
            u2 = np.uint64(v2)
            w = np.uint64(of[r0 - _U1])
            slo = of0[a0]
            tlo = of3[a3]
            for e in range(uE):
                shi = of0[a0 + e + _U1]
                thi = of3[a3 + e + _U1]
                i = in1[u1, e]
                nn = in2[u2, e]
                if i <= 0 or nn < 0:
                    ok = False
                    break
                ls = shi - slo
                i = min(i - 1, ls)
                rest = slo + min(i + nn, ls)
                if i + (thi - tlo) + (shi - rest) > limit:
                    ok = False
                    break
                w = _copy_segment(el, w, 0, slo, slo + i, el0, el1, el2, el3)
                w = _copy_segment(el, w, 3, tlo, thi, el0, el1, el2, el3)
                w = _copy_segment(el, w, 0, rest, shi, el0, el1, el2, el3)
                of[r0 + e] = w
                slo = shi
                tlo = thi
        if ok and same != 0 and B.equals_an_argument(kind, E, el, of, rints, n, same, v0, v1, v2, v3):
            ok = False
        if ok:
            status = B.keep_value(k, kind, E, el, of, rints, table, vsize, prov, state, flags, tel,
                                  tof, tints, rec, lo, hi, maskseen, p, prod, sz0, sz1, sz2, sz3,
                                  v0, v1, v2, v3)
            if status == T.SOLVED:
                return SOLVED, p
            if status != T.DUP:
                fits = not B.bank_full(kind, E, of, state, limit)
        p += 1
        if k == 2:  # LEFT, RIGHT: d2 and d3 stay 0
            d1 += 1
            if d1 == m1:
                d1 = 0
                d0 += 1
        else:
            d0, d1, d2, d3 = B.next_digits(d0, d1, d2, d3, m1, m2, m3)
    return DONE, end


# ------------------------------------------------------------------------------ batch driver
_SEGMENTS = -4  # an op's result is given as segments, to be copied (internal to run_block)


@kernel
def run_block(P, ids, els, ofs, ints, sizes, el, of, rints, table, vsize, prov, state,
              tel, tof, tints, rec, lo, hi, maskseen):
    """Apply one op to argument tuples ``P_POS..P_END`` of the product of ``ids[0..k-1]``
    (itertools.product order), keeping each new value in the result bank.

    Returns (DONE, end), (FULL, p) when the bank must grow before tuple p, (DEFERRED, p) when
    tuple p must be evaluated in Python, or (SOLVED, p) when tuple p produced the target. With
    ``P[P_OP] == OP_COMMIT`` it only commits the value the caller wrote at the free slot.

    The most frequent ops run in loops of their own (``_concat_block``, ``_substitute_block``,
    ``_piece_block``, ``_scalar_block``: one call per block, not per tuple), where only their
    own values are live across tuples; the other string ops share the loop here. An op's code
    is written out in its loop rather than in helpers: numba inlines a helper by copying its
    IR, which for large helpers costs minutes of compile time, and a helper that is not inlined
    costs a call with dozens of arguments per example."""
    op, k, E, kind, limit, maxabs, prod, flags, same, pos, end, m0, m1, m2, m3 = B.block_params(P)
    d0, d1, d2, d3 = B.tuple_digits(pos, m0, m1, m2, m3)  # (0, 0, 0, 0) for a commit
    ids0, ids1, ids2, ids3 = ids
    el0, el1, el2, el3 = els
    of0, of1, of2, of3 = ofs
    in0, in1, in2, in3 = ints
    sz0, sz1, sz2, sz3 = sizes
    if op == S_SUBSTITUTE or op == S_SUBSTITUTE_NTH:
        return _substitute_block(op, k, E, limit, same, flags, prod, kind, pos, end, m1, m2, m3,
                                 d0, d1, d2, d3, ids0, ids1, ids2, ids3, el0, el1, el2, of0, of1,
                                 of2, in3, sz0, sz1, sz2, sz3, el, of, rints, table, vsize, prov,
                                 state, tel, tof, tints, rec, lo, hi, maskseen)
    if kind == T.SCALAR and op != OP_COMMIT:
        return _scalar_block(op, k, E, maxabs, same, flags, prod, kind, pos, end, m1, m2, m3, d0,
                             d1, d2, d3, ids0, ids1, ids2, ids3, el0, el1, el2, el3, of0, of1, of2,
                             of3, in0, in1, in2, in3, sz0, sz1, sz2, sz3, el, of, rints, table,
                             vsize, prov, state, tel, tof, tints, rec, lo, hi, maskseen)
    if op == S_LEFT or op == S_RIGHT or op == S_MID or op == S_SUBSTR or op == S_REPLACE:
        return _piece_block(op, k, E, limit, same, flags, prod, kind, pos, end, m1, m2, m3, d0, d1,
                            d2, d3, ids0, ids1, ids2, ids3, el0, el1, el2, el3, of0, of1, of2, of3,
                            in1, in2, sz0, sz1, sz2, sz3, el, of, rints, table, vsize, prov, state,
                            tel, tof, tints, rec, lo, hi, maskseen)
    if op == S_CONCAT:
        return _concat_block(E, limit, same, flags, prod, kind, pos, end, m1, d0, d1,
                             ids2[np.uint64(d2)], ids3[np.uint64(d3)], ids0, ids1, el0, el1, of0,
                             of1, sz0, sz1, el, of, rints, table, vsize, prov, state, tel, tof,
                             tints, rec, lo, hi, maskseen)
    # str.replace(s, t, u) with t absent from s on every example gives s back (a kept value)
    # for every u: the run of tuples sharing (s, t) is skipped
    group_skip = op == S_STR_REPLACE and (same & 1)
    # room for one more candidate: the bank changes only when a value is kept
    fits = op == OP_COMMIT or not B.bank_full(kind, E, of, state, limit)
    p = pos
    while p < end:
        if group_skip and ((d2 == 0 and d3 == 0) or p == pos):
            v0 = ids0[np.uint64(d0)]
            v1 = ids1[np.uint64(d1)]
            absent = True  # t absent from s on every example (an empty t occurs everywhere)
            for e in range(E):
                nlo, nhi = of1[np.uint64(v1 * E + e)], of1[np.uint64(v1 * E + e + 1)]
                if nlo == nhi or _find(el0, of0[np.uint64(v0 * E + e)], of0[np.uint64(v0 * E + e + 1)],
                                       el1, nlo, nhi, 0) >= 0:
                    absent = False
                    break
            if absent:  # skip to the next (first, second) argument pair
                p, d0, d1, d2, d3 = B.skip_run(p, d0, d1, d2, d3, m1, m2, m3)
                continue
        n = state[T.N]
        if not fits:
            return FULL, p
        v0 = ids0[np.uint64(d0)]
        v1 = ids1[np.uint64(d1)]
        v2 = ids2[np.uint64(d2)]
        v3 = ids3[np.uint64(d3)]
        ok = True
        compared = False  # whether the op's own loop already told if it equals an argument
        if op == OP_COMMIT:
            pass
        elif kind == T.SEQ:
            w = of[n * E]
            # While every example's result is one argument's value unchanged (argument idarg),
            # nothing is written: if that argument is of the result's nonterminal the candidate
            # is a duplicate, decided without copying or hashing. -2: no example yet, -1: no.
            idarg = -2
            for e in range(E):
                # --- a string-valued op on example e: its length r (or ERR, TOOLONG, DEFER),
                # as up to three segments of its arguments, or written directly (``direct``)
                r = np.int64(_SEGMENTS)
                direct = False
                g0 = g1 = g2 = -1
                l0 = h0 = l1 = h1 = l2 = h2 = np.int64(0)
                slo = shi = ls = olo = ohi = rlo = rhi = first = np.int64(0)
                j = -3  # the argument the result is unchanged from: -1 none, -3 not known yet
                if op == S_IF:
                    if in0[np.uint64(v0), np.uint64(e)] != 0:
                        g0, l0, h0, j = 1, of1[np.uint64(v1 * E + e)], of1[np.uint64(v1 * E + e + 1)], 1
                    else:
                        g0, l0, h0, j = 2, of2[np.uint64(v2 * E + e)], of2[np.uint64(v2 * E + e + 1)], 2
                elif op == S_TO_TEXT or op == S_FROM_INT:
                    if op == S_FROM_INT and in0[np.uint64(v0), np.uint64(e)] < 0:
                        r = 0
                    else:
                        direct = True
                else:
                    slo = of0[np.uint64(v0 * E + e)]
                    shi = of0[np.uint64(v0 * E + e + 1)]
                    ls = shi - slo
                    if op == S_STR_REPLACE:  # str.replace(s, t, u): the first occurrence only
                        olo = of1[np.uint64(v1 * E + e)]
                        ohi = of1[np.uint64(v1 * E + e + 1)]
                        rlo = of2[np.uint64(v2 * E + e)]
                        rhi = of2[np.uint64(v2 * E + e + 1)]
                        first = _find(el0, slo, shi, el1, olo, ohi, 0)
                        if olo == ohi:  # an empty pattern: the replacement in front
                            g0, l0, h0 = 2, rlo, rhi
                            g1, l1, h1 = 0, slo, shi
                        elif first < 0:  # no occurrence: s unchanged
                            g0, l0, h0 = 0, slo, shi
                            j = 0
                        else:
                            g0, l0, h0 = 0, slo, slo + first
                            g1, l1, h1 = 2, rlo, rhi
                            g2, l2, h2 = 0, slo + first + (ohi - olo), shi
                    elif op == S_LEFT or op == S_RIGHT:
                        nn = in1[np.uint64(v1), np.uint64(e)]
                        if nn < 0:
                            r = ERR
                        elif nn >= ls:
                            g0, l0, h0, j = 0, slo, shi, 0
                        elif op == S_LEFT:
                            g0, l0, h0 = 0, slo, slo + nn
                        else:
                            g0, l0, h0 = 0, shi - nn, shi
                    elif op == S_MID or op == S_SUBSTR:
                        i = in1[np.uint64(v1), np.uint64(e)]
                        nn = in2[np.uint64(v2), np.uint64(e)]
                        if op == S_MID:
                            if i <= 0 or nn < 0:
                                r = ERR
                            i -= 1
                        elif i < 0 or i >= ls or nn <= 0:
                            r = 0
                        if r == _SEGMENTS:
                            if i >= ls:
                                r = 0
                            else:
                                g0, l0, h0 = 0, slo + i, slo + min(i + nn, ls)
                    elif op == S_AT:
                        i = in1[np.uint64(v1), np.uint64(e)]
                        if i < 0 or i >= ls:
                            r = 0
                        else:
                            g0, l0, h0 = 0, slo + i, slo + i + 1
                    elif op == S_REPLACE:
                        i = in1[np.uint64(v1), np.uint64(e)]
                        nn = in2[np.uint64(v2), np.uint64(e)]
                        if i <= 0 or nn < 0:
                            r = ERR
                        else:
                            i = min(i - 1, ls)
                            g0, l0, h0 = 0, slo, slo + i
                            g1, l1, h1 = 3, of3[np.uint64(v3 * E + e)], of3[np.uint64(v3 * E + e + 1)]
                            g2, l2, h2 = 0, slo + min(i + nn, ls), shi
                    elif op == S_TRIM or op == S_LOWER or op == S_UPPER or op == S_PROPER:
                        if T.per_word(el0) == 8 and _unchanged(op, el0, slo, shi):
                            g0, l0, h0, j = 0, slo, shi, 0  # s itself (not written if need not be)
                        else:
                            direct = True
                    elif op == S_REPT:
                        kk = in1[np.uint64(v1), np.uint64(e)]
                        if kk < 0 or ls * kk > 100:
                            r = ERR
                        elif ls * kk > limit:
                            r = TOOLONG
                        else:
                            direct = True
                    else:
                        r = ERR
                if r != _SEGMENTS and not direct:  # an error, or an empty string
                    if r == 0 and idarg >= 0:
                        w = _catch_up(idarg, e, E, v0, v1, v2, v3, el0, el1, el2, el3, of0, of1, of2,
                                      of3, el, of, n, limit)
                        if w < 0:
                            r = TOOLONG
                    if r >= 0:
                        idarg = -1
                else:
                    # the argument this example's result is unchanged from (-1: none or not
                    # known; finding it is only an optimization: a missed one is hashed)
                    if direct or j == -3:
                        j = -1
                    if idarg != -1 and j >= 0 and (idarg == -2 or idarg == j):
                        idarg = j
                        of[np.uint64(n * E + e + 1)] = w
                        continue
                    if idarg >= 0:  # the examples so far must be written out after all
                        w = _catch_up(idarg, e, E, v0, v1, v2, v3, el0, el1, el2, el3, of0, of1, of2,
                                      of3, el, of, n, limit)
                        if w < 0:
                            ok = False
                            break
                    idarg = -1
                    if not direct:  # copy the segments
                        total = (h0 - l0) + (h1 - l1 if g1 >= 0 else 0) + (h2 - l2 if g2 >= 0 else 0)
                        if total > limit:
                            r = TOOLONG
                        else:
                            ww = _copy_segment(el, np.uint64(w), g0, l0, h0, el0, el1, el2, el3)
                            if g1 >= 0:
                                ww = _copy_segment(el, ww, g1, l1, h1, el0, el1, el2, el3)
                            if g2 >= 0:
                                _copy_segment(el, ww, g2, l2, h2, el0, el1, el2, el3)
                            r = total
                    elif op == S_TO_TEXT or op == S_FROM_INT:
                        x = in0[np.uint64(v0), np.uint64(e)]
                        neg = 1 if x < 0 else 0
                        x = -x if x < 0 else x
                        nd = 1
                        t = x
                        while t >= 10:
                            t //= 10
                            nd += 1
                        if neg + nd > limit:
                            r = TOOLONG
                        else:
                            if neg:
                                el[w] = 45  # '-'
                            for jj in range(nd):
                                el[w + neg + nd - 1 - jj] = 48 + x % 10
                                x //= 10
                            r = neg + nd
                    elif op == S_REPT:
                        kk = in1[np.uint64(v1), np.uint64(e)]
                        ww = np.uint64(w)
                        for t in range(kk):  # each copy's spill is overwritten by the next
                            ww = _copy_segment(el, ww, 0, slo, shi, el0, el1, el2, el3)
                        r = ls * kk
                    elif op == S_TRIM:
                        # unsigned indices (no negative-index wraparound code); the result is
                        # never longer than the trimmed text, so the cap is checked once
                        i = np.uint64(slo)
                        jj = np.uint64(shi)
                        while i < jj and el0[i] <= 32:
                            i += _U1
                        while jj > i and el0[jj - _U1] <= 32:
                            jj -= _U1
                        ww = np.uint64(w)
                        prev_space = False
                        for q in range(i, jj):
                            c = el0[q]
                            if c == 32 and prev_space:
                                continue
                            el[ww] = c
                            ww += _U1
                            prev_space = c == 32
                        r = np.int64(ww - np.uint64(w))
                        if r > limit:
                            r = TOOLONG
                    else:  # LOWER, UPPER, PROPER
                        if ls > limit:
                            r = TOOLONG
                        else:
                            r = ls
                            # one loop per op (the op tested once, not per character), unsigned
                            # indices (no negative-index wraparound code)
                            src = np.uint64(slo)
                            dst = np.uint64(w)
                            # one byte per character: an all-ASCII search, where no character
                            # needs Python (a constant of the array type: the check compiles away)
                            one_byte = T.per_word(el0) == 8
                            if one_byte and (op == S_LOWER or op == S_UPPER):
                                # eight ASCII characters a word: the bytes in A..Z (a..z) get
                                # their 0x20 bit set (cleared); bytes past the string (up to
                                # a word: the arrays' spare) are written too, into free space
                                lo_c = _LOWER_A if op == S_UPPER else _UPPER_A
                                hi_c = _LOWER_Z if op == S_UPPER else _UPPER_Z
                                for q in range(np.uint64(0), np.uint64(ls), _U8):
                                    x = T.load_u64(el0, src + q)
                                    t7 = x & _LOW_7
                                    letters = (t7 + lo_c) & ~(t7 + hi_c) & ~x & _HIGH_BITS
                                    flip = letters >> np.uint64(2)  # 0x80 -> 0x20
                                    T.store_u64(el, dst + q, x - flip if op == S_UPPER else x | flip)
                            elif one_byte and op == S_PROPER:
                                # eight characters a word: 0x20 added to a capital after a
                                # letter, taken from a small letter after a non-letter
                                carry = np.uint64(0)
                                for q in range(np.uint64(0), np.uint64(ls), _U8):
                                    x = T.load_u64(el0, src + q)
                                    down, up, carry = _proper_flips(x, carry)
                                    T.store_u64(el, dst + q, x + (down >> _U2) - (up >> _U2))
                            elif op == S_LOWER:
                                for q in range(np.uint64(ls)):
                                    c = el0[src + q]
                                    if not one_byte and c > 127:
                                        r = DEFER  # needs str.lower
                                        break
                                    el[dst + q] = c + 32 if 65 <= c <= 90 else c
                            elif op == S_UPPER:
                                for q in range(np.uint64(ls)):
                                    c = el0[src + q]
                                    if not one_byte and c > 127:
                                        r = DEFER  # needs str.upper
                                        break
                                    el[dst + q] = c - 32 if 97 <= c <= 122 else c
                            else:
                                if not one_byte:
                                    for q in range(np.uint64(ls)):
                                        if el0[src + q] > 127:
                                            r = DEFER  # needs str.isalpha / str.upper
                                            break
                                if r >= 0:
                                    prev_letter = False
                                    for q in range(np.uint64(ls)):
                                        c = el0[src + q]
                                        upper = 65 <= c <= 90
                                        lower = 97 <= c <= 122
                                        if prev_letter and upper:
                                            c += 32
                                        elif not prev_letter and lower:
                                            c -= 32
                                        prev_letter = upper or lower
                                        el[dst + q] = c
                if r < 0:
                    if r == DEFER:
                        return DEFERRED, p
                    ok = False
                    break
                w += r
                of[np.uint64(n * E + e + 1)] = w
            if ok and idarg >= 0:  # every example is argument idarg unchanged
                if same >> idarg & 1:
                    ok = False  # a kept value of this nonterminal
                elif _catch_up(idarg, E, E, v0, v1, v2, v3, el0, el1, el2, el3, of0, of1, of2, of3,
                               el, of, n, limit) < 0:
                    ok = False
        if ok and same != 0 and op != OP_COMMIT and not compared and \
                B.equals_an_argument(kind, E, el, of, rints, n, same, v0, v1, v2, v3):
            ok = False
        if ok:
            if op == OP_COMMIT:  # the caller wrote the value's size
                return T.commit_value(kind, E, el, of, rints, table, vsize, state, flags,
                                      tel, tof, tints, rec, lo, hi, maskseen, p), p
            status = B.keep_value(k, kind, E, el, of, rints, table, vsize, prov, state, flags, tel,
                                  tof, tints, rec, lo, hi, maskseen, p, prod, sz0, sz1, sz2, sz3,
                                  v0, v1, v2, v3)
            if status == T.SOLVED:
                return SOLVED, p
            if status != T.DUP:
                fits = not B.bank_full(kind, E, of, state, limit)
        p += 1
        if k == 2:  # the most frequent arity: d2 and d3 stay 0
            d1 += 1
            if d1 == m1:
                d1 = 0
                d0 += 1
        else:
            d0, d1, d2, d3 = B.next_digits(d0, d1, d2, d3, m1, m2, m3)
    return DONE, end
