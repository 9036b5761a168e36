"""The result of solving one task, its JSON record (``Result.to_record``), and the other forms of
its program (``Renderings``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping

from synth.dsl.base import Program
from synth.errors import NoProgramInDSL, SynthesisTimeout, SynthError, VerificationUnknown


class Renderings(Mapping[str, str]):
    """The other forms of a result's program, by name: ``"python"`` (``Program.to_python``, every
    domain), ``"python-re"`` (a regex as a pattern for Python's ``re``), ``"define-fun"`` (the
    SyGuS solution of a task read from a SyGuS file). Which names a result has is known at once;
    each text is made on first access and then kept (an error making it is raised there, each
    time it is asked for). ``synth.api.renderings`` says which a program gets."""

    def __init__(self, makers: Mapping[str, "str | Callable[[], str]"] | None = None):
        self._items: dict[str, Any] = dict(makers or {})

    def __getitem__(self, name: str) -> str:
        value = self._items[name]
        if callable(value):
            value = self._items[name] = value()
        return value

    def __contains__(self, name: object) -> bool:  # without making the text
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Renderings({', '.join(self._items)})"

    def __reduce__(self):  # pickled, copied: as the texts themselves
        return (Renderings, ({name: self[name] for name in self},))


@dataclass
class Result:
    """``status`` is solved, timeout (a budget ran out), exhausted (the DSL cannot express the
    task up to the size limit), unproven (a candidate Z3 could neither prove nor refute),
    infeasible (no program can exist, e.g. a loop whose assertion fails on a reachable state) or
    error. ``stats`` says how far the search got; ``renderings`` holds the other forms of
    ``program`` (``Renderings``: ``result.renderings["python"]``, and ``"python-re"`` or
    ``"define-fun"`` where they apply)."""

    name: str
    domain: str
    strategy: str
    status: str
    program: Program | None = None
    seconds: float = 0.0
    candidates: int = 0
    train_ok: bool | None = None
    test_ok: bool | None = None
    error: str | None = None
    stats: dict[str, Any] = field(default_factory=dict)
    renderings: Renderings = field(default_factory=Renderings, repr=False, compare=False)

    @property
    def solved(self) -> bool:
        return self.status == "solved"

    @property
    def alternatives(self) -> list[dict[str, Any]]:
        """Other programs that fit the examples but differ on the task's unlabeled rows, cheapest
        first (``solve(..., top=K)`` with the deductive strategy): each ``{"program", "cost",
        "outputs"}``, the outputs on the unlabeled rows (None where undefined)."""
        return list(self.stats.get("alternatives") or [])

    @property
    def ask(self) -> dict[str, Any] | None:
        """The unlabeled row worth labelling next: one where the best program is in doubt (it is
        undefined there, or its output looks unlike the examples'), else one where the best fits
        disagree; of those, the row whose input is least like the examples'. As
        ``{"input": row, "answers": [best program's output, the next fits' ...]}``, or None."""
        return self.stats.get("ask")

    @property
    def warnings(self) -> list[str]:
        """Why a program that fits may not be the one meant (``synth.plausibility``): many
        constants copied from the outputs, or a size the examples do not justify."""
        return list(self.stats.get("warnings") or [])

    @property
    def size(self) -> int | None:
        return None if self.program is None else self.program.size

    def to_record(self) -> dict[str, Any]:
        rec = {"name": self.name, "domain": self.domain, "strategy": self.strategy,
               "status": self.status, "program": None if self.program is None else str(self.program),
               "size": self.size, "seconds": round(self.seconds, 4), "candidates": self.candidates,
               "train_ok": self.train_ok, "test_ok": self.test_ok, "error": self.error}
        rec.update({k: v for k, v in self.stats.items() if k not in rec})
        return rec

    def raise_for_status(self) -> "Result":
        """Raise the matching ``SynthError`` unless the task was solved; returns self otherwise."""
        if self.status == "solved":
            return self
        if self.status == "timeout":
            raise SynthesisTimeout(
                f"task {self.name!r}: no program found within the budget "
                f"({self.stats.get('stopped_by', 'time')} ran out after {self.candidates} candidates, "
                f"sizes up to {self.stats.get('max_size_explored')} fully searched); raise the timeout "
                f"or restrict the ops", result=self)
        if self.status == "exhausted":
            raise NoProgramInDSL(
                f"task {self.name!r}: no program of size <= {self.stats.get('max_size_explored')} fits "
                f"the examples; the DSL or op set cannot express this task",
                max_size_explored=self.stats.get("max_size_explored", 0), result=self)
        if self.status == "unproven":
            raise VerificationUnknown(
                f"task {self.name!r}: a candidate was found but Z3 could not prove it "
                f"({self.error or 'unknown'}); it is not reported as solved")
        raise SynthError(f"task {self.name!r}: {self.error or self.status}")
