"""``Program.to_python`` for regex: a whole-string matcher over Python's ``re``.

The pattern is ``syntax.to_python_pattern``'s, the printer whose language under ``re.fullmatch``
is the regex's (tests/test_to_python.py checks the emitted matcher against the reference one)::

    import re

    _MATCHES_PATTERN = re.compile('[01]*1')


    def matches(s):
        # synthesized by synth (regex): '[01]*1'
        return _MATCHES_PATTERN.fullmatch(s) is not None

Python's ``re`` backtracks: a pattern like ``(a|aa)*`` can take exponential time on long
non-matching strings, which the reference matcher does not.
"""
from __future__ import annotations

from synth.dsl.base import Domain, Node


def python_source(domain: Domain, node: Node, func_name: str | None = None) -> str:
    from synth.dsl.regex.syntax import to_python_pattern

    func_name = func_name or "matches"
    const = f"_{func_name.upper()}_PATTERN"
    return (f"import re\n\n{const} = re.compile({to_python_pattern(node)!r})\n\n\n"
            f"def {func_name}(s):\n"
            f"    # synthesized by synth (regex): {domain.format(node)!r}\n"
            f"    return {const}.fullmatch(s) is not None\n")
