"""BUSTLE property signatures for the strings domain, computed for a whole batch of values at once.

A *property* is a yes/no question about one example's value (is it empty? does the output
contain it?). Over a task's examples its answers are summarised as ALL_TRUE, ALL_FALSE or MIXED,
or TYPE_MISMATCH where the property does not apply to the value's type. A value's signature is
its 22 single-value properties, its 24 comparisons with the output (BUSTLE's 46 entries) and 8
entries of ours that read an integer as a position in the task's first string input (54 entries);
a task's I/O signature is the 54 entries of each of its first 3 inputs (PADDING for absent ones)
and the 22 single-value entries of the output (184 entries). The guide model reads both (238).

Strings are turned into padded arrays of code points and the per-example properties come from
numba kernels, so a cost level of tens of thousands of values is a few array passes.
"""
from __future__ import annotations

from itertools import chain
from typing import Any, Sequence

import numba
import numpy as np

from synth.dsl.values import scalar_type
from synth.kernelmode import active

# summary categories of one property over the examples
ALL_TRUE, ALL_FALSE, MIXED, TYPE_MISMATCH, PADDING = 0, 1, 2, 3, 4
NUM_CATEGORIES = 5

STRING_PROPERTIES = (
    "empty", "length is 1", "length <= 5", "is lowercase", "is uppercase",
    "contains space", "contains comma", "contains period", "contains dash", "contains slash",
    "contains digit", "only digits", "contains letter", "only letters",
)
INT_PROPERTIES = ("is 0", "is 1", "is 2", "< 0", "in (0, 3]", "in (3, 9]", "> 9")
BOOL_PROPERTIES = ("is true",)
STRING_VS_OUTPUT = (
    "output contains it", "output starts with it", "output ends with it",
    "it contains output", "it starts with output", "it ends with output",
    "output contains it (ignoring case)", "output starts with it (ignoring case)",
    "output ends with it (ignoring case)", "it contains output (ignoring case)",
    "it starts with output (ignoring case)", "it ends with output (ignoring case)",
    "equals output", "equals output (ignoring case)",
    "same length as output", "shorter than output", "longer than output",
)
INT_VS_OUTPUT = ("< output length", "<= output length", "== output length", ">= output length",
                 "> output length", "within 1 of output length", "within 3 of output length")
#: an integer read as a 1-based position in the task's first string input (not BUSTLE's: its
#: integer properties see only the output's length, so the positions FIND computes, which MID,
#: LEFT and REPLACE consume, looked like any other small number)
INT_VS_INPUT = ("a position in the input", "input has a space there", "input has a non-alphanumeric there",
                "a word of the input starts there", "a word of the input ends there",
                "output occurs in the input from there", "output occurs in the input up to there",
                "== input length")

NS, NI, NB = len(STRING_PROPERTIES), len(INT_PROPERTIES), len(BOOL_PROPERTIES)
NSC, NIC, NII = len(STRING_VS_OUTPUT), len(INT_VS_OUTPUT), len(INT_VS_INPUT)
#: single-value entries (22) and comparison entries (24 with the output, 8 with the input)
SINGLE = NS + NI + NB
COMPARE = NSC + NIC + NII
VALUE_ENTRIES = SINGLE + COMPARE  # 54
MAX_INPUTS = 3
IO_ENTRIES = MAX_INPUTS * VALUE_ENTRIES + SINGLE  # 184

# entry offsets inside a value signature
_S0, _I0, _B0 = 0, NS, NS + NI
_SC0, _IC0, _II0 = SINGLE, SINGLE + NSC, SINGLE + NSC + NIC

TYPES = ("String", "Int", "Bool")


