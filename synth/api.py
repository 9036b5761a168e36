"""The Python API: ``synthesize`` examples, ``solve`` tasks, ``load_tasks`` from files.

A ``Result`` carries the other forms of its program (``Result.renderings``, made by
``renderings``); ``synth.records`` turns a solve into the JSON record that ``synth solve`` prints
and ``synth bench`` writes."""
from __future__ import annotations

import os
import time
from typing import Any, Sequence

from synth import deadline
from synth.dsl import get_domain
from synth.dsl.base import ERROR, Program
from synth.errors import InvalidArgument, InvalidTask, SynthError
from synth.plausibility import warnings_for
from synth.search import neighbours
from synth.result import Renderings, Result
from synth.search import check_options, check_strategy, get_strategy, strategy_options
from synth.search.auto import auto_strategy
from synth.search.release import release
from synth.search.budget import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, Budget
from synth.task import GrammarSpec, InvariantSpec, Task


def default_strategy(domain_name: str, task: Task | None = None, max_size: int | None = None) -> str:
    """What ``strategy='auto'`` means for a domain (and, where the domain decides per task, for
    ``task`` searched up to ``max_size``): ``synth.search.auto.auto_strategy``."""
    return auto_strategy(domain_name, task, max_size)


def solve(task: Task, *, strategy: str = "auto", timeout: float | None = DEFAULT_TIMEOUT,
          max_candidates: int | None = None, max_memory_mb: float | None = DEFAULT_MAX_MEMORY_MB,
          max_size: int | None = None, top: int = 1, **options: Any) -> Result:
    """Search for a program that fits ``task.examples``.

    ``top > 1`` also asks for up to ``top - 1`` other fits that behave differently
    (``Result.alternatives``): the deductive strings strategy finds them itself; for DeepCoder
    they are the found program's one-edit variants that still fit (``synth.search.neighbours``),
    for regexes the next of the ranked fits, each with a string on which it and the answer
    disagree (``differs_on``); other domains give none.

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
    max_size = max_size if max_size is not None else task.spec.max_size
    name = default_strategy(task.domain, task, max_size) if strategy == "auto" else strategy
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise InvalidArgument(f"top must be a positive integer (the programs to return), got {top!r}")
    if top > 1 and "top" in (strategy_options(name) or ()):
        options["top"] = top  # the strategy finds its own alternatives
    fn = get_strategy(name)
    if strategy != "auto":
        check_strategy(name, domain.name)
    check_options(name, options)  # the strategy table's options, before any search
    budget = Budget(timeout=timeout, max_candidates=max_candidates, max_memory_mb=max_memory_mb,
                    max_size=max_size)
    release()  # the previous search's values, before this one's clock starts
    started = time.perf_counter()
    with deadline.until(budget.timeout):  # work before and beside the search loop counts too
        outcome = fn(task, domain, budget, **options)
    seconds = time.perf_counter() - started
    ranked_fits = outcome.extra.pop("ranked_fits", None) or []  # regex: for the alternatives
    if not ranked_fits and isinstance(outcome.extra.get("distinguishing"), dict):
        ranked_fits = [outcome.extra["distinguishing"]["other"]]  # the runner-up it found
    program = None if outcome.node is None else Program(outcome.node, domain)
    result = Result(name=task.name, domain=domain.name, strategy=name, status=outcome.status,
                    program=program, seconds=seconds, candidates=outcome.candidates,
                    stats={"values": outcome.values, "max_size_explored": outcome.max_size_explored,
                           "stopped_by": outcome.stopped_by, **outcome.extra})
    if top > 1 and domain.name == "regex" and program is not None:
        result.stats["alternatives"] = _regex_alternatives(program, ranked_fits, top - 1, budget, started)
    if outcome.extra.get("error") and result.error is None:
        result.error = str(outcome.extra["error"])  # why a verified search did not solve it
    if program is not None:
        result.renderings = renderings(task, program)  # each made on first use
        result.train_ok = fits(program, task.examples)
        result.test_ok = fits(program, task.tests) if task.tests else None
        if not result.train_ok:  # the search and the reference interpreter disagree: a bug
            result.status = "error"
            result.error = f"internal error: {program} fails the examples it was found for"
        elif domain.name not in ("lia", "regex"):  # Z3-checked answers are not guesses
            warnings = warnings_for(program.node, task.examples)
            if warnings:
                result.stats["warnings"] = warnings
            if top > 1 and "alternatives" not in result.stats:
                rows = [dict(r) for r in getattr(task, "inputs", None) or ()]
                result.stats["alternatives"] = neighbours.alternatives(
                    domain, program.node, task.examples, top - 1, rows or None)
            if "ask" not in result.stats:  # another fit one edit away, and where it differs
                ask = neighbours.question(domain, program.node, task.examples)
                if ask is not None:
                    result.stats["ask"] = {"input": ask["input"], "answers": ask["answers"]}
    return result


def _regex_alternatives(program: Program, ranked: list, k: int, budget: Budget, started: float) -> list[dict]:
    """The next ``k`` of a regex search's ranked fits (regex texts, best first) whose language
    differs from the answer's, each with a string Z3 finds on which the two disagree; within
    what is left of the budget."""
    from synth.dsl.regex.syntax import format_regex, parse_regex
    from synth.verify.regex import distinguishing_string

    out: list[dict] = []
    answer = format_regex(program.node)
    stop = None if budget.timeout is None else started + budget.timeout
    for text in ranked:
        if len(out) >= k or (stop is not None and time.perf_counter() >= stop):
            break
        if text == answer:
            continue
        diff = distinguishing_string(program.node, parse_regex(text), 2000, deadline=stop)
        if diff.refuted:
            w = diff.counterexample
            out.append({"program": text, "differs_on": w,
                        "accepted_by": "answer" if diff.extra["accepted_by"] == "first" else "this fit"})
    return out


def renderings(task: Task, program: Program) -> Renderings:
    """The other forms of ``program``, found for ``task``, each made on first use: its domain's
    (``Domain.renderings``: ``"python"``, a regex's ``"python-re"``) and, for a task read from a
    SyGuS file, ``"define-fun"``, the solution as that file's ``synth-fun`` (or ``inv``)
    (``synth.io.sygus.format_solution``)."""
    from functools import partial

    makers = dict(program.domain.renderings(program))
    if _sygus_task(task):
        from synth.io.sygus import format_solution
        makers["define-fun"] = partial(format_solution, task, program)
    return Renderings(makers)


def _sygus_task(task: Task) -> bool:
    """Whether ``task`` was read from a SyGuS file (its spec holds the parsed problem)."""
    spec = task.spec
    if not isinstance(spec, (GrammarSpec, InvariantSpec)):
        return False
    from synth.io.sygus import InvProblem, PbeProblem

    return isinstance(getattr(spec, "sygus", None), PbeProblem) or \
        isinstance(getattr(spec, "sygus_inv", None), InvProblem)


def fits(program: Program, examples: Sequence) -> bool:
    """Whether the reference interpreter reproduces every example's output."""
    for ex in examples:
        out = program.run(ex.inputs)
        if out is ERROR or out != ex.output or type(out) is not type(ex.output):
            return False
    return True


def synthesize(examples: Sequence, domain: str | None = None, *, timeout: float | None = DEFAULT_TIMEOUT,
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


__all__ = ["solve", "synthesize", "load_tasks", "fits", "renderings", "strategy_options", "SynthError"]
