"""Token-based positions and substrings (Flash Fill's ``Pos(r1, r2, k)``, RobustFill's GetToken).

Positions are spreadsheet-style and 1-based: position ``i`` is the place just before the i-th
character, so a string of n characters has positions 1 .. n+1. A "token" is a regular
expression (Python ``re`` syntax, e.g. ``[0-9]+`` or ``,``); its matches in a text are those of
``re.finditer`` that are not empty, so a class with ``+`` matches maximal runs.

Like every op of the strings domain, each function is self-contained (``Program.to_python``
copies its source) and returns None where it is undefined.
"""
from __future__ import annotations

from synth.dsl.base import Op

S, I = "String", "Int"


def token(text, regex, k):
    """The k-th match of ``regex`` in ``text`` (k >= 1 from the start, k <= -1 from the end);
    undefined when there are fewer matches, k is 0, or the regex is invalid."""
    import re

    if k == 0:
        return None
    try:
        found = [m.group() for m in re.finditer(regex, text) if m.end() > m.start()]
    except re.error:
        return None
    if k > 0:
        return found[k - 1] if k <= len(found) else None
    return found[k] if -k <= len(found) else None


def pos(text, before, after, k):
    """The k-th position (k >= 1 from the start, k <= -1 from the end) at which a match of the
    regex ``before`` ends and a match of ``after`` starts ("" matches at every position); a
    1-based position, from 1 (before the first character) to len(text) + 1 (after the last)."""
    import re

    if k == 0:
        return None
    try:
        cuts = set(range(len(text) + 1))
        if before != "":
            cuts &= {m.end() for m in re.finditer(before, text) if m.end() > m.start()}
        if after != "":
            cuts &= {m.start() for m in re.finditer(after, text) if m.end() > m.start()}
    except re.error:
        return None
    found = sorted(cuts)
    if k > 0:
        return found[k - 1] + 1 if k <= len(found) else None
    return found[k] + 1 if -k <= len(found) else None


def substr(text, start, end):
    """The characters from 1-based position ``start`` up to (not including) position ``end``;
    undefined unless 1 <= start <= end <= len(text) + 1."""
    if start < 1 or end < start or end > len(text) + 1:
        return None
    return text[start - 1:end - 1]


def matches(text, regex):
    """Whether ``regex`` matches somewhere in ``text`` (false for an invalid regex)."""
    import re

    try:
        return re.search(regex, text) is not None
    except re.error:
        return False


def _op(name, arg_types, ret, fn):
    return Op(name, tuple(arg_types), ret, fn, doc=(fn.__doc__ or "").strip().split("\n")[0])


TOKEN_OPS = [
    _op("TOKEN", (S, S, I), S, token),
    _op("POS", (S, S, S, I), I, pos),
    _op("SUBSTR", (S, I, I), S, substr),
    _op("MATCHES", (S, S), "Bool", matches),
]
