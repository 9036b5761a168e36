"""The executor interface: what ``synth.bench`` asks of a pool of workers."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from synth.executors.wire import Warmup


@dataclass
class Outcome:
    """How one submitted task ended.

    ``kind``: ``"done"`` (``record`` is the worker's record), ``"timeout"`` (the executor killed
    the worker at the hard limit), ``"died"`` (the worker process or its machine died, or the
    task was lost; ``reason`` says what is known). ``elapsed``: seconds from submission, as the
    driver measured them."""

    key: str
    kind: str
    record: dict[str, Any] | None = None
    reason: str = ""
    elapsed: float = 0.0


@dataclass
class Executor:
    """A pool of worker processes that solve tasks sent as JSON (``synth.executors.wire``).

    The driver (``synth.bench.run_items``) calls ``start`` once per run, then ``submit`` while
    ``free_slots()`` is positive and ``wait`` for outcomes until nothing is ``running``, then
    ``close``; on any exception (Ctrl-C included) it calls ``stop``, which kills every worker
    and returns only when they are gone. Each submitted key yields exactly one ``Outcome``.
    One executor may serve several runs (``synth bench`` over several suites); ``shutdown``
    then releases what outlives a run (a local Ray cluster the executor started)."""

    jobs: int | None = None
    progress: Callable[[str], None] | None = field(default=None, repr=False)

    name = "?"

    def start(self, warmup: Warmup, pending: int) -> None:
        raise NotImplementedError

    def free_slots(self) -> int:
        raise NotImplementedError

    @property
    def running(self) -> int:
        raise NotImplementedError

    def submit(self, key: str, task_text: str, cfg_text: str, hard_limit: float) -> None:
        raise NotImplementedError

    def wait(self) -> list[Outcome]:
        """Block until some outcome is ready or a slot opens (at most about a second), and
        return the outcomes (possibly none)."""
        raise NotImplementedError

    def close(self) -> None:
        """The run is over (nothing is running): let the workers go."""
        self.stop()

    def stop(self) -> None:
        """Kill every worker now and reap it; then ``shutdown``."""
        raise NotImplementedError

    def shutdown(self) -> None:
        """Release what outlives a run (nothing, but for a Ray cluster this executor started)."""

    def say(self, line: str) -> None:
        if self.progress is not None:
            self.progress(line)


def died_reason(exitcode: int | None) -> str:
    """What a worker's exit code says about its death (the wording of ``synth.bench`` records)."""
    return "out of memory?" if exitcode in (-9, 137) else f"exit code {exitcode}"
