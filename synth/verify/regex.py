"""Z3 checks of regexes: does a regex accept/reject given strings, are two regexes equivalent, and
which string tells two regexes apart (the question to ask a user when both fit the examples).

``InRe(s, r)`` is whole-string membership. Witness strings are kept to printable ASCII so they
can be shown to a user.
"""
from __future__ import annotations

from typing import Sequence

from synth.dsl.base import Node
from synth.verify.z3util import DEFAULT_TIMEOUT_MS, Verdict, solve


def _printable():
    import z3

    return z3.Star(z3.Range(" ", "~"))


def accepts(node: Node, s: str, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> bool | None:
    """Z3's answer to "does the regex accept s" (None when Z3 cannot tell in time)."""
    import z3

    from synth.dsl.regex.syntax import to_z3

    term = z3.InRe(z3.StringVal(s), to_z3(node))
    folded = z3.simplify(term)
    if z3.is_true(folded):
        return True
    if z3.is_false(folded):
        return False
    answer, _ = solve([term], timeout_ms)
    return {"sat": True, "unsat": False}.get(answer)


def check_examples(node: Node, positive: Sequence[str], negative: Sequence[str],
                   timeout_ms: int = DEFAULT_TIMEOUT_MS) -> Verdict:
    """Proved when Z3 says the regex accepts every positive and rejects every negative string.

    Refuted names the first example it gets wrong; unknown names one Z3 could not decide."""
    for kind, strings, want in (("positive", positive, True), ("negative", negative, False)):
        for s in strings:
            got = accepts(node, s, timeout_ms)
            if got is None:
                return Verdict("unknown", s, f"Z3 could not decide {kind} example {s!r}")
            if got != want:
                verb = "rejects" if want else "accepts"
                return Verdict("refuted", s, f"the regex {verb} {kind} example {s!r}")
    return Verdict("proved", detail=f"{len(positive)} positive and {len(negative)} negative "
                                    f"examples checked with Z3 InRe")


def difference_witness(a: Node, b: Node, timeout_ms: int = DEFAULT_TIMEOUT_MS,
                       printable: bool = True) -> Verdict:
    """A string accepted by ``a`` and rejected by ``b``: refuted (with it) when one exists, proved
    when ``L(a) ⊆ L(b)``, unknown when Z3 cannot tell."""
    import z3

    from synth.dsl.regex.syntax import to_z3

    x = z3.String("x")
    formulas = [z3.InRe(x, to_z3(a)), z3.Not(z3.InRe(x, to_z3(b)))]
    if printable:
        formulas.append(z3.InRe(x, _printable()))
    answer, model = solve(formulas, timeout_ms)
    if answer == "sat":
        w = model.eval(x, model_completion=True).as_string()
        return Verdict("refuted", w, f"{w!r} is accepted by the first regex only")
    if answer == "unsat":
        return Verdict("proved", detail="every string the first regex accepts, the second accepts"
                                        + (" (printable ASCII strings)" if printable else ""))
    return Verdict("unknown", detail="Z3 could not decide inclusion within the timeout")


def equivalent(a: Node, b: Node, timeout_ms: int = DEFAULT_TIMEOUT_MS,
               printable: bool = False) -> Verdict:
    """Proved when both regexes have the same language (two emptiness checks); refuted with a
    distinguishing string in ``counterexample`` and ``extra["accepted_by"]`` ("first"/"second")."""
    left = difference_witness(a, b, timeout_ms, printable)
    if left.refuted:
        left.extra["accepted_by"] = "first"
        left.detail = f"{left.counterexample!r} is accepted by the first regex, rejected by the second"
        return left
    right = difference_witness(b, a, timeout_ms, printable)
    if right.refuted:
        right.extra["accepted_by"] = "second"
        right.detail = f"{right.counterexample!r} is accepted by the second regex, rejected by the first"
        return right
    if left.unknown or right.unknown:
        return Verdict("unknown", detail="Z3 could not decide equivalence within the timeout")
    return Verdict("proved", detail="the two regexes accept the same strings")


def distinguishing_string(a: Node, b: Node, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> Verdict:
    """A printable string on which two regexes disagree (the input to ask the user about)."""
    return equivalent(a, b, timeout_ms, printable=True)
