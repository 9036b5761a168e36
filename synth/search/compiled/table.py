"""numba functions over a value bank's arrays: functional hashing, the open-addressing hash table,
and ``commit_value``, the one place where a freshly computed value is deduplicated and kept.

A value is the tuple of a program's outputs on all E examples. Its layout (see ``valuebank``):

- ``SEQ`` kind (strings, integer lists): example e of value v is ``el[of[v*E+e]:of[v*E+e+1]]``,
  so the E parts of a value are contiguous;
- ``SCALAR`` kind (ints, bools): ``ints[v, e]``.

A candidate is computed *in place* at index ``n = state[N]`` (the next free slot) and kept by
advancing ``state[N]``; a duplicate or rejected candidate is simply overwritten by the next one.
Hash collisions never merge values: a hash hit is confirmed by comparing the values.
"""
from __future__ import annotations

import platform

import numpy as np
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

from synth.search.compiled.jit import kernel

SEQ = 0
SCALAR = 1

# state[] slots of a bank
N = 0          # number of values kept
MASK = 1       # hash table size - 1 (a power of two minus one)
BEST = 2       # size of the smallest concatenation shortcut found so far (start bank only)
NREC = 3       # shortcut records written to ``rec`` since the caller last drained them
CAP_VALS = 4   # capacity of the value arrays
CAP_ELEMS = 5  # capacity of ``el`` (SEQ kind)
STATE_LEN = 8

# commit_value results
DUP = 0
NEW = 1
SOLVED = 2

# shortcut events a kernel writes to ``rec`` (one row each: type, value id, other id or mask,
# side, size, position of the argument tuple), for the engine to replay in order
EV_CONCAT = 0  # a concatenation with a known rest solves the task (smaller than any before)
EV_BRANCH = 1  # a branch-nonterminal value right on a set of examples no earlier one was
EV_TEST = 2    # a test-nonterminal value splitting the examples in a new way
EV_USEFUL = 3  # a start value that is a substring of the target on every example
REC_CAP = 256
#: rows past REC_CAP: one commit may write up to four records (concatenation, useful, branch,
#: test) after the check that fewer than REC_CAP are there
REC_SLACK = 4
REC_COLS = 6

# commit_value flags
F_START = 1    # the value is of the start nonterminal
F_CONCAT = 2   # ... and the concatenation shortcut is on
F_BRANCH = 4   # the nonterminal is a branch of a conditional production (shortcut on)
F_TEST = 8     # the nonterminal is a test of a conditional production (shortcut on)
F_USEFUL = 16  # the start nonterminal feeds the concatenation decomposition
F_BOOL = 32    # the values are 0/1 on each of at most ``MAX_BOOL_EXAMPLES`` examples
MAX_BOOL_EXAMPLES = 12
_KEPT_MASK = 4  # ``maskseen`` bit: a value with this mask (F_BOOL) is kept

_SEED = np.uint64(14695981039346656037)
_SEED2 = np.uint64(0x9E3779B97F4A7C15)
_PRIME = np.uint64(1099511628211)
_PRIME2 = np.uint64(0xC2B2AE3D27D4EB4F)
_U1, _U9, _U32, _U55 = np.uint64(1), np.uint64(9), np.uint64(32), np.uint64(55)


@kernel(inline=True)
def _fmix(h):
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xC4CEB9FE1A85EC53)
    h ^= h >> np.uint64(33)
    return np.int64(h)


