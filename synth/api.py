"""The Python API: ``synthesize`` examples, ``solve`` tasks, ``load_tasks`` from files."""
from __future__ import annotations

import time
from typing import Any, Sequence

from synth import deadline
from synth.dsl import get_domain
from synth.dsl.base import ERROR, Program
from synth.errors import SynthError
from synth.result import Result
from synth.search import get_strategy
from synth.search.budget import Budget
from synth.task import Task


def default_strategy(domain_name: str, task: Task | None = None, max_size: int | None = None) -> str:
    """What ``strategy='auto'`` means for a domain (and, where the domain decides per task, for
    ``task`` searched up to ``max_size``)."""
    domain = get_domain(domain_name)
    choose = getattr(domain, "strategy_for", None)
    if choose is not None and task is not None:
        return choose(task, max_size)
    return getattr(domain, "default_strategy", "bottom-up")


def solve(task: Task, *, strategy: str = "auto", timeout: float | None = 10.0,
          max_candidates: int | None = None, max_memory_mb: float | None = 4096.0,
          max_size: int | None = None, **options: Any) -> Result:
    """Search for a program that fits ``task.examples``.

    Returns a ``Result`` whatever happens in the search (``status`` says how it ended; call
    ``result.raise_for_status()`` to turn failure into an exception). Bad input raises a
    ``SynthError`` subclass before any search starts.
    """
    domain = get_domain(task.domain)
    if task.ops is not None:
        domain.resolve_ops(task.ops)  # unknown op names fail here, before searching
    max_size = max_size if max_size is not None else task.spec.get("max_size")
    name = default_strategy(task.domain, task, max_size) if strategy == "auto" else strategy
    fn = get_strategy(name)
    budget = Budget(timeout=timeout, max_candidates=max_candidates, max_memory_mb=max_memory_mb,
                    max_size=max_size)
    started = time.perf_counter()
    with deadline.until(budget.timeout):  # work before and beside the search loop counts too
        outcome = fn(task, domain, budget, **options)
    seconds = time.perf_counter() - started
    program = None if outcome.node is None else Program(outcome.node, domain)
    result = Result(name=task.name, domain=domain.name, strategy=name, status=outcome.status,
                    program=program, seconds=seconds, candidates=outcome.candidates,
                    stats={"values": outcome.values, "max_size_explored": outcome.max_size_explored,
                           "stopped_by": outcome.stopped_by, **outcome.extra})
    if outcome.extra.get("error") and result.error is None:
        result.error = str(outcome.extra["error"])  # why a verified search did not solve it
    if program is not None:
        result.train_ok = fits(program, task.examples)
        result.test_ok = fits(program, task.tests) if task.tests else None
        if not result.train_ok:  # the search and the reference interpreter disagree: a bug
            result.status = "error"
            result.error = f"internal error: {program} fails the examples it was found for"
    return result


def fits(program: Program, examples: Sequence) -> bool:
    """Whether the reference interpreter reproduces every example's output."""
    for ex in examples:
        out = program.run(ex.inputs)
        if out is ERROR or out != ex.output or type(out) is not type(ex.output):
            return False
    return True


def synthesize(examples: Sequence, domain: str | None = None, *, timeout: float | None = 10.0,
               strategy: str = "auto", tests: Sequence = (), ops: Any = None,
               constants: Sequence = (), name: str = "task", **budget: Any) -> Result:
    """Find a program for ``[(inputs_dict, output), ...]``.

    >>> res = synthesize([({"name": "Jane Doe"}, "J. Doe")], domain="strings", timeout=10)
    >>> res.program(name="Ada Lovelace")    # doctest: +SKIP
    """
    options: dict[str, Any] = {}
    if ops is not None:
        options["ops"] = ops
    if constants:
        options["constants"] = list(constants)
    task = Task.from_examples(examples, name=name, domain=domain, tests=tests, **options)
    return solve(task, strategy=strategy, timeout=timeout, **budget)


def load_tasks(path: str) -> list[Task]:
    from synth.io import read_tasks
    return read_tasks(path)


__all__ = ["solve", "synthesize", "load_tasks", "fits", "SynthError"]
