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
