"""The Python API: ``synthesize`` examples, ``solve`` tasks, ``load_tasks`` from files."""
from __future__ import annotations

import inspect
import os
import time
from typing import Any, Sequence

from synth import deadline
from synth.dsl import get_domain
from synth.dsl.base import ERROR, Program
from synth.errors import InvalidArgument, InvalidTask, SynthError
from synth.result import Result
from synth.search import check_strategy, get_strategy
from synth.search.release import release
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
    ``SynthError`` subclass before any search starts: ``InvalidArgument`` (``task`` is not a
    ``Task``, an unknown keyword argument), ``InvalidBudget`` (a budget that is not a positive
    finite number or None), ``InvalidTask`` (the task breaks a rule of its format or domain, or
    ``strategy`` does not search its domain),
    ``UnknownDomain``, ``UnknownOp``.
    """
    if not isinstance(task, Task):
        raise InvalidArgument(f"solve() needs a Task (from synth.load_tasks, Task.from_dict or "
                              f"Task.from_examples), got {type(task).__name__}; use synthesize() "
                              f"for a list of (inputs, output) pairs")
    if not isinstance(strategy, str):
        raise InvalidArgument(f"strategy must be a strategy name (a string such as 'auto'), got "
                              f"{type(strategy).__name__}")
    task.validate()
    domain = get_domain(task.domain)
    if task.ops is not None and not domain.resolve_ops(task.ops):  # unknown op names fail here
        raise InvalidTask(f"{task.where}'ops' names no op; give an op-set name (one of "
                          f"{', '.join(domain.op_sets)}) or op names")
    budget = Budget(timeout=timeout, max_candidates=max_candidates, max_memory_mb=max_memory_mb,
                    max_size=max_size)  # InvalidBudget names a bad one
    max_size = max_size if max_size is not None else task.spec.get("max_size")
    name = default_strategy(task.domain, task, max_size) if strategy == "auto" else strategy
    fn = get_strategy(name)
    if strategy != "auto":
        check_strategy(name, domain.name)
    _check_options(name, fn, options)
    budget = Budget(timeout=timeout, max_candidates=max_candidates, max_memory_mb=max_memory_mb,
                    max_size=max_size)
    release()  # the previous search's values, before this one's clock starts
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

    ``**budget`` takes ``max_candidates``, ``max_memory_mb`` and ``max_size``, and the options of
    the strategy (an unknown keyword raises ``InvalidArgument`` listing the valid ones).

    >>> res = synthesize([({"name": "Jane Doe"}, "J. Doe")], domain="strings", timeout=10)
    >>> res.program(name="Ada Lovelace")    # doctest: +SKIP
    """
    if tests is None:
        tests = ()
    if constants is None:
        constants = ()
    if isinstance(constants, (str, bytes)) or not isinstance(constants, (list, tuple)):
        raise InvalidTask(f"task {name!r}: constants must be a list of values, got "
                          f"{type(constants).__name__}")
    options: dict[str, Any] = {}
    if ops is not None:
        options["ops"] = ops
    if constants:
        options["constants"] = list(constants)
    task = Task.from_examples(examples, name=name, domain=domain, tests=tests, **options)
    return solve(task, strategy=strategy, timeout=timeout, **budget)


def load_tasks(path: str | os.PathLike) -> list[Task]:
    """Every task of a task file (``.json``, ``.jsonl``, ``.sl`` or ``.c``); ``InvalidTask`` names
    what is wrong with the file, ``InvalidArgument`` a ``path`` that is not a path."""
    from synth.io import read_tasks
    if not isinstance(path, (str, os.PathLike)):
        raise InvalidArgument(f"load_tasks() needs a file path (a str or pathlib.Path), got "
                              f"{type(path).__name__}")
    return read_tasks(path)


#: strategies that pass their ``**options`` on to a search class (whose keyword parameters are
#: then options too); the other built-in strategies ignore options they do not name
_OPTIONS_PASSED_TO = {
    "bottom-up": ("synth.search.bottom_up:BottomUpSearch",),
    "guided": ("synth.search.guided:GuidedSearch", "synth.search.bottom_up:BottomUpSearch"),
}
_BUILTIN_STRATEGIES = ("bottom-up", "guided", "robustfill-decompose", "deepcoder-bottom-up", "exedec",
                       "exedec-hybrid", "regex-enum", "cegis")
#: parameters of the search classes that ``solve`` itself supplies
_NOT_OPTIONS = {"self", "task", "domain", "budget", "limits", "grammar_", "inputs", "target"}


def strategy_options(name: str) -> list[str] | None:
    """The keyword options strategy ``name`` takes (None: any, for a strategy registered
    from outside synth whose function takes ``**options``)."""
    import importlib

    fn = get_strategy(name)
    params = list(inspect.signature(fn).parameters.values())
    names = [p.name for p in params[3:] if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    if not any(p.kind == p.VAR_KEYWORD for p in params):
        return names
    if name not in _BUILTIN_STRATEGIES:
        return None
    for target in _OPTIONS_PASSED_TO.get(name, ()):
        module, cls = target.split(":")
        init = getattr(importlib.import_module(module), cls).__init__
        for p in inspect.signature(init).parameters.values():
            if p.default is not p.empty and p.name not in _NOT_OPTIONS and p.name not in names:
                names.append(p.name)
    return names


def _check_options(name: str, fn, options: dict) -> None:
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


__all__ = ["solve", "synthesize", "load_tasks", "fits", "strategy_options", "SynthError"]
