"""Benchmark runner: solve many tasks, each in its own worker process with a hard time limit.

Results go to a JSONL file, one result record (DESIGN.md §4) per task; a rerun with the same
file skips the tasks already recorded, so a long benchmark can be spread over several runs.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import os
import statistics
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

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


@dataclass
class BenchConfig:
    timeout: float = 30.0
    strategy: str = "auto"
    jobs: int = 1
    max_candidates: int | None = None
    max_memory_mb: float | None = 4096.0
    options: dict[str, Any] = field(default_factory=dict)


def _solve_record(task: Task, cfg: BenchConfig) -> dict[str, Any]:
    from synth.api import solve
    from synth.errors import SynthError

    try:
        res = solve(task, strategy=cfg.strategy, timeout=cfg.timeout,
                    max_candidates=cfg.max_candidates, max_memory_mb=cfg.max_memory_mb, **cfg.options)
        rec = res.to_record()
        if task.origin.endswith(".sl") and res.program is not None:
            from synth.io.sygus import format_solution
            rec["solution"] = format_solution(task, res.program)
        return rec
    except SynthError as e:
        return _error_record(task.name, task.domain, cfg.strategy, str(e))
    except Exception as e:  # a bug: keep the benchmark going, but say what broke
        tb = traceback.format_exc(limit=3).strip().splitlines()[-1]
        return _error_record(task.name, task.domain, cfg.strategy, f"internal error: {e!r} ({tb})")


def _error_record(name: str, domain: str, strategy: str, error: str, status: str = "error") -> dict:
    return {"name": name, "domain": domain, "strategy": strategy, "status": status, "program": None,
            "size": None, "seconds": 0.0, "candidates": 0, "train_ok": None, "test_ok": None,
            "error": error}


def _worker(task: Task, cfg: BenchConfig, conn) -> None:
    try:
        conn.send(_solve_record(task, cfg))
    finally:
        conn.close()


def counts_as_solved(rec: dict[str, Any]) -> bool:
    """Solved on the examples and, where the task has held-out tests, right on them too."""
    return rec.get("status") == "solved" and rec.get("test_ok") is not False


def load_records(path: Path) -> dict[str, dict]:
    done: dict[str, dict] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut off by a killed run: the task is simply run again
                done[rec.get("item", rec["name"])] = rec
    return done


def run_items(items: Sequence[BenchItem], cfg: BenchConfig, out: Path | None = None,
              on_record: Callable[[BenchItem, dict], None] | None = None) -> list[dict]:
    """Run every item (skipping those already in ``out``), ``cfg.jobs`` worker processes at a time.

    Each task runs in a forked process that is killed ``GRACE_SECONDS`` after its timeout, so
    a stuck search cannot stall the run. Returns the records in item order.
    """
    done = load_records(out) if out is not None else {}
    records: dict[str, dict] = {}
    pending: list[BenchItem] = []
    for it in items:
        if it.name in done:
            records[it.name] = done[it.name]
        elif it.task is None:
            rec = _error_record(it.name, "?", cfg.strategy, it.error or "could not load")
            rec["group"] = it.group
            rec["item"] = it.name
            records[it.name] = rec
            _append(out, rec)
            if on_record:
                on_record(it, rec)
        else:
            pending.append(it)
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    running: list[tuple[BenchItem, Any, Any, float]] = []
    queue = list(pending)
    hard_limit = (cfg.timeout or 3600.0) + GRACE_SECONDS
    while queue or running:
        while queue and len(running) < max(1, cfg.jobs):
            it = queue.pop(0)
            parent, child = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_worker, args=(it.task, cfg, child), daemon=True)
            proc.start()
            child.close()
            running.append((it, proc, parent, time.perf_counter()))
        time.sleep(0.01)
        still = []
        for it, proc, conn, started in running:
            rec = None
            elapsed = time.perf_counter() - started
            if conn.poll():
                try:
                    rec = conn.recv()
                except (EOFError, OSError):
                    rec = _error_record(it.name, it.task.domain, cfg.strategy,
                                        f"worker died (exit code {proc.exitcode})")
                proc.join(1.0)
            elif not proc.is_alive():
                code = proc.exitcode
                why = "out of memory?" if code in (-9, 137) else f"exit code {code}"
                rec = _error_record(it.name, it.task.domain, cfg.strategy, f"worker died ({why})")
            elif elapsed > hard_limit:
                proc.kill()
                proc.join(1.0)
                rec = _error_record(it.name, it.task.domain, cfg.strategy,
                                    f"killed after {elapsed:.1f} s (hard limit)", status="timeout")
                rec["seconds"] = round(elapsed, 3)
                rec["stopped_by"] = "hard-kill"
            if rec is None:
                still.append((it, proc, conn, started))
                continue
            conn.close()
            rec["group"] = it.group
            rec["item"] = it.name  # the key a rerun resumes by (a file's path in a folder suite)
            records[it.name] = rec
            _append(out, rec)
            if on_record:
                on_record(it, rec)
        running = still
    return [records[it.name] for it in items]


def _append(out: Path | None, rec: dict) -> None:
    if out is None:
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "a", encoding="utf-8") as f:
        f.write(json.dumps(rec) + "\n")
        f.flush()
        os.fsync(f.fileno())


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
    return rows


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
    for r in rows:
        cells = [r["group"], str(r["tasks"]), str(r["solved"]), str(r["solved_train"]),
                 str(r["timeout"]), str(r["exhausted"]), str(r["errors"])]
        if other:
            cells.append(str(r.get("other", 0)))
        table.add_row(*cells, fmt(r["median_seconds"]), fmt(r["median_candidates"], "{:.0f}"),
                      fmt(r["median_size"], "{:.0f}"))
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
