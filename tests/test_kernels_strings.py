"""Every numba kernel of the strings domain agrees with the reference semantics in ops.py.

Each op is run through the real batch kernel (``run_block``) on random values (any Unicode text,
empty strings, negative and out-of-range positions, bools) for several examples at once; its
result must equal the reference function's, and where the reference errs or the caps reject the
value the kernel must keep nothing. The hash table is checked to compare values on a hash hit.
"""
import os
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from synth.dsl import get_domain
from synth.dsl.base import ERROR, ValueLimits

numba = pytest.importorskip("numba")

from synth.search.compiled.kernels import strings as K  # noqa: E402
from synth.search.compiled import protocol as Q  # noqa: E402
from synth.search.compiled import table as T  # noqa: E402
from synth.search.compiled import valuebank as VB  # noqa: E402
from synth.search.compiled.valuebank import ValueBank, target_bank  # noqa: E402
from synth.search.compiled.warmup import ensure_kernels  # noqa: E402

D = get_domain("strings")
KERNEL_OPS = [name for name, op in D.ops.items() if K.kernel_code(op) is not None]

# short texts over an alphabet that makes matches likely, plus arbitrary Unicode
_alphabet = st.sampled_from(list("ab -.,A1") + ["é", "ß", "İ", "日", "\t", "😀"])
TEXT = st.one_of(st.text(_alphabet, max_size=8), st.text(max_size=6))
INT = st.integers(-4, 12)
BOOL = st.booleans()
GEN = {"String": TEXT, "Int": INT, "Bool": BOOL}


def run_kernel(op_name: str, args_per_example, limits: ValueLimits = ValueLimits(10_000, 10**6),
               dtype=np.int32):
    """Run the op's kernel on one argument tuple per example; the result tuple, or None when the
    kernel keeps nothing (an error or a value the caps reject). ``dtype``: the element type of
    the string banks (uint8 for ASCII-only searches)."""
    ensure_kernels(K, dtype)
    op = D.op(op_name)
    E = len(args_per_example)
    k = len(op.arg_types)
    banks = []
    for i, t in enumerate(op.arg_types):
        b = ValueBank(K.KINDS[t], E, max_len=10_000, dtype=dtype)
        b.write([K.encode(t, ex[i]) for ex in args_per_example])
        b.state[T.N] = 1  # value 0, not hashed: only read as an argument
        banks.append(b)
    rtype = op.ret_type
    caps = K.value_caps(rtype, limits)
    res = ValueBank(K.KINDS[rtype], E, max_len=caps[0], dtype=dtype)
    dummy_target = {"String": "", "Int": 0, "Bool": False}[rtype]
    tb = target_bank(K.KINDS[rtype], [K.encode(rtype, dummy_target)] * E, dtype=dtype)
    P = np.zeros(Q.P_LEN, np.int64)
    P[Q.P_OP], P[Q.P_K], P[Q.P_E], P[Q.P_KIND] = K.kernel_code(op), k, E, res.kind
    P[Q.P_LIMIT], P[Q.P_MAXABS] = caps
    P[Q.P_M:Q.P_M + 4] = 1
    P[Q.P_POS], P[Q.P_END] = 0, 1
    d_el, d_of, d_in = np.zeros(1, dtype), np.zeros(2, np.int64), np.zeros((1, 1), np.int64)
    pick = lambda attr, dummy: tuple(getattr(banks[i], attr) if i < k else dummy for i in range(4))  # noqa: E731
    ids = tuple(np.zeros(1, np.int64) for _ in range(4))
    status, _ = K.run_block(P, ids, pick("el", d_el), pick("of", d_of), pick("ints", d_in),
                            pick("vsize", np.zeros(1, np.int32)), res.el, res.of, res.ints,
                            res.table, res.vsize, res.prov, res.state, tb.el, tb.of,
                            tb.ints, res.rec, res.lo, res.hi, res.maskseen)
    if status == Q.DEFERRED:
        return "DEFERRED"
    assert status in (Q.DONE, Q.SOLVED)
    if res.n == 0:
        return None
    return tuple(K.decode(rtype, res.raw(0, e)) for e in range(E))


def reference(op_name: str, args_per_example, limits: ValueLimits = ValueLimits(10_000, 10**6)):
    op = D.op(op_name)
    out = tuple(op.fn(*ex) for ex in args_per_example)
    if ERROR in out or not D.value_ok(op.ret_type, out, limits):
        return None
    return out


