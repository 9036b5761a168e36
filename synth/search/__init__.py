"""Search strategies. Each takes a task, its domain and a budget and returns a ``SearchOutcome``;
strategies never print. They are looked up by name in the strategy table
(``synth.search.contract.STRATEGY_TABLE``: target, domains served, options) and imported lazily;
``synth.search.auto.auto_strategy`` says which one ``strategy="auto"`` runs."""
from __future__ import annotations

from typing import Any, Callable

from synth.errors import InvalidArgument, InvalidTask
from synth.search.contract import STRATEGY_TABLE, Option, StrategySpec

#: strategy name -> "module:function" (a view of the strategy table, kept in step by
#: ``register_strategy``)
STRATEGIES: dict[str, str] = {name: spec.target for name, spec in STRATEGY_TABLE.items()}

#: strategy name -> the domains it searches (a domain's ``auto`` choice always serves it); a
#: strategy missing here searches any domain
STRATEGY_DOMAINS: dict[str, tuple[str, ...]] = {
    name: spec.domains for name, spec in STRATEGY_TABLE.items() if spec.domains is not None}


def register_strategy(name: str, target: str, domains: tuple[str, ...] | None = None,
                      options: tuple[Option, ...] | None = None) -> None:
    """Make ``"module:function"`` available as strategy ``name`` for ``domains`` (None: any),
    taking ``options`` (None: the function's keyword parameters, or any option when it takes
    ``**options``)."""
    spec = StrategySpec(name, target, None if domains is None else tuple(domains), options)
    STRATEGY_TABLE[name] = spec
    STRATEGIES[name] = target
    if spec.domains is not None:
        STRATEGY_DOMAINS[name] = spec.domains
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


def strategy_spec(name: str) -> StrategySpec:
    """The table entry of strategy ``name``; ``InvalidTask`` naming the strategies for an unknown one."""
    if name not in STRATEGIES:
        raise InvalidTask(f"unknown strategy {name!r}; choose one of: auto, "
                          f"{', '.join(sorted(STRATEGIES))}")
    spec = STRATEGY_TABLE.get(name)
    if spec is None or spec.target != STRATEGIES[name]:  # STRATEGIES set directly
        spec = StrategySpec(name, STRATEGIES[name], STRATEGY_DOMAINS.get(name), None)
    return spec


def get_strategy(name: str) -> Callable[..., Any]:
    return strategy_spec(name).load()


def strategy_options(name: str) -> list[str] | None:
    """The keyword options strategy ``name`` takes (None: any, for a strategy registered from
    outside synth whose function takes ``**options``)."""
    return strategy_spec(name).option_names()


def check_options(name: str, options: dict) -> None:
    """``InvalidArgument`` naming the valid options if ``options`` has one that strategy ``name``
    does not take."""
    if not options:
        return
    valid = strategy_options(name)
    if valid is None:
        return
    unknown = sorted(k for k in options if k not in valid)
    if unknown:
        raise InvalidArgument(
            f"unknown keyword argument{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} for "
            f"strategy {name!r}; valid: timeout, max_candidates, max_memory_mb, max_size"
            f"{', ' + ', '.join(valid) if valid else ''} (and for synthesize(): domain, strategy, "
            f"tests, ops, constants, name)")
