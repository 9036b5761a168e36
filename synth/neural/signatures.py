"""BUSTLE property signatures for the strings domain, computed for a whole batch of values at once.

A *property* is a yes/no question about one example's value (is it empty? does the output
contain it?). Over a task's examples its answers are summarised as ALL_TRUE, ALL_FALSE or MIXED,
or TYPE_MISMATCH where the property does not apply to the value's type. A value's signature is
its 22 single-value properties and its 24 comparisons with the output (46 entries); a task's I/O
signature is the 46 entries of each of its first 3 inputs (PADDING for absent ones) and the 22
single-value entries of the output (160 entries). The guide model reads both (206 entries).

Strings are turned into padded arrays of code points and the per-example properties come from
numba kernels, so a cost level of tens of thousands of values is a few array passes.
"""
from __future__ import annotations

from itertools import chain
from typing import Any, Sequence

import numba
import numpy as np

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

NS, NI, NB = len(STRING_PROPERTIES), len(INT_PROPERTIES), len(BOOL_PROPERTIES)
NSC, NIC = len(STRING_VS_OUTPUT), len(INT_VS_OUTPUT)
#: single-value entries (22) and comparison entries (24)
SINGLE = NS + NI + NB
COMPARE = NSC + NIC
VALUE_ENTRIES = SINGLE + COMPARE  # 46
MAX_INPUTS = 3
IO_ENTRIES = MAX_INPUTS * VALUE_ENTRIES + SINGLE  # 160

# entry offsets inside a value signature
_S0, _I0, _B0 = 0, NS, NS + NI
_SC0, _IC0 = SINGLE, SINGLE + NSC

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
    """What comparisons need from the task's output: its code points and lengths per example.
    ``None`` for a non-string output (then every comparison is a TYPE_MISMATCH)."""

    def __init__(self, outputs: Sequence[Any]):
        self.outputs = tuple(outputs)
        self.is_string = all(type(o) is str for o in self.outputs)
        if self.is_string:
            self.codes, self.lens = encode_strings(list(self.outputs))
        else:
            self.codes = np.zeros((len(self.outputs), 1), np.uint32)
            self.lens = np.zeros(len(self.outputs), np.int32)


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

    Returns int8 (n, 46) categories; with ``with_output`` False the comparison part
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
        summ = string_summaries(codes, lens, output.codes, output.lens, nex, compare)
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
    elif type_ == "Bool":
        x = encoded.astype(bool, copy=False)
        sig[:, _B0:_B0 + NB] = summarize(x[:, :, None])
    return sig


def io_signature(inputs: Sequence[dict], outputs: Sequence[Any]) -> np.ndarray:
    """The task's 160-entry signature: each of its first 3 inputs against the output, then the
    output's own single-value properties."""
    ctx = OutputContext(outputs)
    sig = np.full(IO_ENTRIES, PADDING, np.int8)
    names = list(inputs[0]) if inputs else []
    for slot, name in enumerate(names[:MAX_INPUTS]):
        vals = tuple(env[name] for env in inputs)
        t = type_name(vals[0])
        if t is None:
            sig[slot * VALUE_ENTRIES:(slot + 1) * VALUE_ENTRIES] = TYPE_MISMATCH
            continue
        sig[slot * VALUE_ENTRIES:(slot + 1) * VALUE_ENTRIES] = value_signatures(t, [vals], ctx)[0]
    t = type_name(outputs[0]) if len(outputs) else None
    out_sig = np.full(VALUE_ENTRIES, TYPE_MISMATCH, np.int8) if t is None else \
        value_signatures(t, [tuple(outputs)], ctx, with_output=False)[0]
    sig[MAX_INPUTS * VALUE_ENTRIES:] = out_sig[:SINGLE]
    return sig


def type_name(v: Any) -> str | None:
    if isinstance(v, bool):
        return "Bool"
    if isinstance(v, int):
        return "Int"
    if isinstance(v, str):
        return "String"
    return None