def test_every_op_with_a_kernel_is_covered():
    # all 22 BUSTLE ops and all SMT-LIB string ops have kernels (the text ops of the deductive
    # strategy, TOKEN, DATETEXT and the like, are not enumerated by the compiled engine)
    assert set(KERNEL_OPS) == set(D.op_sets["all"])


@pytest.mark.parametrize("op_name", KERNEL_OPS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), E=st.integers(1, 4))
def test_kernel_matches_reference(op_name, data, E):
    op = D.op(op_name)
    examples = [tuple(data.draw(GEN[t]) for t in op.arg_types) for _ in range(E)]
    got = run_kernel(op_name, examples)
    want = reference(op_name, examples)
    if got == "DEFERRED":  # only the case ops on non-ASCII text go back to Python
        assert op_name in ("PROPER", "UPPER", "LOWER") and any(any(ord(c) > 127 for c in ex[0]) for ex in examples)
        return
    assert got == want, (op_name, examples)


ASCII_TEXT = st.text(st.sampled_from(list("ab -.,A1z\t@Z[`{")), max_size=20)  # letter-range edges; over a word
GEN_ASCII = {"String": ASCII_TEXT, "Int": INT, "Bool": BOOL}


@pytest.mark.parametrize("op_name", KERNEL_OPS)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), E=st.integers(1, 3))
def test_kernel_matches_reference_on_ascii_bytes(op_name, data, E):
    """The one-byte-per-character layout of ASCII-only searches."""
    op = D.op(op_name)
    examples = [tuple(data.draw(GEN_ASCII[t]) for t in op.arg_types) for _ in range(E)]
    assert run_kernel(op_name, examples, dtype=np.uint8) == reference(op_name, examples), examples


@pytest.mark.parametrize("op_name,args", [
    ("SUBSTITUTE", ("aaa", "aa", "b")), ("SUBSTITUTE/4", ("aaaa", "aa", "b", 2)),
    ("SUBSTITUTE/4", ("abab", "ab", "", 3)), ("SUBSTITUTE/4", ("abc", "", "x", 1)),
    ("SUBSTITUTE/4", ("abc", "b", "x", -1)), ("str.replace", ("abc", "", "x")),
    ("str.replace", ("abcb", "b", "")), ("FIND/3", ("", "abc", 4)), ("FIND/3", ("", "abc", 5)),
    ("str.indexof", ("abc", "", 3)), ("str.indexof", ("abc", "", 4)), ("str.indexof", ("abc", "c", -1)),
    ("MID", ("abc", 4, 1)), ("REPLACE", ("abc", 4, 2, "x")), ("RIGHT", ("abc", 3)),
    ("TRIM", ("\t a  b \n",)), ("TRIM", ("  ",)), ("REPT", ("ab", 50)), ("REPT", ("ab", 51)),
    ("TO_TEXT", (-42,)), ("str.from_int", (-1,)), ("str.to_int", ("007",)), ("str.to_int", ("",)),
    ("str.to_int", ("12a",)), ("str.to_int", ("9" * 40,)), ("PROPER", ("hELLO wORLD-x2y",)),
    ("LOWER", ("ÀB",)), ("UPPER", ("àb",)), ("str.at", ("abc", 3)), ("str.substr", ("abc", 1, 0)),
    ("IF", (False, "a", "b")), ("ite/Int", (True, 3, 4)), ("and", (True, False)), ("not", (False,)),
])
def test_edge_cases(op_name, args):
    got = run_kernel(op_name, [args])
    if op_name in ("LOWER", "UPPER") and not args[0].isascii():
        assert got == "DEFERRED"  # Unicode case mapping is Python's
    else:
        assert got == reference(op_name, [args])


def test_case_ops_map_every_letter_and_keep_the_length():
    from synth.dsl.strings import ops as R
    assert R.upper("óscar o'neil") == "ÓSCAR O'NEIL" and R.lower("ÀB Ç") == "àb ç"
    assert R.upper("straße") == "STRAßE" and R.lower("İstanbul") == "İstanbul"  # 2-char cases kept
    assert R.upper("abc-1") == "ABC-1" and R.lower("ABC-1") == "abc-1"


@pytest.mark.parametrize("op_name,args,limits", [
    ("CONCATENATE", ("abc", "de"), ValueLimits(5, 100)),   # 5 chars: not < 5
    ("CONCATENATE", ("abc", "d"), ValueLimits(5, 100)),
    ("SUBSTITUTE", ("aaaa", "a", "bb"), ValueLimits(8, 100)),
    ("ADD", (60, 39), ValueLimits(99, 100)), ("ADD", (60, 40), ValueLimits(99, 100)),
    ("MINUS", (-60, 40), ValueLimits(99, 100)), ("str.to_int", ("100",), ValueLimits(99, 100)),
    ("LEN", ("abcdef",), ValueLimits(99, 6)),
])
def test_caps_match_value_ok(op_name, args, limits):
    assert run_kernel(op_name, [args], limits) == reference(op_name, [args], limits)


