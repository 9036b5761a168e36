"""Result records: one task's solve as the JSON-able dict (DESIGN.md §4) that ``synth solve``
prints, ``synth bench`` writes to its JSONL file and a worker of ``synth.executors`` sends back,
and a ``Result`` read back from one.

This is the one path of a task below the command line: ``synth.cli`` (in its own process) and
the workers (``synth.executors.wire.solve_wire``) both call ``solve_record``, which calls
``synth.api.solve`` and makes the record from the ``Result`` alone (``Result.to_record``, and the
``define-fun`` of ``Result.renderings`` as ``solution`` for a task read from a SyGuS file).
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass, field, replace
from typing import Any

from synth.search.budget import DEFAULT_MAX_MEMORY_MB
from synth.task import Task

#: the examples-needed protocols of ``BenchConfig.protocol``
PROTOCOLS = ("first-wrong", "ask")


@dataclass
class BenchConfig:
    """The settings of a run. ``jobs``: worker processes (None: one per CPU of this machine, or
    of the Ray cluster); ``executor``: ``local`` or ``ray`` (``synth.executors``); ``address``:
    the Ray cluster's (None: a local one). Only the search settings travel to the workers
    (``synth.executors.wire.config_to_wire``); ``solve_record`` reads those."""

    timeout: float = 30.0
    strategy: str = "auto"
    jobs: int | None = 1
    max_candidates: int | None = None
    max_memory_mb: float | None = DEFAULT_MAX_MEMORY_MB
    options: dict[str, Any] = field(default_factory=dict)
    executor: str = "local"
    address: str | None = None
    #: "first-wrong": the examples-needed protocol (``examples_needed_record``) instead of one solve
    protocol: str | None = None
    #: rows the protocol may give as examples, at most
    max_rows: int = 5

    @property
    def task_seconds(self) -> float | None:
        """The most time one task's work may take (the protocol solves up to ``max_rows`` times)."""
        if self.timeout is None:
            return None
        return self.timeout * (self.max_rows if self.protocol else 1)


def solve_record(task: Task, cfg: BenchConfig) -> dict[str, Any]:
    """The record of solving ``task`` with ``cfg``'s search settings (or of ``cfg.protocol``'s
    examples-needed protocol): ``Result.to_record``, plus ``solution`` (the ``define-fun``
    rendering) for a task read from a SyGuS file. Never raises for a task: bad input found by
    the search is a record with status ``error`` and ``solve``'s message, a bug one whose error
    starts with ``internal error``."""
    from synth.api import solve  # looked up at each call (tests replace it)
    from synth.errors import SynthError

    if cfg.protocol:
        try:
            return examples_needed_record(task, cfg)
        except SynthError as e:
            return error_record(task.name, task.domain, cfg.strategy, str(e))
    try:
        res = solve(task, strategy=cfg.strategy, timeout=cfg.timeout,
                    max_candidates=cfg.max_candidates, max_memory_mb=cfg.max_memory_mb, **cfg.options)
        rec = res.to_record()
        if "define-fun" in res.renderings:
            rec["solution"] = res.renderings["define-fun"]
        return rec
    except SynthError as e:
        return error_record(task.name, task.domain, cfg.strategy, str(e))
    except Exception as e:  # a bug: keep the benchmark going, but say what broke
        tb = traceback.format_exc(limit=3).strip().splitlines()[-1]
        return error_record(task.name, task.domain, cfg.strategy, f"internal error: {e!r} ({tb})")


def error_record(name: str, domain: str, strategy: str, error: str, status: str = "error") -> dict:
    """The record of a task that has no result: it could not be read or sent, it was refused,
    its worker died or was killed (``status`` then says how)."""
    return {"name": name, "domain": domain, "strategy": strategy, "status": status, "program": None,
            "size": None, "seconds": 0.0, "candidates": 0, "train_ok": None, "test_ok": None,
            "error": error}


def examples_needed_record(task: Task, cfg: BenchConfig) -> dict[str, Any]:
    """Flash Fill's measure on a column (the task's examples then its tests, in order): start
    with the first row as the only example, solve, and while some row is wrong add the first
    wrong row (what a user scanning the column does), up to ``cfg.max_rows`` examples. The
    record is the last solve's, with ``examples_needed`` (None: not learned within the rows)
    and ``status`` solved / ``test_ok`` true only when every row came out right. The rows not
    given are the task's unlabeled ``inputs`` where the task has any (a spreadsheet column's
    other rows), else none. With ``cfg.protocol == "ask"`` the next row is the one synth asks
    about (``Result.ask``) where it asks, else the first wrong row."""
    from synth.api import solve
    from synth.dsl.base import ERROR

    rows = list(task.examples) + list(task.tests)
    given = [0]
    seconds = 0.0
    rec: dict[str, Any] = {}
    give_rows = bool(task.inputs)
    while True:
        rest = [i for i in range(len(rows)) if i not in given]
        t = replace(task, examples=[rows[i] for i in given], tests=[rows[i] for i in rest],
                    inputs=[dict(rows[i].inputs) for i in rest] if give_rows else [])
        res = solve(t, strategy=cfg.strategy, timeout=cfg.timeout, max_candidates=cfg.max_candidates,
                    max_memory_mb=cfg.max_memory_mb, **cfg.options)
        seconds += res.seconds
        rec = res.to_record()
        wrong = rest
        if res.program is not None:
            wrong = [i for i in rest if (o := res.program.run(rows[i].inputs)) is ERROR
                     or o != rows[i].output or type(o) is not type(rows[i].output)]
            if res.solved and not wrong:
                rec.update(examples_needed=len(given), seconds=round(seconds, 4), test_ok=True,
                           rows=len(rows))
                return rec
        if len(given) >= cfg.max_rows or not wrong:
            break
        nxt = wrong[0]
        ask = rec.get("ask") if cfg.protocol == "ask" else None
        if ask:
            nxt = next((i for i in rest if rows[i].inputs == ask["input"]), nxt)
        given.append(nxt)
    rec.update(examples_needed=None, seconds=round(seconds, 4), rows=len(rows),
               status="solved" if rec.get("status") == "solved" else rec.get("status"), test_ok=False)
    return rec


def result_from_record(rec: dict[str, Any], task=None):
    """A ``synth.Result`` from a result record (the program parsed back from its text, in the
    task's input types; its renderings the domain's, and the record's ``solution`` as
    ``define-fun``). Fields the record has beyond ``Result``'s go to ``stats`` (``wall``,
    ``stopped_by``, ``max_size_explored``, ...). A program text that does not parse back (it
    should always) leaves ``program`` None and the text in ``stats["program"]``."""
    from synth.dsl import get_domain
    from synth.result import Renderings, Result

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
    makers: dict[str, Any] = dict(program.domain.renderings(program)) if program is not None else {}
    if isinstance(rec.get("solution"), str):
        makers["define-fun"] = rec["solution"]
    return Result(name=rec.get("name") or (task.name if task is not None else "?"),
                  domain=rec.get("domain") or (task.domain if task is not None else "?"),
                  strategy=rec.get("strategy") or "?", status=rec.get("status") or "error",
                  program=program, seconds=float(rec.get("seconds") or 0.0),
                  candidates=int(rec.get("candidates") or 0), train_ok=rec.get("train_ok"),
                  test_ok=rec.get("test_ok"), error=rec.get("error"), stats=stats,
                  renderings=Renderings(makers))


__all__ = ["BenchConfig", "PROTOCOLS", "error_record", "examples_needed_record", "result_from_record",
           "solve_record"]
