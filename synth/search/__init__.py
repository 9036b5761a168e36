"""Search strategies. Each takes a task, its domain and a budget and returns a ``SearchOutcome``;
strategies never print. They are looked up by name and imported lazily."""
from __future__ import annotations

import importlib
from typing import Any, Callable

from synth.errors import InvalidTask

#: strategy name -> "module:function"
STRATEGIES: dict[str, str] = {
    "bottom-up": "synth.search.enumerative:solve_bottom_up",
    "guided": "synth.search.guided:solve_guided",
    "robustfill-decompose": "synth.search.robustfill_search:solve_robustfill",
    "deepcoder-bottom-up": "synth.search.deepcoder_search:solve_deepcoder",
    "exedec": "synth.search.exedec_search:solve_exedec",
    "exedec-hybrid": "synth.search.exedec_search:solve_hybrid",
    "regex-enum": "synth.search.regex_search:solve_regex",
    "cegis": "synth.search.cegis:solve_cegis",
}


def register_strategy(name: str, target: str) -> None:
    """Make ``"module:function"`` available as strategy ``name``."""
    STRATEGIES[name] = target


def get_strategy(name: str) -> Callable[..., Any]:
    try:
        module, func = STRATEGIES[name].split(":")
    except KeyError:
        raise InvalidTask(f"unknown strategy {name!r}; choose one of: auto, "
                          f"{', '.join(sorted(STRATEGIES))}") from None
    return getattr(importlib.import_module(module), func)
