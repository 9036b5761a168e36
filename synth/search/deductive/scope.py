"""Which tasks the deductive strategy reads (apart from the strategy, so that ``auto`` can ask)."""
from __future__ import annotations

from synth.task import GrammarSpec, Task


def applies(task: Task) -> bool:
    """Whether the task is text to text the deductive search can read: string outputs, at least
    one string input, no grammar of its own (a SyGuS file's grammar restricts the search)."""
    if isinstance(task.spec, GrammarSpec) or not task.examples:
        return False
    if not all(isinstance(e.output, str) for e in task.examples):
        return False
    first = task.examples[0].inputs
    return any(isinstance(v, str) for v in first.values())
