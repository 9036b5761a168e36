"""Executors: where the tasks of ``synth bench``, ``synth solve --jobs N`` and ``solve_many`` run.

- ``local`` (``synth.executors.local``): worker processes on this machine, a ``pebble`` process
  pool forked after the kernels and weights are loaded.
- ``ray`` (``synth.executors.ray_pool``): Ray actors on a cluster (``address``), or on a local
  Ray cluster sized to this machine; needs the ``ray`` extra (``pip install 'synth[ray]'``).

Both give the same semantics, because the driver (``synth.bench.run_items``) is shared and only
the pool differs: a hard time limit per task (``timeout + GRACE_SECONDS``; an overrunning worker
is killed and the task recorded as ``timeout`` with ``stopped_by: hard-kill``), the same search
budgets (``max_memory_mb`` included) in every worker, one JSONL record per task written by the
driver as results arrive (a rerun resumes; a driver killed midway leaves a valid file), and a
record with status ``error`` and ``worker died (...)`` for a worker process or machine that dies
mid-task, after which the run goes on. Tasks travel as JSON (``synth.executors.wire``); each
worker process loads the kernels and weights once, before its first task.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from synth.errors import SynthError

#: the executors, by the name ``--executor`` takes
EXECUTORS = ("local", "ray")


def _invalid_argument(message: str) -> SynthError:
    import synth.errors as errors

    return getattr(errors, "InvalidArgument", SynthError)(message)


def make_executor(name: str = "local", *, jobs: int | None = None, address: str | None = None,
                  progress=None):
    """The executor called ``name`` (``local`` or ``ray``) with ``jobs`` workers (None: one
    per CPU of this machine, or of the Ray cluster). ``address`` is Ray's (None: start a local
    cluster; ``"auto"``: the cluster ``ray start`` runs on this machine)."""
    if name == "local":
        if address is not None:
            raise _invalid_argument("address is for executor='ray'; the local executor runs on this machine")
        from synth.executors.local import LocalExecutor
        return LocalExecutor(jobs=jobs, progress=progress)
    if name == "ray":
        from synth.executors.ray_pool import RayExecutor, import_ray
        import_ray()  # a missing Ray is an error now, not after the tasks are read
        return RayExecutor(jobs=jobs, progress=progress, address=address)
    raise _invalid_argument(f"unknown executor {name!r}; choose one of {', '.join(EXECUTORS)}")


def result_from_record(rec: dict[str, Any], task=None):
    """A ``synth.Result`` from a result record (the program parsed back from its text, in the
    task's input types). Fields the record has beyond ``Result``'s go to ``stats`` (``wall``,
    ``stopped_by``, ``max_size_explored``, ...). A program text that does not parse back (it
    should always) leaves ``program`` None and the text in ``stats["program"]``."""
    from synth.dsl import get_domain
    from synth.result import Result

    own = {"name", "domain", "strategy", "status", "program", "size", "seconds", "candidates",
           "train_ok", "test_ok", "error", "group", "item"}
    program = None
    stats = {k: v for k, v in rec.items() if k not in own}
    text = rec.get("program")
    if text is not None:
        try:
            domain = get_domain(rec.get("domain") or (task.domain if task is not None else "?"))
            var_types = None
            if task is not None and task.examples:
                var_types = {k: domain.type_of(v) for k, v in task.examples[0].inputs.items()}
            program = domain.parse(text, var_types)
        except Exception:
            stats["program"] = text
    return Result(name=rec.get("name") or (task.name if task is not None else "?"),
                  domain=rec.get("domain") or (task.domain if task is not None else "?"),
                  strategy=rec.get("strategy") or "?", status=rec.get("status") or "error",
                  program=program, seconds=float(rec.get("seconds") or 0.0),
                  candidates=int(rec.get("candidates") or 0), train_ok=rec.get("train_ok"),
                  test_ok=rec.get("test_ok"), error=rec.get("error"), stats=stats)


def solve_many(tasks: Iterable, *, executor: str = "local", jobs: int | None = None,
               address: str | None = None, timeout: float | None = 10.0,
               max_candidates: int | None = None, max_memory_mb: float | None = 4096.0,
               strategy: str = "auto", max_size: int | None = None,
               out: str | Path | None = None, **options: Any) -> list:
    """Solve every task, each in a worker process with a hard time limit, and return one
    ``synth.Result`` per task, in task order.

    ``executor``: ``"local"`` (worker processes on this machine; ``jobs`` of them, default one
    per CPU) or ``"ray"`` (Ray actors on the cluster at ``address``, ``"auto"`` for the one
    ``ray start`` runs here, or on a local Ray cluster sized to this machine when ``address`` is
    None; ``jobs`` default: one per CPU of the cluster; needs ``pip install 'synth[ray]'``).
    The budgets are ``solve``'s, per task; a worker that overruns ``timeout`` by
    ``synth.bench.GRACE_SECONDS`` is killed and its task reported as ``timeout`` (``stats
    ["stopped_by"] == "hard-kill"``); a worker that dies gives status ``error``, ``error``
    saying why. A task the worker rejects (bad input) gives status ``error`` with the message
    ``solve`` would raise. ``out``: a JSONL file that receives each result record as it
    arrives; a rerun with the same file and tasks returns the recorded ones without solving
    them again. Ctrl-C raises ``synth.bench.Interrupted`` (a ``KeyboardInterrupt``) after the
    workers are stopped; the records finished so far are on it (and in ``out``).
    """
    from synth.bench import BenchConfig, BenchItem, run_items
    from synth.search.budget import Budget
    from synth.task import Task

    tasks = list(tasks)
    for i, t in enumerate(tasks):
        if not isinstance(t, Task):
            raise _invalid_argument(f"solve_many() needs Task objects (from synth.load_tasks, "
                                    f"Task.from_dict or Task.from_examples); item {i} is "
                                    f"{type(t).__name__}")
    if executor not in EXECUTORS:
        raise _invalid_argument(f"unknown executor {executor!r}; choose one of {', '.join(EXECUTORS)}")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise _invalid_argument(f"jobs must be a positive integer or None, got {jobs!r}")
    Budget(timeout=timeout, max_candidates=max_candidates, max_memory_mb=max_memory_mb,
           max_size=max_size)  # a bad budget raises here, once, not once per task
    if strategy != "auto":
        from synth.search import get_strategy
        get_strategy(strategy)  # an unknown strategy raises here
    if max_size is not None:
        options = {**options, "max_size": max_size}
    cfg = BenchConfig(timeout=timeout, strategy=strategy, jobs=jobs, max_candidates=max_candidates,
                      max_memory_mb=max_memory_mb, options=options, executor=executor, address=address)
    items = [BenchItem(name=f"{i}:{t.name}", group="", task=t) for i, t in enumerate(tasks)]
    records = run_items(items, cfg, Path(out) if out is not None else None, progress=None)
    return [result_from_record(rec, t) for rec, t in zip(records, tasks)]


__all__ = ["EXECUTORS", "make_executor", "result_from_record", "solve_many"]
