"""Benchmark runner: solve many tasks, each in a worker process with a hard time limit.

Results go to a JSONL file, one result record (DESIGN.md §4) per task; a rerun with the same
file skips the tasks already recorded, so a long benchmark can be spread over several runs.

The workers come from an executor (``synth.executors``): ``local`` (a process pool on this
machine) or ``ray`` (Ray actors on a cluster). This module is the driver both share: it sends the
tasks, applies the hard limit's outcome, and writes each record as it arrives. Each worker makes
its task's record with ``synth.records.solve_record``, as ``synth solve`` does in its own process.
``solve_many`` is the driver as a Python function returning ``Result``s.
"""
from __future__ import annotations

import contextlib
import json
import os
import signal
import statistics
import sys
import time  # noqa: F401  (tests patch bench.time.sleep, where the local pool waits)
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

# the settings of a run and the per-task record live in the API layer (the workers make records
# there too); their names stay importable from here
from synth.records import PROTOCOLS, BenchConfig, error_record, examples_needed_record  # noqa: F401
from synth.search.budget import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT
from synth.task import Task

#: seconds a worker gets beyond the task's own timeout (start-up, re-checks) before it is killed
GRACE_SECONDS = 5.0


@dataclass
class BenchItem:
    """One task to run, or a file that failed to load (``error`` set, ``task`` None)."""

    name: str
    group: str
    task: Task | None = None
    error: str | None = None


class Interrupted(KeyboardInterrupt):
    """``run_items`` was interrupted (Ctrl-C): its workers are killed; ``records`` holds the
    records finished so far (item name -> record, those loaded from ``out`` included; all of
    them are in ``out`` when it is given), ``total`` the number of items."""

    def __init__(self, records: dict[str, dict], total: int, out: Path | None = None):
        super().__init__(f"interrupted: {len(records)} of {total} tasks done")
        self.records = records
        self.total = total
        self.out = out

    @property
    def recorded(self) -> int:
        return len(self.records)


