"""The regex constructors as ops. Each op's reference semantics builds Python ``re`` pattern text
from its arguments' pattern text, fully grouped, so that nesting never changes the meaning."""
from __future__ import annotations

from synth.dsl.base import Op


def _concat(a, b):
    return "(?:" + a + ")(?:" + b + ")"


def _union(a, b):
    return "(?:" + a + ")|(?:" + b + ")"


def _star(a):
    return "(?:" + a + ")*"


def _plus(a):
    return "(?:" + a + ")+"


def _opt(a):
    return "(?:" + a + ")?"


def _repeat(a, lo, hi):
    if hi is None or hi < 0:
        return "(?:" + a + "){" + str(lo) + ",}"
    if hi < lo:
        return None
    return "(?:" + a + "){" + str(lo) + "," + str(hi) + "}"


REGEX_OPS = (
    Op("concat", ("Regex", "Regex"), "Regex", _concat, "r s: an r-match followed by an s-match"),
    Op("union", ("Regex", "Regex"), "Regex", _union, "r|s: an r-match or an s-match"),
    Op("star", ("Regex",), "Regex", _star, "r*: zero or more r-matches"),
    Op("plus", ("Regex",), "Regex", _plus, "r+: one or more r-matches"),
    Op("opt", ("Regex",), "Regex", _opt, "r?: the empty string or an r-match"),
    Op("repeat", ("Regex", "Int", "Int"), "Regex", _repeat,
       "r{n,m}: n to m r-matches ({n} is {n,n}; m = -1 means no upper bound)"),
)