@settings(max_examples=100, deadline=None)
@given(a=st.lists(TEXT, min_size=1, max_size=3), b=st.lists(TEXT, min_size=1, max_size=3))
def test_a_hash_hit_is_confirmed_by_comparing_values(a, b):
    """Two values entered under the same (forced) hash stay two entries unless equal."""
    E = min(len(a), len(b))
    a, b = a[:E], b[:E]
    bank = ValueBank(T.SEQ, E, max_len=100)
    for vals in (a, b):
        bank.write([K.encode("String", s) for s in vals])
        n = bank.n
        found = T.find_or_insert(T.SEQ, E, bank.el, bank.of, bank.ints, bank.table,
                                 bank.state[T.MASK], 12345, n)
        if found < 0:
            bank.state[T.N] = n + 1
    assert bank.n == (1 if a == b else 2)


@settings(max_examples=30, deadline=None)
@given(texts=st.lists(st.text(st.sampled_from("abc"), max_size=6), min_size=1, max_size=200, unique=True))
def test_a_grown_table_still_finds_every_value(texts):
    """A growth moves each table entry to the slot its fingerprint names in the larger table
    (``table.rehash``, from the entries alone): every kept value is still found, none twice."""
    bank = ValueBank(T.SEQ, 1, max_len=10, capacity=2)

    def enter(text):  # write text at the free slot: the id of the kept value equal to it, or -1
        bank.write([K.encode("String", text)])
        n = bank.n
        h = T.hash_value(T.SEQ, 1, bank.el, bank.of, bank.ints, n)
        return T.find_or_insert(T.SEQ, 1, bank.el, bank.of, bank.ints, bank.table,
                                bank.state[T.MASK], h, n)

    for text in texts:
        while not bank.room():
            bank.grow()
        assert enter(text) == -1
        bank.state[T.N] += 1
    assert len(bank.table) >= 2 * len(texts)  # grown as the values came (at most half full)
    for v, text in enumerate(texts):  # each again, at the free slot: found as the kept one
        assert enter(text) == v
    assert np.count_nonzero(bank.table) == len(texts)


@pytest.mark.parametrize("dtype", [np.uint8, np.int32])
@settings(max_examples=100, deadline=None)
@given(parts=st.lists(st.text(st.sampled_from("abc xyz-"), max_size=11), min_size=1, max_size=3),
       gaps=st.lists(st.integers(0, 9), min_size=4, max_size=4), after=st.integers(0, 12))
def test_a_value_hashes_the_same_wherever_it_sits(dtype, parts, gaps, after):
    """A kept value is hashed as one run (its lengths, then its elements a word at a time, the
    last partial word one masked load where the array has a word to spare, else assembled
    element by element); the concatenation shortcut hashes the same value given as ranges
    scattered anywhere. All must agree (else a value would be kept twice, or a shortcut's rest
    never found), and elements after the value must not count."""
    vals = [np.array([ord(c) for c in p], dtype) for p in parts]
    E = len(vals)
    flat = np.concatenate(vals)
    of = np.cumsum([0] + [len(v) for v in vals]).astype(np.int64)
    ints = np.zeros((1, 1), np.int64)
    hashes = set()
    for fill in (0, 7, 99):
        el = np.concatenate([flat, np.full(after, fill, dtype)])
        hashes.add(int(T.hash_value(T.SEQ, E, el, of, ints, 0)))
    pieces, lo, hi, at = [], [], [], 0
    for v, gap in zip(vals, gaps):
        pieces += [np.full(gap, 5, dtype), v]
        lo.append(at + gap)
        hi.append(at + gap + len(v))
        at += gap + len(v)
    scattered = np.concatenate(pieces + [np.full(gaps[-1], 6, dtype)])
    hashes.add(int(T.hash_ranges(E, scattered, np.array(lo, np.int64), np.array(hi, np.int64))))
    assert len(hashes) == 1


@numba.njit
def _run_hashes(el, lo, hi, lens):
    return T._aes_run(el, lo, hi, lens), T._hash_run(el, lo, hi, lens)


