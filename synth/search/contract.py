"""The search contract: what every strategy is given, what it returns, how it stops, and the table
of strategies that ``api.solve`` checks before a search starts.

A strategy is a function ``solve_x(task, domain, budget, **its_options) -> SearchOutcome``:

* it is given a validated ``Task``, its ``Domain`` and a ``Budget`` (``budget.py``), and keeps
  to the budget through a ``Clock``; inside a search, an exhausted budget is raised as
  ``BudgetExceeded`` and caught by the strategy, which returns a ``timeout`` outcome;
* it returns a ``SearchOutcome`` whose ``status`` is one of ``STATUSES``;
* it never prints, and under a candidate budget (no time limit) it is deterministic;
* it takes only the options its ``StrategySpec`` declares (``api.solve`` rejects others with
  ``InvalidArgument`` naming the valid ones).

``tests/test_strategy_conformance.py`` runs every entry of ``STRATEGY_TABLE`` on a small task of
each domain it serves and checks these rules.
"""
from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass, field
from typing import Any, Callable

from synth.dsl.base import Node

#: every status a search (and so a ``Result``) can end with
STATUSES = ("solved", "timeout", "exhausted", "unproven", "infeasible", "error")


@dataclass
class SearchOutcome:
    """What a search found and how far it got. ``status``: one of ``STATUSES`` (the enumerative
    searches end solved, timeout or exhausted)."""

    status: str
    node: Node | None = None
    candidates: int = 0
    values: int = 0
    #: the largest cost level enumerated completely
    max_size_explored: int = 0
    seconds: float = 0.0
    #: which budget stopped an unfinished search: time, candidates or memory
    stopped_by: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class BudgetExceeded(Exception):
    """A budget (time, candidates or memory: ``Clock.exceeded()`` says which) ran out inside a
    search. Control flow within the search layer only: the strategy that started the search
    catches it and returns a ``timeout`` outcome, so it never reaches a caller of ``api.solve``."""


# ----------------------------------------------------------------------------- the table
@dataclass(frozen=True)
class Option:
    """One keyword option of a strategy: its name, the type it takes (as text) and its default."""

    name: str
    type: str
    default: Any = None
    doc: str = ""


@dataclass(frozen=True)
class StrategySpec:
    """One strategy: ``target`` is ``"module:function"``; ``domains`` the domains it searches
    (None: any); ``options`` its keyword options (None: not declared, for a strategy registered
    from outside synth; then the function's own keyword parameters are its options, or any
    option when it takes ``**options``)."""

    name: str
    target: str
    domains: tuple[str, ...] | None
    options: tuple[Option, ...] | None = ()

    def option_names(self) -> list[str] | None:
        if self.options is not None:
            return [o.name for o in self.options]
        return _signature_options(load_target(self.target))

    def load(self) -> Callable[..., Any]:
        return load_target(self.target)


#: options of the bottom-up search classes, which ``bottom-up`` and ``guided`` pass them on to
_SEARCH_OPTIONS = (
    Option("concat_shortcut", "bool", True, "solve a concatenation target by its parts"),
    Option("cond_shortcut", "bool", True, "solve a conditional target by its branches"),
    Option("decompose", "bool", True, "the concatenation decomposition of the target"),
    Option("value_hook", "Callable[[str, tuple, Node], None] | None", None,
           "called with every value kept (tests, data generation)"),
)
_ENGINE = Option("engine", "str | None", None, "auto, compiled or python (default: $SYNTH_ENGINE, else auto)")
_GRAMMAR = Option("grammar", "SearchGrammar | None", None, "the grammar to enumerate (default: the task's)")
_MODEL = Option("model", "SubgoalModel | None", None, "the subgoal model (default: the shipped one)")

#: strategy name -> its spec. ``register_strategy`` adds to it.
STRATEGY_TABLE: dict[str, StrategySpec] = {s.name: s for s in (
    StrategySpec("bottom-up", "synth.search.enumerative:solve_bottom_up", ("strings",),
                 (_GRAMMAR, _ENGINE) + _SEARCH_OPTIONS),
    StrategySpec("guided", "synth.search.guided:solve_guided", ("strings",), (
        _GRAMMAR,
        Option("guide", "NumpyGuide | None", None, "the value-scoring model (default: the shipped one)"),
        Option("heuristics", "bool", True, "BUSTLE's string heuristics on top of the guide"),
        Option("minimize", "bool", True, "search again for a smaller program after a solution"),
        _ENGINE,
        Option("max_penalty", "int | None", None, "the largest cost the guide may add to a value"),
        Option("score_examples", "int | None", 5, "examples the guide scores (the first ones)"),
    ) + _SEARCH_OPTIONS),
    StrategySpec("robustfill-decompose", "synth.search.robustfill_search:solve_robustfill",
                 ("robustfill",)),
    StrategySpec("deepcoder-bottom-up", "synth.search.deepcoder_search:solve_deepcoder", ("deepcoder",)),
    StrategySpec("exedec", "synth.search.exedec_search:solve_exedec", ("robustfill", "deepcoder"), (
        _MODEL,
        Option("beam_size", "int", 10, "states kept per step"),
        Option("per_state", "int", 5, "subgoals proposed per state"),
        Option("max_beam", "int", 160, "the largest beam after widening"),
    )),
    StrategySpec("exedec-hybrid", "synth.search.exedec_search:solve_hybrid", ("robustfill", "deepcoder"), (
        _MODEL,
        Option("symbolic_share", "float", 0.5, "deepcoder: the share of time of the symbolic search"),
    )),
    StrategySpec("regex-enum", "synth.search.regex_search:solve_regex", ("regex",), (
        Option("max_values", "int | None", None, "the most values kept (default: by memory)"),
        Option("z3_timeout_ms", "int", 5000, "Z3's limit per check"),
        Option("runner_up", "bool", True, "collect the other fits, rank them (regex_rank) and report the runner-up"),
        Option("use_fields", "bool", True, "the field decomposition of structured strings"),
    )),
    StrategySpec("cegis", "synth.search.cegis:solve_cegis", ("lia",), (
        Option("seed", "int", 0, "the seed of the sampled states"),
        Option("levels", "int", 4, "clause levels of the candidate space"),
    )),
    StrategySpec("deductive", "synth.search.deductive:solve_deductive", ("strings",), (
        Option("top", "int", 1, "programs to return: the best and up to top - 1 alternatives that "
                                "differ on the task's unlabeled rows"),
    )),
)}


def load_target(target: str) -> Callable[..., Any]:
    module, func = target.split(":")
    return getattr(importlib.import_module(module), func)


def _signature_options(fn: Callable[..., Any]) -> list[str] | None:
    """The keyword parameters after (task, domain, budget); None when ``fn`` takes ``**options``."""
    params = list(inspect.signature(fn).parameters.values())
    if any(p.kind == p.VAR_KEYWORD for p in params):
        return None
    return [p.name for p in params[3:] if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


__all__ = ["STATUSES", "SearchOutcome", "BudgetExceeded", "Option", "StrategySpec", "STRATEGY_TABLE",
           "load_target"]
