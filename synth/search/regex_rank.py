"""Choosing among several regexes that all fit the examples.

The enumeration (``synth.search.regex_search``) finds the cheapest fit first, but a few
examples fit many regexes, and the cheapest one can count the examples' lengths or spell out
their shapes where the intended language is a plainer one. Every fit up to a little above the
cheapest cost is collected, and each is compared with the others on the *short strings* over the
examples' alphabet (every string up to ``max_len``), where the fits disagree:

    score(r) = PRIOR_WEIGHT * cost(r) + sum over positives p of  -log2 P(p | r)

with P(p | r) the chance of drawing p when one picks a length at which r accepts some short
string, then one of r's strings of that length, uniformly (the *size principle* of Bayesian
concept learning: a language that holds the positives among fewer strings explains them
better, so a fit that a second fit beats on the short strings, by accepting much more of them
for no reason the examples give, loses to it; the cost term keeps this from preferring a list of
the positives). ``LENGTH_WEIGHT`` scales the choice-of-length term, which favours fits that
accept strings at the examples' lengths only as far as the other fits do.

When the alphabet is too large for the short strings to be listed (more than ``MAX_ALPHABET``
characters), the fits are ordered by cost alone.
"""
from __future__ import annotations

import itertools
import math
from typing import Callable, Sequence

import numpy as np

from synth.dsl.base import Const, Node

#: weight of the regex's cost (``RegexCosts`` units) against the positives' log-likelihood (bits)
PRIOR_WEIGHT = 2.0
#: weight of the "which length" bits of each positive
LENGTH_WEIGHT = 0.5
#: the short strings: every string over the examples' alphabet up to the longest length whose
#: count stays within ``MAX_SHORT_STRINGS`` (and at most ``MAX_LEN``)
MAX_SHORT_STRINGS = 4096
MAX_LEN = 10
MAX_ALPHABET = 4


def example_alphabet(positive: Sequence[str], negative: Sequence[str]) -> str:
    return "".join(sorted(set("".join(positive)) | set("".join(negative))))


def short_strings(alphabet: str) -> list[str] | None:
    """Every non-empty string over ``alphabet`` up to the length bound, or None when the alphabet
    is too large (or empty) to list them."""
    k = len(alphabet)
    if not 1 <= k <= MAX_ALPHABET:
        return None
    total, n = 0, 0
    while n < MAX_LEN and total + k ** (n + 1) <= MAX_SHORT_STRINGS:
        n += 1
        total += k ** n
    return ["".join(t) for m in range(1, n + 1) for t in itertools.product(alphabet, repeat=m)]


_SPACES: dict = {}


def short_space(alphabet: str, make_space: Callable):
    """The infix space (built by ``make_space``, ``regex_search.InfixSpace``) of the short
    strings over ``alphabet``: the infixes of the longest ones are all of them, plus ε. A
    regex's signature in it is its set of short strings. Kept per alphabet (a few tenths of a
    second to build)."""
    key = (alphabet, make_space)
    if key not in _SPACES:
        strings = short_strings(alphabet)
        longest = len(strings[-1])
        space = make_space([w for w in strings if len(w) == longest])
        space.lengths = np.fromiter((len(w) for w in space.infixes), dtype=np.int64,
                                    count=len(space.infixes))
        space.max_len = longest
        _SPACES.clear()  # one alphabet at a time
        _SPACES[key] = space
    return _SPACES[key]


def signature_in(node: Node, space) -> np.ndarray:
    """The set of the space's strings that ``node`` accepts, as a signature (numba kernels,
    bottom-up over the regex: no backtracking matcher)."""
    from synth.dsl.regex import kernels as K

    W = space.words

    def sig(n: Node) -> np.ndarray:
        if isinstance(n, Const):
            if n.type == "Empty":
                return np.zeros(W, dtype=np.uint64)
            if n.type == "Lit" and n.value == "":
                out = np.zeros(W, dtype=np.uint64)
                out[0] = np.uint64(1)  # ε is infix 0
                return out
            return space.leaf_signature(n)
        out = np.empty(W, dtype=np.uint64)
        if n.op == "concat":
            K.concat_sig(sig(n.args[0]), sig(n.args[1]), space.off, space.su, space.sv, out)
        elif n.op == "union":
            K.union_sig(sig(n.args[0]), sig(n.args[1]), out)
        elif n.op == "star":
            K.star_sig(sig(n.args[0]), space.off, space.su, space.sv, out)
        elif n.op == "plus":
            a = sig(n.args[0])
            st = np.empty(W, dtype=np.uint64)
            K.star_sig(a, space.off, space.su, space.sv, st)
            K.concat_sig(a, st, space.off, space.su, space.sv, out)
        elif n.op == "opt":
            K.opt_sig(sig(n.args[0]), out)
        else:  # repeat
            lo, hi = n.args[1].value, n.args[2].value
            K.repeat_sig(sig(n.args[0]), lo, -1 if hi is None else hi, space.off, space.su, space.sv,
                         out, np.empty(W, dtype=np.uint64), np.empty(W, dtype=np.uint64))
        return out

    return sig(node)


def length_counts(node: Node, space, max_len: int) -> list[int]:
    """How many of the space's non-empty strings the regex accepts, per length."""
    s = signature_in(node, space)
    bits = np.unpackbits(s.view(np.uint8), bitorder="little")[:len(space.infixes)]
    counts = np.bincount(space.lengths[bits.astype(bool)], minlength=max_len + 1)
    counts[0] = 0
    return [int(c) for c in counts[:max_len + 1]]


def surprise(counts: Sequence[int], positive: Sequence[str]) -> float:
    """-log2 P(positives | the language), over the positives no longer than the short strings."""
    max_len = len(counts) - 1
    lengths = sum(1 for n in range(1, max_len + 1) if counts[n])
    bits = 0.0
    for p in positive:
        if 1 <= len(p) <= max_len and counts[len(p)]:
            bits += LENGTH_WEIGHT * math.log2(lengths) + math.log2(counts[len(p)])
    return bits


def rank_fits(fits: Sequence[tuple[int, Node]], positive: Sequence[str],
              negative: Sequence[str], make_space: Callable) -> list[int]:
    """The indices of ``fits`` ((cost, regex) pairs, every one fitting the examples), best first
    (ties: the earlier fit). ``make_space`` builds an infix space from strings
    (``synth.search.regex_search.InfixSpace``, passed in: this module does not import it)."""
    alphabet = example_alphabet(positive, negative)
    if len(fits) < 2 or short_strings(alphabet) is None:
        return sorted(range(len(fits)), key=lambda i: (fits[i][0], i))
    space = short_space(alphabet, make_space)
    scores = []
    for i, (cost, node) in enumerate(fits):
        counts = length_counts(node, space, space.max_len)
        scores.append((PRIOR_WEIGHT * cost + surprise(counts, positive), i))
    return [i for _, i in sorted(scores)]
