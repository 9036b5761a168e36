"""What travels between the driver and its workers, and what a worker does with it.

Tasks travel as JSON text (``Task.to_dict``), never as pickled engine state: a worker on another
machine rebuilds the task with ``Task.from_dict``, which checks it again. A task whose
specification is a parsed file (a SyGuS ``.sl`` problem, a Code2Inv ``.c`` loop) travels as that
file's text (with its name, the task's name and the driver's ``--domain``/``--ops``), and the
worker reads it with the reader the driver used. The settings of a run travel as JSON text too,
and the result record (``Result.to_record``) comes back as a JSON-able dict.

``warm_worker`` is what a worker does once, before its first task: load (or compile, the first
time on a machine) the numba kernels (``warm_kernels``) and load the shipped neural weights the
run's tasks use. Each task's record is ``synth.records.solve_record``'s.
"""
from __future__ import annotations

import json
import tempfile
import time
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable

from synth.errors import InvalidTask, SynthError

try:  # compiles (or loads) the numba kernels once, before workers are forked
    from synth.search.compiled.warmup import ensure_compiled
except ImportError:  # numba missing: the pure-Python engine runs, nothing to compile
    ensure_compiled = None

#: the version of the wire format (a worker refuses another)
WIRE_VERSION = 1


# ------------------------------------------------------------------------------------- tasks
def task_to_wire(task) -> str:
    """The JSON text a worker rebuilds ``task`` from (``InvalidTask`` when neither the task nor
    a source file of it can be written as JSON)."""
    try:
        return json.dumps({"v": WIRE_VERSION, "task": task.to_dict(), "origin": task.origin})
    except (TypeError, ValueError):  # a parsed specification (SyGuS, C): send its file instead
        pass
    source = getattr(task.spec, "source", None)
    path = Path(source) if isinstance(source, str) and source else None
    if path is None or not path.is_file():
        raise InvalidTask(f"{task.where}cannot send this task to a worker: its specification is "
                          f"not JSON and names no task file")
    text = path.read_bytes().decode("utf-8", "surrogateescape")  # the exact bytes, as JSON text
    return json.dumps({"v": WIRE_VERSION, "origin": task.origin, "name": task.name,
                       "domain": task.domain, "ops": task.ops,
                       "file": {"name": path.name, "source": source, "text": text}})


def task_from_wire(text: str):
    """The task of ``task_to_wire``'s text."""
    from synth.task import Task

    d = json.loads(text)
    if d.get("v") != WIRE_VERSION:
        raise InvalidTask(f"task sent in wire format {d.get('v')!r}; this worker reads "
                          f"{WIRE_VERSION} (is synth the same version on every machine?)")
    if "task" in d:
        return Task.from_dict(d["task"], d.get("origin", ""))
    from synth.io import read_tasks

    f = d["file"]
    with tempfile.TemporaryDirectory(prefix="synth-task-") as folder:
        path = Path(folder) / f["name"]  # the same file name: readers name tasks after it
        path.write_bytes(f["text"].encode("utf-8", "surrogateescape"))
        try:
            tasks = read_tasks(path)
        except SynthError as e:
            e.args = (str(e).replace(str(path), f["source"]),) + e.args[1:]
            raise
    same = [t for t in tasks if t.name == d["name"]] or tasks[:1]
    if not same:
        raise InvalidTask(f"{f['source']}: no task {d['name']!r} in the file sent to this worker")
    task = same[0]
    task.origin = d.get("origin", "")
    task.spec = replace(task.spec, source=f["source"])
    task.domain = d["domain"]
    task.ops = d["ops"]
    return task


def task_name_of(text: str) -> tuple[str, str]:
    """(name, domain) of a task's wire text, as far as it can be read (for error records)."""
    try:
        d = json.loads(text)
        t = d.get("task", d)
        return str(t.get("name", "?")), str(t.get("domain", "?"))
    except Exception:
        return "?", "?"


# ---------------------------------------------------------------------------------- settings
def config_to_wire(cfg) -> str:
    """The settings a worker needs (``BenchConfig`` less the driver's own: jobs, executor)."""
    return json.dumps({"v": WIRE_VERSION, "timeout": cfg.timeout, "strategy": cfg.strategy,
                       "max_candidates": cfg.max_candidates, "max_memory_mb": cfg.max_memory_mb,
                       "options": dict(cfg.options), "protocol": cfg.protocol, "max_rows": cfg.max_rows})


def config_from_wire(text: str):
    from synth.records import BenchConfig

    d = json.loads(text)
    return BenchConfig(timeout=d["timeout"], strategy=d["strategy"], max_candidates=d["max_candidates"],
                       max_memory_mb=d["max_memory_mb"], options=d.get("options") or {},
                       protocol=d.get("protocol"), max_rows=d.get("max_rows", 5))


