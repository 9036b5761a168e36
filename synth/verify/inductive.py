"""Z3 checks of a loop invariant over a transition system (``synth.verify.transition``).

For ``init(s)``, ``trans(s, s')`` and the property ``post(s)`` (every state the invariant allows
must satisfy it), a candidate ``Inv`` is proved inductive by three valid implications:

* initiation  ``init(s) → Inv(s)``           a failure gives a state Inv must include (positive)
* consecution ``Inv(s) ∧ trans(s, s') → Inv(s')``  a failure gives an implication pair (s, s')
* safety      ``Inv(s) → post(s)``           a failure gives a state Inv must exclude (negative)

Each check asserts the negation and asks Z3 with a timeout: ``unsat`` proves it, ``sat`` refutes
it with a counterexample, ``unknown`` leaves it unproven. ``bmc`` looks for a reachable state that
violates the property. (The search for an invariant is ``synth.search.invariant``.)

z3 is imported inside the functions, so importing this module never needs it.
"""
from __future__ import annotations

from synth.dsl.base import Node
from synth.verify.transition import TransitionSystem
from synth.z3util import DEFAULT_TIMEOUT_MS, Verdict, solve


def _lia_solver():
    """Z3's solver for QF_LIA (Bool and linear Int terms, ``mod`` by constants): on the large
    invariants and transition relations of the Lustre files it answers far sooner than the
    default solver; a term outside the logic gives ``unknown``, never a wrong answer."""
    import z3

    return z3.SolverFor("QF_LIA")


def check_initiation(ts: TransitionSystem, inv, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> Verdict:
    """``init → inv``; refuted with an initial state that ``inv`` excludes."""
    import z3

    answer, model = solve([ts.init, z3.Not(inv)], timeout_ms, _lia_solver())
    return _verdict(answer, model, lambda m: ts.state_of(m), "initiation",
                    "an initial state violates the invariant")


def check_consecution(ts: TransitionSystem, inv, inv_next, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> Verdict:
    """``inv ∧ trans → inv'``; refuted with a pair (s, s') that leaves the invariant."""
    import z3

    answer, model = solve([inv, ts.trans, z3.Not(inv_next)], timeout_ms, _lia_solver())
    return _verdict(answer, model, lambda m: (ts.state_of(m), ts.state_of(m, ts.nxt)),
                    "consecution", "one iteration leaves the invariant")


def check_safety(ts: TransitionSystem, inv, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> Verdict:
    """``inv → post``; refuted with a state the invariant allows that violates the property."""
    import z3

    answer, model = solve([inv, z3.Not(ts.post)], timeout_ms, _lia_solver())
    return _verdict(answer, model, lambda m: ts.state_of(m), "safety",
                    "the invariant allows a state that violates the post-condition")


def _verdict(answer, model, cex, name, what) -> Verdict:
    if answer == "unsat":
        return Verdict("proved", detail=f"{name}: valid")
    if answer == "sat":
        c = cex(model)
        return Verdict("refuted", c, f"{name}: {what}: {c}", {"check": name})
    return Verdict("unknown", detail=f"{name}: Z3 answered unknown (timeout or incomplete)",
                   extra={"check": name})


def verify_invariant(ts: TransitionSystem, inv: Node, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> Verdict:
    """All three checks on a lia invariant: proved only when Z3 proves each one."""
    f, f_next = ts.formula(inv), ts.formula(inv, primed=True)
    unknown = None
    for v in (check_initiation(ts, f, timeout_ms), check_consecution(ts, f, f_next, timeout_ms),
              check_safety(ts, f, timeout_ms)):
        if v.refuted:
            return v
        if v.unknown and unknown is None:
            unknown = v
    if unknown is not None:
        return unknown
    return Verdict("proved", detail="initiation, consecution and safety proved by Z3")


def bmc(ts: TransitionSystem, depth: int, timeout_ms: int = DEFAULT_TIMEOUT_MS,
        deadline: float | None = None) -> Verdict:
    """Bounded model checking: refuted (with the trace of states) when a state reachable in at
    most ``depth`` iterations violates the property, proved when none is, unknown otherwise."""
    import time

    import z3

    s = z3.Solver()
    states = [TransitionSystem.consts(ts.vars, ts.sorts, "@0")]

    def rename(formula, k_from: dict, k_to: dict | None, aux, tag):
        pairs = [(ts.cur[v], k_from[v]) for v in ts.vars]
        if k_to is not None:
            pairs += [(ts.nxt[v], k_to[v]) for v in ts.vars]
        pairs += [(a, z3.Const(f"{a}@{tag}", a.sort())) for a in aux]
        return z3.substitute(formula, *pairs) if pairs else formula

    s.add(rename(ts.init, states[0], None, ts.init_aux, "i"))
    for k in range(depth + 1):
        left = None if deadline is None else deadline - time.perf_counter()
        if left is not None and left <= 0:
            return Verdict("unknown", detail=f"bmc: out of time after depth {k - 1}")
        budget = timeout_ms if left is None else max(1, min(timeout_ms, int(left * 1000)))
        s.set("timeout", budget)
        s.push()
        s.add(z3.Not(rename(ts.post, states[k], None, ts.post_aux, f"p{k}")))
        r = s.check()
        if r == z3.sat:
            m = s.model()
            trace = [ts.state_of(m, st) for st in states]
            s.pop()
            return Verdict("refuted", trace, f"a state reachable in {k} iteration(s) violates the "
                                             f"post-condition: {trace[-1]}", {"depth": k})
        s.pop()
        if r != z3.unsat:
            return Verdict("unknown", detail=f"bmc: Z3 unknown at depth {k}")
        if k < depth:
            states.append(TransitionSystem.consts(ts.vars, ts.sorts, f"@{k + 1}"))
            s.add(rename(ts.trans, states[k], states[k + 1], ts.trans_aux, f"t{k}"))
    return Verdict("proved", detail=f"no violation within {depth} iterations")


__all__ = ["check_initiation", "check_consecution", "check_safety", "verify_invariant", "bmc"]
