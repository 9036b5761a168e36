"""Z3 checks of regexes: does a regex accept/reject given strings, are two regexes equivalent, and
which string tells two regexes apart (the question to ask a user when both fit the examples).

``InRe(s, r)`` is whole-string membership. Witness strings are kept to printable ASCII so they
can be shown to a user. Z3's strings stop at U+2FFFF: characters beyond it are renumbered, in
order, into the top of Z3's range (``synth.z3util.Alphabet``), which keeps every answer.
"""
from __future__ import annotations

import time
from typing import Sequence

from synth.dsl.base import Node
from synth.z3util import DEFAULT_TIMEOUT_MS, Alphabet, Verdict, solve, z3_string_value


def _printable():
    import z3

    return z3.Star(z3.Range(" ", "~"))


def alphabet_for(nodes: Sequence[Node], strings: Sequence[str] = ()) -> Alphabet:
    """The renumbering of characters for questions about these regexes and strings."""
    from synth.dsl.regex.syntax import code_points

    points: set[int] = set()
    for n in nodes:
        points |= code_points(n)
    for s in strings:
        points.update(map(ord, s))
    return Alphabet(points)


def accepts(node: Node, s: str, timeout_ms: int = DEFAULT_TIMEOUT_MS,
            alphabet: Alphabet | None = None, re_term=None) -> bool | None:
    """Z3's answer to "does the regex accept s" (None when Z3 cannot tell in time)."""
    import z3

    from synth.dsl.regex.syntax import to_z3

    ab = alphabet if alphabet is not None else alphabet_for([node], [s])
    term = z3.InRe(ab.string(s), re_term if re_term is not None else to_z3(node, ab))
    folded = z3.simplify(term)
    if z3.is_true(folded):
        return True
    if z3.is_false(folded):
        return False
    answer, _ = solve([term], timeout_ms)
    return {"sat": True, "unsat": False}.get(answer)


def check_examples(node: Node, positive: Sequence[str], negative: Sequence[str],
                   timeout_ms: int = DEFAULT_TIMEOUT_MS, deadline: float | None = None) -> Verdict:
    """Proved when Z3 says the regex accepts every positive and rejects every negative string.

    Refuted names the first example it gets wrong; unknown names one Z3 could not decide (or the
    first one left when ``deadline``, a ``time.perf_counter()`` value, passes)."""
    from synth.dsl.regex.syntax import to_z3

    try:
        ab = alphabet_for([node], list(positive) + list(negative))
    except ValueError as e:
        return Verdict("unknown", None, f"Z3 cannot check these examples: {e}")
    re_term = to_z3(node, ab)
    for kind, strings, want in (("positive", positive, True), ("negative", negative, False)):
        for s in strings:
            ms = timeout_ms
            if deadline is not None:
                left = deadline - time.perf_counter()
                if left <= 0:
                    return Verdict("unknown", s, f"out of time before Z3 checked {kind} example "
                                                 f"{_short(s)}")
                ms = max(1, min(ms, int(left * 1000)))
            got = accepts(node, s, ms, ab, re_term)
            if got is None:
                return Verdict("unknown", s, f"Z3 could not decide {kind} example {_short(s)}")
            if got != want:
                verb = "rejects" if want else "accepts"
                return Verdict("refuted", s, f"the regex {verb} {kind} example {_short(s)}")
    return Verdict("proved", detail=f"{len(positive)} positive and {len(negative)} negative "
                                    f"examples checked with Z3 InRe")


def _short(s: str) -> str:
    return repr(s) if len(s) <= 60 else repr(s[:57]) + f"... ({len(s)} characters)"


def difference_witness(a: Node, b: Node, timeout_ms: int = DEFAULT_TIMEOUT_MS,
                       printable: bool = True) -> Verdict:
    """A string accepted by ``a`` and rejected by ``b``: refuted (with it) when one exists, proved
    when ``L(a) ⊆ L(b)``, unknown when Z3 cannot tell."""
    import z3

    from synth.dsl.regex.syntax import to_z3

    try:
        ab = alphabet_for([a, b])
    except ValueError as e:
        return Verdict("unknown", detail=f"Z3 cannot compare these regexes: {e}")
    x = z3.String("x")
    formulas = [z3.InRe(x, to_z3(a, ab)), z3.Not(z3.InRe(x, to_z3(b, ab)))]
    if printable:
        formulas.append(z3.InRe(x, _printable()))
    elif not ab.identity:  # only Z3 characters that stand for a Python one
        formulas.append(z3.InRe(x, z3.Star(_universe(ab))))
    answer, model = solve(formulas, timeout_ms)
    if answer == "sat":
        w = ab.back(z3_string_value(model.eval(x, model_completion=True)))
        return Verdict("refuted", w, f"{w!r} is accepted by the first regex only")
    if answer == "unsat":
        return Verdict("proved", detail="every string the first regex accepts, the second accepts"
                                        + (" (printable ASCII strings)" if printable else ""))
    return Verdict("unknown", detail="Z3 could not decide inclusion within the timeout")


def _universe(ab: Alphabet):
    import z3

    from synth.z3util import z3_string

    return z3.Range(z3_string("\x00"), z3_string(chr(ab.top)))


def equivalent(a: Node, b: Node, timeout_ms: int = DEFAULT_TIMEOUT_MS,
               printable: bool = False, deadline: float | None = None) -> Verdict:
    """Proved when both regexes have the same language (two emptiness checks); refuted with a
    distinguishing string in ``counterexample`` and ``extra["accepted_by"]`` ("first"/"second").
    ``deadline`` (a ``time.perf_counter()`` value) caps the time of both checks."""
    def ms() -> int | None:
        if deadline is None:
            return timeout_ms
        left = deadline - time.perf_counter()
        return None if left <= 0.01 else max(1, min(timeout_ms, int(left * 1000)))

    out_of_time = Verdict("unknown", detail="out of time before Z3 could decide equivalence")
    t = ms()
    if t is None:
        return out_of_time
    left = difference_witness(a, b, t, printable)
    if left.refuted:
        left.extra["accepted_by"] = "first"
        left.detail = f"{left.counterexample!r} is accepted by the first regex, rejected by the second"
        return left
    t = ms()
    if t is None:
        return out_of_time
    right = difference_witness(b, a, t, printable)
    if right.refuted:
        right.extra["accepted_by"] = "second"
        right.detail = f"{right.counterexample!r} is accepted by the second regex, rejected by the first"
        return right
    if left.unknown or right.unknown:
        return Verdict("unknown", detail="Z3 could not decide equivalence within the timeout")
    return Verdict("proved", detail="the two regexes accept the same strings")


def distinguishing_string(a: Node, b: Node, timeout_ms: int = DEFAULT_TIMEOUT_MS,
                          deadline: float | None = None) -> Verdict:
    """A printable string on which two regexes disagree (the input to ask the user about)."""
    return equivalent(a, b, timeout_ms, printable=True, deadline=deadline)
