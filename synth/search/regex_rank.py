"""Choosing among several regexes that all fit the examples.

The enumeration (``synth.search.regex_search``) finds the cheapest fit first, but a few
examples fit many regexes, and the cheapest one can count the examples' lengths or spell out
their shapes where the intended language is a plainer one. Every fit up to a little above the
cheapest cost is collected, and each is compared with the others on the *short strings* over the
examples' alphabet (every string up to ``max_len``), where the fits disagree. The score (lower is
better) is a description length in bits: the regex, then the examples given the regex, under a
model of how a teacher picks examples (an exercise sheet):

    score(r) = PRIOR_WEIGHT * cost(r)
             + SIZE_WEIGHT * sum over positives p of -log2 P(p | r)
             + NEAR_WEIGHT * sum over near-miss negatives n of log2 |near misses of r|
             + SHORT_WEIGHT * (short strings r labels unlike every example shown)
             + STATE_WEIGHT * (bits of a DFA with as many states as r's language needs)
             - REVERSAL_BITS * (r's language is closed under reversal)
             + STAR_HEIGHT_WEIGHT * (star height of r above 1)

* positives (the *size principle*): P(p | r) is the chance of drawing p when one picks a length
  at which r accepts some short string, then one of r's strings of that length, uniformly; a
  language that holds the positives among fewer strings explains them better (``LENGTH_WEIGHT``
  scales the choice-of-length term).
* negatives (*near misses*): a teacher shows non-members close to the positives, "almost, but
  no". The near misses of r are the strings one edit (a symbol changed, deleted or inserted)
  from a positive that r rejects; each negative that is one, drawn among them uniformly, is the
  likelier the fewer there are. So a fit that rejects many more strings next to the positives
  than the negatives ask for (``01*0[01]*`` for "at least two 0s": every positive shown starts
  with 0) loses to one that rejects only what it must. This pulls the other way from the size
  principle; together they keep the language as tight around the positives as the positives
  say and as loose around them as the negatives allow.
* the shortest strings: a sheet starts from the simplest cases, so a fit that rejects a string
  shorter than every negative shown, or accepts one shorter than every positive shown, labels a
  string the teacher would have shown otherwise (``1[01]*1|0([01]*0)?`` for "the same first and
  last symbol" rejects ``1`` while the shortest negatives shown have length 2).

* the language's own simplicity: the regex's cost measures how it is written, not what it says
  (``(0+[01])*`` and ``[01]*0[01]`` cost the same; ``1?(01?)*`` for "no 11" costs more than
  ``[01](01?)*``, a sublanguage). A second prior, on the language, is the size of its minimal
  automaton: the number of its residuals (Myhill-Nerode classes) told apart on the short
  strings, each prefix of up to half the length bound by its set of suffixes of up to the other
  half, priced as the bits that write such a DFA down (``dfa_bits``: per state, one accepting
  bit and a target state per symbol). Textbook languages (parities, counts modulo n, forbidden
  and required substrings) are small automata even where their regexes are long.
* symmetry: a language closed under reversal (its short strings read backwards are its short
  strings: counts, parities, a palindromic substring) is described by less than one that is not,
  so it gets ``REVERSAL_BITS`` back (``[01]*101[01]*`` over ``[01]*101+``, whose positives all
  happen to end in 1s; ``1*01*0[01]*`` over ``01*0[01]*`` for "at least two 0s").
* star height: a star (or plus) inside a star is a loop inside a loop, the classic measure of a
  regex's complexity beyond its length; each level above one costs ``STAR_HEIGHT_WEIGHT`` bits
  (``[01]*0[01]`` over ``(0+[01])*``). A language that needs the nesting (``(1|01*0)*``) keeps it:
  its fits without one are longer or bigger automata.

The cost term keeps all this from preferring a list of the examples. When the alphabet is too
large for the short strings to be listed (more than ``MAX_ALPHABET`` characters), the fits are
ordered by cost alone.
"""
from __future__ import annotations

