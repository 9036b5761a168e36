"""The ``local`` executor: worker processes on this machine, managed by ``pebble``.

Why pebble: of the well-kept pools, ``pebble.ProcessPool`` is the one that kills a single task's
process when the task overruns (``schedule(..., timeout=...)`` stops that worker and starts a
replacement, the other workers keep going) and reports a worker that died mid-task as
``ProcessExpired`` with its exit code, while the rest of the pool goes on. The standard
``concurrent.futures.ProcessPoolExecutor`` cannot stop a running task (killing a worker breaks the
whole pool), and ``loky`` only applies a time limit by shutting the whole executor down. pebble
keeps workers alive across tasks (``TASKS_PER_WORKER``; 0: no limit), and takes a start method:
with ``fork`` the workers inherit what the parent loaded before the pool started.

Warm-up: the parent compiles (first run on the machine) or loads the numba kernels and loads the
shipped weights before the pool forks its workers, so each worker, replacements of killed ones
included, starts with them and nothing is compiled or loaded per task. Each worker then freezes
what it inherited for the garbage collector and raises its thresholds (``wire.tune_gc``).

Hard limit: pebble measures it from the moment a worker takes the task, checks it every 0.1 s,
and stops the worker (SIGTERM, SIGKILL 3 s later if it has not exited). The outcome is
``timeout``; the driver records it with ``stopped_by: hard-kill``.

Ctrl-C: the workers ignore SIGINT (``_worker_init``; SIGINT is blocked across the forks, so none
reaches a worker before it does), and die with the driver (``PR_SET_PDEATHSIG`` on Linux, so a
driver killed outright leaves none behind). The driver takes Ctrl-C at a safe point
(``synth.executors.interrupt``), never inside pebble's code, and ``stop`` SIGKILLs the workers
and joins the pool before returning.
"""
from __future__ import annotations

import concurrent.futures
from concurrent.futures.process import BrokenProcessPool
import contextlib
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from synth.executors import interrupt
from synth.executors.base import Executor, Outcome, died_reason
from synth.executors.wire import Warmup, solve_wire, tune_gc, warm_kernels, warm_worker

#: ``prctl`` option: the signal a process gets when its parent (the forking thread) ends
PR_SET_PDEATHSIG = 1
#: tasks a worker process runs before pebble replaces it with a fresh fork (0: no limit)
TASKS_PER_WORKER = 0
#: how often the driver looks at its futures while it waits (pebble's own loops tick at 0.1 s)
POLL_SECONDS = 0.005
#: a task with no outcome this long after its hard limit is given up as lost (a safety net:
#: pebble reports every timeout and death itself)
LOST_AFTER_SECONDS = 30.0


def _worker_init() -> None:
    """In each worker, once: Ctrl-C is the parent's business (it kills the workers); what the
    parent loaded is frozen for the garbage collector, whose thresholds become the worker's
    (``wire.tune_gc``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _die_with_parent()
    tune_gc()


def _die_with_parent() -> None:
    """Linux: the kernel SIGKILLs this worker when the thread that forked it ends (the driver,
    or pebble's pool thread, which lives as long as the pool), so a driver killed outright (out
    of memory, ``kill -9``) leaves no worker searching on. Elsewhere: nothing."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        driver = mp.parent_process()
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0 and driver is not None \
                and os.getppid() != driver.pid:
            os._exit(1)  # the driver died before the request was made



