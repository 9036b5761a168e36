"""``synth.Session``: learn a program step by step, as a user filling a column does.

Add examples and unlabeled rows, ``learn()``, look at the ``top(k)`` programs, ``ask()`` for the
row worth labelling next, ``predict(rows)`` with a per-row confidence; add an example and learn
again. In the style of PROSE's Session and of scikit-learn's estimators (explicit parameters,
``get_params``); every error is a ``synth.SynthError`` subclass.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from synth.api import solve
from synth.dsl import get_domain
from synth.dsl.base import ERROR, Program
from synth.errors import InvalidArgument, InvalidTask, SynthError
from synth.result import Result
from synth.search.deductive.doubts import Doubts
from synth.task import Task


#: how much dearer than the best program an alternative may be and still make a row unsure
UNSURE_MARGIN = 1.0


@dataclass(frozen=True)
class Prediction:
    """One row's output: ``status`` is ``sure`` (the best programs agree), ``unsure`` (they
    differ: ``others`` holds their outputs), or ``failed`` (the best program is undefined)."""

    output: Any
    status: str
    others: tuple = ()


class Session:
    """Examples and unlabeled rows of one task, and what was learned from them.

    >>> s = Session(domain="strings", timeout=5)
    >>> s.add_example({"name": "Ada Lovelace"}, "Lovelace")
    >>> s.add_inputs([{"name": "Grace Brewster Hopper"}, {"name": "Alan Turing"}])
    >>> s.learn().solved                       # doctest: +SKIP
    True
    >>> s.ask()                                # doctest: +SKIP
    {'name': 'Grace Brewster Hopper'}
    """

    def __init__(self, domain: str = "strings", timeout: float | None = 5.0, top: int = 3,
                 strategy: str = "auto", ops: Any = None, **budget: Any):
        get_domain(domain)  # UnknownDomain names the valid ones
        if not isinstance(top, int) or isinstance(top, bool) or top < 1:
            raise InvalidArgument(f"top must be a positive integer, got {top!r}")
        self.domain = domain
        self.timeout = timeout
        self.top_k = top
        self.strategy = strategy
        self.ops = ops
        self.budget = dict(budget)
        self.examples: list[tuple[dict[str, Any], Any]] = []
        self.inputs: list[dict[str, Any]] = []
        self.result: Result | None = None

    def get_params(self) -> dict[str, Any]:
        return {"domain": self.domain, "timeout": self.timeout, "top": self.top_k,
                "strategy": self.strategy, "ops": self.ops, **self.budget}

    # -- data --------------------------------------------------------------------------------
    def add_example(self, inputs: Mapping[str, Any], output: Any) -> None:
        """Add one labelled row (checked when the session learns)."""
        if not isinstance(inputs, Mapping):
            raise InvalidArgument(f"add_example needs the inputs as a dict of named values, got "
                                  f"{type(inputs).__name__}")
        self.examples.append((dict(inputs), output))
        self.result = None

    def add_inputs(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Add rows without outputs (the rest of the column)."""
        if isinstance(rows, Mapping) or isinstance(rows, (str, bytes)):
            raise InvalidArgument("add_inputs needs a list of rows (dicts of named values)")
        for r in rows:
            if not isinstance(r, Mapping):
                raise InvalidArgument(f"a row must be a dict of named values, got {type(r).__name__}")
            self.inputs.append(dict(r))
        self.result = None

    def task(self) -> Task:
        """The session's task: its examples, and its unlabeled rows not already labelled."""
        if not self.examples:
            raise InvalidTask("the session has no examples yet; add_example(inputs, output) first")
        labelled = [e[0] for e in self.examples]
        d = {"name": "session", "domain": self.domain,
             "examples": [{"inputs": i, "output": o} for i, o in self.examples],
             "inputs": [r for r in self.inputs if r not in labelled]}
        if self.ops is not None:
            d["ops"] = self.ops
        return Task.from_dict(d)

    # -- learning ----------------------------------------------------------------------------
    def learn(self) -> Result:
        """Search for the programs; the result (``solved`` or not) is kept for ``top``,
        ``ask`` and ``predict``."""
        task = self.task()
        options = dict(self.budget)
        from synth.search.auto import auto_strategy
        name = auto_strategy(task.domain, task, options.get("max_size")) if self.strategy == "auto" \
            else self.strategy
        if name == "deductive" and self.top_k > 1:
            options["top"] = self.top_k
        self.result = solve(task, strategy=name, timeout=self.timeout, **options)
        return self.result

    def _learned(self) -> Result:
        if self.result is None:
            self.learn()
        assert self.result is not None
        if not self.result.solved:
            raise SynthError(f"no program fits the session's examples "
                             f"({self.result.status}); add examples or raise the timeout")
        return self.result

    def _programs(self, within: float | None = None) -> list[Program]:
        """The best program and its alternatives (those within ``within`` of its cost)."""
        res = self._learned()
        dom = get_domain(self.domain)
        types = {n: dom.type_of(v) for n, v in self.examples[0][0].items()}
        best = res.stats.get("cost")
        return [res.program] + [dom.parse(a["program"], types) for a in res.alternatives
                                if within is None or (best is not None and a["cost"] - best <= within)]

    def top(self, k: int | None = None) -> list[Program]:
        """The best program and the alternatives that differ on the unlabeled rows, best first."""
        return self._programs()[:k or self.top_k]

    def ask(self) -> dict[str, Any] | None:
        """The unlabeled row worth labelling next (``Result.ask``: where the best program is in
        doubt or the best programs differ, the row least like the examples), or None when no
        row is in doubt."""
        res = self._learned()
        return None if res.ask is None else dict(res.ask["input"])

    def predict(self, rows: Iterable[Mapping[str, Any]]) -> list[Prediction]:
        """Each row's output by the best program: ``failed`` where it is undefined; ``unsure``
        where ``doubts`` finds a reason (an alternative almost as likely gives another output,
        or the output or one of its pieces looks unlike every example's); else ``sure``."""
        programs = self._programs(UNSURE_MARGIN)
        doubts = Doubts(programs[0], self.examples, bool(self._learned().warnings))
        out = []
        for r in rows:
            if not isinstance(r, Mapping):
                raise InvalidArgument(f"a row must be a dict of named values, got {type(r).__name__}")
            try:
                values = [p.run(dict(r)) for p in programs]
            except KeyError as e:
                raise InvalidArgument(f"row {dict(r)!r} lacks the input {e.args[0]!r}") from None
            best = values[0]
            if best is ERROR:
                out.append(Prediction(None, "failed", tuple(values[1:])))
            elif any(v != best for v in values[1:]) or doubts.about(dict(r), best):
                out.append(Prediction(best, "unsure", tuple(values[1:])))
            else:
                out.append(Prediction(best, "sure"))
        return out