import itertools
import math
from typing import Callable, Sequence

import numpy as np

from synth.dsl.base import Const, Node

#: weight of the regex's cost (``RegexCosts`` units) against the positives' log-likelihood (bits)
PRIOR_WEIGHT = 1.5
#: weight of the positives' bits (the size principle)
SIZE_WEIGHT = 1.0
#: weight of the "which length" bits of each positive
LENGTH_WEIGHT = 0.5
#: weight of the near-miss negatives' bits
NEAR_WEIGHT = 1.0
#: bits for each short string (shorter than every negative, or every positive) that a fit labels
#: as no example shown does
SHORT_WEIGHT = 8.0
#: the short strings: every string over the examples' alphabet up to the longest length whose
#: count stays within ``MAX_SHORT_STRINGS`` (and at most ``MAX_LEN``)
MAX_SHORT_STRINGS = 4096
MAX_LEN = 10
MAX_ALPHABET = 4
#: weight of the bits of the language's minimal automaton (``dfa_bits`` of ``residual_states``)
STATE_WEIGHT = 0.5
#: bits given back to a fit whose language is closed under reversal on the short strings
REVERSAL_BITS = 10.0
#: bits per level of star height above one
STAR_HEIGHT_WEIGHT = 4.0


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


def residual_table(space, alphabet: str) -> np.ndarray:
    """The ids (in the short strings' space) of u + v for every prefix u of up to half the
    space's length bound (rows) and every suffix v of up to the rest (columns), ε included;
    kept on the space."""
    table = getattr(space, "residuals", None)
    if table is None:
        a = space.max_len // 2
        b = space.max_len - a
        pre = ["".join(t) for n in range(a + 1) for t in itertools.product(alphabet, repeat=n)]
        suf = ["".join(t) for n in range(b + 1) for t in itertools.product(alphabet, repeat=n)]
        table = np.asarray([[space.index[u + v] for v in suf] for u in pre], dtype=np.int64)
        space.residuals = table
    return table


def residual_states(accepted: np.ndarray, table: np.ndarray) -> int:
    """How many states a DFA for the language needs, as far as the short strings tell: the
    number of distinct residuals (the suffixes that complete a prefix to a member) among the
    prefixes of ``table``'s rows, told apart by the suffixes of its columns (the dead state
    counts when some prefix has no completion)."""
    rows = np.packbits(accepted[table], axis=1)
    return len({r.tobytes() for r in rows})


def reversed_ids(space) -> np.ndarray:
    """The id of each short string's reverse (kept on the space)."""
    ids = getattr(space, "reversed", None)
    if ids is None:
        ids = np.fromiter((space.index[w[::-1]] for w in space.infixes), dtype=np.int64,
                          count=len(space.infixes))
        space.reversed = ids
    return ids


def star_height(node: Node) -> int:
    """The nesting depth of stars in the regex (a plus and an unbounded repeat count as stars)."""
    if isinstance(node, Const):
        return 0
    below = max((star_height(a) for a in node.args), default=0)
    loop = node.op in ("star", "plus") or (node.op == "repeat" and (node.args[2].value is None
                                                                    or node.args[2].value < 0))
    return below + (1 if loop else 0)


def dfa_bits(states: int, k: int) -> float:
    """Bits to write down a DFA of ``states`` states over ``k`` symbols: per state, whether it
    accepts and, per symbol, the state it goes to."""
    return states * (1 + k * math.log2(max(2, states)))


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


def _accepted(node: Node, space) -> np.ndarray:
    """Whether ``node`` accepts each of the space's strings (a bool per infix, ε first)."""
    s = signature_in(node, space)
    return np.unpackbits(s.view(np.uint8), bitorder="little")[:len(space.infixes)].astype(bool)