@intrinsic
def load_u64(typingctx, arr, idx):
    """The eight bytes at element ``idx`` of a 1-D array, as one unaligned little-endian uint64
    load (elements idx..idx + 8 / itemsize - 1 must exist)."""
    if not isinstance(arr, types.Array) or arr.ndim != 1 or not isinstance(idx, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        ary = context.make_array(signature.args[0])(context, builder, args[0])
        ptr = builder.gep(ary.data, [args[1]])
        return builder.load(builder.bitcast(ptr, ir.IntType(64).as_pointer()), align=1)

    return types.uint64(arr, idx), codegen


@intrinsic
def store_u64(typingctx, arr, idx, val):
    """Write ``val`` as the eight bytes at element ``idx`` of a 1-D array (one unaligned store;
    elements idx..idx + 8 / itemsize - 1 must exist)."""
    if not isinstance(arr, types.Array) or arr.ndim != 1 or not isinstance(idx, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        ary = context.make_array(signature.args[0])(context, builder, args[0])
        ptr = builder.gep(ary.data, [args[1]])
        val = context.cast(builder, args[2], signature.args[2], types.uint64)
        builder.store(val, builder.bitcast(ptr, ir.IntType(64).as_pointer()), align=1)
        return context.get_dummy_value()

    return types.none(arr, idx, types.uint64), codegen


@intrinsic
def copy_32(typingctx, out, d, src, s):
    """Copy the 32 bytes at element ``s`` of ``src`` to element ``d`` of ``out`` (one unaligned
    256-bit load and store; both arrays must have the bytes, ``valuebank.SLACK``)."""
    if not (isinstance(out, types.Array) and isinstance(src, types.Array) and out.ndim == 1
            and src.ndim == 1 and out.dtype == src.dtype):
        return None

    def codegen(context, builder, signature, args):
        vec = ir.VectorType(ir.IntType(64), 4).as_pointer()
        o = context.make_array(signature.args[0])(context, builder, args[0])
        i = context.make_array(signature.args[2])(context, builder, args[2])
        val = builder.load(builder.bitcast(builder.gep(i.data, [args[3]]), vec), align=1)
        builder.store(val, builder.bitcast(builder.gep(o.data, [args[1]]), vec), align=1)
        return context.get_dummy_value()

    return types.none(out, d, src, s), codegen


@intrinsic
def equal_32(typingctx, arr, a, b):
    """Whether the 32 bytes at elements ``a`` and ``b`` of a 1-D array are equal (two unaligned
    256-bit loads, one compare)."""
    if not isinstance(arr, types.Array) or arr.ndim != 1:
        return None

    def codegen(context, builder, signature, args):
        vec = ir.VectorType(ir.IntType(64), 4)
        ary = context.make_array(signature.args[0])(context, builder, args[0])
        x = builder.load(builder.bitcast(builder.gep(ary.data, [args[1]]), vec.as_pointer()), align=1)
        y = builder.load(builder.bitcast(builder.gep(ary.data, [args[2]]), vec.as_pointer()), align=1)
        both = builder.bitcast(builder.xor(x, y), ir.IntType(256))
        return builder.icmp_unsigned("==", both, ir.Constant(ir.IntType(256), 0))

    return types.boolean(arr, a, b), codegen


@intrinsic
def prefetch(typingctx, arr, idx):
    """Ask the CPU to bring element ``idx`` of a 1-D array into its caches (no fault, no result):
    issued one candidate ahead, a hash table slot read at random arrives while other work runs."""
    if not isinstance(arr, types.Array) or arr.ndim != 1 or not isinstance(idx, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        i8p, i32 = ir.IntType(8).as_pointer(), ir.IntType(32)
        ary = context.make_array(signature.args[0])(context, builder, args[0])
        ptr = builder.bitcast(builder.gep(ary.data, [args[1]]), i8p)
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32]),
                                            "llvm.prefetch.p0")
        builder.call(fn, [ptr, ir.Constant(i32, 0), ir.Constant(i32, 3), ir.Constant(i32, 1)])
        return context.get_dummy_value()

    return types.none(arr, idx), codegen


