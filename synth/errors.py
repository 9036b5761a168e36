"""The one exception family of synth: every error a user can cause says what happened and what to do."""
from __future__ import annotations


class SynthError(Exception):
    """Base class of every error synth raises on purpose. Catch this to handle them all."""


class InvalidTask(SynthError, ValueError):
    """A task (file, dict or example list) is malformed: fix the named field and try again."""


class InvalidArgument(SynthError, ValueError):
    """A call of the Python API got an argument it cannot use: not a ``Task``, an unknown keyword
    argument, a strategy name that is not a string, a path that is not a path. The message names
    the argument and what to pass instead."""


class InvalidBudget(InvalidArgument):
    """A search budget (``timeout``, ``max_candidates``, ``max_memory_mb``, ``max_size``) is not a
    usable limit: not a number, NaN, infinite, zero, negative or absurdly large. Give a positive
    finite number (an integer for ``max_candidates`` and ``max_size``), or ``None`` for no limit."""


class InconsistentExamples(InvalidTask):
    """Two examples give the same inputs different outputs, so no program can fit both.

    ``conflicting`` holds the indices of the clashing examples.
    """

    def __init__(self, message: str, conflicting: tuple[int, ...] = ()):
        super().__init__(message)
        self.conflicting = conflicting


class UnknownDomain(SynthError, LookupError):
    """The named domain does not exist: ``synth dsl list`` shows the ones that do."""

    def __str__(self) -> str:  # LookupError would add quotes around the message
        return self.args[0] if self.args else ""


class UnknownOp(SynthError, LookupError):
    """The named op is not part of the domain: ``synth dsl show DOMAIN`` lists its ops."""

    def __str__(self) -> str:
        return self.args[0] if self.args else ""


class ProgramSyntaxError(SynthError, ValueError):
    """Program text does not parse in the domain's grammar (``synth dsl show DOMAIN`` prints it)."""


class EvaluationError(SynthError, ValueError):
    """A program failed on an input (an op's error case, such as a position out of range)."""


class SynthesisTimeout(SynthError, TimeoutError):
    """The search ran out of time (or its candidate or memory budget) before finding a program.

    Raise the budget, give fewer/shorter examples, or restrict the ops. ``result`` holds the
    search's statistics.
    """

    def __init__(self, message: str, result=None):
        super().__init__(message)
        self.result = result


class NoProgramInDSL(SynthError):
    """The whole program space up to the size limit was searched and nothing fits the examples.

    More time will not help: the DSL (or the restricted op set) cannot express the task at that
    size. ``max_size_explored`` says how far the search got.
    """

    def __init__(self, message: str, max_size_explored: int = 0, result=None):
        super().__init__(message)
        self.max_size_explored = max_size_explored
        self.result = result


class VerificationUnknown(SynthError):
    """The verifier (Z3) answered 'unknown' or timed out: the candidate is unproven, not wrong."""