@pytest.mark.skipif(not T.NATIVE_AES, reason="numba does not target an x86 CPU with AES-NI here")
@pytest.mark.parametrize("dtype", [np.uint8, np.int32, np.int64])
@settings(max_examples=150, deadline=None)
@given(elements=st.lists(st.integers(0, 0x10FFFF), max_size=60), start=st.integers(0, 20),
       stop=st.integers(0, 60), lens=st.integers(0, 2**64 - 1))
def test_the_vector_run_hash_is_the_portable_one(dtype, elements, start, stop, lens):
    """Where AES-NI is present a value's run is hashed by LLVM IR written by hand (``_aes_run``:
    the states stay in vector registers); it must give exactly the hash of the numba version
    (``_hash_run``, which ``hash_ranges`` follows) for every length, start and element size, also
    where the run ends at the array's end (the last partial block is then copied, not loaded)."""
    el = np.array(elements, dtype) if dtype != np.uint8 else np.array([x % 256 for x in elements], dtype)
    lo = min(start, len(el))
    hi = max(lo, min(stop, len(el)))
    a, b = _run_hashes(el, np.uint64(lo), np.uint64(hi), np.uint64(lens))
    assert a == b


_PORTABLE_CHECK = """
import numpy as np
from synth.search.compiled import table as T
assert not T.NATIVE_AES
parts = [np.frombuffer(p.encode(), np.uint8) for p in ("http://a.example.com/x", "", "ab", "0123456789abcdefXYZ")]
el = np.concatenate(parts + [np.zeros(40, np.uint8)])
of = np.cumsum([0] + [len(p) for p in parts]).astype(np.int64)
ints = np.zeros((1, 1), np.int64)
h = T.hash_value(T.SEQ, len(parts), el, of, ints, 0)
assert h == T.hash_ranges(len(parts), el, of[:-1].copy(), of[1:].copy())
other = el.copy(); other[30] ^= 1
assert h != T.hash_value(T.SEQ, len(parts), other, of, ints, 0)
print("portable ok")
"""