def length_counts(node: Node, space, max_len: int, accepted: np.ndarray | None = None) -> list[int]:
    """How many of the space's non-empty strings the regex accepts, per length."""
    bits = _accepted(node, space) if accepted is None else accepted
    counts = np.bincount(space.lengths[bits], minlength=max_len + 1)
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


def neighbours(positive: Sequence[str], alphabet: str) -> set[str]:
    """The non-empty strings one edit from a positive: a symbol changed, deleted or inserted."""
    out: set[str] = set()
    for p in positive:
        for i in range(len(p) + 1):
            out.update(p[:i] + c + p[i:] for c in alphabet)
            if i < len(p):
                out.add(p[:i] + p[i + 1:])
                out.update(p[:i] + c + p[i + 1:] for c in alphabet if c != p[i])
    out.discard("")
    out.difference_update(positive)
    return out


def near_miss_bits(accepted: np.ndarray, near_ids: np.ndarray, n_near_negatives: int) -> float:
    """log2 of how many near misses the fit has (neighbours of the positives it rejects), once
    per negative shown that is one."""
    if not n_near_negatives or not near_ids.size:
        return 0.0
    misses = int(near_ids.size - np.count_nonzero(accepted[near_ids]))
    return n_near_negatives * math.log2(max(1, misses))


def unshown_short(counts: Sequence[int], k: int, positive: Sequence[str],
                  negative: Sequence[str]) -> int:
    """Short strings the fit labels as no example shown does: the non-empty strings shorter than
    every negative that it rejects, and those shorter than every positive that it accepts."""
    out = 0
    if negative:
        for n in range(1, min(min(map(len, negative)), len(counts))):
            out += k ** n - counts[n]
    for n in range(1, min(min(map(len, positive)), len(counts))):
        out += counts[n]
    return out


def rank_fits(fits: Sequence[tuple[int, Node]], positive: Sequence[str],
              negative: Sequence[str], make_space: Callable) -> list[int]:
    """The indices of ``fits`` ((cost, regex) pairs, every one fitting the examples), best first
    (ties: the earlier fit). ``make_space`` builds an infix space from strings
    (``synth.search.regex_search.InfixSpace``, passed in: this module does not import it)."""
    scores = score_fits(fits, positive, negative, make_space)
    return [i for _, i in sorted((s, i) for i, s in enumerate(scores))]


def score_fits(fits: Sequence[tuple[int, Node]], positive: Sequence[str],
               negative: Sequence[str], make_space: Callable) -> list[float]:
    """Each fit's score (bits, lower is better; see the module's text); the cost alone (times
    ``PRIOR_WEIGHT``) when the short strings cannot be listed."""
    alphabet = example_alphabet(positive, negative)
    if len(fits) < 2 or short_strings(alphabet) is None:
        return [PRIOR_WEIGHT * cost for cost, _ in fits]
    space = short_space(alphabet, make_space)
    near = neighbours(positive, alphabet)
    near_ids = np.asarray(sorted(space.index[w] for w in near if w in space.index), dtype=np.int64)
    n_near_neg = sum(1 for w in negative if w in near)
    table = residual_table(space, alphabet)
    rev = reversed_ids(space)
    scores = []
    for cost, node in fits:
        accepted = _accepted(node, space)
        counts = length_counts(node, space, space.max_len, accepted)
        scores.append(PRIOR_WEIGHT * cost + SIZE_WEIGHT * surprise(counts, positive)
                      + NEAR_WEIGHT * near_miss_bits(accepted, near_ids, n_near_neg)
                      + SHORT_WEIGHT * unshown_short(counts, len(alphabet), positive, negative)
                      + STATE_WEIGHT * dfa_bits(residual_states(accepted, table), len(alphabet))
                      - REVERSAL_BITS * bool(np.array_equal(accepted, accepted[rev]))
                      + STAR_HEIGHT_WEIGHT * max(0, star_height(node) - 1))
    return scores