# ---------------------------------------------------------------------------------- encoding
def encode_strings(strings: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Code points of each string, zero-padded to the longest, and the lengths."""
    n = len(strings)
    lens = np.fromiter((len(s) for s in strings), dtype=np.int32, count=n)
    width = max(1, int(lens.max()) if n else 1)
    codes = np.array(strings, dtype=f"<U{width}").view(np.uint32).reshape(n, width) if n else \
        np.zeros((0, width), np.uint32)
    return codes, lens


@numba.njit(cache=True)
def _gathered_lengths(offsets, ids, nex, m):
    lens = np.empty(len(ids) * m, np.int32)
    width = 1
    for k in range(len(ids)):
        for e in range(m):
            r = ids[k] * nex + e
            ln = offsets[r + 1] - offsets[r]
            lens[k * m + e] = ln
            if ln > width:
                width = ln
    return lens, width


@numba.njit(cache=True)
def _gather(offsets, elements, ids, nex, m, lens, codes):
    for k in range(len(ids)):
        for e in range(m):
            r = ids[k] * nex + e
            start = offsets[r]
            row = k * m + e
            for j in range(lens[row]):
                codes[row, j] = elements[start + j]


class StringGatherer:
    """``encode_strings`` of values of a string bank held flat (value v on example e is
    ``elements[offsets[v * nex + e]:offsets[v * nex + e + 1]]``, the compiled engine's layout),
    read without building Python strings. The padded array lives in one buffer reused from
    batch to batch (a fresh one per batch cost more in page faults than the copying), and the
    padding after each row's length is left unwritten: the property and heuristic kernels read
    a row only up to its length. A batch's arrays are valid until the next ``gather``."""

    def __init__(self):
        self.buffer = np.empty(0, np.uint32)

    def gather(self, offsets: np.ndarray, elements: np.ndarray, ids: np.ndarray, nex: int,
               examples: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Rows of values ``ids`` on their first ``examples`` (None: all ``nex``) examples."""
        m = nex if examples is None else min(nex, examples)
        lens, width = _gathered_lengths(offsets, ids, nex, m)
        need = len(lens) * width
        if self.buffer.size < need:
            self.buffer = np.empty(max(need, 2 * self.buffer.size), np.uint32)
        codes = self.buffer[:need].reshape(len(lens), width)
        _gather(offsets, elements, ids, nex, m, lens, codes)
        return codes, lens


# ---------------------------------------------------------------------------------- kernels
@numba.njit(cache=True, inline="always")
def _is_upper(c):
    return 65 <= c <= 90


@numba.njit(cache=True, inline="always")
def _is_lower(c):
    return 97 <= c <= 122


@numba.njit(cache=True, inline="always")
def _is_letter(c):
    # ASCII letters, and Latin-1 / other letters above U+00C0 (except the two math signs)
    return _is_upper(c) or _is_lower(c) or (c >= 192 and c != 215 and c != 247)


@numba.njit(cache=True, inline="always")
def _fold(c):
    return c + 32 if 65 <= c <= 90 else c


@numba.njit(cache=True)
def _find(hay, nh, needle, nn, fold):
    """First index of needle in hay (0 for an empty needle, -1 if absent)."""
    if nn == 0:
        return 0
    for i in range(nh - nn + 1):
        ok = True
        for j in range(nn):
            a = hay[i + j]
            b = needle[j]
            if fold:
                a = _fold(a)
                b = _fold(b)
            if a != b:
                ok = False
                break
        if ok:
            return i
    return -1


@numba.njit(cache=True)
def _starts(hay, nh, needle, nn, fold):
    if nn > nh:
        return False
    for j in range(nn):
        a = hay[j]
        b = needle[j]
        if fold:
            a = _fold(a)
            b = _fold(b)
        if a != b:
            return False
    return True


@numba.njit(cache=True)
def _ends(hay, nh, needle, nn, fold):
    if nn > nh:
        return False
    off = nh - nn
    for j in range(nn):
        a = hay[off + j]
        b = needle[j]
        if fold:
            a = _fold(a)
            b = _fold(b)
        if a != b:
            return False
    return True


@numba.njit(cache=True)
def string_answers(s, ns, o, no, with_output, res):
    """One example's answers (0/1) to the 14 string properties and, if ``with_output``, the 17
    comparisons with the output ``o`` (code points, lengths ``ns`` and ``no``), into ``res``."""
    has_upper = False
    has_lower = False
    has_digit = False
    all_digit = ns > 0
    has_letter = False
    all_letter = ns > 0
    sp = cm = pd = da = sl = False
    for k in range(ns):
        c = s[k]
        if _is_upper(c):
            has_upper = True
        elif _is_lower(c):
            has_lower = True
        d = 48 <= c <= 57
        has_digit |= d
        all_digit &= d
        lt = _is_letter(c)
        has_letter |= lt
        all_letter &= lt
        sp |= c == 32
        cm |= c == 44
        pd |= c == 46
        da |= c == 45
        sl |= c == 47
    res[0] = ns == 0
    res[1] = ns == 1
    res[2] = ns <= 5
    res[3] = not has_upper
    res[4] = not has_lower
    res[5] = sp
    res[6] = cm
    res[7] = pd
    res[8] = da
    res[9] = sl
    res[10] = has_digit
    res[11] = all_digit
    res[12] = has_letter
    res[13] = all_letter
    if with_output:
        b = NS
        for f in range(2):
            fold = f == 1
            res[b + 0] = _find(o, no, s, ns, fold) >= 0
            res[b + 1] = _starts(o, no, s, ns, fold)
            res[b + 2] = _ends(o, no, s, ns, fold)
            res[b + 3] = _find(s, ns, o, no, fold) >= 0
            res[b + 4] = _starts(s, ns, o, no, fold)
            res[b + 5] = _ends(s, ns, o, no, fold)
            b += 6
        res[b] = ns == no and _starts(o, no, s, ns, False)
        res[b + 1] = ns == no and _starts(o, no, s, ns, True)
        res[b + 2] = ns == no
        res[b + 3] = ns < no
        res[b + 4] = ns > no


@numba.njit(cache=True)
def string_summaries(codes, lens, out_codes, out_lens, nex, with_output):
    """Summary categories of the string properties (and comparisons) of ``codes.shape[0] //
    nex`` values; rows ``v * nex + e`` hold value v on example e."""
    n = codes.shape[0] // nex
    m = NS + NSC if with_output else NS
    out = np.empty((n, m), np.int8)
    res = np.zeros(NS + NSC, np.uint8)
    trues = np.zeros(NS + NSC, np.int32)
    for v in range(n):
        trues[:] = 0
        for e in range(nex):
            r = v * nex + e
            string_answers(codes[r], lens[r], out_codes[e], out_lens[e], with_output, res)
            for j in range(m):
                trues[j] += res[j]
        for j in range(m):
            t = trues[j]
            out[v, j] = ALL_TRUE if t == nex else (ALL_FALSE if t == 0 else MIXED)
    return out


# ---------------------------------------------------------------------------------- summaries
def summarize(answers: np.ndarray) -> np.ndarray:
    """(values, examples, properties) booleans -> (values, properties) summary categories."""
    if answers.shape[1] == 0:
        return np.full((answers.shape[0], answers.shape[2]), ALL_TRUE, np.int8)
    a = answers
    all_true = a.all(axis=1)
    none = ~a.any(axis=1)
    return np.where(all_true, ALL_TRUE, np.where(none, ALL_FALSE, MIXED)).astype(np.int8)


class OutputContext:
    """What comparisons need from the task: the output's code points and lengths per example
    (``None``-like zeros for a non-string output, whose comparisons are then TYPE_MISMATCH), and,
    given the ``inputs``, position tables of the first input that is a string on every example
    (for the integer-vs-input entries; TYPE_MISMATCH where there is none)."""

    def __init__(self, outputs: Sequence[Any], inputs: Sequence[dict] | None = None):
        self.outputs = tuple(outputs)
        self.is_string = all(type(o) is str for o in self.outputs)
        if self.is_string:
            self.codes, self.lens = encode_strings(list(self.outputs))
        else:
            self.codes = np.zeros((len(self.outputs), 1), np.uint32)
            self.lens = np.zeros(len(self.outputs), np.int32)
        self.input_name = None
        if inputs and self.is_string:
            self.input_name = next((k for k in inputs[0]
                                    if all(type(env.get(k)) is str for env in inputs)), None)
        if self.input_name is not None:
            self._position_tables([env[self.input_name] for env in inputs])

    def _position_tables(self, xs: list[str]) -> None:
        """Per example e and 0-based index p of the input x: is x[p] a space / alphanumeric;
        does the output occur in x from p / up to p (p = 0 .. len(x))."""
        nex, width = len(xs), max(1, max(len(x) for x in xs))
        self.in_lens = np.array([len(x) for x in xs], np.int64)
        self.in_space = np.zeros((nex, width), bool)
        self.in_alnum = np.zeros((nex, width), bool)
        self.out_from = np.zeros((nex, width + 1), bool)
        self.out_upto = np.zeros((nex, width + 1), bool)
        for e, (x, o) in enumerate(zip(xs, self.outputs)):
            for p, c in enumerate(x):
                self.in_space[e, p] = c == " "
                self.in_alnum[e, p] = c.isalnum()
            for p in range(len(x) + 1):
                self.out_from[e, p] = x.startswith(o, p)
                self.out_upto[e, p] = x.endswith(o, 0, p)

    def int_vs_input(self, x: np.ndarray) -> np.ndarray:
        """(n, examples, NII) answers of the integer-vs-input properties for int values ``x``."""
        n_len = self.in_lens[None, :]
        rows = np.arange(x.shape[1])[None, :]
        width = self.in_space.shape[1]
        valid = (x >= 1) & (x <= n_len)
        at = np.clip(x - 1, 0, width - 1)
        before = np.clip(x - 2, 0, width - 1)
        after = np.clip(x, 0, width - 1)
        alnum = self.in_alnum[rows, at]
        word_start = alnum & ((x == 1) | ~self.in_alnum[rows, before])
        word_end = alnum & ((x == n_len) | ~self.in_alnum[rows, after])
        out_from = (x >= 1) & (x <= n_len + 1) & self.out_from[rows, np.clip(x - 1, 0, width)]
        out_upto = (x >= 0) & (x <= n_len) & self.out_upto[rows, np.clip(x, 0, width)]
        return np.stack([valid, valid & self.in_space[rows, at], valid & ~alnum, valid & word_start,
                         valid & word_end, out_from, out_upto, x == n_len], axis=2)


def encode_values(type_: str, values: Sequence[tuple], nex: int):
    """A batch of values of one type as arrays: strings as ``encode_strings`` of every entry
    (value-major, ``len(values) * nex`` rows); ints and bools as an (n, nex) matrix."""
    n = len(values)
    if type_ == "String":
        return encode_strings(list(chain.from_iterable(values)))
    dtype = bool if type_ == "Bool" else np.int64
    return np.fromiter(chain.from_iterable(values), dtype=dtype, count=n * nex).reshape(n, nex)


def value_signatures(type_: str, values: Sequence[tuple] | None, output: OutputContext,
                     with_output: bool = True, encoded: Any = None) -> np.ndarray:
    """Signatures of a batch of values of one type (each a tuple, one entry per example), or of
    the same batch already ``encoded`` (``encode_values``'s layout; the compiled search builds
    it straight from its value banks).

    Returns int8 (n, VALUE_ENTRIES) categories; with ``with_output`` False the comparison part
    is left TYPE_MISMATCH (used for the output's own single-value entries).
    """
    nex = len(output.outputs)
    if encoded is None:
        encoded = encode_values(type_, values, nex) if values else None
    if encoded is None:
        n = 0
    elif type_ == "String":
        n = encoded[1].shape[0] // max(nex, 1)
    else:
        n = encoded.shape[0]
    sig = np.full((n, VALUE_ENTRIES), TYPE_MISMATCH, np.int8)
    if n == 0:
        return sig
    compare = with_output and output.is_string
    if type_ == "String":
        codes, lens = encoded
        summ = active(string_summaries)(codes, lens, output.codes, output.lens, nex, compare)
        sig[:, _S0:_S0 + NS] = summ[:, :NS]
        if compare:
            sig[:, _SC0:_SC0 + NSC] = summ[:, NS:]
    elif type_ == "Int":
        x = encoded.astype(np.int64, copy=False)
        ans = np.stack([x == 0, x == 1, x == 2, x < 0, (x > 0) & (x <= 3), (x > 3) & (x <= 9), x > 9],
                       axis=2)
        sig[:, _I0:_I0 + NI] = summarize(ans)
        if compare:
            ln = output.lens[None, :].astype(np.int64)
            d = np.abs(x - ln)
            ans = np.stack([x < ln, x <= ln, x == ln, x >= ln, x > ln, d <= 1, d <= 3], axis=2)
            sig[:, _IC0:_IC0 + NIC] = summarize(ans)
            if output.input_name is not None:
                sig[:, _II0:_II0 + NII] = summarize(output.int_vs_input(x))
    elif type_ == "Bool":
        x = encoded.astype(bool, copy=False)
        sig[:, _B0:_B0 + NB] = summarize(x[:, :, None])
    return sig


def io_signature(inputs: Sequence[dict], outputs: Sequence[Any]) -> np.ndarray:
    """The task's IO_ENTRIES-entry signature: each of its first 3 inputs against the output, then the
    output's own single-value properties."""
    ctx = OutputContext(outputs, inputs)
    sig = np.full(IO_ENTRIES, PADDING, np.int8)
    names = list(inputs[0]) if inputs else []
    for slot, name in enumerate(names[:MAX_INPUTS]):
        vals = tuple(env[name] for env in inputs)
        t = scalar_type(vals[0])
        if t is None:
            sig[slot * VALUE_ENTRIES:(slot + 1) * VALUE_ENTRIES] = TYPE_MISMATCH
            continue
        sig[slot * VALUE_ENTRIES:(slot + 1) * VALUE_ENTRIES] = value_signatures(t, [vals], ctx)[0]
    t = scalar_type(outputs[0]) if len(outputs) else None
    out_sig = np.full(VALUE_ENTRIES, TYPE_MISMATCH, np.int8) if t is None else \
        value_signatures(t, [tuple(outputs)], ctx, with_output=False)[0]
    sig[MAX_INPUTS * VALUE_ENTRIES:] = out_sig[:SINGLE]
    return sig


