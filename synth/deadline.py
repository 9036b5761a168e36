"""The deadline of the search running now, for work that grows with the input outside the search
loop (constant extraction, grammar preparation): it checks ``expired()`` and stops early, so a
time budget also bounds what happens before the enumeration starts.

``synth.solve`` sets it from the time budget; ``Clock`` (the search loop's budget check) never
runs past it. It lives at the bottom of the package (it imports nothing from synth) so that
the DSLs can check it too.
"""
from __future__ import annotations

import contextlib
import contextvars
import time
from typing import Iterator

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("synth_deadline", default=None)


@contextlib.contextmanager
def until(seconds: float | None) -> Iterator[None]:
    """Set the deadline ``seconds`` from now (None: none) for the enclosed block; an enclosing
    deadline that comes sooner stays in force."""
    at = None if seconds is None else time.perf_counter() + seconds
    outer = _deadline.get()
    if outer is not None and (at is None or outer < at):
        at = outer
    token = _deadline.set(at)
    try:
        yield
    finally:
        _deadline.reset(token)


def current() -> float | None:
    """The deadline in ``time.perf_counter()`` seconds (None: none)."""
    return _deadline.get()


def remaining() -> float | None:
    """Seconds left before the deadline (None: none; never negative)."""
    at = _deadline.get()
    return None if at is None else max(0.0, at - time.perf_counter())


def expired() -> bool:
    at = _deadline.get()
    return at is not None and time.perf_counter() >= at


def postpone(seconds: float) -> None:
    """Move the deadline later by ``seconds`` (time that does not count: a one-off compilation)."""
    at = _deadline.get()
    if at is not None:
        _deadline.set(at + seconds)