# ---------------------------------------------------------------------------- in the worker
def solve_wire(task_text: str, cfg_text: str, solve_fn: Callable | None = None) -> dict[str, Any]:
    """Rebuild the task and settings, solve, and return the record with ``wall``: the seconds
    this worker spent on the task (reading it, searching, checking). ``solve_fn(task, cfg)``
    replaces ``synth.records.solve_record`` (looked up at each call, so that a forked worker runs
    what its parent has in that name)."""
    from synth import records
    from synth.search.release import release

    release()  # the previous task's search values: not this task's time
    started = time.perf_counter()
    cfg = config_from_wire(cfg_text)
    try:
        task = task_from_wire(task_text)
    except SynthError as e:
        name, domain = task_name_of(task_text)
        rec = records.error_record(name, domain, cfg.strategy, str(e))
    except Exception as e:  # a bug (or another synth version on a worker): say what broke
        name, domain = task_name_of(task_text)
        tb = traceback.format_exc(limit=3).strip().splitlines()[-1]
        rec = records.error_record(name, domain, cfg.strategy,
                                   f"internal error: reading the task in the worker: {e!r} ({tb})")
    else:
        rec = (solve_fn or records.solve_record)(task, cfg)
    if isinstance(rec, dict):
        rec["wall"] = round(time.perf_counter() - started, 3)
    return rec


@dataclass(frozen=True)
class Warmup:
    """What a worker loads once, before its first task: the numba kernels of ``domains`` under
    ``strategy``, and the shipped neural weights of ``models`` ((domain, split) pairs)."""

    domains: frozenset = frozenset()
    strategy: str = "auto"
    models: tuple = ()

    @classmethod
    def for_tasks(cls, tasks: Iterable, strategy: str = "auto") -> "Warmup":
        tasks = [t for t in tasks if t is not None]
        models = sorted({(t.domain, str(getattr(t.spec, "split", None) or "")) for t in tasks})
        return cls(frozenset(t.domain for t in tasks), strategy, tuple(models))

    def to_wire(self) -> str:
        return json.dumps({"domains": sorted(self.domains), "strategy": self.strategy,
                           "models": [list(m) for m in self.models]})

    @classmethod
    def from_wire(cls, text: str) -> "Warmup":
        d = json.loads(text)
        return cls(frozenset(d["domains"]), d["strategy"], tuple(tuple(m) for m in d["models"]))


def _to_stderr(line: str) -> None:
    import sys

    print(line, file=sys.stderr, flush=True)


def warm_kernels(domains: set[str], strategy: str = "auto",
                 progress: Callable[[str], None] | None = _to_stderr) -> None:
    """Compile (first run on this machine) or load the search kernels of ``domains`` in this
    process, so that forked workers inherit them instead of each compiling them within its
    time limit. Nothing without numba (or without ``synth.search.compiled.warmup``)."""
    if ensure_compiled is None or not domains:
        return
    try:
        ensure_compiled(set(domains), progress, strategy=strategy)
    except Exception as e:  # the workers then compile (or fail) on their own, visibly
        if progress is not None:
            first = (str(e).splitlines() or [""])[0]
            progress(f"synth: warning: could not compile the search kernels ahead of the workers: "
                     f"{type(e).__name__}: {first}")


def warm_models(models: Iterable[tuple[str, str]], strategy: str = "auto") -> None:
    """Load the shipped weights that searching these (domain, split) pairs with ``strategy``
    reads (each loader caches per process). Best effort: a search loads them itself anyway."""
    for domain, split in models:
        try:
            if domain == "strings" and strategy in ("auto", "guided"):
                from synth.neural.models import shipped_guide
                shipped_guide(domain)
            elif domain in ("robustfill", "deepcoder") and strategy in ("auto", "exedec", "exedec-hybrid"):
                from synth.exedec.subgoal_model import load_subgoal_model
                load_subgoal_model(domain, split or None)
        except Exception:  # the search then loads (or fails) on its own, visibly
            pass


#: the worker's garbage collector thresholds (``gc.set_threshold``): a search allocates millions
#: of small objects (values, tuples, nodes) that live until its end, and the default (700, 10,
#: 10) makes the collector rescan them over and over (about 15% of the CPU time of the ExeDec
#: RobustFill searches, measured on 40 problems); collections still happen, less often
WORKER_GC_THRESHOLD = (100_000, 50, 1000)


def tune_gc() -> None:
    """A worker's garbage collection: what is loaded so far (modules, kernels, weights) moves to
    the collector's permanent generation (``gc.freeze``: never rescanned, and in a forked
    worker never touched, so its pages stay shared), and the thresholds become
    ``WORKER_GC_THRESHOLD``."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(*WORKER_GC_THRESHOLD)


def warm_worker(warmup: Warmup, progress: Callable[[str], None] | None = None,
                kernels: bool = True, gc_tuning: bool = True) -> float:
    """Everything a worker does once before its first task: import the solver, load (or
    compile) the kernels (``kernels``) and the weights, then (``gc_tuning``) ``tune_gc``.
    Returns the seconds it took."""
    from synth.search.release import release

    release()  # the previous task's search values: not this task's time
    started = time.perf_counter()
    import synth.api  # noqa: F401  (the imports a first solve would otherwise pay for)
    if kernels:
        warm_kernels(set(warmup.domains), warmup.strategy, progress)
    warm_models(warmup.models, warmup.strategy)
    if gc_tuning:
        tune_gc()
    return time.perf_counter() - started