@intrinsic
def trailing_zeros(typingctx, x):
    """The number of trailing zero bits of a nonzero uint64 (one instruction)."""
    if not isinstance(x, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        val = context.cast(builder, args[0], signature.args[0], types.uint64)
        return builder.cttz(val, ir.Constant(ir.IntType(1), 0))

    return types.uint64(x), codegen


def _elements_in(nbytes: int):
    """An intrinsic: how many elements of a 1-D array ``nbytes`` bytes hold, as a uint64
    constant of the array's type (``nbytes // arr.itemsize`` would be a division at run time)."""

    @intrinsic
    def elements(typingctx, arr):
        if not isinstance(arr, types.Array):
            return None
        n = nbytes // (arr.dtype.bitwidth // 8)

        def codegen(context, builder, signature, args):
            return context.get_constant(types.uint64, n)

        return types.uint64(arr), codegen

    return elements


#: elements per 64-bit word (8 one-byte or 2 four-byte ones), per 16 bytes and per 32 bytes
per_word = _elements_in(8)
per_16 = _elements_in(16)
per_32 = _elements_in(32)


def _targets_x86_aes() -> bool:
    """Whether numba compiles for an x86 CPU with AES-NI: the features it targets
    (``$NUMBA_CPU_FEATURES``, else the host's; a cached kernel is keyed by the same features)."""
    from numba.core import config
    from numba.core.codegen import get_host_cpu_features

    if platform.machine().lower() not in ("x86_64", "amd64"):
        return False
    features = config.CPU_FEATURES if config.CPU_FEATURES is not None else get_host_cpu_features()
    return "+aes" in str(features).split(",")


def _mixer(native_aes: bool):
    """An intrinsic ``mix(s0, s1, d0, d1)``: the 128-bit hash state (s0, s1) after absorbing the
    16 bytes (d0, d1). With AES-NI, one AES encryption round with the data as its round key
    (one instruction: the state's bytes are substituted and mixed, then the data xored in), which
    absorbs twice the bytes per step of a multiply chain at a third of its instructions;
    otherwise two independent multiply lanes (``(s ^ d) * prime``), as portable code."""

    @intrinsic
    def mix(typingctx, s0, s1, d0, d1):
        u = types.uint64
        sig = types.UniTuple(u, 2)(u, u, u, u)

        def codegen(context, builder, signature, args):
            i64 = ir.IntType(64)
            if native_aes:
                v2 = ir.VectorType(i64, 2)

                def vec(lo, hi):
                    x = builder.insert_element(ir.Constant(v2, ir.Undefined), lo, ir.Constant(ir.IntType(32), 0))
                    return builder.insert_element(x, hi, ir.Constant(ir.IntType(32), 1))

                fn = builder.module.declare_intrinsic("llvm.x86.aesni.aesenc", fnty=ir.FunctionType(v2, [v2, v2]))
                r = builder.call(fn, [vec(args[0], args[1]), vec(args[2], args[3])])
                out = [builder.extract_element(r, ir.Constant(ir.IntType(32), k)) for k in (0, 1)]
            else:
                out = [builder.mul(builder.xor(args[0], args[2]), ir.Constant(i64, int(_PRIME))),
                       builder.mul(builder.xor(args[1], args[3]), ir.Constant(i64, int(_PRIME2)))]
            return context.make_tuple(builder, signature.return_type, out)

        return sig, codegen

    return mix


#: AES rounds where numba's target CPU has them (see ``_mixer``)
NATIVE_AES = _targets_x86_aes()
mix = _mixer(NATIVE_AES)


@kernel(inline=True)
def _partial_word(el, j, cnt):
    """The ``cnt`` (fewer than a word's) elements at ``el[j:]`` as one word, the rest zero: one
    masked load where the array has a word from ``j`` on, else assembled element by element."""
    w = per_word(el)
    bits = np.uint64(64) // w
    if j + w <= np.uint64(len(el)):
        return load_u64(el, j) & ((_U1 << (cnt * bits)) - _U1)
    x = np.uint64(0)
    shift = np.uint64(0)
    for k in range(cnt):
        x |= np.uint64(el[j + np.uint64(k)]) << shift
        shift += bits
    return x


@kernel(inline=True)
def _tail_block(el, j, cnt):
    """The ``cnt`` elements (fewer than 16 bytes' worth) at ``el[j:]`` as two words, zero-padded."""
    w = per_word(el)
    if cnt < w:
        return _partial_word(el, j, cnt), np.uint64(0)
    if cnt == w:
        return load_u64(el, j), np.uint64(0)
    return load_u64(el, j), _partial_word(el, j + w, cnt - w)


@kernel(inline=True)
def _fold_length(lens, m):
    """The E lengths of a value, folded into one word (rotated 9 bits and xored per example:
    one-to-one for up to 7 lengths under 512; a multiply per length cost 10 instructions an
    example, this 4). The word seeds the hash state."""
    return ((lens << _U9) | (lens >> _U55)) ^ np.uint64(m)


@kernel(inline=True)
def _finish(a0, a1, b0, b1):
    """The hash from the two lanes' states: lane B absorbed into lane A and two more rounds with
    constants (after three rounds every output bit depends on every state bit), then the 128
    bits folded to 64 (the multiply lanes of the portable ``mix`` never meet: ``_fmix`` too)."""
    a0, a1 = mix(a0, a1, b0, b1)
    a0, a1 = mix(a0, a1, _SEED2, _SEED)
    a0, a1 = mix(a0, a1, _PRIME, _PRIME2)
    if NATIVE_AES:
        return np.int64(a0 ^ a1)
    return _fmix(a0 ^ (a1 * _PRIME2))


@kernel(inline=True)
def _hash_run(el, lo, hi, lens):
    """The hash of the elements ``el[lo:hi]`` seeded with the folded lengths ``lens``, 16 bytes
    per ``mix``: whole block k to lane k % 2 (two independent chains overlap), then what is left
    (fewer than 16 bytes) to the next lane as the run's last 16 bytes (overlapping the block
    before: no masking), or, in a run shorter than 16 bytes, zero-padded. ``_aes_run`` computes
    the same in one piece of vector code; this is the portable version and its reference."""
    a0, a1 = _SEED ^ lens, _SEED2
    b0, b1 = _SEED2, _SEED ^ lens
    j = np.uint64(lo)  # unsigned indices: no negative-index wraparound code
    end = np.uint64(hi)
    w = per_word(el)
    b = per_16(el)  # elements per 16-byte block
    b2 = b + b
    while j + b2 <= end:
        a0, a1 = mix(a0, a1, load_u64(el, j), load_u64(el, j + w))
        b0, b1 = mix(b0, b1, load_u64(el, j + b), load_u64(el, j + b + w))
        j += b2
    if j + b <= end:
        a0, a1 = mix(a0, a1, load_u64(el, j), load_u64(el, j + w))
        j += b
        if j < end:
            b0, b1 = mix(b0, b1, load_u64(el, end - b), load_u64(el, end - b + w))
    elif j < end:
        if end - np.uint64(lo) >= b:
            x0, x1 = load_u64(el, end - b), load_u64(el, end - b + w)
        else:
            x0, x1 = _tail_block(el, j, end - j)
        a0, a1 = mix(a0, a1, x0, x1)
    return _finish(a0, a1, b0, b1)


@intrinsic
def _aes_run(typingctx, arr, lo, hi, lens):
    """``_hash_run`` with AES-NI, written as LLVM IR so that the two lanes' 128-bit states stay in
    vector registers from the first block to the last (as numba values they are pairs of
    words, and every round would move them to a vector register and back)."""
    if not isinstance(arr, types.Array) or arr.ndim != 1:
        return None
    u = types.uint64

    def codegen(context, builder, signature, args):
        i8, i64 = ir.IntType(8), ir.IntType(64)
        v2, v16 = ir.VectorType(i64, 2), ir.VectorType(i8, 16)
        aes = builder.module.declare_intrinsic("llvm.x86.aesni.aesenc", fnty=ir.FunctionType(v2, [v2, v2]))
        size = ir.Constant(i64, context.get_abi_sizeof(context.get_data_type(signature.args[0].dtype)))
        ary = context.make_array(signature.args[0])(context, builder, args[0])
        base = builder.bitcast(ary.data, i8.as_pointer())
        start, stop = builder.mul(args[1], size), builder.mul(args[2], size)  # in bytes
        total = builder.mul(ary.nitems, size)
        c = lambda x: ir.Constant(i64, (int(x) + 2**63) % 2**64 - 2**63)  # noqa: E731 (as signed)

        def vec(x0, x1):
            v = builder.insert_element(ir.Constant(v2, ir.Undefined), x0, ir.Constant(ir.IntType(32), 0))
            return builder.insert_element(v, x1, ir.Constant(ir.IntType(32), 1))

        def load(off):
            return builder.load(builder.bitcast(builder.gep(base, [off]), v2.as_pointer()), align=1)

        def phi(ty, *incoming):  # a value from whichever (value, block) the code came from
            node = builder.phi(ty)
            for value, block in incoming:
                node.add_incoming(value, block)
            return node

        seeded = builder.xor(args[3], c(_SEED))
        a_in, b_in = vec(seeded, c(_SEED2)), vec(c(_SEED2), seeded)
        # pairs of blocks: lane A, lane B
        pre = builder.block
        head = builder.append_basic_block("run.pairs")
        body = builder.append_basic_block("run.pair")
        done = builder.append_basic_block("run.pairs_done")
        builder.branch(head)
        builder.position_at_end(head)
        off, a, b = builder.phi(i64), builder.phi(v2), builder.phi(v2)
        builder.cbranch(builder.icmp_unsigned("<=", builder.add(off, c(32)), stop), body, done)
        builder.position_at_end(body)
        a_next = builder.call(aes, [a, load(off)])
        b_next = builder.call(aes, [b, load(builder.add(off, c(16)))])
        for node, first, nxt in ((off, start, builder.add(off, c(32))), (a, a_in, a_next), (b, b_in, b_next)):
            node.add_incoming(first, pre)
            node.add_incoming(nxt, body)
        builder.branch(head)
        builder.position_at_end(done)
        # one more whole block goes to lane A, and then the rest to lane B; else the rest to lane A
        off16 = builder.add(off, c(16))
        with builder.if_then(builder.icmp_unsigned("<=", off16, stop)):
            a_one = builder.call(aes, [a, load(off)])
            one = builder.block
        off2, a2 = phi(i64, (off, done), (off16, one)), phi(v2, (a, done), (a_one, one))
        to_b = builder.icmp_unsigned("!=", off2, off)
        n = builder.sub(stop, off2)  # bytes left: fewer than 16
        merge_from = builder.block
        with builder.if_then(builder.icmp_unsigned("!=", n, c(0))):
            long_run = builder.icmp_unsigned(">=", builder.sub(stop, start), c(16))
            in_array = builder.icmp_unsigned("<=", builder.add(off2, c(16)), total)
            with builder.if_else(builder.or_(long_run, in_array)) as (loaded, copied):
                with loaded:  # the run's last 16 bytes; or, in a short run, 16 bytes masked to n
                    at = builder.select(long_run, builder.sub(stop, c(16)), off2)
                    keep = builder.icmp_unsigned("<", ir.Constant(v16, list(range(16))),
                                                 _splat8(builder, builder.select(long_run, c(16), n)))
                    x_loaded = builder.and_(load(at), builder.bitcast(builder.sext(keep, v16), v2))
                    from_loaded = builder.block
                with copied:  # a short run at the array's end: its bytes copied into a zeroed block
                    slot = cgutils.alloca_once(builder, v2)
                    builder.store(ir.Constant(v2, None), slot)
                    cgutils.raw_memcpy(builder, builder.bitcast(slot, i8.as_pointer()),
                                       builder.gep(base, [off2]), n, 1)
                    x_copied = builder.load(slot)
                    from_copied = builder.block
            x = phi(v2, (x_loaded, from_loaded), (x_copied, from_copied))
            mixed = builder.call(aes, [builder.select(to_b, b, a2), x])
            a3_tail = builder.select(to_b, a2, mixed)
            b3_tail = builder.select(to_b, mixed, b)
            tail_end = builder.block
        a3, b3 = phi(v2, (a2, merge_from), (a3_tail, tail_end)), phi(v2, (b, merge_from), (b3_tail, tail_end))
        # _finish (native: three rounds, then the halves xored)
        f = builder.call(aes, [a3, b3])
        f = builder.call(aes, [f, vec(c(_SEED2), c(_SEED))])
        f = builder.call(aes, [f, vec(c(_PRIME), c(_PRIME2))])
        return builder.xor(builder.extract_element(f, ir.Constant(ir.IntType(32), 0)),
                           builder.extract_element(f, ir.Constant(ir.IntType(32), 1)))

    return types.int64(arr, u, u, u), codegen


def _splat8(builder, x):
    """A 16-byte vector of the low byte of the i64 ``x``."""
    v16 = ir.VectorType(ir.IntType(8), 16)
    one = builder.insert_element(ir.Constant(v16, ir.Undefined), builder.trunc(x, ir.IntType(8)),
                                 ir.Constant(ir.IntType(32), 0))
    return builder.shuffle_vector(one, ir.Constant(v16, ir.Undefined), ir.Constant(ir.VectorType(ir.IntType(32), 16), [0] * 16))


#: the run hash this CPU computes fastest (both give the same hashes where AES-NI is present)
run_hash = _aes_run if NATIVE_AES else _hash_run


@kernel(inline=True)
def hash_value(kind, E, el, of, ints, v):
    """The functional hash of value ``v``: its E lengths seed the state, then its elements are
    hashed as one run (a SEQ value's parts are contiguous, and the lengths tell where each
    ends), 16 bytes at a step (``_hash_run``)."""
    if kind == SEQ:
        base = np.uint64(v) * np.uint64(E)
        lo = of[base]
        hi = lo
        lens = np.uint64(0)
        for e in range(np.uint64(E)):
            end = of[base + e + _U1]
            lens = _fold_length(lens, end - hi)
            hi = end
        return run_hash(el, np.uint64(lo), np.uint64(hi), lens)
    h1 = _SEED
    for e in range(E):
        h1 = (h1 ^ np.uint64(ints[v, e])) * _PRIME
    return _fmix(h1)


@kernel(inline=True)
def hash_ranges(E, el, lo, hi):
    """The hash of a SEQ value given as E ranges ``el[lo[e]:hi[e]]``, anywhere (equal to
    ``hash_value`` of the same value stored in a bank): the ranges' elements are gathered into
    16-byte blocks as ``_hash_run`` reads them from one run, the run's last 16 bytes too.
    Element by element: only the concatenation shortcut asks."""
    lens = np.uint64(0)
    total = np.uint64(0)
    for e in range(E):
        lens = _fold_length(lens, hi[e] - lo[e])
        total += np.uint64(hi[e] - lo[e])
    a0, a1 = _SEED ^ lens, _SEED2
    b0, b1 = _SEED2, _SEED ^ lens
    w = per_word(el)
    b = per_16(el)
    bits = np.uint64(64) // w
    whole = total - total % b  # elements in whole blocks
    last = total - b if total > b else np.uint64(0)  # where the last 16 bytes start
    x0 = x1 = y0 = y1 = np.uint64(0)  # the block being gathered; the last 16 bytes
    g = np.uint64(0)  # the element's position in the run
    for e in range(E):
        for j in range(lo[e], hi[e]):
            x = np.uint64(el[j])
            if g >= last:
                s = g - last
                if s < w:
                    y0 |= x << (s * bits)
                else:
                    y1 |= x << ((s - w) * bits)
            if g < whole:
                s = g % b
                if s < w:
                    x0 |= x << (s * bits)
                else:
                    x1 |= x << ((s - w) * bits)
                if s == b - _U1:
                    if (g // b) & _U1 == 0:
                        a0, a1 = mix(a0, a1, x0, x1)
                    else:
                        b0, b1 = mix(b0, b1, x0, x1)
                    x0 = x1 = np.uint64(0)
            g += _U1
    if whole < total:  # the rest, to the next lane
        if (whole // b) & _U1 == 0:
            a0, a1 = mix(a0, a1, y0, y1)
        else:
            b0, b1 = mix(b0, b1, y0, y1)
    return _finish(a0, a1, b0, b1)


@kernel(inline=True)
def values_equal(kind, E, el, of, ints, a, b):
    if kind == SEQ:
        uE = np.uint64(E)
        ba = np.uint64(a) * uE
        bb = np.uint64(b) * uE
        pa = np.uint64(of[ba])
        pb = np.uint64(of[bb])
        for e in range(uE):  # the same lengths: the same offsets from each value's start
            if np.uint64(of[ba + e + _U1]) - pa != np.uint64(of[bb + e + _U1]) - pb:
                return False
        m = np.uint64(of[ba + uE]) - pa
        w = per_word(el)  # elements per 64-bit word
        w32 = per_32(el)
        j = np.uint64(0)
        while j + w32 <= m:  # 32 bytes per step, then words, then elements
            if not equal_32(el, pa + j, pb + j):
                return False
            j += w32
        while j + w <= m:
            if load_u64(el, pa + j) != load_u64(el, pb + j):
                return False
            j += w
        while j < m:
            if el[pa + j] != el[pb + j]:
                return False
            j += _U1
        return True
    for e in range(E):
        if ints[a, e] != ints[b, e]:
            return False
    return True


@kernel(inline=True)
def _ranges_equal(E, el, of, v, tel, lo, hi):
    base = v * E
    for e in range(E):
        if of[base + e + 1] - of[base + e] != hi[e] - lo[e]:
            return False
    for e in range(E):
        p = of[base + e]
        for j in range(hi[e] - lo[e]):
            if el[p + j] != tel[lo[e] + j]:
                return False
    return True


# A table slot is one int64: the high 32 bits of the value's hash (a fingerprint) and id + 1
# (0: empty). The low bits of the hash pick the first slot; probing is linear.
@kernel(inline=True)
def _entry(h, v):
    return ((h >> 32) << 32) | (v + 1)


@kernel(inline=True)
def _same_fingerprint(ent, h):
    return (ent >> 32) == (h >> 32)


@kernel(inline=True)
def _home(h, mask):
    """The first slot probed for hash ``h``: its fingerprint (top 32 bits) scaled to the table.
    Slots then hold fingerprints in increasing order (but for probing), so that a growth
    (``rehash``) reads each entry's new slot off the entry itself, in one pass."""
    return ((np.uint64(h) >> _U32) * (np.uint64(mask) + _U1)) >> _U32


@kernel(inline=True)
def lookup_ranges(E, el, of, table, mask, tel, lo, hi):
    """The id of the SEQ value given as ranges of ``tel``, or -1 if the bank lacks it."""
    h = hash_ranges(E, tel, lo, hi)
    um = np.uint64(mask)
    slot = _home(h, mask)
    while True:
        ent = table[slot]
        if ent == 0:
            return -1
        if _same_fingerprint(ent, h) and _ranges_equal(E, el, of, (ent & 0xFFFFFFFF) - 1, tel, lo, hi):
            return (ent & 0xFFFFFFFF) - 1
        slot = (slot + _U1) & um


@kernel(inline=True)
def find_or_insert(kind, E, el, of, ints, table, mask, h, n):
    """The id of a kept value equal to value ``n``; if there is none, ``n`` is entered in the
    table under hash ``h`` and -1 is returned."""
    um = np.uint64(mask)
    slot = _home(h, mask)  # unsigned: no negative-index wraparound code
    while True:
        ent = table[slot]
        if ent == 0:
            table[slot] = _entry(h, n)
            return -1
        if _same_fingerprint(ent, h) and values_equal(kind, E, el, of, ints, n, (ent & 0xFFFFFFFF) - 1):
            return (ent & 0xFFFFFFFF) - 1
        slot = (slot + _U1) & um


@kernel
def rehash(old, table, mask):
    """Enter every entry of the table ``old`` into the empty, larger ``table``. Each entry's slot
    comes from its fingerprint (``_home``), and the old table holds them in nearly increasing
    order: one pass, writing the new table almost in order (no hash, no value read)."""
    um = np.uint64(mask)
    for i in range(len(old)):
        ent = old[i]
        if ent != 0:
            slot = _home(ent, mask)
            while table[slot] != 0:
                slot = (slot + _U1) & um
            table[slot] = ent


@kernel(inline=True)
def _equals_target(kind, E, el, of, ints, v, tel, tof, tints):
    if kind == SEQ:
        base = v * E
        for e in range(E):
            if of[base + e + 1] - of[base + e] != tof[e + 1] - tof[e]:
                return False
        p = of[base]
        for j in range(tof[E]):
            if el[p + j] != tel[j]:
                return False
        return True
    for e in range(E):
        if ints[v, e] != tints[0, e]:
            return False
    return True


@kernel(inline=True)
def _record(rec, state, kind, v, other, side, size, pos):
    r = state[NREC]
    rec[r, 0] = kind
    rec[r, 1] = v
    rec[r, 2] = other
    rec[r, 3] = side
    rec[r, 4] = size
    rec[r, 5] = pos
    state[NREC] = r + 1


@kernel
def _try_concat(E, el, of, table, mask, vsize, state, v, tel, tof, rec, lo, hi, pos):
    """(The only code under ``commit_value`` that writes the bank's scratch ``lo``/``hi``: the
    strings kernel's SUBSTITUTE loop keeps positions in ``hi`` and relies on this.)

    BottomUpSearch._try_concat for a new start value ``v`` (a string): if v is a prefix
    (else a suffix) of the target on every example, not empty on all of them, and the rest is a
    kept value that is not empty on all examples either, record the concatenation when it is
    smaller than every one recorded before. ``lo``/``hi`` are scratch arrays of length E."""
    base = v * E
    any_v = False
    for e in range(E):
        if of[base + e + 1] > of[base + e]:
            any_v = True
    if not any_v:
        return
    for side in range(2):  # 0: v is a prefix, the rest follows; 1: v is a suffix
        fits = True
        any_rest = False
        for e in range(E):
            p = of[base + e]
            m = of[base + e + 1] - p
            t0 = tof[e]
            t1 = tof[e + 1]
            if m > t1 - t0:
                fits = False
                break
            start = t0 if side == 0 else t1 - m
            for j in range(m):
                if el[p + j] != tel[start + j]:
                    fits = False
                    break
            if not fits:
                break
            if side == 0:
                lo[e] = t0 + m
                hi[e] = t1
            else:
                lo[e] = t0
                hi[e] = t1 - m
            if hi[e] > lo[e]:
                any_rest = True
        if not fits or not any_rest:
            continue
        other = lookup_ranges(E, el, of, table, mask, tel, lo, hi)
        if other < 0:
            continue
        size = 1 + vsize[v] + vsize[other]
        if size < state[BEST]:
            state[BEST] = size
            _record(rec, state, EV_CONCAT, v, other, side, size, pos)
        return


@kernel
def _is_useful(E, el, of, v, tel, tof):
    """Whether start string ``v`` is, on every example, a substring of the target (and not empty
    on all examples): a piece the concatenation decomposition can use."""
    base = v * E
    if of[base + E] == of[base]:
        return False
    for e in range(E):
        p = of[base + e]
        m = of[base + e + 1] - p
        t0 = tof[e]
        found = False
        for i in range(t0, tof[e + 1] - m + 1):
            same = True
            for j in range(m):
                if el[p + j] != tel[i + j]:
                    same = False
                    break
            if same:
                found = True
                break
        if not found:
            return False
    return True


@kernel
def _popcount(x):
    c = 0
    while x:
        x &= x - 1
        c += 1
    return c


@kernel
def _cond_masks(kind, E, el, of, ints, v, tel, tof, tints, flags, maskseen, rec, state, pos):
    """The conditional shortcut's bookkeeping for a new value: the examples a branch value gets
    right, or the examples where a test value is true; a mask not seen before is recorded."""
    if flags & F_BRANCH:
        m = 0
        for e in range(E):
            if kind == SEQ:
                b = v * E + e
                ln = of[b + 1] - of[b]
                same = ln == tof[e + 1] - tof[e]
                if same:
                    p = of[b]
                    q = tof[e]
                    for j in range(ln):
                        if el[p + j] != tel[q + j]:
                            same = False
                            break
            else:
                same = ints[v, e] == tints[0, e]
            if same:
                m |= 1 << e
        if m != 0 and maskseen[m] & 1 == 0:
            maskseen[m] |= 1
            _record(rec, state, EV_BRANCH, v, m, 0, 0, pos)
    if flags & F_TEST:
        m = 0
        for e in range(E):
            if ints[v, e] == 1:
                m |= 1 << e
        full = (1 << E) - 1
        if _popcount(m) >= 2 and _popcount(full ^ m) >= 2 and maskseen[m] & 2 == 0:
            maskseen[m] |= 2
            _record(rec, state, EV_TEST, v, m, 0, 0, pos)


@kernel(inline=True)
def commit_value(kind, E, el, of, ints, table, vsize, state, flags, tel, tof, tints,
                 rec, lo, hi, maskseen, pos):
    """Keep the candidate at index ``state[N]`` unless an equal value is kept already.

    The caller has checked that the value is defined and within the caps, and written its size
    to ``vsize[n]``. Returns DUP, NEW, or SOLVED (a new start value equal to the target). A new
    value is then offered to the shortcuts ``flags`` switch on (as ``BottomUpSearch._add`` does);
    their events go to ``rec`` with ``pos``, the position of the argument tuple."""
    n = state[N]
    if flags & F_BOOL:  # at most 2^E values, each named by its mask: a duplicate without hashing
        m = 0
        for e in range(E):
            m |= ints[n, e] << e
        if maskseen[m] & _KEPT_MASK:
            return DUP
        maskseen[m] |= _KEPT_MASK
    h = hash_value(kind, E, el, of, ints, n)
    return commit_hashed(h, kind, E, el, of, ints, table, vsize, state, flags, tel, tof, tints,
                         rec, lo, hi, maskseen, pos)


@kernel(inline=True)
def commit_hashed(h, kind, E, el, of, ints, table, vsize, state, flags, tel, tof, tints,
                  rec, lo, hi, maskseen, pos):
    """``commit_value`` of the candidate at ``state[N]`` whose hash ``h`` is known (a kernel that
    hashed it early, to prefetch its table slot); not for ``F_BOOL`` values."""
    n = state[N]
    if find_or_insert(kind, E, el, of, ints, table, state[MASK], h, n) >= 0:
        return DUP
    state[N] = n + 1
    if flags & F_START:
        if _equals_target(kind, E, el, of, ints, n, tel, tof, tints):
            return SOLVED
        if flags & F_CONCAT:
            _try_concat(E, el, of, table, state[MASK], vsize, state, n, tel, tof, rec, lo, hi, pos)
        if flags & F_USEFUL and _is_useful(E, el, of, n, tel, tof):
            _record(rec, state, EV_USEFUL, n, 0, 0, 0, pos)
    if flags & (F_BRANCH | F_TEST):
        _cond_masks(kind, E, el, of, ints, n, tel, tof, tints, flags, maskseen, rec, state, pos)
    return NEW