@contextlib.contextmanager
def _sigint_blocked():
    """Block SIGINT in this thread for the block: what it forks (a worker) or starts (a pool's
    threads) inherits the mask, so no worker gets a Ctrl-C before it has set itself to ignore it.
    This does not stop Python raising KeyboardInterrupt in the block when another thread takes the
    signal; ``synth.executors.interrupt`` defers that."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def counts_as_solved(rec: dict[str, Any]) -> bool:
    """Solved on the examples and, where the task has held-out tests, right on them too."""
    return rec.get("status") == "solved" and rec.get("test_ok") is not False


def load_records(path: Path, warn: Callable[[str], None] | None = _to_stderr) -> dict[str, dict]:
    """The records of a results file, by item name (the last one of an item wins). A line that
    is not a record (one cut off by a killed run) is skipped, with a warning through ``warn``
    naming the file and line: its task is simply run again."""
    done: dict[str, dict] = {}
    if path is None or not path.exists():
        return done
    text = path.read_text(encoding="utf-8", errors="replace")
    for i, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            key = rec["item"] if "item" in rec else rec["name"]
            if not isinstance(key, str):
                raise TypeError("the record's item/name is not a string")
        except (json.JSONDecodeError, TypeError, KeyError, AttributeError) as e:
            if warn is not None:
                why = f"malformed JSON ({e.msg})" if isinstance(e, json.JSONDecodeError) else \
                    "not a result record"
                warn(f"synth: warning: {path}:{i}: {why}, skipped; its task is run again")
            continue
        done[key] = rec
    return done


def run_items(items: Sequence[BenchItem], cfg: BenchConfig, out: Path | None = None,
              on_record: Callable[[BenchItem, dict], None] | None = None,
              done: dict[str, dict] | None = None,
              progress: Callable[[str], None] | None = _to_stderr,
              executor: Any = None) -> list[dict]:
    """Run every item (skipping those already in ``out``) on ``cfg.executor``'s workers,
    ``cfg.jobs`` at a time.

    Each task runs in a worker process that is killed ``GRACE_SECONDS`` after its timeout, so
    a stuck search cannot stall the run; a worker that dies yields an ``error`` record and the
    run goes on. Each record is appended to ``out`` as it arrives. Returns the records in item
    order. ``done``: the records of ``out`` if the caller has loaded them already. ``progress``
    gets the lines a caller may show (the one-time kernel compilation; warnings about ``out``;
    the Ray cluster used). ``executor``: an executor object (``synth.executors``) or name to
    use instead of ``cfg.executor``.

    Ctrl-C (KeyboardInterrupt) kills the workers and raises ``Interrupted`` with the records
    finished so far (each already written to ``out``; a rerun resumes after them).
    """
    if done is None:
        done = load_records(out, progress) if out is not None else {}
    records: dict[str, dict] = {}
    try:
        return _run_items(items, cfg, out, on_record, done, progress, records, executor)
    except KeyboardInterrupt:
        raise Interrupted(records, len(items), out) from None


def _run_items(items, cfg, out, on_record, done, progress, records, executor) -> list[dict]:
    from synth.executors import interrupt, make_executor
    from synth.executors.base import Executor
    from synth.executors.wire import Warmup

    pending: list[BenchItem] = []
    for it in items:
        if it.name in done:
            records[it.name] = done[it.name]
        elif it.task is None:
            rec = error_record(it.name, "?", cfg.strategy, it.error or "could not load")
            _finish(it, rec, out, on_record, records)
        else:
            pending.append(it)
    if not pending:
        return [records[it.name] for it in items]
    own = not isinstance(executor, Executor)  # made here: shut down here
    if own:
        ex = make_executor(executor or cfg.executor, jobs=cfg.jobs, address=cfg.address,
                           progress=progress)
    else:
        ex = executor
        if ex.progress is None:
            ex.progress = progress
    try:
        ex.start(Warmup.for_tasks([it.task for it in pending], cfg.strategy), len(pending))
        with interrupt.deferred():  # Ctrl-C raises at the driver's safe points, not in the pool's code
            _drive(pending, cfg, out, on_record, records, ex)
    except BaseException:
        ex.stop()  # kills and reaps every worker before the exception goes on
        raise
    ex.close()
    if own:
        ex.shutdown()
    return [records[it.name] for it in items]


def _drive(pending, cfg, out, on_record, records, ex) -> None:
    """Send tasks to free workers, turn outcomes into records, until every task has one.
    A deferred Ctrl-C (``interrupt``) raises here, between one executor call and the next."""
    from synth.errors import SynthError
    from synth.executors import interrupt
    from synth.executors.wire import config_to_wire, task_to_wire

    queue = deque(pending)
    by_key = {it.name: it for it in pending}
    hard_limit = (cfg.task_seconds or 3600.0) + GRACE_SECONDS
    cfg_text = config_to_wire(cfg)
    while queue or ex.running:
        while queue and ex.free_slots() > 0:
            it = queue.popleft()
            try:
                text = task_to_wire(it.task)
            except SynthError as e:
                _finish(it, error_record(it.task.name, it.task.domain, cfg.strategy, str(e)), out,
                        on_record, records)
                continue
            with _sigint_blocked():  # workers forked here start with Ctrl-C blocked
                ex.submit(it.name, text, cfg_text, hard_limit)
            interrupt.check()
        for oc in ex.wait():
            it = by_key[oc.key]
            _finish(it, _outcome_record(it, oc, cfg), out, on_record, records)
        interrupt.check()


def _outcome_record(it: BenchItem, oc, cfg: BenchConfig) -> dict:
    """The record of an executor's ``Outcome``: the worker's own, or one the driver writes for a
    worker killed at the hard limit or one that died."""
    domain = it.task.domain if it.task is not None else "?"
    if oc.kind == "done":
        rec = oc.record
    elif oc.kind == "timeout":
        rec = error_record(it.task.name, domain, cfg.strategy,
                            f"killed after {oc.elapsed:.1f} s (hard limit)", status="timeout")
        rec["seconds"] = round(oc.elapsed, 3)
        rec["stopped_by"] = "hard-kill"
    elif oc.kind == "died":
        rec = error_record(it.task.name, domain, cfg.strategy, f"worker died ({oc.reason})")
    else:
        rec = error_record(it.task.name, domain, cfg.strategy, f"internal error: {oc.reason}")
    rec.setdefault("wall", round(oc.elapsed, 3))  # the worker's own when it answered
    return rec


def _finish(it: BenchItem, rec: dict, out, on_record, records) -> None:
    rec["group"] = it.group
    rec["item"] = it.name  # the key a rerun resumes by (a file's path in a folder suite)
    records[it.name] = rec
    _append(out, rec)
    if on_record:
        on_record(it, rec)


def _append(out: Path | None, rec: dict) -> None:
    """Append one record as a line of ``out`` (whole: Ctrl-C waits for the write)."""
    if out is None:
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(rec) + "\n"
    with _sigint_blocked(), open(out, "a+b") as f:
        _end_last_line(f)
        f.write(line.encode("utf-8"))
        f.flush()
        os.fsync(f.fileno())


def _end_last_line(f) -> None:
    """In a results file opened for appending, make the next write start a line: a last line
    without its newline (a run killed mid-write) is ended, if it is a whole record, or cut off,
    if it is a fragment (``load_records`` has warned about it; its task is run again)."""
    size = f.seek(0, os.SEEK_END)
    if size == 0:
        return
    f.seek(size - 1)
    if f.read(1) == b"\n":
        return
    start = size
    while start > 0:  # find the start of the last line
        step = min(4096, start)
        f.seek(start - step)
        chunk = f.read(step)
        nl = chunk.rfind(b"\n")
        if nl >= 0:
            start = start - step + nl + 1
            break
        start -= step
    f.seek(start)
    tail = f.read()
    try:
        whole = isinstance(json.loads(tail.decode("utf-8")), dict)
    except (UnicodeDecodeError, json.JSONDecodeError):
        whole = False
    if whole:
        f.seek(0, os.SEEK_END)
        f.write(b"\n")
    else:
        f.truncate(start)
    f.seek(0, os.SEEK_END)


def solve_many(tasks: Iterable, *, executor: str = "local", jobs: int | None = None,
               address: str | None = None, timeout: float | None = DEFAULT_TIMEOUT,
               max_candidates: int | None = None, max_memory_mb: float | None = DEFAULT_MAX_MEMORY_MB,
               strategy: str = "auto", max_size: int | None = None,
               out: str | Path | None = None, **options: Any) -> list:
    """Solve every task, each in a worker process with a hard time limit, and return one
    ``synth.Result`` per task, in task order (``synth.solve_many``).

    ``executor``: ``"local"`` (worker processes on this machine; ``jobs`` of them, default one
    per CPU) or ``"ray"`` (Ray actors on the cluster at ``address``, ``"auto"`` for the one
    ``ray start`` runs here, or on a local Ray cluster sized to this machine when ``address`` is
    None; ``jobs`` default: one per CPU of the cluster; needs ``pip install 'synth[ray]'``).
    The budgets are ``solve``'s, per task; a worker that overruns ``timeout`` by
    ``GRACE_SECONDS`` is killed and its task reported as ``timeout`` (``stats
    ["stopped_by"] == "hard-kill"``); a worker that dies gives status ``error``, ``error``
    saying why. A task the worker rejects (bad input) gives status ``error`` with the message
    ``solve`` would raise. ``out``: a JSONL file that receives each result record as it
    arrives; a rerun with the same file and tasks returns the recorded ones without solving
    them again. Ctrl-C raises ``Interrupted`` (a ``KeyboardInterrupt``) after the workers are
    stopped; the records finished so far are on it (and in ``out``). Each ``Result`` is read
    back from its record (``synth.records.result_from_record``), renderings included.
    """
    from synth.errors import InvalidArgument
    from synth.executors import EXECUTORS
    from synth.records import result_from_record
    from synth.search.budget import Budget

    tasks = list(tasks)
    for i, t in enumerate(tasks):
        if not isinstance(t, Task):
            raise InvalidArgument(f"solve_many() needs Task objects (from synth.load_tasks, "
                                  f"Task.from_dict or Task.from_examples); item {i} is "
                                  f"{type(t).__name__}")
    if executor not in EXECUTORS:
        raise InvalidArgument(f"unknown executor {executor!r}; choose one of {', '.join(EXECUTORS)}")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise InvalidArgument(f"jobs must be a positive integer or None, got {jobs!r}")
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


# ---------------------------------------------------------------------------------- reporting


def summarize(records: Iterable[dict]) -> list[dict[str, Any]]:
    """Per group: tasks, solved (train+test), solved on train only, median seconds/candidates/size
    of the solved ones."""
    groups: dict[str, list[dict]] = {}
    for r in records:
        groups.setdefault(r.get("group", ""), []).append(r)
    rows = []
    for g, recs in groups.items():
        ok = [r for r in recs if counts_as_solved(r)]
        rows.append({
            "group": g, "tasks": len(recs), "solved": len(ok),
            "solved_train": sum(r.get("status") == "solved" for r in recs),
            "timeout": sum(r.get("status") == "timeout" for r in recs),
            "exhausted": sum(r.get("status") == "exhausted" for r in recs),
            "errors": sum(r.get("status") == "error" for r in recs),
            # verified domains: a candidate Z3 could not decide, or a task with no invariant
            "other": sum(r.get("status") in ("unproven", "infeasible") for r in recs),
            "median_seconds": statistics.median([r["seconds"] for r in ok]) if ok else None,
            "median_candidates": statistics.median([r["candidates"] for r in ok]) if ok else None,
            "median_size": statistics.median([r["size"] for r in ok if r.get("size")]) if ok else None,
        })
        needed = [r["examples_needed"] for r in recs if r.get("examples_needed") is not None]
        if any("examples_needed" in r for r in recs):
            rows[-1]["mean_examples"] = statistics.mean(needed) if needed else None
    return rows


def summarize_tags(records: Iterable[dict]) -> list[dict[str, Any]]:
    """Per feature tag (a task's comma-separated ``description``, as the PROSE benchmarks have):
    tasks and solved (right on every held-out row)."""
    tags: dict[str, list[int]] = {}
    for r in records:
        for tag in (r.get("description") or "").split(","):
            tag = tag.strip()
            if tag:
                t = tags.setdefault(tag, [0, 0])
                t[0] += 1
                t[1] += counts_as_solved(r)
    return [{"tag": k, "tasks": v[0], "solved": v[1]} for k, v in sorted(tags.items())]


def print_summary(rows: list[dict], file=None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="benchmark summary")
    other = any(r.get("other") for r in rows)
    cols = ["group", "tasks", "solved", "solved (train only)", "timeout", "exhausted", "errors"]
    if other:
        cols.append("unproven/infeasible")
    for col in cols + ["median s", "median candidates", "median size"]:
        table.add_column(col, justify="left" if col == "group" else "right")
    fmt = lambda v, p="{:.2f}": "-" if v is None else p.format(v)  # noqa: E731
    protocol = any("mean_examples" in r for r in rows)
    if protocol:
        table.add_column("mean examples (learned)", justify="right")
    for r in rows:
        cells = [r["group"], str(r["tasks"]), str(r["solved"]), str(r["solved_train"]),
                 str(r["timeout"]), str(r["exhausted"]), str(r["errors"])]
        if other:
            cells.append(str(r.get("other", 0)))
        extra = [fmt(r.get("mean_examples"))] if protocol else []
        table.add_row(*cells, fmt(r["median_seconds"]), fmt(r["median_candidates"], "{:.0f}"),
                      fmt(r["median_size"], "{:.0f}"), *extra)
    Console(file=file or sys.stdout, width=160).print(table)


def print_tag_summary(rows: list[dict], file=None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="by feature tag")
    for col in ("tag", "tasks", "solved", "share"):
        table.add_column(col, justify="left" if col == "tag" else "right")
    for r in rows:
        table.add_row(r["tag"], str(r["tasks"]), str(r["solved"]), f"{r['solved'] / r['tasks']:.0%}")
    Console(file=file or sys.stdout, width=160).print(table)


def cactus_plot(records: Iterable[dict], path: Path, title: str = "") -> None:
    """Problems solved (y) within a time (x), one line per group."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    groups: dict[str, list[float]] = {}
    for r in records:
        groups.setdefault(r.get("group", ""), [])
        if counts_as_solved(r):
            groups[r.get("group", "")].append(r["seconds"])
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for g, secs in groups.items():
        secs = sorted(secs)
        ax.step([0.0] + secs, list(range(len(secs) + 1)), where="post", label=f"{g} ({len(secs)})")
    ax.set_xlabel("seconds per problem")
    ax.set_ylabel("problems solved")
    ax.set_title(title or "problems solved vs. time")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