@dataclass
class LocalExecutor(Executor):
    """``jobs`` worker processes (default: one per CPU) forked from this one."""

    name = "local"
    _pool: Any = field(default=None, init=False, repr=False)
    _inflight: dict = field(default_factory=dict, init=False, repr=False)
    _size: int = field(default=1, init=False, repr=False)

    def start(self, warmup: Warmup, pending: int) -> None:
        self._size = max(1, min(self.jobs or os.cpu_count() or 1, pending))
        # compile/load the kernels, load the weights and import the solver here, before forking
        warm_kernels(set(warmup.domains), warmup.strategy, self.progress)
        warm_worker(warmup, kernels=False, gc_tuning=False)  # the workers tune their own

    def _new_pool(self):
        from pebble import ProcessPool

        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        return ProcessPool(max_workers=self._size, max_tasks=TASKS_PER_WORKER,
                           initializer=_worker_init, context=ctx)

    def free_slots(self) -> int:
        return self._size - len(self._inflight)

    @property
    def running(self) -> int:
        return len(self._inflight)

    def submit(self, key: str, task_text: str, cfg_text: str, hard_limit: float) -> None:
        # The first ``schedule`` starts the pool: its forks and its threads happen here, where
        # the driver blocks SIGINT, so the threads (which fork replacement workers) keep it blocked.
        for attempt in (0, 1):
            if self._pool is None:
                self._pool = self._new_pool()
            try:
                fut = self._pool.schedule(solve_wire, args=(task_text, cfg_text), timeout=hard_limit)
                break
            except RuntimeError:  # the pool broke (pebble marks it so): start a fresh one
                self._drop_pool()
                if attempt:
                    raise
        self._inflight[key] = (fut, time.perf_counter(), hard_limit)

    def wait(self) -> list[Outcome]:
        # Polls the futures (rather than blocking in concurrent.futures.wait) so that the
        # waiting happens in time.sleep, where tests inject a Ctrl-C.
        until = time.perf_counter() + 1.0
        while True:
            outcomes = self._collect()
            if outcomes or not self._inflight or time.perf_counter() > until or interrupt.requested():
                return outcomes
            time.sleep(POLL_SECONDS)

    def _collect(self) -> list[Outcome]:
        from pebble import ProcessExpired

        outcomes = []
        now = time.perf_counter()
        for key, (fut, started, limit) in list(self._inflight.items()):
            elapsed = now - started
            if not fut.done():
                if elapsed > limit + LOST_AFTER_SECONDS:
                    fut.cancel()
                    del self._inflight[key]
                    outcomes.append(Outcome(key, "died", reason=f"no answer from the worker "
                                            f"{elapsed:.0f} s after the task was sent (lost)",
                                            elapsed=elapsed))
                continue
            del self._inflight[key]
            try:
                rec = fut.result()
            except (TimeoutError, concurrent.futures.TimeoutError):
                outcomes.append(Outcome(key, "timeout", elapsed=elapsed))
            except ProcessExpired as e:
                outcomes.append(Outcome(key, "died", reason=died_reason(e.exitcode), elapsed=elapsed))
            except concurrent.futures.CancelledError:
                outcomes.append(Outcome(key, "died", reason="cancelled", elapsed=elapsed))
            except BrokenProcessPool as e:  # pebble gave up the pool (the next task starts another)
                first = (str(e).splitlines() or [""])[0]
                outcomes.append(Outcome(key, "died", reason=f"the worker pool broke: {first}",
                                        elapsed=elapsed))
            except Exception as e:  # a task that could not be sent, a bug
                first = (str(e).splitlines() or [""])[0]
                outcomes.append(Outcome(key, "error", reason=f"{type(e).__name__}: {first}",
                                        elapsed=elapsed))
            else:
                if isinstance(rec, dict):
                    outcomes.append(Outcome(key, "done", record=rec, elapsed=elapsed))
                else:
                    outcomes.append(Outcome(key, "error", reason="the worker returned no record",
                                            elapsed=elapsed))
        return outcomes

    def close(self) -> None:
        self._drop_pool(kill=False)

    def stop(self) -> None:
        """Kill every worker and reap it (a second Ctrl-C meanwhile is ignored)."""
        main = threading.current_thread() is threading.main_thread()
        old = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
        try:
            self._drop_pool(kill=True)
            self._inflight.clear()
        finally:
            if main and old is not None:
                signal.signal(signal.SIGINT, old)

    def _drop_pool(self, kill: bool = True) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        with contextlib.suppress(Exception):
            pool.stop()
        if kill:  # pebble would SIGTERM each in turn and wait up to 3 s for it: SIGKILL them all now
            import pebble.pool.process as pp
            workers_name = getattr(pp, "WORKERS_NAME", "pebble_pool_worker")
            for p in mp.active_children():
                if p.name == workers_name:
                    with contextlib.suppress(Exception):
                        p.kill()
        with contextlib.suppress(Exception):
            pool.join()
