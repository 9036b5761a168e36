"""Ctrl-C while a pool of workers runs, taken where the driver can stop cleanly.

Python raises ``KeyboardInterrupt`` wherever the main thread is when SIGINT arrives, and that
can be inside a pool library's code: between acquiring a lock and entering the ``with`` block
that would release it (``queue.Queue.put`` as pebble schedules a task, a future's condition).
The lock then stays held, and stopping the pool waits on it forever: the run hangs instead of
stopping. Blocking SIGINT in the main thread does not prevent this, since the kernel then hands
the signal to another thread (numpy's BLAS threads, numba's) and Python still raises in the main
thread at its next check.

So while the driver runs tasks (``deferred``), the first Ctrl-C only sets a flag; the driver
calls ``check`` at its safe points (between submitting tasks and waiting for them), which raises
``KeyboardInterrupt`` there, and executors end their waits early when ``requested()``. A second
Ctrl-C before that raises at once, as usual, so a driver that is stuck can still be left.
"""
from __future__ import annotations

import contextlib
import signal
import threading
from typing import Iterator

_requested = False


def requested() -> bool:
    """Whether a deferred Ctrl-C is waiting for the driver's next ``check``."""
    return _requested


def check() -> None:
    """Raise ``KeyboardInterrupt`` here if a Ctrl-C was deferred."""
    global _requested
    if _requested:
        _requested = False
        raise KeyboardInterrupt


def _note(signum, frame) -> None:
    global _requested
    if _requested:  # the second one: the driver has not reached a safe point, leave now
        _requested = False
        raise KeyboardInterrupt
    _requested = True


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Within the block, Ctrl-C is noted for ``check`` instead of raised where it lands. Only in
    the main thread (where Python runs signal handlers), and only where Ctrl-C would raise
    ``KeyboardInterrupt`` at all (not where SIGINT is ignored, as in a background job)."""
    global _requested
    main = threading.current_thread() is threading.main_thread()
    old = signal.getsignal(signal.SIGINT) if main else None
    if old is not signal.default_int_handler:
        yield
        return
    _requested = False
    signal.signal(signal.SIGINT, _note)
    try:
        yield
    except BaseException:
        _restore(old)
        _requested = False
        raise
    _restore(old)
    check()  # noted after the last safe point: it still ends the run


def _restore(old) -> None:
    with contextlib.suppress(ValueError):
        if signal.getsignal(signal.SIGINT) is _note:  # not replaced meanwhile
            signal.signal(signal.SIGINT, old)
