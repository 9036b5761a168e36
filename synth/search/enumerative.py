"""The plain bottom-up strategy for example-based domains: the domain's ops as a grammar, BUSTLE's
constants, observational equivalence, and the value caps."""
from __future__ import annotations

from typing import Any

from synth.dsl.base import Domain, ValueLimits
from synth.search.bottom_up import BottomUpSearch, SearchOutcome
from synth.search.budget import Budget
from synth.search.grammar import SearchGrammar, grammar_from_ops
from synth.task import Task


def limits_for(task: Task) -> ValueLimits:
    """BUSTLE's caps (strings < 99 chars, |ints| < 100), widened when the examples hold bigger
    values so that a task's own output is never out of reach."""
    longest, biggest, longest_list = 0, 0, 0
    for ex in task.examples:
        for v in (*ex.inputs.values(), ex.output):
            if isinstance(v, str):
                longest = max(longest, len(v))
            elif isinstance(v, bool):
                pass
            elif isinstance(v, int):
                biggest = max(biggest, abs(v))
            elif isinstance(v, list):
                longest_list = max(longest_list, len(v))
    return ValueLimits(max_string_len=max(99, longest + 1), max_abs_int=max(100, biggest + 1),
                       max_list_len=max(20, longest_list))


def default_grammar(task: Task, domain: Domain) -> SearchGrammar:
    ops = domain.resolve_ops(task.ops)
    first = task.examples[0]
    inputs = {k: domain.type_of(v) for k, v in first.inputs.items()}
    constants = domain.constants(task.examples, task.constants)
    return grammar_from_ops(domain, ops, inputs, constants, domain.type_of(first.output))


def task_grammar(task: Task, domain: Domain) -> SearchGrammar:
    """The grammar a task is searched in: its own (a SyGuS ``synth-fun`` grammar, kept in
    ``task.spec["search_grammar"]``) or the domain's ops over its inputs and constants."""
    grammar = task.spec.get("search_grammar")
    return grammar if grammar is not None else default_grammar(task, domain)


def solve_bottom_up(task: Task, domain: Domain, budget: Budget, grammar: SearchGrammar | None = None,
                    **options: Any) -> SearchOutcome:
    grammar = grammar or task_grammar(task, domain)
    search = BottomUpSearch(domain, grammar, [dict(e.inputs) for e in task.examples],
                            [e.output for e in task.examples], budget, limits_for(task), **options)
    return search.run()
