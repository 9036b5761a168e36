"""DSL registry: domains are imported lazily by name, so a domain's heavy imports cost nothing
until it is used."""
from __future__ import annotations

import importlib
import importlib.util

from synth.dsl.base import Apply, Const, Domain, Op, Program, ValueLimits, Var, node_size
from synth.errors import UnknownDomain

#: domain name -> module that defines ``DOMAIN``
_MODULES = {
    "strings": "synth.dsl.strings",
    "robustfill": "synth.dsl.robustfill",
    "deepcoder": "synth.dsl.deepcoder",
    "lia": "synth.dsl.lia",
    "regex": "synth.dsl.regex",
}


def available_domains() -> list[str]:
    """Names of the domains this installation has."""
    return [n for n, m in _MODULES.items() if importlib.util.find_spec(m) is not None]


def get_domain(name: str | Domain) -> Domain:
    if isinstance(name, Domain):
        return name
    module = _MODULES.get(name)
    if module is None or importlib.util.find_spec(module) is None:
        raise UnknownDomain(
            f"unknown domain {name!r}; available: {', '.join(available_domains())}")
    return importlib.import_module(module).DOMAIN


__all__ = ["Apply", "Const", "Domain", "Op", "Program", "ValueLimits", "Var", "node_size",
           "available_domains", "get_domain"]
