"""ExeDec's text forms of DeepCoder values and program states.

A value is ``7`` or ``[ 1 -2 3 ]``; a program state (how a task's inputs are written) is
``x0 = [ 1 0 6 ] | x1 = 3``. Programs use the deepcoder domain's own grammar.
"""
from __future__ import annotations

import re
from typing import Any

from synth.dsl.deepcoder import DOMAIN
from synth.errors import InvalidTask

_INT = re.compile(r"-?\d+\Z")


def parse_value(text: str) -> int | list[int]:
    """``"[ 1 -2 ]"`` -> [1, -2]; ``"7"`` -> 7."""
    t = text.strip()
    if t.startswith("["):
        if not t.endswith("]"):
            raise InvalidTask(f"bad DeepCoder value {text!r}: a list must end with ']'")
        items = t[1:-1].split()
        if not all(_INT.match(i) for i in items):
            raise InvalidTask(f"bad DeepCoder value {text!r}: list items must be integers")
        return [int(i) for i in items]
    if not _INT.match(t):
        raise InvalidTask(f"bad DeepCoder value {text!r}: expected an integer or '[ ... ]'")
    return int(t)


def format_value(value: Any) -> str:
    return DOMAIN.format_value(value)


def parse_state(text: str) -> dict[str, int | list[int]]:
    """``"x0 = [ 1 0 6 ] | x1 = 3"`` -> {"x0": [1, 0, 6], "x1": 3}."""
    state: dict[str, Any] = {}
    for part in text.split("|"):
        name, eq, value = part.partition("=")
        name = name.strip()
        if not eq or not name.isidentifier():
            raise InvalidTask(f"bad DeepCoder program state {text!r}: expected 'name = value | ...'")
        if name in state:
            raise InvalidTask(f"bad DeepCoder program state {text!r}: {name} appears twice")
        state[name] = parse_value(value)
    return state


def format_state(state: dict[str, Any]) -> str:
    return " | ".join(f"{k} = {format_value(v)}" for k, v in state.items())
