"""The ``ray`` executor: a pool of Ray actors, one CPU each, on a running cluster or a local one.

Why Ray: it is what the ML and search community already runs its clusters on (``ray start`` on
each machine, no shared file system or job scheduler needed), and it has what a benchmark driver
needs here: actors (a worker process that keeps what it loaded across tasks), ``ray.kill`` (stop
one hung worker, the rest keep going), errors that say how a worker or node died, and a local
mode that starts a cluster sized to the machine with one call.

- Warm-up: each actor, when it starts, imports the solver, loads the numba kernels (the first
  actor on a machine compiles them; the others wait on the machine-wide compile lock, then load
  them from numba's cache) and the shipped weights. The driver sends an actor no task before its
  warm-up has finished, so no task's time limit pays for it: kernels are compiled once per
  machine and loaded once per worker process, weights loaded once per worker process.
- Hard limit: the driver times each task from the moment it sends it to an idle, warm actor. At
  ``timeout + GRACE_SECONDS`` it kills that actor (``ray.kill``), records the task as a timeout
  (``stopped_by: hard-kill``) and starts a replacement actor.
- Dead workers: an actor whose process or node dies mid-task (a crash, the kernel's or Ray's
  out-of-memory killer, a lost node) makes Ray raise on its result; the task is recorded as
  ``error`` with ``worker died (...)`` and Ray's reason, and a replacement actor is started.
  Tasks are never retried by Ray (``max_task_retries=0``): one outcome per task.
- Tasks travel as JSON text (``synth.executors.wire``); records come back as dicts.
- The driver's ``SYNTH_*`` and ``NUMBA_*`` environment variables are passed on to the actors.
- Stopping: ``stop`` (Ctrl-C, an error) and ``close`` kill the actors; a local cluster this
  executor started is shut down. Actors belong to the driver: if the driver is killed, Ray
  removes them (and a local cluster started by the driver goes with it).
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from synth.errors import SynthError
from synth.executors.base import Executor, Outcome
from synth.executors.wire import Warmup, solve_wire, warm_worker

#: object store of a local cluster started here: only task texts and records pass through it
LOCAL_OBJECT_STORE_BYTES = 128 * 2**20
#: an actor slot whose actor fails to start this many times in a row is given up
START_ATTEMPTS = 3
#: say so when no actor has started after this many seconds
WAITING_NOTE_SECONDS = 120.0
#: environment variables (by prefix) handed on to the actors
ENV_PREFIXES = ("SYNTH_", "NUMBA_")

INSTALL_HINT = "pip install 'synth[ray]'"


class MissingDependency(SynthError, ImportError):
    """An optional dependency that a chosen feature needs is not installed."""


def import_ray():
    """The ``ray`` module, or ``MissingDependency`` saying how to install it."""
    try:
        import ray
    except ImportError:
        raise MissingDependency(f"--executor ray needs Ray, which is not installed; install the "
                                f"extra: {INSTALL_HINT}") from None
    return ray


class _RaySolver:
    """One worker process (a Ray actor with one CPU): warms up once, then solves task texts."""

    def __init__(self, warm_text: str, solve_fn: Callable | None = None):
        with contextlib.suppress(ValueError):  # not the main thread: nothing to do
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's business
        self.solve_fn = solve_fn
        self.warm_seconds = warm_worker(Warmup.from_wire(warm_text),
                                        progress=lambda line: print(line, file=sys.stderr, flush=True))

    def ready(self) -> dict[str, Any]:
        return {"pid": os.getpid(), "warm_seconds": round(self.warm_seconds, 3)}

    def solve(self, task_text: str, cfg_text: str) -> dict[str, Any]:
        return solve_wire(task_text, cfg_text, self.solve_fn)


@dataclass
class _Slot:
    actor: Any
    state: str = "warming"  # warming, idle, busy
    attempts: int = 1


@dataclass
class RayExecutor(Executor):
    """``jobs`` actors (default: one per CPU of the cluster) on the cluster at ``address``
    (``"auto"``: the one ``ray start`` runs on this machine), or on a local cluster sized to this
    machine when ``address`` is None. Uses the Ray instance this process has already started, if
    any. ``solve_fn(task, cfg)`` replaces ``synth.records.solve_record`` in the actors (tests)."""

    address: str | None = None
    solve_fn: Callable | None = field(default=None, repr=False)

    name = "ray"
    _ray: Any = field(default=None, init=False, repr=False)
    _owns: bool = field(default=False, init=False, repr=False)
    _slots: list = field(default_factory=list, init=False, repr=False)
    _refs: dict = field(default_factory=dict, init=False, repr=False)
    _cls: Any = field(default=None, init=False, repr=False)
    _warm_text: str = field(default="", init=False, repr=False)
    _last_start_error: str = field(default="", init=False, repr=False)
    _started_at: float = field(default=0.0, init=False, repr=False)
    _told_waiting: bool = field(default=False, init=False, repr=False)

    # ------------------------------------------------------------------------------ start
    def start(self, warmup: Warmup, pending: int) -> None:
        ray = self._ray = import_ray()
        if not ray.is_initialized():
            try:
                if self.address:
                    ray.init(address=self.address, logging_level=logging.WARNING)
                else:
                    ray.init(num_cpus=os.cpu_count() or 1, include_dashboard=False,
                             object_store_memory=LOCAL_OBJECT_STORE_BYTES, logging_level=logging.WARNING)
            except (ConnectionError, RuntimeError, ValueError, TimeoutError) as e:
                first = (str(e).strip().splitlines() or [type(e).__name__])[0]
                where = f"connect to the Ray cluster at {self.address}" if self.address else \
                    "start a local Ray cluster"
                raise SynthError(f"could not {where}: {first}") from None
            self._owns = True
        self._started_at = time.perf_counter()
        self._told_waiting = False
        resources = ray.cluster_resources()
        cpus = int(resources.get("CPU", 0))
        nodes = sum(1 for n in ray.nodes() if n.get("Alive"))
        size = max(1, min(self.jobs or cpus or 1, pending))
        env = {k: v for k, v in os.environ.items() if k.startswith(ENV_PREFIXES)}
        options: dict[str, Any] = {"num_cpus": 1, "max_restarts": 0, "max_task_retries": 0}
        if env:
            options["runtime_env"] = {"env_vars": env}
        self._cls = ray.remote(**options)(_RaySolver)
        self._warm_text = warmup.to_wire()
        where = "a local Ray cluster" if self._owns and not self.address else \
            f"the Ray cluster at {self.address or ray.get_runtime_context().gcs_address}"
        self.say(f"ray: {size} worker{'s' if size > 1 else ''} on {where} ({cpus} CPUs, "
                 f"{nodes} node{'s' if nodes != 1 else ''}); each loads the search kernels and "
                 f"weights once before its first task")
        for _ in range(size):
            self._spawn()

    def _spawn(self, attempts: int = 1) -> None:
        slot = _Slot(self._cls.remote(self._warm_text, self.solve_fn), attempts=attempts)
        self._slots.append(slot)
        self._refs[slot.actor.ready.remote()] = ("ready", slot)

    def _retire(self, slot: _Slot, kill: bool = True) -> None:
        if slot in self._slots:
            self._slots.remove(slot)
        if kill:
            with contextlib.suppress(Exception):
                self._ray.kill(slot.actor, no_restart=True)

    # ------------------------------------------------------------------------------- work
    def free_slots(self) -> int:
        return sum(s.state == "idle" for s in self._slots)

    @property
    def running(self) -> int:
        return sum(1 for v in self._refs.values() if v[0] == "task")

    def submit(self, key: str, task_text: str, cfg_text: str, hard_limit: float) -> None:
        slot = next(s for s in self._slots if s.state == "idle")
        slot.state = "busy"
        ref = slot.actor.solve.remote(task_text, cfg_text)
        self._refs[ref] = ("task", slot, key, time.perf_counter(), hard_limit)

    def wait(self) -> list[Outcome]:
        ray = self._ray
        if not self._slots:
            raise SynthError(f"no Ray worker could start: {self._last_start_error or 'unknown reason'}")
        now = time.perf_counter()
        deadlines = [v[3] + v[4] - now for v in self._refs.values() if v[0] == "task"]
        timeout = max(0.0, min([1.0] + deadlines))
        refs = list(self._refs)
        ready: list = []
        if refs:
            ready, _ = ray.wait(refs, num_returns=1, timeout=timeout)
            if ready:
                ready, _ = ray.wait(refs, num_returns=len(refs), timeout=0)
        else:
            time.sleep(timeout)
        outcomes: list[Outcome] = []
        for ref in ready:
            outcomes.extend(self._finished(ref))
        outcomes.extend(self._overdue())
        if not self._told_waiting and all(s.state == "warming" for s in self._slots) \
                and time.perf_counter() - self._started_at > WAITING_NOTE_SECONDS:
            self._told_waiting = True
            self.say(f"ray: no worker has started after {WAITING_NOTE_SECONDS:.0f} s (compiling the "
                     f"kernels on a new machine, or the cluster has no free CPU); still waiting")
        return outcomes

    def _finished(self, ref) -> list[Outcome]:
        ray = self._ray
        entry = self._refs.pop(ref, None)
        if entry is None:
            return []
        if entry[0] == "ready":
            slot = entry[1]
            try:
                ray.get(ref)
                slot.state = "idle"
            except ray.exceptions.RayError as e:  # the actor could not start (or warm up)
                self._last_start_error = _reason(e)
                self._retire(slot)
                if slot.attempts < START_ATTEMPTS:
                    self._spawn(slot.attempts + 1)
                else:
                    self.say(f"ray: a worker failed to start {START_ATTEMPTS} times, giving up its "
                             f"slot: {self._last_start_error}")
            return []
        _, slot, key, started, _ = entry
        elapsed = time.perf_counter() - started
        try:
            rec = ray.get(ref)
        except ray.exceptions.RayTaskError as e:  # the method raised; the actor lives on
            slot.state = "idle"
            cause = getattr(e, "cause", None) or e
            first = (str(cause).splitlines() or [""])[0]
            return [Outcome(key, "error", reason=f"{type(cause).__name__}: {first}", elapsed=elapsed)]
        except ray.exceptions.RayError as e:  # the actor's process or node died
            self._retire(slot)
            self._spawn()
            return [Outcome(key, "died", reason=_reason(e), elapsed=elapsed)]
        slot.state = "idle"
        if not isinstance(rec, dict):
            return [Outcome(key, "error", reason="the worker returned no record", elapsed=elapsed)]
        return [Outcome(key, "done", record=rec, elapsed=elapsed)]

    def _overdue(self) -> list[Outcome]:
        outcomes = []
        now = time.perf_counter()
        for ref, entry in list(self._refs.items()):
            if entry[0] != "task":
                continue
            _, slot, key, started, limit = entry
            if now - started > limit:
                del self._refs[ref]
                self._retire(slot)  # ray.kill: the hung worker process goes
                self._spawn()
                outcomes.append(Outcome(key, "timeout", elapsed=now - started))
        return outcomes

    # ------------------------------------------------------------------------------- stop
    def close(self) -> None:
        """Kill the actors (idle now); a local cluster started here stays up for the next run
        until ``shutdown``."""
        for slot in list(self._slots):
            self._retire(slot)
        self._refs.clear()

    def stop(self) -> None:
        """Kill every actor and, if this executor started the local cluster, shut it down (a
        second Ctrl-C meanwhile is ignored)."""
        main = threading.current_thread() is threading.main_thread()
        old = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
        try:
            self.close()
            self.shutdown()
        finally:
            if main and old is not None:
                signal.signal(signal.SIGINT, old)

    def shutdown(self) -> None:
        if self._owns and self._ray is not None:
            with contextlib.suppress(Exception):
                self._ray.shutdown()
        self._owns = False


def _reason(e: BaseException) -> str:
    """Ray's explanation of a dead actor, task or node, on one line."""
    text = str(e)
    name = type(e).__name__
    if "OutOfMemory" in name or "memory monitor" in text or "OOM" in text.split("Some common causes")[0]:
        return f"out of memory? ({name})"
    if "ray.kill" in text:
        return "killed by ray.kill"
    m = re.search(r"Worker exit type: (\w+)\s*Worker exit detail: (.*?\.)(?:\s|$)", text)
    detail = f"{m.group(1)}: {m.group(2)}" if m else ""
    if not detail:
        for line in text.splitlines():
            line = line.strip()
            if line.startswith(("The actor is dead because", "The actor died because")) or "node" in line.lower():
                detail = line.split(" Some common causes")[0]
                break
    if not detail:
        detail = (text.strip().splitlines() or [""])[0]
    pid = re.search(r"\bpid: (\d+)", text)
    ip = re.search(r"\bip: ([\w.:-]+)", text)
    where = f"; pid {pid.group(1)}" if pid else ""
    where += f" on {ip.group(1)}" if ip else ""
    detail = detail if len(detail) <= 300 else detail[:299] + "…"
    return f"{name}: {detail}{where}"