@pytest.mark.skipif(not T.NATIVE_AES, reason="already the portable hash here")
def test_the_portable_hash_works_where_aes_is_missing(tmp_path):
    """Numba told to target a CPU without AES-NI (``$NUMBA_CPU_FEATURES``) compiles the portable
    hash: a value still hashes the same as one run and as ranges."""
    import subprocess
    import sys

    from numba.core.codegen import get_host_cpu_features

    features = ",".join("-aes" if f == "+aes" else "-vaes" if f == "+vaes" else f
                        for f in str(get_host_cpu_features()).split(","))
    env = dict(os.environ, NUMBA_CPU_FEATURES=features, NUMBA_CACHE_DIR=str(tmp_path),
               SYNTH_NUMBA_CACHE_DIR=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", _PORTABLE_CHECK], env=env, capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "portable ok" in out.stdout


@pytest.mark.parametrize("dtype", [np.uint8, np.int32])
@settings(max_examples=60, deadline=None)
@given(text=st.text(st.sampled_from("abc xyz-"), max_size=20), start=st.integers(0, 5),
       at=st.integers(0, 5))
def test_a_segment_copy_writes_the_segment_and_at_most_32_bytes_after_it(dtype, text, start, at):
    """Segments are copied 32 bytes at a time, unchecked (bank arrays keep 32 bytes to spare
    past their capacity): the last block may spill into the free space after the segment,
    never further, and nothing before it is touched."""
    src = np.array([0] * start + [ord(c) for c in text] + [1] * VB.SLACK, dtype)
    m = len(text)
    out = np.full(at + m + VB.SLACK, 3, dtype)
    end = K._copy_segment(out, at, 0, start, start + m, src, src, src, src)
    assert int(end) == at + m
    assert out[at:at + m].tolist() == [ord(c) for c in text]
    assert out[:at].tolist() == [3] * at  # nothing before the segment
    block = 32 // np.dtype(dtype).itemsize
    assert all(x == 3 for x in out[at + m + block:])  # at most 32 bytes' worth after it


@pytest.mark.parametrize("dtype", [np.uint8, np.int32])
@settings(max_examples=300, deadline=None)
@given(hay=st.text(st.sampled_from("ab-c"), max_size=30), needle=st.text(st.sampled_from("ab-c"), max_size=10),
       start=st.integers(0, 32), at=st.integers(0, 9))
def test_find_is_str_find(dtype, hay, needle, start, at):
    """The search behind FIND, SUBSTITUTE and the group skip (eight characters at a time in the
    one-byte layout) is ``str.find``, wherever the strings sit, with the word each bank array
    keeps to spare past them filled with the needle's first character (a match there must not
    count)."""
    spare = [ord(needle[0]) if needle else 0] * VB.SLACK
    h = np.array([0] * at + [ord(c) for c in hay] + spare, dtype)
    nd = np.array([ord(c) for c in needle] + spare, dtype)
    got = K._find(h, at, at + len(hay), nd, 0, len(needle), start)
    want = hay.find(needle, start) if start <= len(hay) else -1
    assert got == want


@pytest.mark.parametrize("reserve", [True, False])
@given(values=st.lists(st.lists(st.text(st.sampled_from("ab"), max_size=30), min_size=2, max_size=2),
                       min_size=1, max_size=40))
@settings(max_examples=30, deadline=None)
def test_a_bank_keeps_32_bytes_to_spare_past_its_capacity(reserve, values):
    """What lets the kernels copy whole words and 32-byte blocks unchecked: however the element
    array grows (by writes or by ``grow``), it is at least ``SLACK`` elements (32 bytes or more)
    longer than the capacity the kernels fill up to."""
    assert VB.SLACK * np.dtype(np.uint8).itemsize >= 32
    with mock.patch.object(VB, "can_reserve", lambda: reserve):
        bank = ValueBank(T.SEQ, 2, max_len=30, capacity=2, dtype=np.uint8)
    for vals in values:
        bank.write([K.encode("String", s).astype(np.uint8) for s in vals])
        bank.state[T.N] += 1
        assert len(bank.el) >= bank.state[T.CAP_ELEMS] + VB.SLACK
        while not bank.room():
            bank.grow()
        assert len(bank.el) >= bank.state[T.CAP_ELEMS] + VB.SLACK


@given(st.lists(st.one_of(TEXT, st.integers(-2**31 + 1, 2**31 - 1)), min_size=1, max_size=4))
def test_encode_decode_round_trip(values):
    for v in values:
        t = "String" if isinstance(v, str) else "Int"
        assert K.decode(t, K.encode(t, v)) == v
    assume(True)


@pytest.mark.parametrize("op_name", ["TRIM", "LOWER", "UPPER", "PROPER"])
@pytest.mark.parametrize("texts", [
    ("abcdefg  hij", " Xy"), ("abcdefgh ijk", "  "), ("Abcdefgh Ijklmnop", "AB"), ("abcdefgH", "ab  "),
    ("Hello World!", "hello"), ("HELLO", "x"), ("a", " "), ("", "Ab"), ("abcdefghijklmnop q", "Q"),
    ("Abcdefg-Hijklmno Pq", "a  b"), ("abcdefg ", "Z"),
])
def test_case_and_trim_ops_across_word_boundaries_and_into_the_next_example(op_name, texts):
    """The one-byte layout's eight-characters-a-word paths (the check that the op leaves a text
    as it is, PROPER's conversion): a space pair or a letter pair across two words, and the
    next example's text right after the last word's end."""
    examples = [(t,) for t in texts]
    assert run_kernel(op_name, examples, dtype=np.uint8) == reference(op_name, examples)
    assert run_kernel(op_name, examples[::-1], dtype=np.uint8) == reference(op_name, examples[::-1])


@pytest.mark.parametrize("dtype", [np.uint8, np.int32])
@settings(max_examples=150, deadline=None)
@given(a=st.lists(st.text(st.sampled_from("ab"), max_size=80), min_size=2, max_size=2),
       flip=st.one_of(st.none(), st.integers(0, 159)), move=st.booleans())
def test_values_equal_is_equality_of_long_values(dtype, a, flip, move):
    """The dedup comparison (32 bytes a step, then words, then elements) says two kept values
    are equal exactly when their strings are, example by example: a value against itself,
    against a copy with one character changed anywhere, or with one character moved from the
    first example to the second (the same elements in a row, other lengths)."""
    b = list(a)
    if flip is not None and flip < len(a[0]) + len(a[1]):
        e, i = (0, flip) if flip < len(a[0]) else (1, flip - len(a[0]))
        b[e] = b[e][:i] + ("a" if b[e][i] == "b" else "b") + b[e][i + 1:]
    elif move and a[0]:
        b = [a[0][:-1], a[0][-1] + a[1]]
    bank = ValueBank(T.SEQ, 2, max_len=81, capacity=4, dtype=dtype)
    for vals in (a, b):
        bank.write([K.encode("String", s).astype(dtype) for s in vals])
        bank.state[T.N] += 1
    got = T.values_equal(T.SEQ, 2, bank.el, bank.of, bank.ints, 0, 1)
    assert bool(got) == (a == b)
