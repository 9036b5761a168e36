"""The generic limits on a task's values, and the helpers that check and describe them.

They sit at the DSL level (not in ``synth.task``) because the domains' ``check_task`` uses them
and a DSL may import nothing above itself; ``synth.task`` imports them from here and exports the
same names.

Limits (any domain; a domain may narrow them, e.g. deepcoder's [-50, 50]): strings and lists of
at most ``MAX_STRING_LENGTH`` characters / ``MAX_LIST_LENGTH`` items (10,000 each: far beyond
any benchmark, whose longest string has 136 characters, and short enough for the search's
quadratic constant extraction), integers within +-``MAX_INT`` (64-bit).
"""
from __future__ import annotations

import json
from typing import Any

from synth.errors import InvalidTask

#: longest string value (example input/output, constant, regex example string), in characters
MAX_STRING_LENGTH = 10_000
#: longest list value, in items
MAX_LIST_LENGTH = 10_000
#: largest magnitude of an integer value: what a signed 64-bit integer holds
MAX_INT = 2**63 - 1


def scalar_type(v: Any) -> str | None:
    """"Bool", "Int" or "String" for a value of that kind (a bool is not an Int), else None."""
    if isinstance(v, bool):
        return "Bool"
    if isinstance(v, int):
        return "Int"
    if isinstance(v, str):
        return "String"
    return None


def describe_value(v: Any, limit: int = 60) -> str:
    """Short one-line text of any value for a message: JSON-like for small values, else its
    kind and size (never recursing into it: a value may be nested thousands of levels deep, or
    be an integer too long for ``str``)."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        if abs(v) < 10**40:
            return str(v)
        try:
            return f"an integer of {len(str(abs(v))):,} digits"
        except ValueError:  # more digits than Python converts (4,300)
            return f"an integer of about {int(abs(v).bit_length() * 0.30103) + 1:,} digits"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        text = json.dumps(v if len(v) <= limit else v[:limit])
        return text if len(v) <= limit else f"{text[:-1]}...\" ({len(v):,} characters)"
    if isinstance(v, (list, tuple)):
        if len(v) <= 10 and all(x is None or isinstance(x, (bool, float)) or
                                (isinstance(x, int) and abs(x) < 10**40) or
                                (isinstance(x, str) and len(x) <= limit) for x in v):
            text = json.dumps(list(v))
            if len(text) <= limit:
                return text
        nested = any(isinstance(x, (list, tuple, dict)) for x in v[:100])
        return f"a {'nested ' if nested else ''}list of {len(v):,} item{'s' if len(v) != 1 else ''}"
    if isinstance(v, dict):
        return f"an object with {len(v):,} key{'s' if len(v) != 1 else ''}"
    kind = type(v).__name__
    return f"{'an' if kind[:1].lower() in 'aeiou' else 'a'} {kind}"


def check_value(v: Any, where: str, tuples: bool = False) -> None:
    """One example value: a string, integer, boolean or list of integers, within the limits."""
    if isinstance(v, str):
        if len(v) > MAX_STRING_LENGTH:
            raise InvalidTask(f"{where}: a string of {len(v):,} characters; values may have at most "
                              f"{MAX_STRING_LENGTH:,} characters")
        return
    if isinstance(v, bool):
        return
    if isinstance(v, int):
        check_int(v, where)
        return
    if isinstance(v, list) or (tuples and isinstance(v, tuple)):
        if all(isinstance(x, int) and not isinstance(x, bool) for x in v):
            if len(v) > MAX_LIST_LENGTH:
                raise InvalidTask(f"{where}: a list of {len(v):,} items; lists may have at most "
                                  f"{MAX_LIST_LENGTH:,} items")
            for x in v:
                check_int(x, where)
            return
    raise InvalidTask(f"{where}: values must be strings, integers, booleans or lists of "
                      f"integers, got {describe_value(v)}")


def check_int(v: int, where: str) -> None:
    if not -MAX_INT <= v <= MAX_INT:
        text = describe_value(v)
        raise InvalidTask(f"{where}: {text if text.startswith('an ') else 'integer ' + text} is outside "
                          f"the 64-bit range synth handles (-(2**63 - 1) to 2**63 - 1)")


def iter_values(task):
    """``(field, value)`` for every example and test input and output of a task, the field
    written as in messages: ``examples[0].inputs.x``, ``tests[1].output``."""
    for key in ("examples", "tests"):
        for i, e in enumerate(getattr(task, key)):
            for k, v in e.inputs.items():
                yield f"{key}[{i}].inputs.{k}", v
            yield f"{key}[{i}].output", e.output


def check_limits(task, where_field: str, v: Any) -> None:
    """A value's generic limits (string length, list length, 64-bit integers) as ``InvalidTask``."""
    check_value(v, f"{task.where}{where_field}", tuples=True)


__all__ = ["MAX_STRING_LENGTH", "MAX_LIST_LENGTH", "MAX_INT", "describe_value", "check_value", "check_int",
           "iter_values", "check_limits"]
