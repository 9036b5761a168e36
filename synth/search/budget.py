"""Search budgets (seconds, candidates, memory, program size) and the clock that enforces them."""
from __future__ import annotations

import dataclasses
import math
import numbers
import os
import time
from dataclasses import dataclass

from synth import deadline
from synth.search.contract import BudgetExceeded


#: largest budgets accepted (beyond them a limit means "never"; use None for that). The timeout
#: bound keeps every derived millisecond count (Z3's timeouts) within 32 bits.
MAX_TIMEOUT_S = 1_000_000
MAX_MEMORY_MB = 1_000_000_000
MAX_CANDIDATES = 10**18
MAX_SIZE = 1_000_000

#: the default limits of one solve: ``Budget``, ``synth.solve``/``synthesize``/``solve_many``,
#: ``BenchConfig`` and the command line's ``--timeout``/``--max-memory`` all take them from here
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_MEMORY_MB = 4096.0


@dataclass(frozen=True)
class Budget:
    """Limits of one search. ``None`` means unlimited (by default: ``DEFAULT_TIMEOUT`` seconds,
    ``DEFAULT_MAX_MEMORY_MB`` MiB, no candidate or size limit).

    Parameters
    ----------
    timeout : seconds of wall-clock time (a positive number up to ``MAX_TIMEOUT_S``).
    max_candidates : candidate programs evaluated (a positive integer up to ``MAX_CANDIDATES``).
    max_memory_mb : resident memory of the process; the search stops before exceeding it
        (a positive number of MiB up to ``MAX_MEMORY_MB``).
    max_size : largest program cost (AST nodes by default) to enumerate (a positive integer up
        to ``MAX_SIZE``).

    A value that is not such a limit (a string, a bool, NaN, infinity, zero, a negative number,
    a fraction where an integer is needed) raises ``synth.errors.InvalidBudget`` naming it.
    """

    timeout: float | None = DEFAULT_TIMEOUT
    max_candidates: int | None = None
    max_memory_mb: float | None = DEFAULT_MAX_MEMORY_MB
    max_size: int | None = None

    def __post_init__(self):
        for name, kind, top in (("timeout", "seconds", MAX_TIMEOUT_S),
                                ("max_memory_mb", "MiB", MAX_MEMORY_MB)):
            object.__setattr__(self, name, _real_limit(name, getattr(self, name), kind, top))
        for name, top in (("max_candidates", MAX_CANDIDATES), ("max_size", MAX_SIZE)):
            object.__setattr__(self, name, _int_limit(name, getattr(self, name), top))

    def remaining(self, seconds: float, candidates: int = 0, min_seconds: float = 0.05,
                  cap: float | None = None) -> "Budget | None":
        """What is left after a search spent ``seconds`` and ``candidates`` of this budget: the
        same limits less those, or None when the time left is at most ``min_seconds`` or no
        candidate is left. ``cap``: at most this many seconds (the time left before the whole
        solve's deadline, ``synth.deadline.remaining()``), also where this budget has no time
        limit."""
        timeout = None if self.timeout is None else self.timeout - seconds
        if cap is not None:
            timeout = cap if timeout is None else min(timeout, cap)
        cands = None if self.max_candidates is None else self.max_candidates - candidates
        if (timeout is not None and timeout <= min_seconds) or (cands is not None and cands <= 0):
            return None
        return dataclasses.replace(self, timeout=timeout, max_candidates=cands)

    def share(self, fraction: float) -> "Budget":
        """This budget with ``fraction`` of its time for one phase of a search (no time limit
        stays none; candidates, memory and size stay: a phase spends them and ``remaining``
        passes on the rest)."""
        if self.timeout is None:
            return self
        return dataclasses.replace(self, timeout=self.timeout * fraction)


def _number_text(v) -> str:
    """A number for a message: itself, or its length when it is huge (str() of an int of more
    than 4,300 digits raises ValueError)."""
    if isinstance(v, numbers.Integral) and abs(int(v)) >= 10**30:
        sign = "negative " if v < 0 else ""
        return f"a {sign}{int(abs(int(v)).bit_length() * 0.30103) + 1}-digit number"
    return _short(v)


def _real_limit(name: str, v, unit: str, top: float) -> float | None:
    """``v`` as a float limit (``None`` stays), or ``InvalidBudget`` saying what is wrong."""
    from synth.errors import InvalidBudget

    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise InvalidBudget(f"budget {name} must be a number of {unit} or None (no limit), got "
                            f"{type(v).__name__} {_short(v)}")
    if isinstance(v, numbers.Integral) and int(v) > top:  # before float(): 10**400 overflows
        raise InvalidBudget(f"budget {name} must be at most {top:,} {unit}, got {_number_text(v)}; "
                            f"use None for no limit")
    if isinstance(v, numbers.Integral) and int(v) <= 0:
        raise InvalidBudget(f"budget {name} must be positive, got {_number_text(v)}")
    try:
        f = float(v)
    except (OverflowError, ValueError):  # a Fraction too big for a float
        raise InvalidBudget(f"budget {name} must be at most {top:,} {unit}, got {_number_text(v)}; "
                            f"use None for no limit") from None
    if math.isnan(f):
        raise InvalidBudget(f"budget {name} is NaN; give a positive number of {unit}, or None for no limit")
    if math.isinf(f) and f > 0:
        raise InvalidBudget(f"budget {name} is infinite; use None for no limit")
    if f <= 0:
        raise InvalidBudget(f"budget {name} must be positive, got {_number_text(v)}")
    if f > top:
        raise InvalidBudget(f"budget {name} must be at most {top:,} {unit}, got {_number_text(v)}; "
                            f"use None for no limit")
    return f


def _int_limit(name: str, v, top: int) -> int | None:
    """``v`` as a positive int limit (``None`` stays; an integral float such as 1e6 is taken)."""
    from synth.errors import InvalidBudget

    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise InvalidBudget(f"budget {name} must be a positive integer or None (no limit), got "
                            f"{type(v).__name__} {_short(v)}")
    if not isinstance(v, numbers.Integral):
        f = float(v)
        if not math.isfinite(f) or not f.is_integer():
            raise InvalidBudget(f"budget {name} must be a positive integer or None (no limit), got {v!r}")
        v = int(f)
    v = int(v)
    if v <= 0:
        raise InvalidBudget(f"budget {name} must be positive, got {_number_text(v)}")
    if v > top:
        raise InvalidBudget(f"budget {name} must be at most {top:.0e}, got {_number_text(v)}; "
                            f"use None for no limit")
    return v


def _short(v) -> str:
    try:
        text = repr(v)
    except Exception:  # a broken __repr__ must not hide the real problem
        text = "?"
    return text if len(text) <= 40 else text[:37] + "..."


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

    def time_left(self) -> float | None:
        """Seconds until the deadline (negative once past it), None without one."""
        return None if self.deadline is None else self.deadline - time.perf_counter()

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


class Ticker:
    """Counts a search's candidates on its ``Clock`` and checks the clock every ``every`` of
    them, raising ``BudgetExceeded`` once a limit is reached. A separate object rather than a
    method of the search, so that the search's helpers can hold it without a reference cycle
    back to the search (see ``synth.search.release``)."""

    __slots__ = ("clock", "every", "count")

    def __init__(self, clock: "Clock", every: int = 256):
        self.clock = clock
        self.every = every
        self.count = 0

    def __call__(self, n: int = 1) -> None:
        self.clock.candidates += n
        self.count += n
        if self.count >= self.every:
            self.count = 0
            if self.clock.exceeded():
                raise BudgetExceeded

