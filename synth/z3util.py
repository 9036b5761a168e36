"""One place that runs Z3 with a timeout and turns its answer into ``sat``/``unsat``/``unknown``."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: default per-query timeout (milliseconds)
DEFAULT_TIMEOUT_MS = 5000


@dataclass
class Verdict:
    """The outcome of one check. ``status``: ``proved`` (the property holds), ``refuted`` (it does
    not; ``counterexample`` says why) or ``unknown`` (Z3 gave up or timed out: not proven)."""

    status: str
    counterexample: Any = None
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def proved(self) -> bool:
        return self.status == "proved"

    @property
    def refuted(self) -> bool:
        return self.status == "refuted"

    @property
    def unknown(self) -> bool:
        return self.status == "unknown"


def solve(formulas, timeout_ms: int = DEFAULT_TIMEOUT_MS, solver=None):
    """Check the conjunction of ``formulas``; returns ``(answer, model)`` with answer one of
    ``"sat"``, ``"unsat"``, ``"unknown"`` (model is None unless sat)."""
    import z3

    s = solver if solver is not None else z3.Solver()
    s.set("timeout", max(1, int(timeout_ms)))
    for f in formulas:
        s.add(f)
    r = s.check()
    if r == z3.sat:
        return "sat", s.model()
    if r == z3.unsat:
        return "unsat", None
    return "unknown", None


# ------------------------------------------------------------------------------------- strings
#: the last character Z3's strings hold (its default "unicode" encoding stops at U+2FFFF)
Z3_MAX_CHAR = 0x2FFFF
#: characters from here on are renumbered into [Z3_HIGH_BASE, Z3_MAX_CHAR] (order kept)
Z3_HIGH_BASE = 0x20000


def z3_string(s: str, ctx=None):
    """The Z3 string value of ``s``, character by character. ``z3.StringVal`` leaves a backslash
    as it is, and Z3 reads ``\\u{41}`` in its argument as an escape: the text ``\\u{41}`` would
    become ``A``. Every character here goes in as an escape of its code point (which must be at
    most ``Z3_MAX_CHAR``; see ``Alphabet`` for larger ones)."""
    import z3

    parts = []
    for ch in s:
        n = ord(ch)
        if n > Z3_MAX_CHAR:
            raise ValueError(f"character U+{n:X} is beyond Z3's last character U+{Z3_MAX_CHAR:X}")
        parts.append(ch if 32 <= n < 127 and ch != "\\" else "\\u{%x}" % n)
    ctx = z3.main_ctx() if ctx is None else ctx
    return z3.SeqRef(z3.Z3_mk_string(ctx.ref(), "".join(parts)), ctx)


def z3_string_value(e) -> str:
    """The Python string of a Z3 string value, from its code points (``as_string`` gives
    escapes such as ``\\u{0}`` for characters outside printable ASCII)."""
    import ctypes

    import z3

    ctx = e.ctx_ref()
    n = z3.Z3_get_string_length(ctx, e.as_ast())
    buf = (ctypes.c_uint * max(1, n))()
    z3.Z3_get_string_contents(ctx, e.as_ast(), n, buf)
    return "".join(chr(buf[i]) for i in range(n))


class Alphabet:
    """An order-keeping renumbering of characters into the ones Z3 holds.

    Z3 strings stop at U+2FFFF, Python's at U+10FFFF. The characters from U+20000 on that a
    question mentions (``points``: the examples' characters and the regexes' class bounds) are
    renumbered, in order, into U+20000..U+2FFFF, each run of unmentioned characters between two
    of them becoming one character of its own. Membership of a mentioned character in a class
    range is kept (the order is), and so is every answer about languages built from these
    characters. ``back`` turns a Z3 character into a Python one."""

    def __init__(self, points=()):
        high = sorted({p for p in points if p >= Z3_HIGH_BASE})
        self._fwd: dict[int, int] = {}
        self._back: dict[int, int] = {}
        self.top = Z3_MAX_CHAR  # the last Z3 character that stands for a Python one
        if not high:
            return
        if high[-1] != 0x10FFFF:
            high.append(0x10FFFF)  # the end of the code space bounds the last run
        slot = Z3_HIGH_BASE
        prev = Z3_HIGH_BASE - 1
        for p in high:
            if p > prev + 1:  # a run of unmentioned characters before p
                self._back[slot] = prev + 1
                slot += 1
            self._fwd[p] = slot
            self._back[slot] = p
            slot += 1
            prev = p
        if slot - 1 > Z3_MAX_CHAR:
            raise ValueError(f"{len(high)} distinct characters above U+{Z3_HIGH_BASE - 1:X}: more "
                             f"than Z3's strings can tell apart")
        self.top = slot - 1

    @property
    def identity(self) -> bool:
        return not self._fwd

    def char(self, c: str) -> str:
        n = ord(c)
        if n < Z3_HIGH_BASE or not self._fwd:
            return c
        return chr(self._fwd[n])

    def string(self, s: str, ctx=None):
        """The Z3 string value of ``s`` in this alphabet."""
        if self._fwd:
            s = "".join(self.char(c) for c in s)
        return z3_string(s, ctx)

    def back(self, s: str) -> str:
        if not self._fwd:
            return s
        return "".join(chr(self._back.get(ord(c), ord(c))) if ord(c) >= Z3_HIGH_BASE else c
                       for c in s)
