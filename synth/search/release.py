"""Free a finished search's memory after its answer is out, not before.

A search that ran to its deadline can hold millions of values; dropping them takes Python a
noticeable time (half a second for 14 million strings), which would land after the deadline
and delay the answer. The strategies ``hold`` their search objects instead, and the next
``synth.solve`` (or a benchmark worker's next task) ``release``s them before its own clock starts.
"""
from __future__ import annotations

from typing import Any

_held: list[Any] = []


def hold(*objects: Any) -> None:
    """Keep ``objects`` alive until the next ``release`` (the last search's only)."""
    _held.extend(objects)


def release() -> None:
    """Drop what ``hold`` kept (call it before starting a clock)."""
    _held.clear()
