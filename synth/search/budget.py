"""Search budgets (seconds, candidates, memory, program size) and the clock that enforces them."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass

from synth import deadline


@dataclass(frozen=True)
class Budget:
    """Limits of one search. ``None`` means unlimited (except memory, which defaults to 4 GiB).

    Parameters
    ----------
    timeout : seconds of wall-clock time.
    max_candidates : candidate programs evaluated.
    max_memory_mb : resident memory of the process; the search stops before exceeding it.
    max_size : largest program cost (AST nodes by default) to enumerate.
    """

    timeout: float | None = 10.0
    max_candidates: int | None = None
    max_memory_mb: float | None = 4096.0
    max_size: int | None = None

    def __post_init__(self):
        for name in ("timeout", "max_candidates", "max_memory_mb", "max_size"):
            v = getattr(self, name)
            if v is not None and v <= 0:
                raise ValueError(f"budget {name} must be positive, got {v}")


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_mb() -> float:
    """Current resident memory of this process in MiB (0 where it cannot be read)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE / 2**20
    except (OSError, ValueError, IndexError):
        try:
            import resource
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        except Exception:  # pragma: no cover - no way to measure
            return 0.0


#: seconds between two reads of the resident memory size during a search
MEMORY_CHECK_S = 0.02


class Clock:
    """Tracks a budget during a search; ``exceeded()`` names the limit that ran out, if any."""

    def __init__(self, budget: Budget):
        self.budget = budget
        self.start = time.perf_counter()
        self.deadline = None if budget.timeout is None else self.start + budget.timeout
        ambient = deadline.current()  # the whole solve's: work before this search counts too
        if ambient is not None and (self.deadline is None or ambient < self.deadline):
            self.deadline = ambient
        self.candidates = 0
        self._next_memory_check = 0.0

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def exceeded(self) -> str | None:
        now = time.perf_counter()
        if self.deadline is not None and now >= self.deadline:
            return "time"
        if self.budget.max_candidates is not None and self.candidates >= self.budget.max_candidates:
            return "candidates"
        # Reading the resident size costs a file read; searches ask every few thousand
        # candidates, so it is read at most every MEMORY_CHECK_S seconds.
        if self.budget.max_memory_mb is not None and now >= self._next_memory_check:
            self._next_memory_check = now + MEMORY_CHECK_S
            if resident_mb() >= self.budget.max_memory_mb:
                return "memory"
        return None
