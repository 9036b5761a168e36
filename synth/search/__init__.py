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


#: strategy name -> the domains it searches (a domain's ``auto`` choice always serves it)
STRATEGY_DOMAINS: dict[str, tuple[str, ...]] = {
    "bottom-up": ("strings",),
    "guided": ("strings",),
    "robustfill-decompose": ("robustfill",),
    "deepcoder-bottom-up": ("deepcoder",),
    "exedec": ("robustfill", "deepcoder"),
    "exedec-hybrid": ("robustfill", "deepcoder"),
    "regex-enum": ("regex",),
    "cegis": ("lia",),
}


def register_strategy(name: str, target: str, domains: tuple[str, ...] | None = None) -> None:
    """Make ``"module:function"`` available as strategy ``name`` for ``domains`` (None: any)."""
    STRATEGIES[name] = target
    if domains is not None:
        STRATEGY_DOMAINS[name] = tuple(domains)
    else:
        STRATEGY_DOMAINS.pop(name, None)


def strategy_serves(strategy: str, domain: str) -> bool:
    """Whether ``strategy`` searches tasks of ``domain`` (unknown pairs: those not declared)."""
    served = STRATEGY_DOMAINS.get(strategy)
    return strategy == "auto" or served is None or domain in served


def check_strategy(strategy: str, domain: str) -> None:
    """An ``InvalidTask`` naming the strategies that do serve ``domain``, if ``strategy`` does not."""
    if not strategy_serves(strategy, domain):
        fits = [s for s in sorted(STRATEGIES) if strategy_serves(s, domain)]
        raise InvalidTask(f"strategy {strategy!r} does not search the {domain} domain; "
                          f"for {domain} tasks use auto or {', '.join(fits)}")


def get_strategy(name: str) -> Callable[..., Any]:
    try:
        module, func = STRATEGIES[name].split(":")
    except KeyError:
        raise InvalidTask(f"unknown strategy {name!r}; choose one of: auto, "
                          f"{', '.join(sorted(STRATEGIES))}") from None
    return getattr(importlib.import_module(module), func)
