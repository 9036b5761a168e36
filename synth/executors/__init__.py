"""Executors: where the tasks of ``synth bench``, ``synth solve --jobs N`` and
``synth.solve_many`` (``synth.bench.solve_many``) run.

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
worker process loads the kernels and weights once, before its first task, and makes each task's
record with ``synth.records.solve_record`` (the API layer, below this one: the executors do not
import ``synth.bench``, which drives them).
"""
from __future__ import annotations

from synth.errors import SynthError
from synth.records import result_from_record  # noqa: F401  (where it was before synth.records)

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


__all__ = ["EXECUTORS", "make_executor", "result_from_record"]
