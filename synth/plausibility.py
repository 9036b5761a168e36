"""Warnings on a program that fits its examples but is probably not the one meant: it copies
much of its text from the outputs, or it is much larger than a few examples can justify.

A program found for three rows that spells out three output fragments, or that needs twenty
nodes, usually fits those rows by coincidence (issue 21). The result carries the warnings in
``Result.warnings`` (and the ``warnings`` list of the JSON record); the CLI prints them.
"""
from __future__ import annotations

from typing import Iterator, Sequence

from synth.dsl.base import Apply, Const, Node, Var

#: arguments that are a regex, a format or a step (not data): op -> argument positions
FORMAT_ARGS = {"TOKEN": (1,), "POS": (1, 2), "MATCHES": (1,), "DATETEXT": (1, 2, 3),
               "NUMTEXT": (1, 2)}
#: warn at this many distinct data constants copied from some of the outputs
COPIED_CONSTANTS = 2
#: warn when a program has more than this many operations per example (and at least MIN_LARGE)
OPS_PER_EXAMPLE = 6
MIN_LARGE = 15


def operations(node: Node) -> int:
    """The ops and input references of a program; constants (a format, a regex, a step) do not
    count: ``NUMTEXT(x, "0.00", "", 0)`` is one reading of one cell, not five choices."""
    count, stack = 0, [(node, None)]
    while stack:
        n, parent = stack.pop()
        if isinstance(n, Var) or isinstance(n, Apply) and not (n.op == parent == "CONCATENATE"):
            count += 1  # a chain of CONCATENATE is one variadic concatenation
        if isinstance(n, Apply):
            stack.extend((a, n.op) for a in n.args)
    return count


def data_constants(node: Node) -> Iterator[str]:
    """The string constants of a program that are data (not a regex or format argument), in
    the order the program prints them."""
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        n, is_format = stack.pop()
        if isinstance(n, Const) and not is_format and isinstance(n.value, str):
            yield n.value
        if isinstance(n, Apply):
            fmt = FORMAT_ARGS.get(n.op, ())
            stack.extend(reversed([(a, i in fmt) for i, a in enumerate(n.args)]))  # in print order


def _texts(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _texts(v)]
    return []


def copied_constants(node: Node, examples: Sequence) -> list[str]:
    """Distinct data constants with a letter or digit that occur in some examples' outputs but
    not in all of them, and in none of the examples' inputs: answers copied into the program
    (a text every output shares, "Dear " or " kg", is a template, not a copy)."""
    outputs = [" ".join(_texts(e.output)) for e in examples]
    inputs = [t for e in examples for t in _texts(e.inputs)]
    found = []
    for c in dict.fromkeys(data_constants(node)):
        if any(ch.isalnum() for ch in c) and any(c in o for o in outputs) \
                and not all(c in o for o in outputs) and not any(c in i for i in inputs):
            found.append(c)
    return found


def warnings_for(node: Node, examples: Sequence) -> list[str]:
    """The warnings for a program that fits ``examples`` (empty when it looks plausible)."""
    out = []
    copied = copied_constants(node, examples)
    if len(copied) >= COPIED_CONSTANTS:
        shown = ", ".join(repr(c) for c in copied[:4]) + (", ..." if len(copied) > 4 else "")
        out.append(f"the program copies {len(copied)} constants from the outputs ({shown}): it may "
                   f"fit these examples only; add an example or check it on other inputs")
    n, ops = max(1, len(examples)), operations(node)
    if ops >= MIN_LARGE and ops > OPS_PER_EXAMPLE * n:
        out.append(f"the program has {ops} operations and inputs for {n} example(s): it may fit "
                   f"these examples only; add an example or check it on other inputs")
    return out
