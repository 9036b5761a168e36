"""What ``strategy="auto"`` means: the strategy ``api.solve`` runs for a task when none is named.

One function, ``auto_strategy``, decides for every domain. Most domains have one default
(``DEFAULT_STRATEGY``); the strings domain chooses per task (``choose_strings_strategy``). A
new strategy that should be picked automatically is added here, not in the DSL: the DSL layer
knows nothing of strategies or of the neural guides.
"""
from __future__ import annotations

from synth.dsl import get_domain
from synth.dsl.base import Domain
from synth.task import GrammarSpec, Task

#: domain name -> the strategy ``auto`` runs when the domain does not choose per task
DEFAULT_STRATEGY: dict[str, str] = {
    "strings": "bottom-up",
    "robustfill": "exedec-hybrid",
    "deepcoder": "deepcoder-bottom-up",
    "regex": "regex-enum",
    "lia": "cegis",
}


def choose_strings_strategy(domain: Domain, task: Task, max_size: int | None = None) -> str:
    """``auto`` for a strings task: the deductive (Flash Fill-style) search for text-to-text
    tasks over the default ops (it falls back to ``enumerative_strings_strategy`` for what it
    cannot express, and checks its answer against smaller enumerated programs); the enumerative
    choice for the rest (a SyGuS file, other op sets, a size bound, integer outputs)."""
    from synth.search.deductive.scope import applies

    if max_size is None and task.ops in (None, "bustle", "text") and applies(task):
        return "deductive"
    return enumerative_strings_strategy(domain, task, max_size)


def enumerative_strings_strategy(domain: Domain, task: Task, max_size: int | None = None) -> str:
    """The enumerative search for a strings task: guided search (benchmarks/RESULTS.md section 3: it solves
    more of BUSTLE's sets than the plain search) where its guide applies, i.e. a guide is
    shipped and the task is searched over BUSTLE's ops, which the guide was trained on; else
    bottom-up (a SyGuS grammar or the 0-based SMT ops). Also bottom-up under a size bound: only
    the plain search enumerates by size, so only it can say no program of that size fits."""
    from synth.neural.models import shipped_guide

    bustle = set(domain.op_sets["bustle"])
    if max_size is None and not isinstance(task.spec, GrammarSpec) \
            and all(op.name in bustle for op in domain.resolve_ops(task.ops)) \
            and shipped_guide(domain.name) is not None:
        return "guided"
    return "bottom-up"


#: domain name -> function(domain, task, max_size) -> strategy name, for domains whose ``auto``
#: depends on the task
PER_TASK_CHOICE = {
    "strings": choose_strings_strategy,
}


def auto_strategy(domain_name: str, task: Task | None = None, max_size: int | None = None) -> str:
    """The strategy ``auto`` runs for tasks of ``domain_name`` (and, where the domain decides
    per task, for ``task`` searched up to ``max_size``). A domain in neither table: its
    ``default_strategy`` attribute, else ``bottom-up``."""
    domain = get_domain(domain_name)
    choose = PER_TASK_CHOICE.get(domain.name)
    if choose is not None and task is not None:
        return choose(domain, task, max_size)
    if domain.name in DEFAULT_STRATEGY:
        return DEFAULT_STRATEGY[domain.name]
    return getattr(domain, "default_strategy", "bottom-up")
